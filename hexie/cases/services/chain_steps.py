"""The steps of the chain between procedures (rules.md §2, §8), named by the workflow table.

Mediation that fails goes to arbitration in the same file; an award opens the parties' windows to
go to court; a mediation agreement goes to the court for judicial confirmation or a payment order;
an inspection's unpaid order leads to additional compensation or to the police. The case keeps its
parties, amounts and registry links at every step: nothing is typed again.

Like `steps`, the prepare functions check the inputs (a ValidationError names the field) and return
the columns to write; the effects run inside the transition's transaction.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext

from hexie.cases.models import (
    Case,
    CaseType,
    ChainThreshold,
    ClosureConclusion,
    Deadline,
    DeadlineRule,
    DisputeCause,
    Outcome,
    TimelineEvent,
    Track,
)
from hexie.cases.rulecache import get_rules
from hexie.cases.services.clocks import finish_deadlines, start_deadlines
from hexie.cases.services.referrals import open_referral
from hexie.cases.services.step_inputs import _as_amount, _as_id, _require
from hexie.core import clock
from hexie.core.errors import TransitionNotAllowed
from hexie.orgs.models import AgencyKind, OrgLevel, OrgUnit, PartnerAgency, User
from hexie.orgs.scoping import district_of

# What a court did with what the chain brought to it.
COURT_RESULTS: dict[str, str] = {
    "confirmed": "裁定调解协议有效",
    "not_confirmed": "裁定驳回申请",
    "payment_order": "发出支付令",
    "judgment": "作出判决",
    "set_aside": "裁定撤销仲裁裁决",
    "upheld": "驳回撤销申请",
    "withdrawn": "撤回起诉或申请",
    # The employer objected in time: the court ends the payment-order procedure (民事诉讼法 督促程序).
    "objected": "支付令因异议终结督促程序",
}
# What the parties may do after a court result, and the results that open each way (rules.md §8):
# a payment order ended by the employer's objection sends the worker to arbitration first (最高法
# 劳动争议解释（一）第十三条); a refused confirmation lets the parties mediate again or sue (人民调解法
# 第三十三条); an award set aside lets either party sue within 15 days (调解仲裁法 第四十九条).
AFTER_COURT: dict[str, tuple[str, frozenset[str]]] = {
    "arbitration": ("申请劳动争议仲裁", frozenset({"objected"})),
    "mediation": ("重新调解", frozenset({"not_confirmed"})),
}
ROUTES: dict[str, str] = {key: label for key, (label, _results) in AFTER_COURT.items()}
SUE_AFTER: frozenset[str] = frozenset({"not_confirmed", "set_aside"})
# Why mediation ends and the case goes to arbitration (调解仲裁法 Art. 14).
GROUNDS: dict[str, str] = {"failed": "调解不成", "expired": "调解期满未达成协议"}
# The two ways to court after an award, and whose they are.
COURT_ACTIONS: dict[str, str] = {"sue": "起诉", "set_aside": "申请撤销裁决"}
PARTIES: dict[str, str] = {"worker": "劳动者", "employer": "用人单位"}
# The steps of an inspection's order the chain's later steps need first.
ORDER_STEP = "order_payment"


def _running(case: Case, **filters: Any) -> Deadline | None:
    return (case.deadlines.filter(state=Deadline.State.RUNNING, **filters)
            .select_related("rule").order_by("due_on").first())


def threshold(code: str, on: date) -> ChainThreshold:
    """The threshold row in force on a day (the latest effective one)."""
    row = next((t for t in get_rules().chain  # by code, newest first
                if t.code == code and t.effective_from <= on and (t.effective_to is None or t.effective_to >= on)),
               None)
    if row is None:
        raise TransitionNotAllowed(gettext("未配置衔接阈值 %(code)s") % {"code": code})
    return row


def _court(params: dict[str, Any]) -> None:
    """The court the case goes to, when one is named: a partner agency of the court kind."""
    if params.get("agency") in (None, ""):
        return
    agency_id = _as_id(params["agency"], "agency")
    if not PartnerAgency.objects.filter(pk=agency_id, kind=AgencyKind.COURT).exists():
        raise ValidationError({"agency": [gettext("请选择人民法院")]})


def _to_court(case: Case, params: dict[str, Any]) -> dict[str, Any]:
    _court(params)
    params["previous_track"], params["track"] = case.track, Track.COURT
    # The court's own acceptance is not the bureau's to record.
    return {"track": Track.COURT, "track_accepted_at": None}


def _lapsed(d: Deadline | None) -> bool:
    return d is not None and d.due_on < clock.today()


# --- prepare --------------------------------------------------------------------------------------


def mediation_failed(case: Case, actor: User | None, params: dict[str, Any]) -> dict[str, Any]:
    """Mediation ended without agreement ("failed"), or its 15 days ran out ("expired", Art. 14)."""
    ground = _require(params, "ground", gettext("请选择转仲裁事由：调解不成或调解期满"))
    if ground not in GROUNDS:
        raise ValidationError({"ground": [gettext("转仲裁事由无效")]})
    if ground == "expired":
        mediation = _running(case, rule__trigger=DeadlineRule.Trigger.START)
        if mediation is not None and mediation.due_on >= clock.today():
            raise ValidationError({"ground": [
                gettext("调解期限至%(due_on)s届满，尚未期满") % {"due_on": mediation.due_on}]})
    params["previous_track"], params["track"], params["ground"] = case.track, Track.ARBITRATION, GROUNDS[ground]
    # An application the commission has yet to accept (`application_pending` records when it does).
    return {"track": Track.ARBITRATION, "track_accepted_at": None}


def application_pending(case: Case, actor: User | None, params: dict[str, Any]) -> dict[str, Any]:
    """Only an application the commission has not yet decided on can be accepted.

    The commission's acceptance starts the arbitration clocks (from today); it is kept on the
    timeline (``accepted_on``) and as the case's acceptance onto its track (``track_accepted_at``),
    which the arbitration statistics count by. The file's own registration and first acceptance
    dates stay as they were: the case was accepted by the bureau when it came in, and moving along
    the chain re-registers nothing."""
    if _running(case, rule__ends_on=DeadlineRule.Ends.DECISION) is None:
        raise TransitionNotAllowed(gettext("该案没有待受理的仲裁申请"))
    params["accepted_on"] = clock.today().isoformat()
    return {"track_accepted_at": clock.now()}


def award_made(case: Case, actor: User | None, params: dict[str, Any]) -> dict[str, Any]:
    """The award: who it favours, whether it is final (Art. 47), the amount awarded."""
    outcome = _require(params, "outcome", gettext("请选择裁决结果"))
    if outcome not in Outcome.values:
        raise ValidationError({"outcome": [gettext("裁决结果无效")]})
    final = str(params.get("final", "")).lower() in ("1", "true", "on", "yes")
    params["final"] = "终局裁决" if final else "非终局裁决"
    params["clock_variants"] = ["final"] if final else []
    amount = _as_amount(params.get("amount_recovered") or 0, "amount_recovered", gettext("裁决金额无效"))
    cause = params.get("dispute_cause") or case.dispute_cause
    if cause and cause not in DisputeCause.values:
        raise ValidationError({"dispute_cause": [gettext("争议原因无效")]})
    return {"closure_conclusion": ClosureConclusion.AWARDED, "outcome": outcome, "amount_recovered": amount,
            "dispute_cause": cause, "resolved_at": clock.now()}


def confirmation_application(case: Case, actor: User | None, params: dict[str, Any]) -> dict[str, Any]:
    """A mediation agreement, within 30 days of taking effect (人民调解法 Art. 33)."""
    if case.closure_conclusion != ClosureConclusion.MEDIATED:
        raise TransitionNotAllowed(gettext("只有达成调解协议的案件才能申请司法确认"))
    if case.track == Track.COURT:
        raise TransitionNotAllowed(gettext("案件已提交人民法院"))
    window = case.deadlines.filter(rule__starts_with="resolve.mediated").select_related("rule").order_by(
        "-starts_on").first()
    if window is not None and window.due_on < clock.today():
        raise ValidationError({"agency": [
            gettext("调解协议生效之日起三十日内申请司法确认，已于%(due_on)s届满") % {"due_on": window.due_on}]})
    return _to_court(case, params)


def payment_order_application(case: Case, actor: User | None, params: dict[str, Any]) -> dict[str, Any]:
    """A wage (pay) mediation agreement the employer does not honour (调解仲裁法 Art. 16)."""
    if case.closure_conclusion != ClosureConclusion.MEDIATED:
        raise TransitionNotAllowed(gettext("只有达成调解协议的案件才能申请支付令"))
    if case.case_type != CaseType.WAGE_ARREARS and case.dispute_cause != DisputeCause.PAY:
        raise TransitionNotAllowed(gettext("支付令只适用于支付拖欠劳动报酬等事项的调解协议"))
    if case.track == Track.COURT:
        raise TransitionNotAllowed(gettext("案件已提交人民法院"))
    return _to_court(case, params)


def court_after_award(case: Case, actor: User | None, params: dict[str, Any]) -> dict[str, Any]:
    """A party goes to court within its window: the worker sues within 15 days (Arts. 48, 50), the
    employer applies to set a final award aside within 30 days (Art. 49) or sues a non-final one."""
    if case.closure_conclusion != ClosureConclusion.AWARDED:
        raise TransitionNotAllowed(gettext("只有作出仲裁裁决的案件才能就裁决诉至法院"))
    if case.track == Track.COURT:
        raise TransitionNotAllowed(gettext("案件已提交人民法院"))
    party = _require(params, "party", gettext("请选择提出的一方"))
    if party not in PARTIES:
        raise ValidationError({"party": [gettext("当事人无效")]})
    action = _require(params, "court_action", gettext("请选择起诉或申请撤销"))
    if action not in COURT_ACTIONS:
        raise ValidationError({"court_action": [gettext("诉讼方式无效")]})
    windows = case.deadlines.filter(rule__trigger=DeadlineRule.Trigger.STEP, rule__starts_with__startswith="award")
    final = windows.filter(rule__starts_with="award.final").exists()
    if action == "set_aside" and (party != "employer" or not final):
        raise ValidationError({"court_action": [gettext("只有用人单位可以申请撤销终局裁决")]})
    if action == "sue" and party == "employer" and final:
        raise ValidationError({"court_action": [gettext("终局裁决对用人单位发生法律效力，用人单位只能申请撤销")]})
    window = windows.filter(rule__starts_with="award.final" if action == "set_aside" else "award").order_by(
        "-starts_on").select_related("rule").first()
    if window is not None and _lapsed(window):
        raise ValidationError({"court_action": [
            gettext("%(step)s已于%(due_on)s届满（%(basis)s）") % {
                "step": window.rule.step, "due_on": window.due_on, "basis": window.rule.basis}]})
    params["party"], params["court_action"] = PARTIES[party], COURT_ACTIONS[action]
    return _to_court(case, params)


def court_ruling(case: Case, actor: User | None, params: dict[str, Any]) -> dict[str, Any]:
    """What the court decided, one of `COURT_RESULTS`; a result that opens the parties' window
    (an award set aside: 15 days to sue) starts its clock."""
    result = _require(params, "result", gettext("请选择法院处理结果"))
    if result not in COURT_RESULTS:
        raise ValidationError({"result": [gettext("法院处理结果无效")]})
    params["result"], params["clock_variants"] = COURT_RESULTS[result], [result]
    return {}


def last_court_result(case: Case) -> str:
    """The key of the court's latest result on the case ("" when none was recorded)."""
    event = case.events.filter(kind="court_result").order_by("-at", "-id").first()
    label = (event.data or {}).get("result", "") if event is not None else ""
    return next((k for k, v in COURT_RESULTS.items() if v == label), "")


def after_court(case: Case, actor: User | None, params: dict[str, Any]) -> dict[str, Any]:
    """After the court's result the same file goes on: to arbitration after a payment order ended by
    objection, back to mediation after a refused confirmation. The resolution is undone (the case is
    handled again), the file's dates stay; the new track's clocks start today."""
    route = _require(params, "route", gettext("请选择后续途径"))
    if route not in AFTER_COURT:
        raise ValidationError({"route": [gettext("后续途径无效")]})
    label, opened_by = AFTER_COURT[route]
    result = last_court_result(case)
    if result not in opened_by:
        raise TransitionNotAllowed(gettext("法院处理结果为“%(result)s”，不能%(route)s") % {
            "result": COURT_RESULTS.get(result, gettext("未登记")), "route": label})
    track = Track.ARBITRATION if route == "arbitration" else Track.MEDIATION
    params["previous_track"], params["track"], params["route"] = case.track, track, label
    params["clock_variants"] = [route]
    # Mediation takes the case again today; the commission has yet to accept the arbitration.
    accepted = clock.now() if track == Track.MEDIATION else None
    return {"track": track, "track_accepted_at": accepted, "resolved_at": None, "closure_conclusion": "",
            "outcome": ""}


def sue_after_ruling(case: Case, actor: User | None, params: dict[str, Any]) -> dict[str, Any]:
    """A party sues after a refused confirmation, or within 15 days of an award set aside (Art. 49)."""
    result = last_court_result(case)
    if result not in SUE_AFTER:
        raise TransitionNotAllowed(gettext("法院处理结果为“%(result)s”，不能就此起诉") % {
            "result": COURT_RESULTS.get(result, gettext("未登记"))})
    party = _require(params, "party", gettext("请选择提出的一方"))
    if party not in PARTIES:
        raise ValidationError({"party": [gettext("当事人无效")]})
    window = (case.deadlines.filter(rule__starts_with=f"court_result.{result}").select_related("rule")
              .order_by("-starts_on").first())
    if window is not None and _lapsed(window):
        raise ValidationError({"party": [gettext("%(step)s已于%(due_on)s届满（%(basis)s）") % {
            "step": window.rule.step, "due_on": window.due_on, "basis": window.rule.basis}]})
    _court(params)
    params["party"], params["court_action"] = PARTIES[party], COURT_ACTIONS["sue"]
    return {}


def _order_given(case: Case) -> TimelineEvent:
    order = case.events.filter(kind=ORDER_STEP).order_by("-at", "-id").first()
    if order is None:
        raise TransitionNotAllowed(gettext("须先责令用人单位限期支付"))
    return order


def payment_ordered(case: Case, actor: User | None, params: dict[str, Any]) -> dict[str, Any]:
    """An order to pay what is owed by a date (劳动保障监察条例 Art. 26)."""
    owed = _as_amount(_require(params, "amount_owed", gettext("请填写应付金额")), "amount_owed",
                      gettext("应付金额无效"))
    if owed <= 0:
        raise ValidationError({"amount_owed": [gettext("应付金额须大于零")]})
    days = int(str(params.get("pay_within_days") or 0) or 0)
    if not 1 <= days <= 90:
        raise ValidationError({"pay_within_days": [gettext("支付期限为1至90日")]})
    params["amount_owed"], params["pay_by"] = str(owed), (clock.today() + timedelta(days=days)).isoformat()
    return {}


def compensation_ordered(case: Case, actor: User | None, params: dict[str, Any]) -> dict[str, Any]:
    """The order was not paid by its date: additional compensation at a rate in the threshold's range."""
    order = _order_given(case)
    if order.data.get("pay_by") and date.fromisoformat(order.data["pay_by"]) >= clock.today():
        raise TransitionNotAllowed(gettext("责令支付期限至%(pay_by)s，尚未逾期") % {"pay_by": order.data["pay_by"]})
    rule = threshold("inspection.additional_compensation", clock.today())
    rate = _as_amount(_require(params, "rate", gettext("请填写加付比例")), "rate", gettext("加付比例无效"))
    if not rule.within(rate):
        raise ValidationError({"rate": [gettext("加付比例须在%(low)s%%至%(high)s%%之间（%(basis)s）") % {
            "low": rule.low, "high": rule.high, "basis": rule.basis}]})
    owed = Decimal(order.data.get("amount_owed") or "0")
    params.update(rate=str(rate), amount_owed=str(owed), compensation=str((owed * rate / 100).quantize(Decimal("0.01"))),
                  basis=rule.basis)
    return {}


def police_referral(case: Case, actor: User | None, params: dict[str, Any]) -> dict[str, Any]:
    """Refusing to pay after an order, above the criminal threshold (刑法 Art. 276-1; 法释〔2013〕3号 Art. 3):
    one worker owed at least the single-worker amount, or ten or more workers owed the collective amount."""
    _order_given(case)
    agency_id = _as_id(_require(params, "agency", gettext("请选择公安机关")), "agency")
    if not PartnerAgency.objects.filter(pk=agency_id, kind=AgencyKind.POLICE).exists():
        raise ValidationError({"agency": [gettext("请选择公安机关")]})
    today = clock.today()
    owed = _as_amount(_require(params, "amount_owed", gettext("请填写拒不支付的金额")), "amount_owed",
                      gettext("金额无效"))
    largest = _as_amount(params.get("largest_owed") or (owed if case.workers_count <= 1 else 0), "largest_owed",
                         gettext("金额无效"))
    single, collective = threshold("police.one_worker", today), threshold("police.ten_workers", today)
    workers = threshold("police.workers", today)
    if not (largest >= single.low or (case.workers_count >= workers.low and owed >= collective.low)):
        raise ValidationError({"amount_owed": [
            gettext("未达涉嫌犯罪移送标准：拒不支付一名劳动者%(single)s元以上，或%(workers).0f名以上劳动者合计"
                    "%(collective)s元以上（%(basis)s）") % {
                "single": single.low, "workers": workers.low, "collective": collective.low,
                "basis": single.basis}]})
    params["previous_track"], params["track"] = case.track, Track.REFERRAL
    params["amount_owed"], params["threshold"] = str(owed), single.basis
    # Whether the police open a case (立案) is theirs to decide and not recorded here.
    return {"track": Track.REFERRAL, "track_accepted_at": None}


def body_chosen(case: Case, actor: User | None, params: dict[str, Any]) -> dict[str, Any]:
    """A mediation body or service station in the case's district (the mediation network)."""
    body_id = _as_id(_require(params, "body", gettext("请选择调解组织或服务站")),
                     "body")
    district = district_of(case.org_unit)
    body = OrgUnit.objects.filter(pk=body_id, level__in=[OrgLevel.MEDIATION_BODY, OrgLevel.STATION]).first()
    if body is None or district is None or not body.is_within(district):
        raise ValidationError({"body": [gettext("调解组织不存在或不在本案所在区县")]})
    params["body"] = body.name
    return {"mediation_body": body}


# --- effects --------------------------------------------------------------------------------------


def finish_track_clocks(case: Case, actor: User | None, params: dict[str, Any], today: date) -> None:
    """The old track's clocks finish, met on time or late: the procedure ended, agreed or not."""
    finish_deadlines(case=case, ends_on=None, state=Deadline.State.MET, today=today,
                     trigger=DeadlineRule.Trigger.START)


def start_step_clocks(case: Case, actor: User | None, params: dict[str, Any], today: date) -> None:
    """The clocks whose rule names this step (or this step with one of its variants), from today."""
    step = str(params.get("step") or "")
    names = {step, *(f"{step}.{v}" for v in params.get("clock_variants") or [])}
    start_deadlines(case=case, trigger=DeadlineRule.Trigger.STEP, on=today, starts_with=names)


def meet_court_windows(case: Case, actor: User | None, params: dict[str, Any], today: date) -> None:
    """Going to court closes the parties' windows to go there (or the court's clock, when it decides)."""
    finish_deadlines(case=case, ends_on=DeadlineRule.Ends.COURT, state=Deadline.State.MET, today=today)


def start_after_court_clocks(case: Case, actor: User | None, params: dict[str, Any], today: date) -> None:
    """Back to mediation: the mediation clocks start again from today; to arbitration: the
    commission's acceptance clock (the award clock starts when it accepts)."""
    if case.track == Track.MEDIATION:
        start_deadlines(case=case, trigger=DeadlineRule.Trigger.START, on=today)
    else:
        start_step_clocks(case, actor, params, today)


def refer_to_court(case: Case, actor: User | None, params: dict[str, Any], today: date) -> None:
    """The court named, if any, receives the case as a referral it can read and answer."""
    if params.get("agency") not in (None, ""):
        open_referral(case=case, agency_id=int(str(params["agency"])), actor=actor, note=str(params.get("note", "")))


PREPARE = (mediation_failed, application_pending, award_made, confirmation_application, payment_order_application,
           court_after_award, court_ruling, after_court, sue_after_ruling, payment_ordered, compensation_ordered,
           police_referral, body_chosen)
EFFECTS = (finish_track_clocks, start_step_clocks, meet_court_windows, refer_to_court, start_after_court_clocks)
