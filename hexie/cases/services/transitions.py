"""Moving a case through the workflow: the one transition function, who may take which step, ratings."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import translation
from django.utils.translation import gettext

from hexie.cases.models import Case, Deadline, Status
from hexie.cases.selectors import get_case_for_update
from hexie.cases.services import steps
from hexie.cases.services.clocks import late_after_sql, next_due_sql
from hexie.cases.services.rows import held_rows, update_with_rows, write_held
from hexie.cases.services.timeline import add_event, notify_staff, notify_worker
from hexie.cases.signals import case_closed
from hexie.cases.workflow import TRANSITIONS, NextDue, Transition
from hexie.core import clock
from hexie.core.errors import DomainError, NotPermitted, StaleState, TransitionNotAllowed
from hexie.orgs.models import Role, User


def check_permitted(t: Transition, case: Case, actor: User) -> None:
    """Refuse (403) a step the actor's role may not take, or a handler's step on someone else's case."""
    if actor.is_superuser:
        return
    if actor.role not in t.roles:
        raise NotPermitted(
            gettext("您的角色（%(get_role_display)s）不能执行“%(label)s”") % {"get_role_display": actor.get_role_display(), "label": t.label, "name": t.name}
        )
    if (actor.role == Role.HANDLER and t.own_cases_only_for_handlers and case.handler_id is not None
            and case.handler_id != actor.pk):
        raise NotPermitted(gettext("只有本案承办人可以执行该操作"))


def allowed_actions(case: Case, actor: User) -> list[Transition]:
    """The steps the actor may take on the case now: the buttons and the API's allowed_actions."""
    out = []
    for t in TRANSITIONS.values():
        if case.status not in t.sources or (t.tracks and case.track not in t.tracks):
            continue
        if t.conclusions and case.closure_conclusion not in t.conclusions:
            continue
        try:
            check_permitted(t, case, actor)
        except NotPermitted:
            continue
        out.append(t)
    return out


# What a step's timeline entry keeps of its inputs (free text goes to the entry's message).
_EVENT_DATA = ("track", "previous_track", "conclusion", "amount_recovered", "workers_benefited", "satisfaction", "handler",
               "responsible_leader", "agency", "dispute_cause", "outcome",
               # the chain's steps (hexie.cases.services.chain_steps)
               "ground", "final", "party", "court_action", "result", "amount_owed", "pay_by", "rate", "compensation",
               "basis", "threshold", "largest_owed", "body", "accepted_on", "route")


def _apply_transition(
    *, case: Case, t: Transition, actor: User | None, params: dict[str, Any],
    expected_version: int | None = None,
) -> Case:
    """Take step `t` on a case already read (and permitted): everything the table says it does, then
    the conditional UPDATE, the timeline entry and the worker's SMS."""
    if case.status not in t.sources:
        raise TransitionNotAllowed(
            gettext("案件当前状态为“%(get_status_display)s”，不能“%(label)s”") % {"get_status_display": case.get_status_display(), "label": t.label, "status": case.status, "name": t.name}
        )
    if t.tracks and case.track not in t.tracks:
        raise TransitionNotAllowed(
            gettext("案件当前办理途径为“%(track)s”，不能“%(label)s”") % {"track": case.get_track_display(), "label": t.label}
        )
    if expected_version is not None and expected_version != case.version:
        raise StaleState(gettext("该案件已被他人更新，请刷新后重试"))
    # The step's name lets an effect find the clocks whose rule names it ("step" rules).
    params = {**params, "step": t.name}
    updates = steps.PREPARE[t.prepare](case, actor, params) if t.prepare else {}
    now = clock.now()
    from_status, read_version = case.status, case.version
    case.status, case.version, case.updated_at = t.target, case.version + 1, now
    for name, value in updates.items():
        setattr(case, name, value)
    # Clocks first, so that the case row is written once, with its new next due date. If another
    # clerk moved the case meanwhile, the conditional UPDATE below matches nothing and the raised
    # StaleState rolls this whole transaction back, clock changes included.
    today = clock.today()
    recompute = t.next_due == NextDue.RECOMPUTE
    # The case row's statement reads the clocks (its late-after date counts those met late or
    # paused late by this step): only new rows are held back for it, not the clocks' UPDATEs.
    with held_rows() as rows:
        # What the effects and the step write (clocks started; the timeline entry, the worker's
        # SMS, staff mail) is held back and written by the statement that writes the case row
        # (``services.rows``).
        for effect in t.effects:
            if effect not in steps.CLOCKS_UNREAD:
                write_held(Deadline)  # an effect that reads the clocks sees what earlier ones wrote
            steps.EFFECTS[effect](case, actor, params, today)
        if t.next_due == NextDue.STOPPED:
            updates["next_due_on"] = case.next_due_on = None
        # The case file and the texts to the worker are written in the bureau's language, whichever
        # language the clerk's screen shows. (A text may quote the case's columns, as this step sets
        # them; not the next due date a recomputing step reads from the clocks in its UPDATE.)
        with translation.override(settings.LANGUAGE_CODE):
            public_message = str(t.public_message)
            sms = t.worker_sms()
            sms_text = str(sms).format(case=case) if sms is not None else None
        add_event(
            case=case, kind=t.name, actor=actor, from_status=from_status, to_status=t.target,
            message=str(params.get("reason") or params.get("note") or ""), public_message=public_message,
            data={k: str(v) for k, v in params.items() if k in _EVENT_DATA and v not in ("", None)},
        )
        if sms_text is not None:
            notify_worker(case=case, text=sms_text)
    if recompute:
        # Read from the clocks by the UPDATE itself (one statement, no round trip before it).
        updates["next_due_on"] = next_due_sql(case.pk, started=[d for d in rows if isinstance(d, Deadline)])
    # The due date after which the case is late, from the clocks the effects left and the next
    # due date written beside it (kept as it is, for a step that does not move it).
    updates["late_after"] = late_after_sql(case.pk, updates.get("next_due_on", F("next_due_on")))
    won = update_with_rows(
        Case.objects.filter(pk=case.pk, status=from_status, version=read_version),
        {"status": t.target, "version": F("version") + 1, "updated_at": now, **updates}, rows)
    if won == 0:
        raise StaleState(gettext("该案件已被他人处理，请刷新后重试"))
    if recompute:
        # Deferred: the first read of case.next_due_on loads the value the UPDATE wrote; most
        # callers never read it.
        case.__dict__.pop("next_due_on", None)
    case.__dict__.pop("late_after", None)
    if t.target == Status.CLOSED:
        case.status = Status.CLOSED
        case_closed.send(sender=Case, case=case, actor=actor)
    return case


@transaction.atomic
def transition(
    *, case_id: int, actor: User, name: str, expected_version: int | None = None, **params: Any
) -> Case:
    """The one way a member of staff moves a case: checks scope, role and state, then updates
    conditionally so that two clerks cannot both take the same step."""
    t = TRANSITIONS.get(name)
    if t is None:
        raise DomainError(gettext("未知操作 %(name)s") % {"name": name}, code="unknown_action")
    # What the step's effects need to know of the case's file comes with the case (steps.READS).
    reads = {column: expr for effect in t.effects if effect in steps.READS
             for column, expr in steps.READS[effect]().items()}
    case = get_case_for_update(case_id=case_id, actor=actor, annotate=reads)
    check_permitted(t, case, actor)
    return _apply_transition(case=case, t=t, actor=actor, params=params, expected_version=expected_version)


@transaction.atomic
def record_rating(*, case: Case, satisfaction: int, comment: str = "", actor: User | None = None) -> Case:
    """The worker's rating after resolution: 3–5 closes the case; 1–2 reopens it."""
    if not 1 <= satisfaction <= 5:
        raise ValidationError({"satisfaction": [gettext("满意度为1至5分")]})
    case = Case.objects.get(pk=case.pk)
    if case.status not in (Status.RESOLVED, Status.FOLLOW_UP):
        raise TransitionNotAllowed(gettext("案件办结后才能评价"))
    Case.objects.filter(pk=case.pk).update(satisfaction=satisfaction)
    case.satisfaction = satisfaction
    add_event(case=case, kind="rated", actor=actor, message=comment[:1000],
              data={"satisfaction": satisfaction},
              public_message=gettext("您的评价：%(n)s分（满分5分）") % {"n": satisfaction})
    if satisfaction >= 3:
        return _apply_transition(case=case, t=TRANSITIONS["close"], actor=actor,
                                 params={"satisfaction": satisfaction})
    case = _apply_transition(case=case, t=TRANSITIONS["reopen"], actor=actor,
                             params={"reason": (gettext("不满意（%(n)s分）：%(comment)s") % {"n": satisfaction, "comment": comment})[:500]})
    for user in (case.responsible_leader, case.handler):
        notify_staff(case=case, user=user, subject=f"案件{case.number}因群众不满意重新办理",
                     body=f"评价{satisfaction}分：{comment}")
    return case
