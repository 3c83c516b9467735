"""Assessments: started (by an inspector's plan or an employer's self check), answered item by item
(each answer saved at once, resent answers harmless), submitted with the score computed, and
signed off or returned by a leader. Signing off a check-up or annual verification with failed
items issues the rectification order."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hexie.core import audit, clock
from hexie.core.errors import DomainError, TransitionNotAllowed
from hexie.core.models import AuditEvent
from hexie.core.permissions import require_role
from hexie.employers.models import Employer
from hexie.orgs.models import Role, User
from hexie.orgs.scoping import CHANGE, EMPLOYERS, HANDLING, LEADERS
from hexie.prevention import rules
from hexie.prevention.models import (
    Answer,
    AnswerResult,
    Assessment,
    AssessmentOrigin,
    AssessmentState,
    SheetItem,
    SheetKind,
)
from hexie.prevention.selectors import account_of, get_for
from hexie.prevention.services import evidence
from hexie.prevention.services.orders import issue_order
from hexie.prevention.services.sheets import check_sheet, sheet_in_force

#: The sheets an employer fills in itself (a self check-up, its annual verification).
SELF_SHEETS = {"checkup": SheetKind.CHECKUP, "annual-verification": SheetKind.ANNUAL}
#: The kinds whose failed items are violations to put right (an evaluation is voluntary).
ORDER_KINDS = (SheetKind.CHECKUP, SheetKind.ANNUAL)
OPEN_STATES = (AssessmentState.IN_PROGRESS, AssessmentState.RETURNED)
#: How long before it was recorded an answer given offline may say it was given.
OFFLINE_WINDOW = timedelta(days=7)


@transaction.atomic
def start_assessment(*, actor: User, sheet_code: str, employer_id: int | None = None) -> Assessment:
    """An employer's self check-up or annual verification on the sheet in force for it.

    The employer is the actor's own (an employer account); an open one of the same sheet and year
    is returned instead of a second. Staff start check-ups through plans.
    """
    staff = require_role(actor, EMPLOYERS, _("只有用人单位账号可以在线自查或填报年度核验"))
    account = account_of(staff)
    if account is None:
        raise DomainError(_("该账号未绑定用人单位"), code="not_permitted")
    if sheet_code not in SELF_SHEETS:
        raise ValidationError({"sheet": [_("只能自查用工体检或填报年度核验")]})
    employer = Employer.objects.select_related("org_unit").get(pk=account.employer_id)
    today = clock.today()
    sheet = sheet_in_force(code=sheet_code, unit=employer.org_unit, on=today)
    if sheet is None:
        raise ValidationError({"sheet": [_("没有现行有效的量表，请联系人社局")]})
    check_sheet(sheet)
    existing = Assessment.objects.filter(employer=employer, sheet__code=sheet_code, year=today.year,
                                         origin=AssessmentOrigin.SELF, state__in=OPEN_STATES).first()
    if existing is not None:
        return existing
    if sheet.kind == SheetKind.ANNUAL and Assessment.objects.filter(
            employer=employer, kind=SheetKind.ANNUAL, year=today.year, origin=AssessmentOrigin.SELF,
            state__in=[AssessmentState.SUBMITTED, AssessmentState.SIGNED_OFF]).exists():
        raise ValidationError({"sheet": [_("本年度的年度核验已经提交")]})
    a = Assessment.objects.create(sheet=sheet, kind=sheet.kind, employer=employer, origin=AssessmentOrigin.SELF,
                                  year=today.year, started_at=clock.now())
    audit.record(actor=staff, action=AuditEvent.Action.CREATE, obj=a, message=_("单位在线填报：%(s)s") % {"s": sheet})
    return a


def _may_fill(staff: User, a: Assessment) -> None:
    """Who fills an assessment: the employer its self check, the assigned inspector (or a leader of
    the unit) an inspection."""
    if a.origin == AssessmentOrigin.SELF:
        if staff.role != Role.EMPLOYER:
            raise DomainError(_("单位自查由单位自己填写"), code="not_permitted")
    elif staff.role == Role.EMPLOYER or (staff.role == Role.HANDLER and a.inspector_id != staff.pk):
        raise DomainError(_("只有被指派的检查人员可以填写"), code="not_permitted")


def _move(a: Assessment, name: str) -> str:
    """The state the move ends in, from the state table; a move from a wrong state is a 409."""
    try:
        return rules.check_move(rules.ASSESSMENT_MOVES, name, a.state)
    except ValueError as exc:
        raise TransitionNotAllowed(str(exc)) from None


def _parse_deduction(value: str | Decimal | None) -> Decimal:
    if value in (None, ""):
        return Decimal(0)
    try:
        d = Decimal(str(value).strip())
    except InvalidOperation:
        raise ValidationError({"deduction": [_("扣分应为数字")]}) from None
    if d < 0 or d.as_tuple().exponent < -1:  # type: ignore[operator]
        raise ValidationError({"deduction": [_("扣分应为不小于0、最多一位小数的数字")]})
    return d


@transaction.atomic
def record_answer(
    *, actor: User, assessment_id: int, item_id: int, result: str, deduction: str | Decimal | None = None,
    note: str = "", answered_at: datetime | None = None, files: Sequence[UploadedFile] = (),
) -> Answer:
    """Save the answer to one item at once (the phone sends each answer as it is given).

    Answering again replaces the answer, so an answer resent from the phone's queue is harmless;
    ``answered_at`` is when it was given on the phone (earlier than now after a lost connection).
    A failed item whose sheet asks for evidence needs a photo or file.
    """
    staff = require_role(actor, HANDLING | EMPLOYERS, _("您的角色不能填写检查结果"))
    a = get_for(Assessment.objects.select_related("sheet"), staff, assessment_id, CHANGE, lock=True)
    _may_fill(staff, a)
    _move(a, "answer")
    item = SheetItem.objects.filter(pk=item_id, section__sheet_id=a.sheet_id).first()
    if item is None:
        raise ValidationError({"item": [_("该项目不属于本量表")]})
    if result not in AnswerResult.values:
        raise ValidationError({"result": [_("请选择检查结论：符合、部分符合、不符合或不适用")]})
    d = _parse_deduction(deduction) if result == AnswerResult.PARTLY else Decimal(0)
    if result == AnswerResult.PARTLY and not (0 < d < item.max_points):
        raise ValidationError({"deduction": [_("“%(item)s”部分符合时，扣分应大于0且小于该项分值%(max)s分")
                                             % {"item": item.code, "max": rules.fmt(item.max_points)}]})
    if result in (AnswerResult.PARTLY, AnswerResult.FAILS) and not note.strip():
        raise ValidationError({"note": [_("“%(item)s”不符合时请写明发现的问题") % {"item": item.code}]})
    now = clock.now()
    # The phone's clock says when it was answered; a phone clock that is wrong must not cost the
    # answer, so the time is kept within [now − the offline window, now].
    given = answered_at or now
    if timezone.is_naive(given):
        given = timezone.make_aware(given)
    given = min(max(given, now - OFFLINE_WINDOW), now)
    existing = Answer.objects.filter(assessment=a, item=item).first()
    evidence.check_files(files, already=existing.evidence.count() if existing else 0)
    if (result in (AnswerResult.PARTLY, AnswerResult.FAILS) and item.evidence_mandatory and not files
            and not (existing and existing.evidence.exists())):
        raise ValidationError({"files": [_("“%(item)s”不符合时须附照片或文件（%(what)s）")
                                          % {"item": item.code, "what": item.evidence_required}]})
    points = rules.item_points(result=result, max_points=item.max_points, deduction=d)
    answer, _created = Answer.objects.update_or_create(assessment=a, item=item, defaults={
        "result": result, "deduction": d, "points": points, "note": note.strip()[:2000], "recorded_by": staff,
        "recorded_at": now, "answered_at": given})
    if files:
        evidence.store(files=files, actor=staff, answer=answer)
    audit.record(actor=staff, action=AuditEvent.Action.UPDATE, obj=a,
                 message=_("%(item)s：%(result)s，得%(points)s分%(files)s") % {
                     "item": item.code, "result": answer.get_result_display(), "points": rules.fmt(points),
                     "files": _("，附%(n)d个文件") % {"n": len(files)} if files else ""})
    return answer


def compute(a: Assessment) -> rules.Score:
    """The score of an assessment from its answers, on the version of the sheet it uses."""
    sheet = a.sheet
    points: dict[int, Decimal] = dict(a.answers.values_list("item_id", "points"))
    sections = []
    for s in sheet.sections.prefetch_related("items"):
        sections.append((s.code, s.max_points, s.pass_points, [points.get(i.pk, Decimal(0)) for i in s.items.all()]))
    return rules.score(sections=sections, pass_total=sheet.pass_total, bonus=a.bonus, penalty=a.penalty,
                       bonus_cap=sheet.bonus_cap, penalty_cap=sheet.penalty_cap, total_points=sheet.total_points)


def _store_score(a: Assessment) -> rules.Score:
    s = compute(a)
    a.score, a.passed = s.total, s.passed
    a.section_scores = {x.code: {"points": str(x.points), "max": str(x.max_points),
                                 "pass": None if x.pass_points is None else str(x.pass_points), "passed": x.passed}
                        for x in s.sections}
    return s


@transaction.atomic
def submit_assessment(*, actor: User, assessment_id: int, bonus: str | Decimal | None = None,
                      penalty: str | Decimal | None = None) -> Assessment:
    """Hand in a complete assessment for sign-off: every item answered, bonus and penalty within the
    sheet's caps; the score is computed now and again at sign-off."""
    staff = require_role(actor, HANDLING | EMPLOYERS, _("您的角色不能提交检查"))
    a = get_for(Assessment.objects.select_related("sheet"), staff, assessment_id, CHANGE, lock=True)
    _may_fill(staff, a)
    target = _move(a, "submit")
    answered = set(a.answers.values_list("item_id", flat=True))
    missing = [i.code for i in SheetItem.objects.filter(section__sheet=a.sheet).order_by("section__order", "order")
               if i.pk not in answered]
    if missing:
        raise ValidationError({"answers": [_("还有%(n)d项未填写：%(items)s") % {"n": len(missing),
                                                                         "items": "、".join(missing)}]})
    for name, value, cap in (("bonus", bonus, a.sheet.bonus_cap), ("penalty", penalty, a.sheet.penalty_cap)):
        d = _parse_deduction(value)
        if d > cap:
            raise ValidationError({name: [_("%(what)s不能超过%(cap)s分") % {
                "what": _("加分") if name == "bonus" else _("减分"), "cap": rules.fmt(cap)}]})
        setattr(a, name, d)
    _store_score(a)
    a.state, a.submitted_at, a.submitted_by = target, clock.now(), staff
    a.save()
    audit.record(actor=staff, action=AuditEvent.Action.UPDATE, obj=a,
                 message=_("提交审核，得分%(score)s，%(passed)s") % {
                     "score": a.score, "passed": _("合格") if a.passed else _("不合格")})
    return a


@transaction.atomic
def sign_off(*, actor: User, assessment_id: int, note: str = "") -> Assessment:
    """A leader signs a submitted assessment off; failed items of a check-up or verification become
    one rectification order with its deadline on the working-day calendar."""
    staff = require_role(actor, LEADERS, _("只有领导可以签发检查结果"))
    a = get_for(Assessment.objects.select_related("sheet", "employer"), staff, assessment_id, CHANGE, lock=True)
    target = _move(a, "sign_off")
    _store_score(a)
    a.state, a.signed_off_at, a.signed_off_by = target, clock.now(), staff
    a.sign_off_note = note.strip()[:2000]
    a.save()
    audit.record(actor=staff, action=AuditEvent.Action.UPDATE, obj=a,
                 message=_("签发，得分%(score)s，%(passed)s") % {
                     "score": a.score, "passed": _("合格") if a.passed else _("不合格")})
    failed = [x for x in a.answers.select_related("item__section") if x.failed]
    if failed and a.kind in ORDER_KINDS:
        issue_order(assessment=a, answers=failed, actor=staff)
    return a


@transaction.atomic
def return_assessment(*, actor: User, assessment_id: int, note: str) -> Assessment:
    """A leader sends a submitted assessment back to be completed or corrected, saying why."""
    staff = require_role(actor, LEADERS, _("只有领导可以退回检查"))
    a = get_for(Assessment.objects.all(), staff, assessment_id, CHANGE, lock=True)
    target = _move(a, "return")
    if not note.strip():
        raise ValidationError({"note": [_("请写明退回理由")]})
    a.state, a.sign_off_note = target, note.strip()[:2000]
    a.save(update_fields=["state", "sign_off_note"])
    audit.record(actor=staff, action=AuditEvent.Action.UPDATE, obj=a, message=_("退回：%(n)s") % {"n": a.sign_off_note})
    return a
