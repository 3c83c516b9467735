"""`Case.late_after`: the due date after which a case is late, kept by the clock services, so that
"late" (the "limit" filters, the within-limit KPIs) is a test of one column.

Every check compares the column test (`filters.late_q`) with the definition it replaced: a
sub-select over the clocks, "some clock met after its due date, or paused after its due date, or
the earliest running due date passed" (`_by_the_clocks`), on the days around each threshold, from
the day of the clock change checked on: figures are read on today's date, and a clock missed by
being met or paused late was due before the day it was met or paused.
"""

import importlib
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.apps import apps
from django.db.models import F, Q

from hexie.cases import services
from hexie.cases.filters import late_q
from hexie.cases.models import Case, Deadline
from hexie.core import clock

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")
DAY = timedelta(days=1)


def at(d: date, h: int = 10) -> datetime:
    return datetime(d.year, d.month, d.day, h, tzinfo=TZ)


def _by_the_clocks(today: date) -> Q:
    """The definition before the column: read from the clocks at every use."""
    missed = Deadline.objects.filter(
        Q(finished_on_time=False) | Q(state=Deadline.State.PAUSED, due_on__lt=F("paused_on"))
    ).values("case_id")
    return Q(next_due_on__lt=today) | Q(pk__in=missed)


def late(case: Case, day: date) -> bool:
    """Whether the case counts as late on `day`; the column and the clocks must agree."""
    by_column = Case.objects.filter(late_q(day), pk=case.pk).exists()
    by_clocks = Case.objects.filter(_by_the_clocks(day), pk=case.pk).exists()
    assert by_column == by_clocks, (case.number, day, Case.objects.get(pk=case.pk).late_after)
    return by_column


def late_after(case: Case) -> date | None:
    return Case.objects.get(pk=case.pk).late_after


def walk(case, users, *steps, on: date):
    with clock.at(at(on)):
        for name, who, params in steps:
            case = services.transition(case_id=case.pk, actor=users[who], name=name, **params)
    return case


def clock_of(case: Case, code: str) -> Deadline:
    return Deadline.objects.get(case=case, rule__code=code, state__in=["running", "paused"])


_phone = iter(range(13900001000, 13900001999))


def registered(make_case, on: date, **kw) -> Case:
    """A case received on `on`; a complex one (claim ≥ 20,000 yuan), which has no quick-close clock."""
    with clock.at(at(on)):
        return make_case("registered", received_at=at(on), complainant_phone=str(next(_phone)),
                         complainant_id_number="", amount_claimed=Decimal("30000"), **kw)


def in_handling(make_case, users, on: date, track: str) -> Case:
    case = registered(make_case, on, case_type="labour_dispute" if track == "arbitration" else "wage_arrears")
    return walk(case, users, ("accept", "desk", {"track": track}),
                ("assign", "leader", {"handler": users["handler"].pk, "responsible_leader": users["leader"].pk}),
                ("start_handling", "handler", {}), on=on)


def test_a_running_clock_due_today_is_not_late_and_due_yesterday_is(calendar, make_case):
    case = registered(make_case, date(2026, 3, 2))
    due = clock_of(case, "inspection.accept").due_on
    assert late_after(case) == due
    assert not late(case, due - DAY)
    assert not late(case, due)  # due today
    assert late(case, due + DAY)  # due yesterday


def test_a_clock_met_on_its_due_day_is_on_time_and_a_day_after_is_late(calendar, make_case, users):
    on_time = registered(make_case, date(2026, 3, 2))
    after = registered(make_case, date(2026, 3, 2))
    due = clock_of(on_time, "inspection.accept").due_on
    walk(on_time, users, ("accept", "desk", {}), on=due)
    walk(after, users, ("accept", "desk", {}), on=due + DAY)
    # The handling clock now runs for weeks: only the acceptance clock can make either late.
    for day in (due, due + DAY, due + 2 * DAY, due + 20 * DAY):
        assert not late(on_time, day)
    assert late_after(after) == due
    assert late(after, due + DAY) and late(after, due + 20 * DAY)


def test_a_clock_paused_on_its_due_day_is_not_late_and_paused_a_day_after_is(calendar, make_case, users):
    on_due = in_handling(make_case, users, date(2026, 3, 2), "mediation")
    after = in_handling(make_case, users, date(2026, 3, 2), "mediation")
    due = clock_of(on_due, "mediation.agreement").due_on
    assert due == date(2026, 3, 17)
    walk(on_due, users, ("suspend", "handler", {"reason": "当事人住院"}), on=due)
    walk(after, users, ("suspend", "handler", {"reason": "当事人住院"}), on=due + DAY)
    # Paused across its due date: not late while paused, however long, unless paused after it.
    assert late_after(on_due) is None
    for day in (due, due + DAY, due + 30 * DAY):
        assert not late(on_due, day)
    assert late_after(after) == due
    assert late(after, due + DAY) and late(after, due + 30 * DAY)
    # Resumed after 8 days: its due date moves on by them, and it is late after the new one.
    walk(on_due, users, ("resume", "handler", {}), on=due + 8 * DAY)
    new_due = clock_of(on_due, "mediation.agreement").due_on
    assert new_due == due + 8 * DAY == late_after(on_due)
    assert not late(on_due, new_due) and late(on_due, new_due + DAY)
    # Resuming the one paused after its due date clears the pause: it is judged by its moved
    # running due date again (already passed here, so late from the day after it, as before).
    walk(after, users, ("resume", "handler", {}), on=due + 9 * DAY)
    moved = clock_of(after, "mediation.agreement").due_on
    assert late_after(after) == moved
    assert late(after, moved + DAY) and not late(after, moved)


def test_cancelled_clocks_never_make_a_case_late(calendar, make_case, users):
    refused = registered(make_case, date(2026, 3, 2))
    due = clock_of(refused, "inspection.accept").due_on
    walk(refused, users, ("refuse", "desk", {"reason": "不属于受理范围"}), on=due)
    assert late_after(refused) is None
    assert not late(refused, due + 100 * DAY)
    refused_late = registered(make_case, date(2026, 3, 2))
    walk(refused_late, users, ("refuse", "desk", {"reason": "不属于受理范围"}), on=due + DAY)
    assert late_after(refused_late) == due and late(refused_late, due + DAY)
    # An award clock restarted after its due date is cancelled: the case is judged by the new one.
    case = in_handling(make_case, users, date(2026, 3, 2), "arbitration")
    award = clock_of(case, "arbitration.award").due_on
    assert late(case, award + DAY)
    with clock.at(at(award + 2 * DAY)):
        services.restart_clock(case_id=case.pk, actor=users["handler"], ground="change_claims")
    restarted = clock_of(case, "arbitration.award").due_on
    assert late_after(case) == restarted > award
    assert not late(case, award + 2 * DAY) and late(case, restarted + DAY)


def test_extending_a_clock_paused_after_its_due_date_can_make_it_on_time(calendar, make_case, users):
    case = in_handling(make_case, users, date(2026, 3, 2), "arbitration")
    due = clock_of(case, "arbitration.award").due_on
    walk(case, users, ("suspend", "handler", {"reason": "等待鉴定"}), on=due + 2 * DAY)
    assert late_after(case) == due and late(case, due + 3 * DAY)
    with clock.at(at(due + 3 * DAY)):
        services.extend_deadline(deadline_id=clock_of(case, "arbitration.award").pk, actor=users["leader"],
                                 reason="仲裁委主任书面批准")
    assert clock_of(case, "arbitration.award").due_on > due + 2 * DAY
    assert late_after(case) is None and not late(case, due + 3 * DAY)


def test_the_migration_fills_every_case_as_the_services_do(calendar, make_case, users):
    cases = [registered(make_case, date(2026, 3, 2)), in_handling(make_case, users, date(2026, 3, 2), "mediation"),
             in_handling(make_case, users, date(2026, 3, 2), "mediation"), registered(make_case, date(2026, 3, 2))]
    due = clock_of(cases[1], "mediation.agreement").due_on
    walk(cases[1], users, ("suspend", "handler", {"reason": "住院"}), on=due + DAY)
    walk(cases[2], users, ("suspend", "handler", {"reason": "住院"}), on=due)
    walk(cases[3], users, ("accept", "desk", {}), on=due + 10 * DAY)
    kept = dict(Case.objects.values_list("pk", "late_after"))
    assert len(set(kept.values())) >= 3  # running, paused late, paused on time, met late
    Case.objects.update(late_after=None)
    importlib.import_module("hexie.cases.migrations.0025_case_late_after").backfill(apps, None)
    assert dict(Case.objects.values_list("pk", "late_after")) == kept
    for case in cases:
        for day in (due + 10 * DAY, due + 11 * DAY, due + 40 * DAY):
            late(case, day)
