"""The joint-punishment list for wage arrears (拖欠农民工工资失信联合惩戒对象名单管理暂行办法,
人社部令第45号) as a procedure on the clock.

propose (the conditions of Art. 5 checked from the file) → notice (告知书: reasons, basis, the
right to state a case, a window on the working-day calendar) → statement (refused after the
window) → decision (列入 or 不予列入; a listing runs for the configured term) → publication →
expiry at the end of the term (the periodic job), or early removal once the arrears are paid,
the configured months have passed since correcting, and a credit-repair pledge is in.
Each step writes an audit entry naming the step's deadline, in the step's transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from hexie.core import audit, clock
from hexie.core.errors import DomainError
from hexie.core.permissions import require_role
from hexie.core.pii import lookup_hash
from hexie.core.validators import is_valid_id_number, normalise_id_number
from hexie.credit.models import CreditRecord, ListedPerson, Listing, RecordKind
from hexie.credit.rules import at_criminal_threshold
from hexie.credit.selectors import thresholds
from hexie.credit.services.common import describe_due, period_end, record_delivery
from hexie.employers.models import Employer
from hexie.orgs.models import User
from hexie.orgs.scoping import CHANGE, HANDLING, LEADERS, restrict

Action = audit.Action
BASIS = "《拖欠农民工工资失信联合惩戒对象名单管理暂行办法》（人力资源社会保障部令第45号）第五条"
OPEN_STATES = (Listing.State.PROPOSED, Listing.State.NOTIFIED, Listing.State.LISTED, Listing.State.PUBLISHED)


@dataclass(frozen=True)
class PersonData:
    """A legal representative or responsible person to be listed with the employer."""

    role: str
    name: str
    id_number: str


def _listing_for_change(staff: User, listing_id: int) -> Listing:
    listing = (restrict(Listing.objects.select_for_update().filter(pk=listing_id), staff, CHANGE, single=True)
               .first())
    if listing is None:
        raise DomainError(_("未找到该名单记录。"), code="not_found")
    return listing


def _require_state(listing: Listing, *states: str, what: str) -> None:
    if listing.state not in states:
        raise DomainError(_("当前状态为“%(state)s”，不能%(what)s。") % {"state": listing.get_state_display(),
                                                                  "what": what}, field="state",
                          code="wrong_state")


def _log(staff: User | None, listing: Listing, message: str, fields: tuple[str, ...] = ("state",)) -> None:
    audit.record(actor=staff, action=Action.UPDATE, obj=listing, fields=fields, message=message)


def listing_conditions(*, employer: Employer, order: CreditRecord,
                       incident: CreditRecord | None) -> tuple[bool, list[dict[str, object]]]:
    """Art. 5 checked from the file: an order to pay not complied with, AND arrears at the criminal
    threshold OR a mass or extreme incident. Returns whether they hold and each condition's finding."""
    t = thresholds()
    arrears = at_criminal_threshold(amount=order.amount, workers=order.workers, months=order.months, t=t)
    found = [
        {"condition": "逾期未支付", "met": order.kind == RecordKind.IGNORED_ORDER and order.employer_id == employer.pk,
         "text": f"{order.occurred_on.isoformat()} {order.description}"},
        {"condition": "拖欠数额达到拒不支付劳动报酬罪数额标准", "met": arrears,
         "text": (f"拖欠{order.amount or 0:,.2f}元，涉及{order.workers or 0}人、{order.months or 0}个月；标准：一名劳动者"
                  f"{t.single_months}个月以上且{t.single_amount:,.2f}元以上，或{t.collective_workers}名以上劳动者且"
                  f"{t.collective_amount:,.2f}元以上")},
        {"condition": "引发群体性或极端事件", "met": incident is not None,
         "text": f"{incident.occurred_on.isoformat()} {incident.description}" if incident else "无"},
    ]
    return bool(found[0]["met"]) and (arrears or incident is not None), found


def propose_listing(
    *, actor: User, employer_id: int, order_record_id: int, reasons: str, persons: list[PersonData],
    incident_record_id: int | None = None,
) -> Listing:
    """Propose listing an employer: the conditions are checked from its file and refused, naming the
    one that fails, when they do not hold; the legal representative must be among the persons."""
    staff = require_role(actor, HANDLING, _("只有承办人员和领导可以提出列入名单。"))
    if not reasons.strip():
        raise DomainError(_("请填写列入事由。"), field="reasons")
    if not any(p.role == ListedPerson.Role.LEGAL_REPRESENTATIVE for p in persons):
        raise DomainError(_("请填写法定代表人。"), field="persons")
    checked: list[tuple[PersonData, str]] = []
    for i, p in enumerate(persons, start=1):
        if p.role not in ListedPerson.Role.values or not p.name.strip():
            raise DomainError(_("第%(n)d名责任人：请填写身份和姓名。") % {"n": i}, field="persons")
        number = normalise_id_number(p.id_number)
        if not is_valid_id_number(number):
            raise DomainError(_("第%(n)d名责任人的身份证号无效。") % {"n": i}, field="persons")
        checked.append((p, number))
    with transaction.atomic():
        employer = restrict(Employer.objects.filter(pk=employer_id), staff, CHANGE, single=True).first()
        if employer is None:
            raise DomainError(_("未找到该用人单位。"), field="employer", code="not_found")
        if Listing.objects.filter(employer=employer, state__in=OPEN_STATES).exists():
            raise DomainError(_("该单位已在名单中或已有列入程序在办。"), field="employer", code="duplicate")
        order = CreditRecord.objects.filter(pk=order_record_id, employer=employer).first()
        if order is None or order.kind != RecordKind.IGNORED_ORDER:
            raise DomainError(_("请选择该单位逾期未履行的限期支付指令记录。"), field="order_record")
        incident = None
        if incident_record_id is not None:
            incident = CreditRecord.objects.filter(pk=incident_record_id, employer=employer,
                                                   kind=RecordKind.MASS_INCIDENT).first()
            if incident is None:
                raise DomainError(_("请选择该单位的群体性或极端事件记录。"), field="incident_record")
        ok, found = listing_conditions(employer=employer, order=order, incident=incident)
        if not ok:
            raise DomainError(_("不符合列入条件：拖欠数额未达到拒不支付劳动报酬罪数额标准，且未引发群体性或极端事件。"),
                              field="order_record", code="conditions_not_met")
        listing = Listing.objects.create(
            employer=employer, org_unit_id=employer.org_unit_id, order_record=order, incident_record=incident,
            reasons=reasons.strip(), conditions=found, basis=BASIS, proposed_by=staff, proposed_at=clock.now())
        ListedPerson.objects.bulk_create([
            ListedPerson(listing=listing, role=p.role, name=p.name.strip(), id_number=number,
                         id_hash=lookup_hash(number)) for p, number in checked])
        audit.record(actor=staff, action=Action.CREATE, obj=listing,
                     message=f"提出列入失信联合惩戒对象名单：{employer.name}")
        return listing


def issue_listing_notice(*, actor: User, listing_id: int) -> Listing:
    """Issue the notice (告知书) with reasons, basis and the right to state a case. The window for a
    statement does not start here: it runs from the day the notice is delivered
    (``record_listing_delivery``)."""
    staff = require_role(actor, LEADERS, _("只有领导可以签发告知书。"))
    with transaction.atomic():
        listing = _listing_for_change(staff, listing_id)
        _require_state(listing, Listing.State.PROPOSED, what=_("告知"))
        listing.state, listing.notified_on, listing.statement_due_on = Listing.State.NOTIFIED, clock.today(), None
        listing.save(update_fields=["state", "notified_on", "statement_due_on"])
        _log(staff, listing, "签发列入告知书，陈述申辩期自送达之日起计算", ("state", "notified_on"))
        return listing


def record_listing_delivery(*, actor: User, listing_id: int, delivered_on: date, method: str) -> Listing:
    """Record the day and the way the notice was delivered (送达); the statement window runs from
    that day (start day not counted) on the calendar the setting row says."""
    staff = require_role(actor, HANDLING, _("只有承办人员和领导可以登记送达。"))
    with transaction.atomic():
        listing = _listing_for_change(staff, listing_id)
        _require_state(listing, Listing.State.NOTIFIED, what=_("登记送达"))
        if listing.delivered_on is not None:
            raise DomainError(_("告知书已登记送达。"), field="state", code="wrong_state")
        due, provisional, basis = record_delivery(listing, delivered_on=delivered_on, method=method,
                                                  code="listing_statement_days", due_field="statement_due_on")
        _log(staff, listing, f"{listing.get_delivery_method_display()}，{listing.delivered_on}送达列入告知书，"
                             f"陈述申辩截止{describe_due(due, provisional)}（{basis}）",
             ("delivered_on", "delivery_method", "statement_due_on"))
        return listing


def record_statement(*, actor: User, listing_id: int, text: str, received_on: date) -> Listing:
    """Record the employer's statement or objection (陈述申辩); refused after the window."""
    staff = require_role(actor, HANDLING, _("只有承办人员和领导可以登记陈述申辩。"))
    if not text.strip():
        raise DomainError(_("请填写陈述申辩内容。"), field="text")
    if received_on > clock.today():
        raise DomainError(_("收到日期不能晚于今天。"), field="received_on")
    with transaction.atomic():
        listing = _listing_for_change(staff, listing_id)
        _require_state(listing, Listing.State.NOTIFIED, what=_("登记陈述申辩"))
        assert listing.notified_on is not None
        if received_on < listing.notified_on:
            raise DomainError(_("收到日期早于告知日期。"), field="received_on")
        # Before delivery the window has not started: a statement is in time.
        if listing.statement_due_on is not None and received_on > listing.statement_due_on:
            raise DomainError(_("陈述申辩期限已于%(due)s届满，不再受理。") % {"due": listing.statement_due_on.isoformat()},
                              field="received_on", code="window_closed")
        listing.statement, listing.statement_on = text.strip(), received_on
        listing.save(update_fields=["statement", "statement_on"])
        _log(staff, listing, "登记陈述申辩", ("statement",))
        return listing


def decide_listing(*, actor: User, listing_id: int, list_it: bool, reason: str) -> Listing:
    """Decide (列入决定 or 不予列入) once the statement window is over or a statement is in; a
    listing runs for the configured term from the decision."""
    staff = require_role(actor, LEADERS, _("只有领导可以作出列入决定。"))
    if not reason.strip():
        raise DomainError(_("请填写决定理由。"), field="reason")
    with transaction.atomic():
        listing = _listing_for_change(staff, listing_id)
        _require_state(listing, Listing.State.NOTIFIED, what=_("作出决定"))
        today = clock.today()
        due = listing.statement_due_on
        if listing.statement_on is None and due is None:
            raise DomainError(_("告知书尚未登记送达：陈述申辩期自送达之日起计算，期满或收到陈述申辩后方可决定。"),
                              field="state", code="window_open")
        if listing.statement_on is None and due is not None and today <= due:
            raise DomainError(_("陈述申辩期限至%(due)s，期满或收到陈述申辩后方可决定。") % {"due": due.isoformat()},
                              field="state", code="window_open")
        listing.decided_on, listing.decided_by, listing.decision_reason = today, staff, reason.strip()
        if list_it:
            expires, _provisional, row = period_end(today, "listing_term_years")
            listing.state, listing.expires_on = Listing.State.LISTED, expires
            message = f"作出列入决定，列入期限至{expires.isoformat()}（{row.basis}）"
        else:
            listing.state = Listing.State.WITHDRAWN
            message = "决定不予列入"
        listing.save(update_fields=["state", "decided_on", "decided_by", "decision_reason", "expires_on"])
        _log(staff, listing, message, ("state", "decided_on", "expires_on"))
        return listing


def publish_listing(*, actor: User, listing_id: int) -> Listing:
    """Publish a decided listing (the public portal shows it until it ends)."""
    staff = require_role(actor, LEADERS, _("只有领导可以公布名单。"))
    with transaction.atomic():
        listing = _listing_for_change(staff, listing_id)
        _require_state(listing, Listing.State.LISTED, what=_("公布"))
        listing.state, listing.published_on = Listing.State.PUBLISHED, clock.today()
        listing.save(update_fields=["state", "published_on"])
        _log(staff, listing, f"向社会公布，至{listing.expires_on.isoformat() if listing.expires_on else ''}期满")
        return listing


def expire_listings(*, today: date | None = None) -> int:
    """Move off the list every listing whose term has ended (the periodic job)."""
    today = today or clock.today()
    with transaction.atomic():
        due = list(Listing.objects.select_for_update().filter(
            state__in=[Listing.State.LISTED, Listing.State.PUBLISHED], expires_on__lte=today))
        for listing in due:  # a handful a day: each gets its own audit entry on its file
            listing.state, listing.ended_on = Listing.State.EXPIRED, today
            listing.save(update_fields=["state", "ended_on"])
            _log(None, listing, f"列入期限于{listing.expires_on}届满，自动移出名单", ("state", "ended_on"))
    return len(due)


def remove_early(*, actor: User, listing_id: int, paid_on: date, corrected_on: date, pledge_on: date,
                 reason: str) -> Listing:
    """Early removal on credit repair (信用修复): the arrears paid, the configured months since the
    employer corrected, and a written credit-repair pledge; a leader decides."""
    staff = require_role(actor, LEADERS, _("只有领导可以决定提前移出。"))
    today = clock.today()
    for field, value in (("paid_on", paid_on), ("corrected_on", corrected_on), ("pledge_on", pledge_on)):
        if value > today:
            raise DomainError(_("日期不能晚于今天。"), field=field)
    if not reason.strip():
        raise DomainError(_("请填写决定理由。"), field="reason")
    with transaction.atomic():
        listing = _listing_for_change(staff, listing_id)
        _require_state(listing, Listing.State.LISTED, Listing.State.PUBLISHED, what=_("提前移出"))
        months, _p, row = period_end(corrected_on, "removal_months_since_correction")
        if today < months:
            raise DomainError(_("纠正失信行为满%(n)s个月后（%(day)s起）方可申请提前移出。")
                              % {"n": f"{row.value:.0f}", "day": months.isoformat()},
                              field="corrected_on", code="too_early")
        listing.paid_on, listing.corrected_on, listing.pledge_on = paid_on, corrected_on, pledge_on
        listing.state, listing.ended_on, listing.decision_reason = Listing.State.REMOVED, today, reason.strip()
        listing.save(update_fields=["paid_on", "corrected_on", "pledge_on", "state", "ended_on", "decision_reason"])
        _log(staff, listing, f"信用修复，决定提前移出（{row.basis}）", ("state", "ended_on"))
        return listing
