"""Moving a case through the workflow: the one transition function, who may take which step, ratings."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F

from hexie.cases.models import (
    Case,
    CaseType,
    ClosureConclusion,
    Deadline,
    DeadlineRule,
    DisputeCause,
    Outcome,
    Referral,
    Status,
    Track,
)
from hexie.cases.selectors import get_case_for_update
from hexie.cases.services.clocks import compute_due, finish_deadlines, next_due, start_deadlines
from hexie.cases.services.intake import MAX_AMOUNT
from hexie.cases.services.timeline import add_event, notify_staff, notify_worker
from hexie.cases.workflow import TRANSITIONS, Transition
from hexie.core import clock
from hexie.core.errors import DomainError, NotPermitted, StaleState, TransitionNotAllowed
from hexie.orgs.models import PartnerAgency, Role, User
from hexie.orgs.scoping import HANDLERS, restrict
from hexie.workcal import rules as workcal
from hexie.workcal.selectors import get_calendar

# Which tracks make sense for which case type.
TRACKS_FOR_TYPE: dict[str, set[str]] = {
    CaseType.WAGE_ARREARS: {Track.INSPECTION, Track.MEDIATION, Track.ARBITRATION, Track.REFERRAL},
    CaseType.LABOUR_DISPUTE: {Track.MEDIATION, Track.ARBITRATION, Track.INSPECTION, Track.REFERRAL},
    CaseType.PETITION: {Track.PETITION, Track.INSPECTION, Track.MEDIATION, Track.ARBITRATION, Track.REFERRAL},
    CaseType.CONSULTATION: {Track.MEDIATION, Track.REFERRAL, Track.INSPECTION},
}


def check_permitted(t: Transition, case: Case, actor: User) -> None:
    if actor.is_superuser:
        return
    if actor.role not in t.roles:
        raise NotPermitted(
            f"您的角色（{actor.get_role_display()}）不能执行“{t.label}” / Your role cannot take '{t.name}'."
        )
    if (actor.role == Role.HANDLER and t.own_cases_only_for_handlers and case.handler_id is not None
            and case.handler_id != actor.pk):
        raise NotPermitted("只有本案承办人可以执行该操作 / Only the case's handler may do this.")


def allowed_actions(case: Case, actor: User) -> list[Transition]:
    out = []
    for t in TRANSITIONS.values():
        if case.status not in t.sources:
            continue
        try:
            check_permitted(t, case, actor)
        except NotPermitted:
            continue
        out.append(t)
    return out


def _require(params: dict[str, Any], field: str, message: str) -> Any:
    value = params.get(field)
    if value in (None, "", []):
        raise ValidationError({field: [message]})
    return value


def _as_id(value: Any, field: str) -> int:
    try:
        return int(str(value))
    except ValueError:
        raise ValidationError({field: ["编号无效 / Not a valid id."]}) from None


def _prepare(t: Transition, case: Case, actor: User | None, params: dict[str, Any]) -> dict[str, Any]:
    """Validate the transition's inputs; return the column updates."""
    now = clock.now()
    if t.name == "refuse":
        return {"refusal_reason": str(_require(params, "reason", "请填写不予受理理由 / Give the reason for refusal.")),
                "refused_at": now}
    if t.name == "accept":
        return {"accepted_at": now}
    if t.name == "assign":
        assert actor is not None
        handler_id = _as_id(_require(params, "handler", "请选择承办人 / Choose a handler."), "handler")
        leader_id = _as_id(_require(params, "responsible_leader", "请选择包案领导 / Choose the responsible leader."),
                           "responsible_leader")
        people = {u.pk: u for u in restrict(User.objects.filter(is_active=True), actor).filter(
            pk__in=[handler_id, leader_id])}
        handler, leader = people.get(handler_id), people.get(leader_id)
        if handler is None or handler.role not in HANDLERS:
            raise ValidationError({"handler": ["承办人不存在或不在辖区内 / No such handler in your jurisdiction."]})
        if leader is None or leader.role != Role.LEADER:
            raise ValidationError({"responsible_leader": [
                "包案领导不存在或不在辖区内 / No such leader in your jurisdiction."]})
        return {"handler": handler, "responsible_leader": leader}
    if t.name == "start_handling":
        track = _require(params, "track", "请选择办理途径 / Choose a track.")
        if track not in TRACKS_FOR_TYPE.get(case.case_type, set()):
            raise ValidationError({"track": ["该类案件不能走此途径 / This track does not fit this case type."]})
        if track == Track.REFERRAL:
            agency_id = _require(params, "agency", "请选择联动单位 / Choose the partner agency.")
            if not PartnerAgency.objects.filter(pk=agency_id).exists():
                raise ValidationError({"agency": ["联动单位不存在 / No such partner agency."]})
        return {"track": track}
    if t.name in ("suspend", "reopen"):
        _require(params, "reason", "请填写理由 / Give the reason.")
        return {}
    if t.name == "resolve":
        conclusion = _require(params, "conclusion", "请选择办结结论 / Choose the conclusion.")
        if conclusion not in ClosureConclusion.values:
            raise ValidationError({"conclusion": ["办结结论无效 / Unknown conclusion."]})
        amount = Decimal(str(params.get("amount_recovered") or "0"))
        if amount < 0 or amount > MAX_AMOUNT:
            raise ValidationError({"amount_recovered": ["追回金额无效 / The amount recovered is not valid."]})
        benefited = int(params.get("workers_benefited") or 0)
        if benefited < 0 or benefited > max(case.workers_count, 1) * 10:
            raise ValidationError({"workers_benefited": ["受益人数无效 / Workers benefited is not valid."]})
        resolved: dict[str, Any] = {"closure_conclusion": conclusion, "amount_recovered": amount,
                                    "workers_benefited": benefited, "resolved_at": now}
        # Cause and outcome feed the arbitration statistics table (rules.md §6). Both are optional;
        # the outcome belongs to this resolution (a later one replaces it), the cause to the dispute
        # (kept when a later resolution does not restate it).
        cause = params.get("dispute_cause") or ""
        if cause:
            if cause not in DisputeCause.values:
                raise ValidationError({"dispute_cause": ["争议原因无效 / Unknown cause of dispute."]})
            resolved["dispute_cause"] = cause
        outcome = params.get("outcome") or ""
        if outcome and outcome not in Outcome.values:
            raise ValidationError({"outcome": ["裁决结果无效 / Unknown outcome."]})
        resolved["outcome"] = outcome
        return resolved
    if t.name == "close":
        raw = params.get("satisfaction")
        updates: dict[str, Any] = {"closed_at": now}
        if raw not in (None, ""):
            sat = int(str(raw))
            if not 1 <= sat <= 5:
                raise ValidationError({"satisfaction": ["满意度为1至5分 / Satisfaction is 1 to 5."]})
            updates["satisfaction"] = sat
        return updates
    return {}


# The only transitions that leave every clock of the case as it was.
_CLOCKS_UNCHANGED = frozenset({"assign", "start_follow_up"})
# Transitions after which no clock of the case runs: refused and closed cancel them, suspended pauses them.
_CLOCKS_STOPPED = frozenset({"refuse", "close", "suspend"})


def _side_effects(t: Transition, case: Case, actor: User | None, params: dict[str, Any], today: date) -> None:
    """What a transition does beyond the case row: its clocks, referrals and staff notices."""
    cal = get_calendar()
    if t.name in ("accept", "refuse"):
        finish_deadlines(case=case, ends_on=DeadlineRule.Ends.DECISION, state=Deadline.State.MET, today=today)
        if t.name == "accept":
            start_deadlines(case=case, trigger=DeadlineRule.Trigger.ACCEPT, on=today)
        else:
            finish_deadlines(case=case, ends_on=None, state=Deadline.State.CANCELLED, today=today)
    elif t.name == "assign":
        notify_staff(case=case, user=case.handler, subject=f"新交办案件 {case.number}",
                     body=f"案件{case.number}已交办给您，请及时办理。")
    elif t.name in ("start_handling", "reopen"):
        if t.name == "start_handling" and case.track == Track.REFERRAL:
            Referral.objects.create(case=case, agency_id=int(str(params["agency"])), referred_at=clock.now(),
                                    referred_by=actor, note=str(params.get("note", "")))
        start_deadlines(case=case, trigger=DeadlineRule.Trigger.START, on=today)
    elif t.name == "suspend":
        case.deadlines.filter(state=Deadline.State.RUNNING).update(state=Deadline.State.PAUSED, paused_on=today)
    elif t.name == "resume":
        for d in case.deadlines.filter(state=Deadline.State.PAUSED).select_related("rule"):
            d.paused_days += workcal.count_period_days(cal, d.paused_on or today, today, d.rule.unit)
            d.state, d.paused_on = Deadline.State.RUNNING, None
            due = compute_due(deadline=d, rule=d.rule, cal=cal)
            d.due_on, d.is_provisional = due.due_on, due.provisional
            d.save()
    elif t.name == "resolve":
        finish_deadlines(case=case, ends_on=DeadlineRule.Ends.RESOLUTION, state=Deadline.State.MET, today=today)
    elif t.name == "close":
        finish_deadlines(case=case, ends_on=None, state=Deadline.State.CANCELLED, today=today)


def _apply_transition(
    *, case: Case, t: Transition, actor: User | None, params: dict[str, Any], expected_version: int | None = None,
    note: str = "",
) -> Case:
    if case.status not in t.sources:
        raise TransitionNotAllowed(
            f"案件当前状态为“{case.get_status_display()}”，不能“{t.label}” / "
            f"A case in state '{case.status}' cannot take '{t.name}'."
        )
    if expected_version is not None and expected_version != case.version:
        raise StaleState("该案件已被他人更新，请刷新后重试 / Someone else changed this case; reload and retry.")
    updates = _prepare(t, case, actor, params)
    if t.name == "reopen":
        updates.update(reopen_count=F("reopen_count") + 1, resolved_at=None, closure_conclusion="",
                       satisfaction=None)
    now = clock.now()
    from_status, read_version = case.status, case.version
    case.status, case.version, case.updated_at = t.target, case.version + 1, now
    for name, value in updates.items():
        if name == "reopen_count":
            case.reopen_count += 1
        else:
            setattr(case, name, value)
    # Clocks first, so that the case row is written once, with its new next due date. If another
    # clerk moved the case meanwhile, the conditional UPDATE below matches nothing and the raised
    # StaleState rolls this whole transaction back, clock changes included.
    _side_effects(t, case, actor, params, clock.today())
    if t.name in _CLOCKS_STOPPED:
        updates["next_due_on"] = case.next_due_on = None
    elif t.name not in _CLOCKS_UNCHANGED:
        updates["next_due_on"] = case.next_due_on = next_due(case)
    won = Case.objects.filter(pk=case.pk, status=from_status, version=read_version).update(
        status=t.target, version=F("version") + 1, updated_at=now, **updates
    )
    if won == 0:
        raise StaleState("该案件已被他人处理，请刷新后重试 / Someone else acted on this case first; reload it.")
    message = str(params.get("reason") or params.get("note") or note or "")
    add_event(
        case=case, kind=t.name, actor=actor, from_status=from_status, to_status=t.target, message=message,
        public_message=t.public_message,
        data={k: str(v) for k, v in params.items() if k in (
            "track", "conclusion", "amount_recovered", "workers_benefited", "satisfaction", "handler",
            "responsible_leader", "agency", "dispute_cause", "outcome")},
    )
    if t.name == "refuse":
        notify_worker(case=case, text=f"您的诉求不予受理，理由：{case.refusal_reason}")
    elif t.name != "assign":
        notify_worker(case=case, text=t.public_message.split(" ")[0])
    return case


@transaction.atomic
def transition(
    *, case_id: int, actor: User, name: str, expected_version: int | None = None, **params: Any
) -> Case:
    """The one way a member of staff moves a case: checks scope, role and state, then updates
    conditionally so that two clerks cannot both take the same step."""
    t = TRANSITIONS.get(name)
    if t is None:
        raise DomainError(f"未知操作 {name} / Unknown action {name}.", code="unknown_action")
    case = get_case_for_update(case_id=case_id, actor=actor)
    check_permitted(t, case, actor)
    return _apply_transition(case=case, t=t, actor=actor, params=params, expected_version=expected_version)


@transaction.atomic
def record_rating(*, case: Case, satisfaction: int, comment: str = "", actor: User | None = None) -> Case:
    """The worker's rating after resolution: 3–5 closes the case; 1–2 reopens it."""
    if not 1 <= satisfaction <= 5:
        raise ValidationError({"satisfaction": ["满意度为1至5分 / Satisfaction is 1 to 5."]})
    case = Case.objects.get(pk=case.pk)
    if case.status not in (Status.RESOLVED, Status.FOLLOW_UP):
        raise TransitionNotAllowed("案件办结后才能评价 / You can rate a case once it is resolved.")
    Case.objects.filter(pk=case.pk).update(satisfaction=satisfaction)
    case.satisfaction = satisfaction
    add_event(case=case, kind="rated", actor=actor, message=comment[:1000],
              data={"satisfaction": satisfaction},
              public_message=f"您的评价：{satisfaction}分 Your rating: {satisfaction}/5")
    if satisfaction >= 3:
        return _apply_transition(case=case, t=TRANSITIONS["close"], actor=actor,
                                 params={"satisfaction": satisfaction})
    case = _apply_transition(case=case, t=TRANSITIONS["reopen"], actor=actor,
                             params={"reason": f"不满意（{satisfaction}分）：{comment}"[:500]})
    for user in (case.responsible_leader, case.handler):
        notify_staff(case=case, user=user, subject=f"案件{case.number}因群众不满意重新办理",
                     body=f"评价{satisfaction}分：{comment}")
    return case
