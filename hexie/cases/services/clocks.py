"""Statutory clocks on a case: starting, finishing, extending and restarting them, and the next due date."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from functools import cache
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import BooleanField, DateField, Exists, F, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models import Case as SqlCase
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce, Least
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from hexie.cases.models import Case, Deadline, DeadlineRule, Status, TimelineEvent, Track
from hexie.cases.selectors import effective_rules, get_case_for_update
from hexie.cases.services.rows import hold
from hexie.cases.services.timeline import add_event
from hexie.cases.workflow import DEFAULT_TRACK
from hexie.core import clock
from hexie.core.errors import StaleState, TransitionNotAllowed
from hexie.core.permissions import require_role
from hexie.orgs.models import User
from hexie.orgs.scoping import HANDLING, LEADERS, restrict
from hexie.workcal import rules as workcal
from hexie.workcal.selectors import get_calendar

# The states in which the arbitration clock runs and may be restarted.
RESTARTABLE_STATUSES = (Status.ACCEPTED, Status.ASSIGNED, Status.IN_HANDLING)

# 办案规则 Art. 46: what restarts the arbitration clock.
RESTART_GROUNDS = {
    "add_party": _("追加当事人"),
    "supplement": _("补正申请材料"),
    "change_claims": _("增加、变更仲裁请求"),
    "counterclaim": _("合并审理反申请"),
    "transfer": _("移送管辖"),
}


def compute_due(*, deadline: Deadline, rule: DeadlineRule, cal: workcal.Calendar) -> workcal.DueDate:
    """The due date of a clock: its rule's length, plus the extension once granted, plus days paused."""
    total = rule.length + (rule.extension_length if deadline.extended else 0) + deadline.paused_days
    return workcal.add_period(cal, deadline.starts_on, total, rule.unit)


def start_deadlines(*, case: Case, trigger: str, on: date, received_on: date | None = None,
                    starts_with: set[str] | None = None) -> list[Deadline]:
    """Start the clocks the trigger starts on this case, counted from `on`; a rule counted from
    receipt (mediation) counts from `received_on` instead, when the clock starts at acceptance.
    For the trigger "step", only the rules that name one of the steps in `starts_with`."""
    started = plan_deadlines(case, trigger, on, received_on, starts_with)
    # In a step (``rows.held_rows``) they are written with the case row, which counts them in its
    # next due date (``next_due_sql``'s ``started``).
    unheld = [d for d in started if not hold(d)]
    if unheld:
        Deadline.objects.bulk_create(unheld)
    return started


def plan_deadlines(case: Case, trigger: str, on: date, received_on: date | None = None,
                   starts_with: set[str] | None = None) -> list[Deadline]:
    """The clocks the trigger starts on this case, with their due dates, not yet saved (the case
    may not be saved yet either: ``bulk_create`` them once it is)."""
    cal = get_calendar()
    started = []
    for rule in effective_rules(trigger, on):
        if trigger == DeadlineRule.Trigger.STEP and rule.starts_with not in (starts_with or set()):
            continue
        if rule.case_types and case.case_type not in rule.case_types:
            continue
        if rule.track and rule.track != case.track:
            continue
        if rule.complexity and rule.complexity != case.complexity:
            continue
        starts_on = received_on if received_on and rule.counts_from == DeadlineRule.CountsFrom.RECEIPT else on
        deadline = Deadline(case=case, rule=rule, starts_on=starts_on, due_on=starts_on)
        due = compute_due(deadline=deadline, rule=rule, cal=cal)
        deadline.due_on, deadline.is_provisional = due.due_on, due.provisional
        started.append(deadline)
    return started


def _track_clocks(case: Any) -> QuerySet[Deadline]:
    return Deadline.objects.filter(case=case, rule__trigger=DeadlineRule.Trigger.START,
                                   state__in=[Deadline.State.RUNNING, Deadline.State.PAUSED])


def track_clocks_running() -> Exists:
    """Whether a case has a running or paused clock of its track, as a column of the statement
    that reads the case (``switch_track_deadlines``'s ``running``)."""
    return Exists(_track_clocks(OuterRef("pk")))


def switch_track_deadlines(*, case: Case, previous_track: str, today: date, running: bool | None = None) -> None:
    """Put the case's track clocks on `case.track`: unchanged when the track is, otherwise the old
    track's clocks finish (met, on time or late) and the new track's start, counted from today.
    ``running``: whether the case has track clocks running, when it was read with the case."""
    if previous_track == case.track:
        if running is None:
            running = _track_clocks(case).exists()
        if running:
            return
    finish_deadlines(case=case, ends_on=None, state=Deadline.State.MET, today=today, trigger=DeadlineRule.Trigger.START)
    start_deadlines(case=case, trigger=DeadlineRule.Trigger.START, on=today)


def finish_deadlines(*, case: Case, ends_on: str | None, state: str, today: date, trigger: str = "") -> None:
    """Stop the case's running and paused clocks (those that end on `ends_on` and were started by
    `trigger`, or all): met or cancelled."""
    qs = Deadline.objects.filter(case=case, state__in=[Deadline.State.RUNNING, Deadline.State.PAUSED])
    if ends_on or trigger:
        # The rules as a subquery rather than a join: an UPDATE through a join is compiled as an
        # UPDATE of the ids a joined SELECT finds, which cost more Python than the statement.
        qn = connection.ops.quote_name
        wanted = [(qn(column), value) for column, value in (("ends_on", ends_on), ("trigger", trigger)) if value]
        rules = (f"SELECT {qn('id')} FROM {qn(DeadlineRule._meta.db_table)} "  # noqa: S608
                 f"WHERE {' AND '.join(f'{column} = %s' for column, _v in wanted)}")
        qs = qs.filter(rule_id__in=RawSQL(rules, [value for _c, value in wanted]))  # noqa: S611
    on_time: Any = None
    if state == Deadline.State.MET:
        on_time = SqlCase(When(due_on__gte=today, then=Value(True)), default=Value(False),
                          output_field=BooleanField())
    qs.update(state=state, finished_at=clock.now(), finished_on_time=on_time)


def pause_deadlines(*, case: Case, today: date) -> None:
    """Stop the case's running clocks from counting, from today, until they are resumed."""
    case.deadlines.filter(state=Deadline.State.RUNNING).update(state=Deadline.State.PAUSED, paused_on=today)


def resume_deadlines(*, case: Case, today: date) -> None:
    """Run the paused clocks again, each due date moved on by the days (in its unit) it was paused."""
    cal = get_calendar()
    for d in case.deadlines.filter(state=Deadline.State.PAUSED).select_related("rule"):
        d.paused_days += workcal.count_period_days(cal, d.paused_on or today, today, d.rule.unit)
        d.state, d.paused_on = Deadline.State.RUNNING, None
        due = compute_due(deadline=d, rule=d.rule, cal=cal)
        d.due_on, d.is_provisional = due.due_on, due.provisional
        d.save()


def next_due(case: Case) -> date | None:
    """The earliest due date among the case's running clocks, parties' windows left out (what
    "overdue" and "due first" read)."""
    return _running_due(case.pk)


def _running_due(case_id: int) -> date | None:
    return _running_clocks(case_id).values_list("due_on", flat=True).first()


def _running_clocks(case_id: int) -> QuerySet[Deadline]:
    # A party's window is not the bureau's time limit: it never makes the case due or overdue.
    return Deadline.objects.filter(case_id=case_id, state=Deadline.State.RUNNING, rule__binds_party=False).order_by(
        "due_on")


@cache
def _running_due_sql() -> str:
    """``_running_due``'s query as SQL, written once: built by the ORM it cost more Python on every
    step than the database took to answer it."""
    qn = connection.ops.quote_name
    deadline, rule = qn(Deadline._meta.db_table), qn(DeadlineRule._meta.db_table)
    return (f"SELECT d.{qn('due_on')} FROM {deadline} d INNER JOIN {rule} r ON d.{qn('rule_id')} = r.{qn('id')} "  # noqa: S608
            f"WHERE d.{qn('case_id')} = %s AND d.{qn('state')} = %s AND NOT r.{qn('binds_party')} "
            f"ORDER BY d.{qn('due_on')} ASC LIMIT 1")


def next_due_sql(case_id: int, started: Iterable[Deadline] = ()) -> Any:
    """``next_due`` as a subquery, for the UPDATE that writes the case row: the database reads
    the clocks in the same statement, with no round trip before it. ``started``: clocks this step
    started that are written in the same statement (which its subquery cannot see yet)."""
    running = RawSQL(_running_due_sql(), [case_id, Deadline.State.RUNNING], output_field=DateField())  # noqa: S611
    due = [d.due_on for d in started if d.state == Deadline.State.RUNNING and not d.rule.binds_party]
    if not due:
        return running
    # The earlier of the two; LEAST is NULL on SQLite when the subquery is.
    return Coalesce(Least(running, Value(min(due))), Value(min(due)), output_field=DateField())


def missed_q() -> Q:
    """The clocks that make their case late whatever day it is: met after their due date, or paused
    (suspension) after their due date had already passed. Extended clocks and suspensions need no
    special case: the stored due date already includes the extension and the paused days."""
    return Q(finished_on_time=False) | Q(state=Deadline.State.PAUSED, due_on__lt=F("paused_on"))


def _missed_due_sql(case_id: Any) -> Subquery:
    """The earliest due date among the case's missed clocks (NULL: none), as a subquery."""
    return Subquery(Deadline.objects.filter(missed_q(), case_id=case_id).order_by("due_on").values("due_on")[:1],
                    output_field=DateField())


def late_after_sql(case_id: Any, next_due_on: Any) -> Any:
    """``Case.late_after`` for the UPDATE that writes the case row, read from the clocks by that same
    statement: the earlier of `next_due_on` (the value or expression the UPDATE stores as the case's
    next due date, or ``F("next_due_on")`` when it keeps it) and the due dates of its missed clocks.

    The case is then late on day D exactly when ``late_after < D``: a running clock is missed once
    D is after the earliest running due date (`next_due_on`); a missed clock was due before the
    day it was met or paused, so before any day the figures are read on (`missed_q`).
    `case_id` is a case's id or ``OuterRef("pk")`` (an UPDATE over many cases).
    """
    missed = _missed_due_sql(case_id)
    if next_due_on is None:
        return missed
    due = next_due_on if hasattr(next_due_on, "resolve_expression") else Value(next_due_on, output_field=DateField())
    # LEAST ignores NULLs on PostgreSQL but not on SQLite: each argument falls back on the other.
    return Least(Coalesce(due, missed), Coalesce(missed, due), output_field=DateField())


def refresh_late_after(cases: QuerySet[Case]) -> int:
    """Recompute ``late_after`` of the given cases from their clocks and next due dates, in one
    UPDATE (a repair after clocks were written outside the services, and the fixtures' helper)."""
    return cases.update(late_after=late_after_sql(OuterRef("pk"), F("next_due_on")))


def refresh_next_due(case: Case) -> None:
    """Store the earliest running due date on the case, and with it the due date after which the
    case is late (a clock extended or restarted may change both)."""
    nxt = next_due(case)
    Case.objects.filter(pk=case.pk).update(next_due_on=nxt, late_after=late_after_sql(case.pk, nxt))
    case.next_due_on = nxt
    # Deferred: the first read loads the value the UPDATE wrote.
    case.__dict__.pop("late_after", None)


@transaction.atomic
def extend_deadline(*, deadline_id: int, actor: User, reason: str) -> Deadline:
    """An approved extension (e.g. +15 days on an award with the chair's approval, Art. 43)."""
    require_role(actor, LEADERS, gettext("只有领导可以批准延期"))
    try:
        d = Deadline.objects.select_related("rule", "case").get(
            pk=deadline_id, case__in=restrict(Case.objects.all(), actor)
        )
    except Deadline.DoesNotExist:
        raise Http404(gettext("未找到")) from None
    if not reason.strip():
        raise ValidationError({"reason": [gettext("请填写延期理由")]})
    if d.state not in (Deadline.State.RUNNING, Deadline.State.PAUSED):
        raise TransitionNotAllowed(gettext("该期限已结束，不能延期"))
    if d.rule.extension_length == 0:
        raise TransitionNotAllowed(gettext("“%(step)s”依法不能延长") % {"step": d.rule.step, "basis": d.rule.basis})
    if d.extended:
        raise TransitionNotAllowed(gettext("该期限已经延长过"))
    won = Deadline.objects.filter(pk=d.pk, extended=False).update(extended=True)
    if not won:
        raise StaleState(gettext("该期限已被他人延长"))
    d.refresh_from_db()
    due = compute_due(deadline=d, rule=d.rule, cal=get_calendar())
    old = d.due_on
    d.due_on, d.is_provisional = due.due_on, due.provisional
    d.save(update_fields=["due_on", "is_provisional"])
    refresh_next_due(d.case)
    add_event(case=d.case, kind="extended", actor=actor, message=reason,
              data={"step": d.rule.step, "from": old.isoformat(), "to": d.due_on.isoformat(), "basis": d.rule.basis},
              public_message=gettext("办理期限经批准延长"))
    return d


@transaction.atomic
def restart_clock(*, case_id: int, actor: User, ground: str, note: str = "") -> Case:
    """Restart the arbitration clock on one of the grounds of 办案规则 Art. 46."""
    case = get_case_for_update(case_id=case_id, actor=actor)
    require_role(actor, HANDLING, gettext("您的角色不能重新计算期限"))
    # The award clock runs from acceptance, so a ground of Art. 46 (a party added, the application
    # supplemented) restarts it before handling starts as much as during it; not while suspended.
    if case.track != Track.ARBITRATION or case.status not in RESTARTABLE_STATUSES:
        raise TransitionNotAllowed(gettext("只有已受理、未办结且未中止的仲裁案件可以重新计算审理期限"))
    if ground not in RESTART_GROUNDS:
        raise ValidationError({"ground": [gettext("重新计算期限的事由无效")]})
    today = clock.today()
    case.deadlines.filter(state__in=[Deadline.State.RUNNING, Deadline.State.PAUSED],
                          rule__trigger=DeadlineRule.Trigger.START).update(
        state=Deadline.State.CANCELLED, finished_at=clock.now())
    started = start_deadlines(case=case, trigger=DeadlineRule.Trigger.START, on=today)
    refresh_next_due(case)
    add_event(case=case, kind="clock_restarted", actor=actor, message=note,
              data={"ground": str(RESTART_GROUNDS[ground]), "basis": "劳动人事争议仲裁办案规则 第四十六条",
                    "due_on": [d.due_on.isoformat() for d in started]},
              public_message=gettext("仲裁审理期限依法重新计算"))
    return case


@transaction.atomic
def recompute_provisional_deadlines(*, years: set[int] | None = None) -> int:
    """Recompute the clocks counted over a year the calendar did not know, once it is entered.

    Runs when the calendar changes (``hexie.cases.signals``); each clock that moves gets a timeline
    entry, and its case its next due date again. Returns how many clocks moved.
    """
    cal = get_calendar()
    changed = 0
    touched: set[int] = set()
    qs = Deadline.objects.filter(
        is_provisional=True, state__in=[Deadline.State.RUNNING, Deadline.State.PAUSED]
    ).select_related("rule")
    for d in qs:
        due = compute_due(deadline=d, rule=d.rule, cal=cal)
        if (due.due_on, due.provisional) != (d.due_on, d.is_provisional):
            old = d.due_on
            d.due_on, d.is_provisional = due.due_on, due.provisional
            d.save(update_fields=["due_on", "is_provisional"])
            TimelineEvent.objects.create(
                case_id=d.case_id, at=clock.now(), kind="deadline_recomputed",
                message=f"{d.rule.step}：日历已录入，届满日 {old} → {d.due_on}",
                data={"from": old.isoformat(), "to": d.due_on.isoformat(), "provisional": d.is_provisional},
            )
            changed += 1
            touched.add(d.case_id)
    for case_id in touched:
        # A paused clock's new due date may be before or after the day it was paused.
        nxt = _running_due(case_id)
        Case.objects.filter(pk=case_id).update(next_due_on=nxt, late_after=late_after_sql(case_id, nxt))
    return changed


# Open and not suspended: the states in which a case must always have a running clock.
ON_THE_CLOCK = (Status.REGISTERED, Status.ACCEPTED, Status.ASSIGNED, Status.IN_HANDLING)


def cases_off_the_clock() -> QuerySet[Case]:
    """Every open case that is not suspended and has no running clock: what the invariant forbids
    (rules.md §2). A check over the whole database, for ``manage.py check_clocks``, not a user's read."""
    running = Deadline.objects.filter(case=OuterRef("pk"), state=Deadline.State.RUNNING)
    return Case.objects.filter(status__in=ON_THE_CLOCK).exclude(Exists(running)).order_by("number")


@transaction.atomic
def start_missing_clocks(*, case_id: int) -> list[Deadline]:
    """Start the clocks an open case lacks, as its steps would have started them: a registered case
    its acceptance clock from receipt; an accepted one its track's clocks (its type's default track
    if it has none) from acceptance, or from receipt where the rule counts from receipt.

    Does nothing to a case that has a running clock or is not open; returns the clocks started,
    none when no rule in force applies (a person must decide). Recorded on the case's timeline.
    """
    case = Case.objects.select_for_update().get(pk=case_id)
    if case.status not in ON_THE_CLOCK or case.deadlines.filter(state=Deadline.State.RUNNING).exists():
        return []
    received_on = timezone.localtime(case.received_at).date()
    if case.status == Status.REGISTERED:
        started = start_deadlines(case=case, trigger=DeadlineRule.Trigger.INTAKE, on=received_on)
    else:
        case.track = case.track or DEFAULT_TRACK.get(case.case_type, "")
        # The acceptance onto the track the case is on now (the commission's, for a case that came
        # from mediation), else the file's first acceptance.
        accepted = case.track_accepted_at or case.accepted_at
        accepted_on = timezone.localtime(accepted).date() if accepted else received_on
        started = start_deadlines(case=case, trigger=DeadlineRule.Trigger.START, on=accepted_on,
                                  received_on=received_on)
    if not started:
        return []
    nxt = _running_due(case.pk)
    Case.objects.filter(pk=case.pk).update(track=case.track, next_due_on=nxt, late_after=late_after_sql(case.pk, nxt))
    add_event(case=case, kind="clocks_started", actor=None,
              message="补足法定期限：" + "；".join(f"{d.rule.step}，{d.due_on}届满" for d in started),
              data={"track": case.track, "rules": [d.rule.code for d in started],
                    "due_on": [d.due_on.isoformat() for d in started]})
    return started
