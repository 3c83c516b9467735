"""The case workflow as one declarative table (DESIGN principle 3).

A transition names the states it may start from, the state it leads to, the roles that may take
it and what the worker is told; and what it does on the way: the inputs it checks and the columns
they fill (`prepare`), what it does to the case's clocks, referrals and staff (`effects`), and what
becomes of the case's next due date (`next_due`). `services.transition` is the only code that moves
a case, and it reads all of this here: it never tests a transition's name.

Which clock runs when (rules.md §2). Every open case that is not suspended has a running clock:

* registered: the acceptance clock of its type, started on intake (`DeadlineRule.Trigger.INTAKE`),
  from the day of receipt: a wage complaint 5 working days (labour inspection), a labour dispute
  5 days (the arbitration commission), a petition 15 days, a consultation the local period;
* accept: meets the acceptance clock and puts the case on a track (`track`, by default
  `DEFAULT_TRACK` of its type; one of `TRACKS_FOR_TYPE`). The track's handling clocks (`START`)
  start now, counted from acceptance (立案/受理), or from receipt where the rule says so
  (mediation, a consultation's answer); clocks of `ACCEPT` (the quick close of a simple clue) too;
* assign: no clock changes; the case is already on its track's clock while it waits;
* start_handling keeps the track, or changes it; transfer_track changes it while in handling.
  A change finishes the old track's clocks (met, on time or late) and starts the new track's
  clocks counted from the day of the change: the new body receives and takes the case that day.
  A change to the referral track refers the case to the partner agency it names;
* suspend pauses every running clock and resume runs them again, moved on by the pause;
* resolve meets the handling clocks; reopen starts the track's clocks again from that day;
  refuse and close cancel whatever still runs.

The chain between procedures (rules.md §2, §8): one file, nothing typed again. Steps of the chain
are allowed only on the tracks they name (`tracks`), and start the clocks whose rule names the step
(`DeadlineRule.Trigger.STEP`, `starts_with`):

* to_arbitration: mediation failed, or its 15 days ran out (Art. 14): the mediation clock finishes
  (met, on time or late) and the arbitration commission's acceptance clock starts (5 days, Art. 29);
* accept_application: the commission accepts: the acceptance clock is met and the award clock starts
  from acceptance (45 days, Art. 43);
* award: resolves the case, and opens the parties' windows: the worker may sue within 15 days
  (Arts. 48, 50), the employer may apply to set a final award aside within 30 days (Art. 49);
* resolve with a mediation agreement opens the 30-day window to apply for judicial confirmation
  (人民调解法 Art. 33); apply_confirmation and apply_payment_order (调解仲裁法 Art. 16) take the case
  to the court, go_to_court after an award; each closes the parties' windows and refers the case to
  the court it names; court_result records what the court decided (an award set aside opens the
  parties' 15 days to sue, Art. 49);
* after a court result the same file goes on: after_court takes it to arbitration when a payment
  order ended on the employer's objection (最高法劳动争议解释（一）第十三条: arbitration first), or back
  to mediation when the confirmation was refused (人民调解法 Art. 33), the new track's clocks from
  that day; sue_after_court records a party suing after a refused confirmation or within the 15
  days after an award set aside;
* route_to_body: a case on the mediation track goes to a mediation body or service station of its
  district (the mediation network), whose coordinators answer it there; its clocks run on;
* order_payment, additional_compensation and refer_police: an inspection's order to pay, the
  additional compensation when it is not paid (Art. 26), the referral to the police above the
  criminal threshold (刑法 Art. 276-1) — thresholds are `ChainThreshold` rows.

A party's window (`DeadlineRule.binds_party`) is not the bureau's time limit: it may run on a
resolved case, and its passing makes nothing late.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

from hexie.cases.models import CaseType, ClosureConclusion, Status, Track
from hexie.orgs.models import Role
from hexie.orgs.scoping import BUREAU_STAFF, HANDLING, LEADERS

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

S = Status
# Every track but the court's: the steps that take a case to court.
_BEFORE_COURT = frozenset(Track.values) - {Track.COURT}

# The tracks each type of case may take, and the one it takes unless the clerk chooses another:
# the body that accepts it is the body whose procedure it follows.
TRACKS_FOR_TYPE: dict[str, frozenset[str]] = {
    CaseType.WAGE_ARREARS: frozenset({Track.INSPECTION, Track.MEDIATION, Track.ARBITRATION, Track.REFERRAL}),
    CaseType.LABOUR_DISPUTE: frozenset({Track.ARBITRATION, Track.MEDIATION, Track.INSPECTION, Track.REFERRAL}),
    CaseType.PETITION: frozenset({Track.PETITION, Track.INSPECTION, Track.MEDIATION, Track.ARBITRATION,
                                  Track.REFERRAL}),
    CaseType.CONSULTATION: frozenset({Track.CONSULTATION, Track.MEDIATION, Track.INSPECTION, Track.REFERRAL}),
}
# How a case on each track can end (办结结论): an award only comes out of arbitration, an order
# out of inspection; the resolve form offers the conclusions of the case's own track.
CONCLUSIONS_FOR_TRACK: dict[str, tuple[str, ...]] = {
    Track.INSPECTION: (ClosureConclusion.PAID_IN_FULL, ClosureConclusion.PAID_IN_PART, ClosureConclusion.ORDER_ISSUED,
                       ClosureConclusion.NOT_SUBSTANTIATED, ClosureConclusion.REFERRED_CLOSED,
                       ClosureConclusion.TO_COURT, ClosureConclusion.WITHDRAWN),
    Track.MEDIATION: (ClosureConclusion.MEDIATED, ClosureConclusion.PAID_IN_FULL, ClosureConclusion.PAID_IN_PART,
                      ClosureConclusion.NOT_SUBSTANTIATED, ClosureConclusion.TO_COURT, ClosureConclusion.WITHDRAWN),
    Track.ARBITRATION: (ClosureConclusion.AWARDED, ClosureConclusion.MEDIATED, ClosureConclusion.WITHDRAWN),
    Track.PETITION: (ClosureConclusion.PAID_IN_FULL, ClosureConclusion.PAID_IN_PART, ClosureConclusion.ANSWERED,
                     ClosureConclusion.REFERRED_CLOSED, ClosureConclusion.NOT_SUBSTANTIATED,
                     ClosureConclusion.WITHDRAWN),
    Track.REFERRAL: (ClosureConclusion.REFERRED_CLOSED, ClosureConclusion.TO_COURT, ClosureConclusion.WITHDRAWN),
    Track.CONSULTATION: (ClosureConclusion.ANSWERED, ClosureConclusion.WITHDRAWN),
}
#: Whatever its track, a consultation is concluded by answering it.
CONSULTATION_CONCLUSION = ClosureConclusion.ANSWERED
#: The statuses in which a case's file still takes new evidence (a refused or closed file is final).
EVIDENCE_STATUSES = frozenset(s for s in Status if s not in (Status.REFUSED, Status.CLOSED))

DEFAULT_TRACK: dict[str, str] = {
    CaseType.WAGE_ARREARS: Track.INSPECTION,
    CaseType.LABOUR_DISPUTE: Track.ARBITRATION,
    CaseType.PETITION: Track.PETITION,
    CaseType.CONSULTATION: Track.CONSULTATION,
}


class NextDue(StrEnum):
    """What a transition does to the case's next due date, the column the queue sorts on."""

    RECOMPUTE = "recompute"  # read again from the clocks still running
    UNCHANGED = "unchanged"  # no clock started, stopped or moved
    STOPPED = "stopped"  # none runs afterwards: cancelled (refused, closed) or paused (suspended)


@dataclass(frozen=True)
class Transition:
    """One step of the workflow, and everything it does besides moving the status."""

    name: str
    label: StrOrPromise
    sources: frozenset[str]
    target: str
    roles: frozenset[str]
    public_message: StrOrPromise
    # Handlers may take this transition only on cases assigned to them.
    own_cases_only_for_handlers: bool = True
    # The step's own work, by the names of the functions in `hexie.cases.services.steps` that do it:
    # `prepare` checks the inputs and returns the columns to write; `effects` run in order once the
    # case holds them. Names, not the functions themselves, because the services import this table
    # and the functions use the services: importing them here would be an import cycle. The steps
    # module checks every name against this table when it loads, so a misspelt one fails at start-up.
    prepare: str = ""
    effects: tuple[str, ...] = ()
    next_due: NextDue = NextDue.RECOMPUTE
    # The tracks the case must be on (empty: any): a step of the chain belongs to one procedure.
    tracks: frozenset[str] = frozenset()
    # The conclusions a resolved case must have been resolved with (empty: any): the court steps
    # rest on an agreement or an award.
    conclusions: frozenset[str] = frozenset()
    # The SMS to the worker, "{case.<column>}" filled in from the moved case; by default the Chinese
    # half of the public message. None sends nothing.
    sms: str | None = ""

    def worker_sms(self) -> StrOrPromise | None:
        """The SMS template for the worker, or None when the worker is not told of this step (lazy:
        the text is written in the bureau's language when the message is queued)."""
        if self.sms is None:
            return None
        return self.sms or self.public_message


TRANSITIONS: dict[str, Transition] = {
    t.name: t
    for t in [
        Transition("accept", _("受理"), frozenset({S.REGISTERED}), S.ACCEPTED, BUREAU_STAFF,
                   _("您的诉求已受理"),
                   prepare="acceptance",
                   effects=("meet_decision_clocks", "refer_to_agency", "start_acceptance_clocks", "enter_track")),
        Transition("refuse", _("不予受理"), frozenset({S.REGISTERED}), S.REFUSED, BUREAU_STAFF,
                   _("您的诉求不予受理，原因已告知"),
                   prepare="refusal", effects=("meet_decision_clocks", "cancel_clocks"),
                   next_due=NextDue.STOPPED,
                   sms="您的诉求不予受理，理由：{case.refusal_reason}"),
        Transition("assign", _("交办"), frozenset({S.ACCEPTED, S.ASSIGNED}), S.ASSIGNED, LEADERS,
                   _("已确定承办人"),
                   prepare="assignment", effects=("tell_handler",), next_due=NextDue.UNCHANGED, sms=None),
        Transition("start_handling", _("开始办理"), frozenset({S.ASSIGNED}), S.IN_HANDLING,
                   HANDLING, _("正在办理"),
                   prepare="track_kept_or_changed", effects=("refer_to_agency", "switch_track")),
        Transition("transfer_track", _("变更办理途径"), frozenset({S.IN_HANDLING}), S.IN_HANDLING,
                   HANDLING, _("办理途径已变更"),
                   prepare="track_change", effects=("refer_to_agency", "switch_track")),
        Transition("suspend", _("中止"), frozenset({S.IN_HANDLING}), S.SUSPENDED, HANDLING,
                   _("办理中止，期限暂停计算"),
                   prepare="reason_given", effects=("pause_clocks",), next_due=NextDue.STOPPED),
        Transition("resume", _("恢复"), frozenset({S.SUSPENDED}), S.IN_HANDLING, HANDLING,
                   _("恢复办理"),
                   effects=("resume_clocks",)),
        Transition("resolve", _("办结"), frozenset({S.IN_HANDLING}), S.RESOLVED, HANDLING,
                   _("已办结，请对办理结果进行评价"),
                   prepare="resolution", effects=("meet_resolution_clocks", "start_step_clocks")),
        Transition("start_follow_up", _("回访"), frozenset({S.RESOLVED}), S.FOLLOW_UP,
                   BUREAU_STAFF, _("正在回访"), own_cases_only_for_handlers=False,
                   next_due=NextDue.UNCHANGED),
        Transition("close", _("结案"), frozenset({S.RESOLVED, S.FOLLOW_UP}), S.CLOSED, BUREAU_STAFF,
                   _("已结案"), own_cases_only_for_handlers=False,
                   prepare="closing", effects=("cancel_clocks",), next_due=NextDue.STOPPED),
        Transition("reopen", _("重新办理"), frozenset({S.RESOLVED, S.FOLLOW_UP}), S.IN_HANDLING,
                   HANDLING, _("因不满意重新办理"), own_cases_only_for_handlers=False,
                   prepare="reopening", effects=("start_track_clocks",)),
        # --- the mediation network ---
        Transition("route_to_body", _("分流至调解组织"), frozenset({S.ACCEPTED, S.ASSIGNED, S.IN_HANDLING}),
                   S.IN_HANDLING, frozenset(HANDLING) - {Role.COORDINATOR},
                   "您的调解申请已转至调解组织办理。", tracks=frozenset({Track.MEDIATION}), prepare="body_chosen",
                   next_due=NextDue.UNCHANGED),
        # --- the chain between procedures ---
        Transition("to_arbitration", _("调解不成转仲裁"), frozenset({S.IN_HANDLING}), S.IN_HANDLING, HANDLING,
                   "调解未达成协议，案件已转入劳动人事争议仲裁，无需重新申请。",
                   tracks=frozenset({Track.MEDIATION}), prepare="mediation_failed",
                   effects=("finish_track_clocks", "start_step_clocks")),
        Transition("accept_application", _("受理仲裁申请"), frozenset({S.IN_HANDLING}), S.IN_HANDLING, HANDLING,
                   "仲裁委员会已受理您的仲裁申请。", tracks=frozenset({Track.ARBITRATION}),
                   prepare="application_pending", effects=("meet_decision_clocks", "start_track_clocks")),
        Transition("award", _("作出仲裁裁决"), frozenset({S.IN_HANDLING}), S.RESOLVED, HANDLING,
                   "仲裁委员会已作出裁决，请留意起诉期限。", tracks=frozenset({Track.ARBITRATION}),
                   prepare="award_made", effects=("meet_resolution_clocks", "start_step_clocks")),
        Transition("apply_confirmation", _("申请司法确认"), frozenset({S.RESOLVED}), S.RESOLVED, HANDLING,
                   "调解协议已提交人民法院申请司法确认。", prepare="confirmation_application",
                   tracks=_BEFORE_COURT, conclusions=frozenset({ClosureConclusion.MEDIATED}),
                   effects=("meet_court_windows", "refer_to_court", "start_step_clocks")),
        Transition("apply_payment_order", _("申请支付令"), frozenset({S.RESOLVED}), S.RESOLVED, HANDLING,
                   "已依据调解协议向人民法院申请支付令。", prepare="payment_order_application",
                   tracks=_BEFORE_COURT, conclusions=frozenset({ClosureConclusion.MEDIATED}),
                   effects=("meet_court_windows", "refer_to_court", "start_step_clocks")),
        Transition("go_to_court", _("裁决后诉至法院"), frozenset({S.RESOLVED}), S.RESOLVED, HANDLING,
                   "当事人已就仲裁裁决向人民法院提出。", prepare="court_after_award",
                   tracks=_BEFORE_COURT, conclusions=frozenset({ClosureConclusion.AWARDED}),
                   effects=("meet_court_windows", "refer_to_court", "start_step_clocks")),
        Transition("court_result", _("登记法院结果"), frozenset({S.RESOLVED}), S.RESOLVED, HANDLING,
                   "人民法院已作出处理。", tracks=frozenset({Track.COURT}), prepare="court_ruling",
                   effects=("meet_court_windows", "start_step_clocks")),
        Transition("after_court", _("法院结果后转仲裁或重新调解"), frozenset({S.RESOLVED}), S.IN_HANDLING, HANDLING,
                   "根据人民法院的处理结果，案件在原卷宗内继续办理，无需重新申请。", tracks=frozenset({Track.COURT}),
                   prepare="after_court", effects=("meet_court_windows", "start_after_court_clocks")),
        Transition("sue_after_court", _("法院裁定后起诉"), frozenset({S.RESOLVED}), S.RESOLVED, HANDLING,
                   "当事人已依法向人民法院起诉。", tracks=frozenset({Track.COURT}), prepare="sue_after_ruling",
                   effects=("meet_court_windows", "refer_to_court")),
        Transition("order_payment", _("责令限期支付"), frozenset({S.IN_HANDLING}), S.IN_HANDLING, HANDLING,
                   "已责令用人单位限期支付。", tracks=frozenset({Track.INSPECTION}), prepare="payment_ordered",
                   next_due=NextDue.UNCHANGED),
        Transition("additional_compensation", _("责令加付赔偿金"), frozenset({S.IN_HANDLING}), S.IN_HANDLING,
                   HANDLING, "用人单位逾期未支付，已责令加付赔偿金。", tracks=frozenset({Track.INSPECTION}),
                   prepare="compensation_ordered", next_due=NextDue.UNCHANGED),
        Transition("refer_police", _("涉嫌犯罪移送公安"), frozenset({S.IN_HANDLING}), S.IN_HANDLING, HANDLING,
                   "案件已依法移送公安机关。", tracks=frozenset({Track.INSPECTION}), prepare="police_referral",
                   effects=("refer_to_agency", "switch_track")),
    ]
}

# The steps that move a case along the chain (the timeline opens a new chapter at each).
CHAIN_STEPS: frozenset[str] = frozenset({
    "to_arbitration", "apply_confirmation", "apply_payment_order", "go_to_court", "refer_police", "after_court",
})
