"""The case workflow as one declarative table (DESIGN principle 3).

A transition names the states it may start from, the state it leads to, the roles that may take
it and what the worker is told; and what it does on the way: the inputs it checks and the columns
they fill (`prepare`), what it does to the case's clocks, referrals and staff (`effects`), and what
becomes of the case's next due date (`next_due`). `services.transition` is the only code that moves
a case, and it reads all of this here: it never tests a transition's name.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from django.utils.translation import gettext_lazy as _

from hexie.cases.models import Status
from hexie.orgs.scoping import BUREAU_STAFF, HANDLING, LEADERS

S = Status


class NextDue(StrEnum):
    """What a transition does to the case's next due date, the column the queue sorts on."""

    RECOMPUTE = "recompute"  # read again from the clocks still running
    UNCHANGED = "unchanged"  # no clock started, stopped or moved
    STOPPED = "stopped"  # none runs afterwards: cancelled (refused, closed) or paused (suspended)


@dataclass(frozen=True)
class Transition:
    """One step of the workflow, and everything it does besides moving the status."""

    name: str
    label: str
    sources: frozenset[str]
    target: str
    roles: frozenset[str]
    public_message: str
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

    def worker_sms(self) -> str | None:
        """The SMS template for the worker, or None when the worker is not told of this step."""
        if self.sms is None:
            return None
        return self.sms or self.public_message.split(" ")[0]


TRANSITIONS: dict[str, Transition] = {
    t.name: t
    for t in [
        Transition("accept", str(_("受理 Accept")), frozenset({S.REGISTERED}), S.ACCEPTED, BUREAU_STAFF,
                   "您的诉求已受理 Your complaint has been accepted.",
                   prepare="acceptance", effects=("meet_decision_clocks", "start_acceptance_clocks")),
        Transition("refuse", str(_("不予受理 Refuse")), frozenset({S.REGISTERED}), S.REFUSED, BUREAU_STAFF,
                   "您的诉求不予受理，原因已告知 Your complaint was not accepted; the reason is given.",
                   prepare="refusal", effects=("meet_decision_clocks", "cancel_clocks"),
                   next_due=NextDue.STOPPED,
                   sms="您的诉求不予受理，理由：{case.refusal_reason}"),
        Transition("assign", str(_("交办 Assign")), frozenset({S.ACCEPTED, S.ASSIGNED}), S.ASSIGNED, LEADERS,
                   "已确定承办人 A handler has been named.",
                   prepare="assignment", effects=("tell_handler",), next_due=NextDue.UNCHANGED, sms=None),
        Transition("start_handling", str(_("开始办理 Start handling")), frozenset({S.ASSIGNED}), S.IN_HANDLING,
                   HANDLING, "正在办理 Your case is being handled.",
                   prepare="track_choice", effects=("refer_to_agency", "start_track_clocks")),
        Transition("suspend", str(_("中止 Suspend")), frozenset({S.IN_HANDLING}), S.SUSPENDED, HANDLING,
                   "办理中止，期限暂停计算 Handling is suspended; the clock is stopped.",
                   prepare="reason_given", effects=("pause_clocks",), next_due=NextDue.STOPPED),
        Transition("resume", str(_("恢复 Resume")), frozenset({S.SUSPENDED}), S.IN_HANDLING, HANDLING,
                   "恢复办理 Handling has resumed.",
                   effects=("resume_clocks",)),
        Transition("resolve", str(_("办结 Resolve")), frozenset({S.IN_HANDLING}), S.RESOLVED, HANDLING,
                   "已办结，请对办理结果进行评价 Resolved: please rate the result.",
                   prepare="resolution", effects=("meet_resolution_clocks",)),
        Transition("start_follow_up", str(_("回访 Start follow-up")), frozenset({S.RESOLVED}), S.FOLLOW_UP,
                   BUREAU_STAFF, "正在回访 We are following up with you.", own_cases_only_for_handlers=False,
                   next_due=NextDue.UNCHANGED),
        Transition("close", str(_("结案 Close")), frozenset({S.RESOLVED, S.FOLLOW_UP}), S.CLOSED, BUREAU_STAFF,
                   "已结案 Your case is closed.", own_cases_only_for_handlers=False,
                   prepare="closing", effects=("cancel_clocks",), next_due=NextDue.STOPPED),
        Transition("reopen", str(_("重新办理 Reopen")), frozenset({S.RESOLVED, S.FOLLOW_UP}), S.IN_HANDLING,
                   HANDLING, "因不满意重新办理 Reopened after your feedback.", own_cases_only_for_handlers=False,
                   prepare="reopening", effects=("start_track_clocks",)),
    ]
}
