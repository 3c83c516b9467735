"""The nightly job raises every rule when it comes due: each night evaluates every month with a
rule that fell due since the last night, every month with open warnings, and the latest months.
Scene: October 2026 in the lake (pay due by 30 November)."""

from __future__ import annotations

from datetime import date, datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from hexie.core import clock
from hexie.monitoring import schedule
from hexie.monitoring.models import NightlyRun, Warning
from hexie.monitoring.rules import DEFAULT_THRESHOLDS
from hexie.monitoring.services.nightly import months_for_night, run_nightly
from hexie.monitoring.tests import registry_for_detect as reg
from hexie.monitoring.tests.registry_for_detect import M

pytestmark = [pytest.mark.filterwarnings("ignore:fetch_arrow_table:DeprecationWarning")]

D = date


def test_a_month_falls_due_the_night_after_its_due_date() -> None:
    # October's pay is due on 30 November: decidable on the night of 1 December, not of the 30th.
    assert 202610 not in schedule.months_due(D(2026, 11, 29), D(2026, 11, 30), DEFAULT_THRESHOLDS)
    assert 202610 in schedule.months_due(D(2026, 11, 30), D(2026, 12, 1), DEFAULT_THRESHOLDS)
    # The old window (last complete + current month) never holds October on that night.
    assert 202610 not in schedule.latest_months(D(2026, 12, 1))
    # November's leavers (five days' grace) fall due on the night of 6 December.
    assert schedule.months_due(D(2026, 12, 4), D(2026, 12, 5), DEFAULT_THRESHOLDS) == []
    assert schedule.months_due(D(2026, 12, 5), D(2026, 12, 6), DEFAULT_THRESHOLDS) == [202611]
    # Nights that did not run are caught up: everything due since the last one.
    assert schedule.months_due(D(2026, 10, 20), D(2026, 12, 1), DEFAULT_THRESHOLDS) == [202609, 202610, 202611]


def _night(day: date) -> NightlyRun:
    with clock.at(timezone.make_aware(datetime(day.year, day.month, day.day, 2, 30))):
        return run_nightly(today=day)


@pytest.mark.django_db
def test_the_nightly_job_raises_no_payment_when_it_falls_due(scene: dict[str, reg.Site]) -> None:
    NightlyRun.objects.create(day=D(2026, 11, 30), ok=True, started_at=timezone.make_aware(datetime(2026, 11, 30, 2)))
    night = _night(D(2026, 12, 1))
    assert night.ok and night.months == [202610, 202611, 202612]
    assert 202610 in night.stats["why"]["due"]
    nopay = Warning.objects.get(rule__code="no_payment", project__code="P-NOPAY", month=M)
    assert nopay.state == "open"
    assert night.stats["raised"] == Warning.objects.count()
    # The next night October is still evaluated, for its open warnings: the pay arrives, they clear.
    reg.write("payroll", reg.payroll_rows(scene["nopay"], M, paid_on=D(2026, 11, 20)))
    second = _night(D(2026, 12, 2))
    assert M in second.stats["why"]["open"] and M not in second.stats["why"]["due"]
    nopay.refresh_from_db()
    assert nopay.state == "resolved" and second.stats["resolved"] >= 1


@pytest.mark.django_db
def test_a_month_with_only_settled_findings_leaves_the_list(scene: dict[str, reg.Site]) -> None:
    reg.write("payroll", reg.payroll_rows(scene["nopay"], M, paid_on=D(2026, 12, 2)))  # paid late
    Warning.objects.all().delete()
    _night(D(2026, 12, 5))
    assert Warning.objects.filter(rule__code="paid_late", state="open").exists()
    Warning.objects.exclude(rule__code="paid_late").delete()
    months, why = months_for_night(D(2026, 12, 6))
    assert why["open"] == [] and M not in months


@pytest.mark.django_db
def test_simulated_month_counts_more_warnings_than_the_old_window(scene: dict[str, reg.Site]) -> None:
    out = StringIO()
    call_command("simulate_nightly", "--month", "2026-12", "--days", "2", stdout=out)
    lines = out.getvalue().splitlines()
    before = next(line for line in lines if " before " in line)
    after = next(line for line in lines if " after " in line)
    raised = {name: int(line.split("触发预警 ")[1].split()[0]) for name, line in
              (("before", before), ("after", after))}
    # The old window never looks at October in December; the nightly job raises its warnings.
    assert raised["before"] < raised["after"]
    assert "2026-10" not in before and "2026-10" in after
    assert "no_payment" not in lines[lines.index(before) + 1] and "no_payment" in lines[lines.index(after) + 1]
    # The simulation leaves the database as it was.
    assert not Warning.objects.exists() and not NightlyRun.objects.exists()
