"""Open cases that lack a running clock get the clocks they would have had under the rules of
migration ``clocks_by_accepting_body``, so that the invariant (every open case that is not
suspended has a running clock) holds the moment the database is migrated.

Before, the handling clock started only when a handler started handling: cases accepted or
assigned since were on no clock, and consultations had none at all. Here an accepted or assigned
case takes its type's default track when it has none, and that track's clocks are started counted
from its acceptance (``accepted_at``; from receipt where the rule counts from receipt); a
registered case gets its acceptance clock from receipt. Clocks that are already late show as late
and go to supervision, which is what they should have done. Each case gets a timeline entry.

Self-contained (historical models, the pure period arithmetic of ``hexie.workcal.rules``), so that
it keeps working whatever the services become; ``manage.py check_clocks --fix`` does the same
through the services for anything found later.
"""

from django.db import migrations
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

# The default track of each type of case, as hexie.cases.workflow.DEFAULT_TRACK said when this ran.
DEFAULT_TRACK = {"wage_arrears": "inspection", "labour_dispute": "arbitration", "petition": "petition",
                 "consultation": "consultation"}
ON_THE_CLOCK = ("registered", "accepted", "assigned", "in_handling")


def _calendar(apps):
    from hexie.workcal.rules import Calendar

    CalendarYear = apps.get_model("workcal", "CalendarYear")
    SpecialDay = apps.get_model("workcal", "SpecialDay")
    days = list(SpecialDay.objects.values_list("date", "kind"))
    return Calendar(known_years=frozenset(CalendarYear.objects.filter(is_complete=True).values_list("year", flat=True)),
                    holidays=frozenset(d for d, kind in days if kind != "workday"),
                    workdays=frozenset(d for d, kind in days if kind == "workday"))


def _rules(DeadlineRule, case, trigger, on):
    """The newest active version of each rule in force on `on` that applies to the case."""
    chosen = {}
    for rule in DeadlineRule.objects.filter(trigger=trigger, is_active=True, effective_from__lte=on).filter(
            Q(effective_to__isnull=True) | Q(effective_to__gt=on)).order_by("code", "-effective_from"):
        chosen.setdefault(rule.code, rule)
    return [r for r in chosen.values()
            if (not r.case_types or case.case_type in r.case_types) and (not r.track or r.track == case.track)
            and (not r.complexity or r.complexity == case.complexity)]


def backfill(apps, schema_editor):
    from hexie.workcal.rules import add_period

    Case = apps.get_model("cases", "Case")
    Deadline = apps.get_model("cases", "Deadline")
    DeadlineRule = apps.get_model("cases", "DeadlineRule")
    TimelineEvent = apps.get_model("cases", "TimelineEvent")
    running = Deadline.objects.filter(case=OuterRef("pk"), state="running")
    cases = Case.objects.filter(status__in=ON_THE_CLOCK).exclude(Exists(running))
    if not cases.exists():
        return
    cal, now = _calendar(apps), timezone.now()
    for case in cases.iterator():
        received_on = timezone.localtime(case.received_at).date()
        if case.status == "registered":
            trigger, on = "intake", received_on
        else:
            case.track = case.track or DEFAULT_TRACK.get(case.case_type, "")
            trigger, on = "start", timezone.localtime(case.accepted_at or case.received_at).date()
        started = []
        for rule in _rules(DeadlineRule, case, trigger, on):
            starts_on = received_on if rule.counts_from == "receipt" else on
            due = add_period(cal, starts_on, rule.length, rule.unit)
            started.append(Deadline.objects.create(case=case, rule=rule, starts_on=starts_on, due_on=due.due_on,
                                                   is_provisional=due.provisional))
        if not started:
            continue  # no rule in force for it: check_clocks names it for a person to decide
        Case.objects.filter(pk=case.pk).update(track=case.track, next_due_on=min(d.due_on for d in started))
        TimelineEvent.objects.create(
            case=case, at=now, kind="clocks_started",
            message="补足法定期限：" + "；".join(f"{d.rule.step}，{d.starts_on}起算，{d.due_on}届满" for d in started),
            data={"track": case.track, "rules": [d.rule.code for d in started],
                  "due_on": [d.due_on.isoformat() for d in started]},
        )


class Migration(migrations.Migration):
    dependencies = [("cases", "0011_clocks_by_accepting_body"), ("workcal", "0001_initial")]
    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
