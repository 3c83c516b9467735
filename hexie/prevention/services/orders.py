"""Rectification orders: issued at sign-off, answered by the employer with evidence, closed by a
re-check, and — still open after the deadline — turned into an inspection case on the normal clocks."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hexie.cases import services as case_services
from hexie.cases.models import CaseType, Channel
from hexie.core import audit, clock
from hexie.core.errors import TransitionNotAllowed
from hexie.core.models import AuditEvent
from hexie.core.permissions import require_role
from hexie.core.validators import validate_credit_code
from hexie.orgs.models import User
from hexie.orgs.scoping import CHANGE, EMPLOYERS, HANDLING
from hexie.prevention.models import Answer, Assessment, OrderNumberSequence, RectificationOrder
from hexie.prevention.models.orders import OPEN_ORDER_STATES
from hexie.prevention.rules import ORDER_MOVES, check_move
from hexie.prevention.selectors import get_for
from hexie.prevention.services import evidence
from hexie.workcal.rules import add_working_days
from hexie.workcal.selectors import get_calendar

RECTIFICATION_COMPLAINANT = "源头预防（逾期未整改）"


def next_order_number(*, year: int) -> str:
    """劳监整〔year〕N号, from a per-year counter taken under a row lock."""
    seq, _created = OrderNumberSequence.objects.select_for_update().get_or_create(year=year)
    seq.last += 1
    seq.save(update_fields=["last"])
    return f"劳监整〔{year}〕{seq.last:04d}号"


def issue_order(*, assessment: Assessment, answers: Sequence[Answer], actor: User) -> RectificationOrder:
    """The order for an assessment's failed items (called inside sign-off's transaction)."""
    today = clock.today()
    sheet = assessment.sheet
    due = add_working_days(get_calendar(), today, sheet.rectify_working_days)
    lines = [f"{n}. {a.item.section.title}—{a.item.title}：{a.note}" for n, a in enumerate(answers, start=1)]
    order = RectificationOrder.objects.create(
        number=next_order_number(year=today.year), assessment=assessment, employer=assessment.employer,
        requirements="\n".join(lines), legal_basis="；".join(dict.fromkeys(
            [sheet.rectify_basis] + [a.item.basis for a in answers if a.item.basis])),
        issued_on=today, working_days=sheet.rectify_working_days, deadline=due.due_on,
        deadline_provisional=due.provisional, issued_by=actor)
    order.answers.set(answers)
    audit.record(actor=actor, action=AuditEvent.Action.CREATE, obj=order,
                 message=_("责令限期整改%(n)d项，期限%(days)d个工作日，至%(due)s") % {
                     "n": len(answers), "days": order.working_days, "due": order.deadline.isoformat()})
    return order


@transaction.atomic
def answer_order(*, actor: User, order_id: int, response: str, files: Sequence[UploadedFile] = ()) -> RectificationOrder:
    """The employer says what it put right, with evidence; it may add to its answer until the re-check."""
    staff = require_role(actor, EMPLOYERS, _("只有用人单位可以答复整改指令书"))
    order = get_for(RectificationOrder.objects.all(), staff, order_id, CHANGE, lock=True)
    target = _move(order, "answer")
    if not response.strip():
        raise ValidationError({"response": [_("请写明整改情况")]})
    evidence.check_files(files, already=order.evidence.count())
    order.response = response.strip()[:5000]
    order.responded_at, order.responded_by, order.state = clock.now(), staff, target
    order.save(update_fields=["response", "responded_at", "responded_by", "state"])
    if files:
        evidence.store(files=files, actor=staff, order=order)
    audit.record(actor=staff, action=AuditEvent.Action.UPDATE, obj=order,
                 message=_("单位答复整改情况，附%(n)d个文件") % {"n": len(files)})
    return order


@transaction.atomic
def recheck_order(*, actor: User, order_id: int, complied: bool, note: str) -> RectificationOrder:
    """An inspector's re-check: complied closes the order; not complied after the deadline opens
    the inspection case at once, before it the order stays open with the finding."""
    staff = require_role(actor, HANDLING, _("您的角色不能复查整改"))
    order = get_for(RectificationOrder.objects.select_related("employer"), staff, order_id, CHANGE, lock=True)
    target = _move(order, "recheck_complied" if complied else "recheck_not_complied")
    if not note.strip():
        raise ValidationError({"note": [_("请写明复查意见")]})
    order.rechecked_at, order.rechecked_by, order.recheck_note = clock.now(), staff, note.strip()[:2000]
    today = clock.today()
    if complied:
        order.state, order.closed_on = target, today
        order.save()
        audit.record(actor=staff, action=AuditEvent.Action.UPDATE, obj=order, message=_("复查合格，指令书办结"))
        return order
    order.save()
    audit.record(actor=staff, action=AuditEvent.Action.UPDATE, obj=order, message=_("复查未整改到位：%(n)s") % {"n": order.recheck_note})
    if today > order.deadline:
        _escalate(order, today=today)
    return order


def _move(order: RectificationOrder, name: str) -> str:
    """The state the move ends in, from the state table; a move from a wrong state is a 409."""
    try:
        return check_move(ORDER_MOVES, name, order.state)
    except ValueError as exc:
        raise TransitionNotAllowed(str(exc)) from None


def _escalate(order: RectificationOrder, *, today: date) -> RectificationOrder:
    """Open the inspection case for an order not complied with, linked to the employer by its code."""
    employer = order.employer
    code = employer.credit_code
    try:
        validate_credit_code(code)
    except ValidationError:
        code = ""  # a registry typo must not stop the case; the employer link is set below by key
    data = case_services.IntakeData(
        case_type=CaseType.WAGE_ARREARS, channel=Channel.RECTIFICATION, received_at=clock.now(),
        complainant_name=RECTIFICATION_COMPLAINANT, complainant_phone="", employer_name=employer.name,
        employer_credit_code=code, employer_address=employer.address, org_unit_id=employer.org_unit_id,
        description=(f"{order.number}责令限期整改，期限{order.deadline.isoformat()}届满未整改到位。\n"
                     f"整改事项：\n{order.requirements}\n依据：{order.legal_basis}"),
        external_ref=order.number[:64],
    )
    case = case_services.register_case(data=data, actor=None)
    if case.employer_id is None:
        type(case).objects.filter(pk=case.pk).update(employer=employer)
    case_services.add_event(case=case, kind="rectification_overdue",
                            message=f"由逾期未整改的{order.number}立案", data={"order": order.pk})
    order.state, order.case, order.closed_on = _move(order, "escalate"), case, today
    order.save(update_fields=["state", "case", "closed_on"])
    audit.record(actor=None, action=AuditEvent.Action.UPDATE, obj=order,
                 message=_("逾期未整改，已立案 %(case)s") % {"case": case.number})
    return order


def escalate_overdue_orders(*, today: date | None = None) -> list[RectificationOrder]:
    """Every open order whose deadline has passed opens its case (the nightly sweep runs this).

    One transaction per order, each taking the order's row first: two sweeps never open two cases.
    """
    today = today or timezone.localdate(clock.now())
    done = []
    for pk in list(RectificationOrder.objects.filter(state__in=OPEN_ORDER_STATES, deadline__lt=today)
                   .values_list("pk", flat=True)):
        with transaction.atomic():
            order = (RectificationOrder.objects.select_for_update(of=("self",)).select_related("employer")
                     .filter(pk=pk, state__in=OPEN_ORDER_STATES).first())
            if order is not None:
                done.append(_escalate(order, today=today))
    return done
