"""The case workflow as one declarative table (DESIGN principle 3).

A transition names the states it may start from, the state it leads to, the roles that may take
it, and what the worker is told. `services.transition` is the only code that moves a case.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from hexie.cases.models import Status
from hexie.orgs.scoping import BUREAU_STAFF, HANDLING, LEADERS

S = Status


@dataclass(frozen=True)
class Transition:
    name: str
    label: str
    sources: frozenset[str]
    target: str
    roles: frozenset[str]
    public_message: str
    # Handlers may take this transition only on cases assigned to them.
    own_cases_only_for_handlers: bool = True


TRANSITIONS: dict[str, Transition] = {
    t.name: t
    for t in [
        Transition("accept", str(_("受理 Accept")), frozenset({S.REGISTERED}), S.ACCEPTED, BUREAU_STAFF,
                   "您的诉求已受理 Your complaint has been accepted."),
        Transition("refuse", str(_("不予受理 Refuse")), frozenset({S.REGISTERED}), S.REFUSED, BUREAU_STAFF,
                   "您的诉求不予受理，原因已告知 Your complaint was not accepted; the reason is given."),
        Transition("assign", str(_("交办 Assign")), frozenset({S.ACCEPTED, S.ASSIGNED}), S.ASSIGNED, LEADERS,
                   "已确定承办人 A handler has been named."),
        Transition("start_handling", str(_("开始办理 Start handling")), frozenset({S.ASSIGNED}), S.IN_HANDLING,
                   HANDLING, "正在办理 Your case is being handled."),
        Transition("suspend", str(_("中止 Suspend")), frozenset({S.IN_HANDLING}), S.SUSPENDED, HANDLING,
                   "办理中止，期限暂停计算 Handling is suspended; the clock is stopped."),
        Transition("resume", str(_("恢复 Resume")), frozenset({S.SUSPENDED}), S.IN_HANDLING, HANDLING,
                   "恢复办理 Handling has resumed."),
        Transition("resolve", str(_("办结 Resolve")), frozenset({S.IN_HANDLING}), S.RESOLVED, HANDLING,
                   "已办结，请对办理结果进行评价 Resolved: please rate the result."),
        Transition("start_follow_up", str(_("回访 Start follow-up")), frozenset({S.RESOLVED}), S.FOLLOW_UP,
                   BUREAU_STAFF, "正在回访 We are following up with you.", own_cases_only_for_handlers=False),
        Transition("close", str(_("结案 Close")), frozenset({S.RESOLVED, S.FOLLOW_UP}), S.CLOSED, BUREAU_STAFF,
                   "已结案 Your case is closed.", own_cases_only_for_handlers=False),
        Transition("reopen", str(_("重新办理 Reopen")), frozenset({S.RESOLVED, S.FOLLOW_UP}), S.IN_HANDLING,
                   HANDLING, "因不满意重新办理 Reopened after your feedback.", own_cases_only_for_handlers=False),
    ]
}


def available_transitions(status: str) -> list[Transition]:
    return [t for t in TRANSITIONS.values() if status in t.sources]
