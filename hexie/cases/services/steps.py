"""What each step of the workflow does besides moving the status: the functions the transition table
in `hexie.cases.workflow` names.

A *prepare* function checks a step's inputs, raising a ValidationError that names the field, and
returns the columns the step writes on the case. An *effect* runs once the case holds those columns,
before the case row is written: it starts, stops or pauses clocks, refers the case, tells staff.
Both run inside `services.transition`'s transaction, so a refused step leaves nothing behind.

The steps that choose a track also note the track the case was on (``params["previous_track"]``):
the effects compare it with the new one, and the timeline entry keeps both.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.utils import timezone, translation
from django.utils.translation import gettext

from hexie.cases.models import (
    Case,
    ClosureConclusion,
    Deadline,
    DeadlineRule,
    DisputeCause,
    Outcome,
    Track,
)
from hexie.cases.services import chain_steps
from hexie.cases.services.clocks import (
    finish_deadlines,
    pause_deadlines,
    resume_deadlines,
    start_deadlines,
    switch_track_deadlines,
    track_clocks_running,
)
from hexie.cases.services.intake import MAX_AMOUNT
from hexie.cases.services.referrals import open_referral
from hexie.cases.services.step_inputs import _as_id, _require
from hexie.cases.services.timeline import notify_staff
from hexie.cases.workflow import DEFAULT_TRACK, TRACKS_FOR_TYPE, TRANSITIONS
from hexie.core import clock
from hexie.orgs.models import PartnerAgency, Role, User
from hexie.orgs.scoping import HANDLERS, restrict

Prepare = Callable[[Case, User | None, dict[str, Any]], dict[str, Any]]
Effect = Callable[[Case, User | None, dict[str, Any], date], None]

# --- prepare: inputs → columns -------------------------------------------------------------------


def acceptance(case: Case, actor: User | None, params: dict[str, Any]) -> dict[str, Any]:
    """Acceptance puts the case on a track: the one chosen, or its type's default."""
    if not params.get("track"):
        params["track"] = DEFAULT_TRACK.get(case.case_type, "")
    now = clock.now()
    return {"accepted_at": now, "track_accepted_at": now, **_track(case, params)}


def refusal(case: Case, actor: User | None, params: dict[str, Any]) -> dict[str, Any]:
    reason = _require(params, "reason", gettext("请填写不予受理理由"))
    return {"refusal_reason": str(reason), "refused_at": clock.now()}


def assignment(case: Case, actor: User | None, params: dict[str, Any]) -> dict[str, Any]:
    """A handler and a responsible leader (包案领导), both active and in the assigning leader's jurisdiction."""
    assert actor is not None
    handler_id = _as_id(_require(params, "handler", gettext("请选择承办人")), "handler")
    leader_id = _as_id(_require(params, "responsible_leader", gettext("请选择包案领导")),
                       "responsible_leader")
    # single: two rows picked by key, the org tree joined in the same statement (no unit-id look-up first).
    people = {u.pk: u for u in restrict(User.objects.filter(is_active=True, pk__in=[handler_id, leader_id]), actor,
                                         single=True)}
    handler, leader = people.get(handler_id), people.get(leader_id)
    if handler is None or handler.role not in HANDLERS:
        raise ValidationError({"handler": [gettext("承办人不存在或不在辖区内")]})
    if leader is None or leader.role != Role.LEADER:
        raise ValidationError({"responsible_leader": [
            gettext("包案领导不存在或不在辖区内")]})
    return {"handler": handler, "responsible_leader": leader}


def track_kept_or_changed(case: Case, actor: User | None, params: dict[str, Any]) -> dict[str, Any]:
    """The track the case is on, unless another is chosen (a case accepted before tracks were chosen
    at acceptance has none, and must choose one)."""
    if not params.get("track") and case.track:
        params["track"] = case.track
    return _track(case, params)


def track_change(case: Case, actor: User | None, params: dict[str, Any]) -> dict[str, Any]:
    """Another track than the one the case is on."""
    if params.get("track") and params["track"] == case.track:
        raise ValidationError({"track": [gettext("案件已在该办理途径")]})
    return _track(case, params)


def _track(case: Case, params: dict[str, Any]) -> dict[str, Any]:
    """A track that fits the case type; moving to the referral track also names a partner agency."""
    track = _require(params, "track", gettext("请选择办理途径"))
    fitting = sorted(TRACKS_FOR_TYPE.get(case.case_type, ()))
    if track not in fitting:
        kind = str(case.get_case_type_display())
        labels = "、".join(str(Track(t).label) for t in fitting)
        raise ValidationError({"track": [
            gettext("%(kind)s案件不能走此办理途径（%(track)s），可选：%(labels)s") % {
                "kind": kind, "labels": labels, "track": track}]})
    if track == Track.REFERRAL and case.track != Track.REFERRAL:
        agency_id = _as_id(_require(params, "agency", gettext("请选择联动单位")), "agency")
        if not PartnerAgency.objects.filter(pk=agency_id).exists():
            raise ValidationError({"agency": [gettext("联动单位不存在")]})
    params["previous_track"] = case.track
    if case.track and track != case.track:
        # The new track's body receives and takes the case today, as its clocks count.
        return {"track": track, "track_accepted_at": clock.now()}
    return {"track": track}


def reason_given(case: Case, actor: User | None, params: dict[str, Any]) -> dict[str, Any]:
    """Only a reason, which goes to the timeline, not to a column."""
    _require(params, "reason", gettext("请填写理由"))
    return {}


def reopening(case: Case, actor: User | None, params: dict[str, Any]) -> dict[str, Any]:
    """A reason; the resolution is undone and the case counts one more reopening."""
    updates = reason_given(case, actor, params)
    # A plain value rather than F("reopen_count") + 1: the conditional UPDATE only matches the
    # version this count was read with, so no other write can have changed it in between.
    updates.update(reopen_count=case.reopen_count + 1, resolved_at=None, closure_conclusion="",
                   satisfaction=None)
    return updates


def resolution(case: Case, actor: User | None, params: dict[str, Any]) -> dict[str, Any]:
    """The conclusion, and what it brought: the amount recovered, workers benefited, cause and outcome."""
    now = clock.now()
    conclusion = _require(params, "conclusion", gettext("请选择办结结论"))
    if conclusion not in ClosureConclusion.values:
        raise ValidationError({"conclusion": [gettext("办结结论无效")]})
    amount = Decimal(str(params.get("amount_recovered") or "0"))
    if amount < 0 or amount > MAX_AMOUNT:
        raise ValidationError({"amount_recovered": [gettext("追回金额无效")]})
    benefited = int(params.get("workers_benefited") or 0)
    if benefited < 0 or benefited > max(case.workers_count, 1) * 10:
        raise ValidationError({"workers_benefited": [gettext("受益人数无效")]})
    resolved: dict[str, Any] = {"closure_conclusion": conclusion, "amount_recovered": amount,
                                "workers_benefited": benefited, "resolved_at": now}
    # Cause and outcome feed the arbitration statistics table (rules.md §6). Both are optional;
    # the outcome belongs to this resolution (a later one replaces it), the cause to the dispute
    # (kept when a later resolution does not restate it).
    cause = params.get("dispute_cause") or ""
    if cause:
        if cause not in DisputeCause.values:
            raise ValidationError({"dispute_cause": [gettext("争议原因无效")]})
        resolved["dispute_cause"] = cause
    outcome = params.get("outcome") or ""
    if outcome and outcome not in Outcome.values:
        raise ValidationError({"outcome": [gettext("裁决结果无效")]})
    resolved["outcome"] = outcome
    # A mediation agreement opens the window to apply for judicial confirmation (a "resolve.mediated" clock).
    params["clock_variants"] = [conclusion]
    return resolved


def closing(case: Case, actor: User | None, params: dict[str, Any]) -> dict[str, Any]:
    """The worker's satisfaction, when it is known."""
    updates: dict[str, Any] = {"closed_at": clock.now()}
    raw = params.get("satisfaction")
    if raw not in (None, ""):
        sat = int(str(raw))
        if not 1 <= sat <= 5:
            raise ValidationError({"satisfaction": [gettext("满意度为1至5分")]})
        updates["satisfaction"] = sat
    return updates


# --- effects: clocks, referrals, staff -------------------------------------------------------------


def meet_decision_clocks(case: Case, actor: User | None, params: dict[str, Any], today: date) -> None:
    """Deciding to accept or refuse meets the clocks that run until that decision."""
    finish_deadlines(case=case, ends_on=DeadlineRule.Ends.DECISION, state=Deadline.State.MET, today=today)


def meet_resolution_clocks(case: Case, actor: User | None, params: dict[str, Any], today: date) -> None:
    finish_deadlines(case=case, ends_on=DeadlineRule.Ends.RESOLUTION, state=Deadline.State.MET, today=today)


def cancel_clocks(case: Case, actor: User | None, params: dict[str, Any], today: date) -> None:
    """Whatever still runs or is paused will never be met: the case is refused or closed."""
    finish_deadlines(case=case, ends_on=None, state=Deadline.State.CANCELLED, today=today)


def start_acceptance_clocks(case: Case, actor: User | None, params: dict[str, Any], today: date) -> None:
    start_deadlines(case=case, trigger=DeadlineRule.Trigger.ACCEPT, on=today)


def enter_track(case: Case, actor: User | None, params: dict[str, Any], today: date) -> None:
    """On acceptance, the clocks of the track the case is accepted onto: from acceptance, or from
    receipt where the rule counts from receipt (mediation)."""
    start_deadlines(case=case, trigger=DeadlineRule.Trigger.START, on=today,
                    received_on=timezone.localtime(case.received_at).date())


def switch_track(case: Case, actor: User | None, params: dict[str, Any], today: date) -> None:
    """After acceptance: a kept track keeps its clocks; a new track finishes the old track's clocks
    and starts its own from today."""
    switch_track_deadlines(case=case, previous_track=str(params.get("previous_track") or ""), today=today,
                           running=getattr(case, "track_clocks_running", None))


def start_track_clocks(case: Case, actor: User | None, params: dict[str, Any], today: date) -> None:
    """The clocks of the case's track, started again from today (a reopened case)."""
    start_deadlines(case=case, trigger=DeadlineRule.Trigger.START, on=today)


def pause_clocks(case: Case, actor: User | None, params: dict[str, Any], today: date) -> None:
    pause_deadlines(case=case, today=today)


def resume_clocks(case: Case, actor: User | None, params: dict[str, Any], today: date) -> None:
    resume_deadlines(case=case, today=today)


def refer_to_agency(case: Case, actor: User | None, params: dict[str, Any], today: date) -> None:
    """On moving to the referral track, the referral to the agency that `_track` checked."""
    if case.track == Track.REFERRAL and params.get("previous_track") != Track.REFERRAL:
        open_referral(case=case, agency_id=int(str(params["agency"])), actor=actor,
                      note=str(params.get("note", "")))


def tell_handler(case: Case, actor: User | None, params: dict[str, Any], today: date) -> None:
    # Staff mail is written in the bureau's language, like the case file it points to.
    with translation.override(settings.LANGUAGE_CODE):
        subject = gettext("新交办案件 %(number)s") % {"number": case.number}
        body = gettext("案件%(number)s已交办给您，请及时办理。") % {"number": case.number}
    notify_staff(case=case, user=case.handler, subject=subject, body=body)


# What an effect needs to know about the case's file, read by the statement that reads the case
# (``services.transition``): one round trip less for the step. Columns the case does not have, by name.
READS: dict[str, Callable[[], dict[str, Any]]] = {
    "switch_track": lambda: {"track_clocks_running": track_clocks_running()},
}

# The effects that neither read nor change the clocks already on the case (they start clocks, refer,
# tell): what an earlier effect of the step wrote to the clocks may still be held back for the case row's
# statement when they run. Before any other effect they are written.
CLOCKS_UNREAD = frozenset({"start_acceptance_clocks", "enter_track", "start_track_clocks", "start_step_clocks",
                           "refer_to_agency", "tell_handler"})

# The names the table may use, each the function's own name.
PREPARE: dict[str, Prepare] = {f.__name__: f for f in (
    acceptance, refusal, assignment, track_kept_or_changed, track_change, reason_given, reopening, resolution,
    closing, *chain_steps.PREPARE,
)}
EFFECTS: dict[str, Effect] = {f.__name__: f for f in (
    meet_decision_clocks, meet_resolution_clocks, cancel_clocks, start_acceptance_clocks, enter_track,
    switch_track, start_track_clocks, pause_clocks, resume_clocks, refer_to_agency, tell_handler,
    *chain_steps.EFFECTS,
)}


def _check_table() -> None:
    """Refuse to load when the table names a function that is not here: at start-up, not on a click."""
    for t in TRANSITIONS.values():
        unknown = [n for n in [t.prepare] if n and n not in PREPARE] + [n for n in t.effects if n not in EFFECTS]
        if unknown:
            raise ImproperlyConfigured(f"transition {t.name!r} names unknown steps: {', '.join(unknown)}")


_check_table()
