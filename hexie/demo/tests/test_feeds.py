"""The demo feeds on a small registry: imported through the import ledger, every rule fires on its
planted project, the other projects stay clean, and loading twice changes nothing."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import pytest
from django.utils import timezone

from hexie.cases.models import Case, Channel
from hexie.core import clock
from hexie.demo import feeds
from hexie.monitoring.models import ImportBatch, MonitorRun, Warning
from hexie.monitoring.services.nightly import run_nightly
from hexie.monitoring.tests import registry_for_detect as reg

pytestmark = [pytest.mark.django_db, pytest.mark.filterwarnings("ignore:fetch_arrow_table:DeprecationWarning")]

NOW = timezone.make_aware(datetime(2026, 11, 25, 10, 0))


@pytest.fixture
def registry(city: dict[str, Any], settings: Any, tmp_path: Any) -> list[int]:
    settings.LAKE_DIR = tmp_path / "lake"
    gc = reg.employer("长沙示范建工集团有限公司", city["yuelu"])
    units = [city["yuelu_street"], city["furong_street"]]
    return [reg.site(f"示范项目{i + 1:02d}号", f"DEMO-{i + 1:02d}", units[i % 2], gc, 45).project.pk
            for i in range(14)]


@pytest.mark.slow
def test_load_feeds_plants_every_rule(registry: list[int]) -> None:
    assert feeds.months_before(NOW.date()) == [202608, 202609, 202610]
    out = feeds.load_feeds(now=NOW)
    assert out["loaded"] and out["seconds"]["total"] < 60
    plan = feeds.Plan(**out["plan"])

    batches = ImportBatch.objects.order_by("original_name")
    assert batches.count() == 10
    assert set(batches.values_list("state", flat=True)) == {ImportBatch.State.DONE}
    assert {"2026-10 考勤.parquet", "2026-10 工资发放（补发、更正）.parquet"} <= set(batches.values_list("original_name", flat=True))

    found = set(Warning.objects.values_list("month", "rule__code", "project_id"))
    expected = {
        (202609, "no_payment", plan.no_payroll),
        (202610, "unpaid_share", plan.share_80),
        (202610, "below_minimum", plan.low_pay),
        (202610, "pay_over_month", plan.foreman), (202610, "pay_over_year", plan.foreman),
        (202608, "pay_over_month", plan.foreman),
        (202610, "exit_unsettled", plan.exits),
        (202610, "no_deposit", plan.no_deposit_last), (202610, "no_deposit", plan.no_deposit_all),
        (202609, "no_deposit", plan.no_payroll),
        (202610, "open_complaint", plan.complaint),
        (202610, "unpaid_share", plan.back_pay),
        # August was paid on 8 October, eight days after its due date.
        (202608, "paid_late", plan.no_payroll),
        # September had no payroll rows at all: every attending worker counts as unpaid.
        (202609, "unpaid_share", plan.no_payroll), (202609, "fewer_paid", plan.no_payroll),
    }
    assert expected <= found
    # The back pay arrived after the first run: its warnings cleared themselves, and its case says so.
    cleared = Warning.objects.filter(project_id=plan.back_pay, month=202610)
    assert set(cleared.values_list("state", flat=True)) == {"resolved"}
    back_case = cleared.exclude(case=None).get().case
    assert back_case.events.filter(kind="warning_resolved").exists()
    # October's pay is due on 30 November: on the 25th the 97 % project (3 % unpaid, under the
    # share threshold) shows nothing yet; projects without a plant stay clean.
    assert not {code for m, code, p in found if p == plan.share_97}
    planted = set(out["plan"].values())
    clean = [p for p in registry if p not in planted]
    assert len(clean) == 4 and not Warning.objects.filter(project_id__in=clean).exists()

    assert MonitorRun.objects.filter(ok=True).count() == 4
    assert Case.objects.filter(channel=Channel.MONITORING).count() == Warning.objects.filter(
        grade="red").values("project_id", "month").distinct().count()

    assert feeds.load_feeds(now=NOW) == {"loaded": False}
    assert ImportBatch.objects.count() == 10

    # From 1 December the nightly job decides October's pay rules: the 97 % project is short.
    with clock.at(timezone.make_aware(datetime(2026, 12, 1, 2, 30))):
        night = run_nightly(today=date(2026, 12, 1))
    assert night.ok and 202610 in night.months
    assert {code for code in Warning.objects.filter(project_id=plan.share_97, state="open")
            .values_list("rule__code", flat=True)} == {"fewer_paid"}
