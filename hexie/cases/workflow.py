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
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

from hexie.cases.models import CaseType, Status, Track
from hexie.orgs.scoping import BUREAU_STAFF, HANDLING, LEADERS

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

S = Status

# The tracks each type of case may take, and the one it takes unless the clerk chooses another:
# the body that accepts it is the body whose procedure it follows.
TRACKS_FOR_TYPE: dict[str, frozenset[str]] = {
    CaseType.WAGE_ARREARS: frozenset({Track.INSPECTION, Track.MEDIATION, Track.ARBITRATION, Track.REFERRAL}),
    CaseType.LABOUR_DISPUTE: frozenset({Track.ARBITRATION, Track.MEDIATION, Track.INSPECTION, Track.REFERRAL}),
    CaseType.PETITION: frozenset({Track.PETITION, Track.INSPECTION, Track.MEDIATION, Track.ARBITRATION,
                                  Track.REFERRAL}),
    CaseType.CONSULTATION: frozenset({Track.CONSULTATION, Track.MEDIATION, Track.INSPECTION, Track.REFERRAL}),
}
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
                   prepare="resolution", effects=("meet_resolution_clocks",)),
        Transition("start_follow_up", _("回访"), frozenset({S.RESOLVED}), S.FOLLOW_UP,
                   BUREAU_STAFF, _("正在回访"), own_cases_only_for_handlers=False,
                   next_due=NextDue.UNCHANGED),
        Transition("close", _("结案"), frozenset({S.RESOLVED, S.FOLLOW_UP}), S.CLOSED, BUREAU_STAFF,
                   _("已结案"), own_cases_only_for_handlers=False,
                   prepare="closing", effects=("cancel_clocks",), next_due=NextDue.STOPPED),
        Transition("reopen", _("重新办理"), frozenset({S.RESOLVED, S.FOLLOW_UP}), S.IN_HANDLING,
                   HANDLING, _("因不满意重新办理"), own_cases_only_for_handlers=False,
                   prepare="reopening", effects=("start_track_clocks",)),
    ]
}
