"""The warning rules as rules.md §3 writes them, end to end on the database: a late payment leaves
a "paid late" warning, a resolution says what data changed, and a run seen from an earlier day
never claims that a settlement arrived. Month under test: October 2026 (pay due by 11-30)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from hexie.core import clock
from hexie.employers.models import RosterEntry
from hexie.monitoring import services
from hexie.monitoring.models import ImportBatch, Warning, WarningRule
from hexie.monitoring.tests import registry_for_detect as reg
from hexie.monitoring.tests.registry_for_detect import AS_OF, NOW, M

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("detect_clock"),
              pytest.mark.filterwarnings("ignore:fetch_arrow_table:DeprecationWarning")]


def _warning(rule: str, project: str) -> Warning:
    return Warning.objects.select_related("rule").get(rule__code=rule, project__code=project)


def _ledger(feed: str, name: str, at: datetime, unit: object) -> ImportBatch:
    """The import ledger's row for a file that reached the lake at ``at``."""
    return ImportBatch.objects.create(feed=feed, source="upload", original_name=name, sha256=name, state="done",
                                      months=[M], org_unit=unit, finished_at=at)


def test_pay_after_its_due_date_clears_no_payment_but_leaves_paid_late(scene: dict[str, reg.Site]) -> None:
    services.run_monitor(month=M, as_of=AS_OF)
    assert _warning("no_payment", "P-NOPAY").state == "open"
    # Pay for October arrives on 2 December, two days after its due date.
    reg.write("payroll", reg.payroll_rows(scene["nopay"], M, paid_on=date(2026, 12, 2)))
    run = services.run_monitor(month=M, as_of=AS_OF)
    nopay = _warning("no_payment", "P-NOPAY")
    assert nopay.state == "resolved"
    assert "另记“工资逾期发放”" in nopay.resolution
    late = _warning("paid_late", "P-NOPAY")
    assert late.state == "open" and late.grade == "yellow"
    assert late.evidence["workers"] == 6 and late.case is None  # yellow: no case of its own
    assert "应付日期2026年11月30日前" in late.summary
    assert run.stats["findings"]["paid_late"] == 1


def test_pay_on_its_due_date_is_not_late(scene: dict[str, reg.Site]) -> None:
    reg.write("payroll", reg.payroll_rows(scene["nopay"], M, paid_on=date(2026, 11, 30)))
    services.run_monitor(month=M, as_of=AS_OF)
    assert not Warning.objects.filter(project__code="P-NOPAY", rule__code__in=["paid_late", "no_payment"]).exists()


def test_a_resolution_names_the_import_that_changed_the_data(scene: dict[str, reg.Site]) -> None:
    services.run_monitor(month=M, as_of=AS_OF)
    later = NOW + timedelta(hours=3)
    with clock.at(later):
        reg.write("payroll", reg.payroll_rows(scene["share"], M, workers=scene["share"].workers[8:]))
        batch = _ledger("payroll", "梅溪湖10月补报.csv", later, scene["share"].project.org_unit)
        services.run_monitor(month=M, as_of=AS_OF)
    share = _warning("unpaid_share", "P-SHARE")
    assert share.state == "resolved"
    assert f"第{batch.pk}号导入" in share.resolution and "梅溪湖10月补报.csv" in share.resolution
    assert "数据变化" in share.resolution
    # A warning cleared by a threshold change says so, and names no import.
    WarningRule.objects.filter(code="pay_over_month").update(threshold=70000)
    with clock.at(later + timedelta(hours=1)):
        services.run_monitor(month=M, as_of=AS_OF)
    over = _warning("pay_over_month", "P-FOREMAN")
    assert over.state == "resolved" and "阈值由50,000改为70,000" in over.resolution
    assert "第" not in over.resolution.split("；")[1]


def test_an_earlier_as_of_date_does_not_claim_a_settlement(scene: dict[str, reg.Site]) -> None:
    services.run_monitor(month=M, as_of=AS_OF)
    # Seen from 25 November (before October's pay was due) nothing of the pay rules can be decided.
    run = services.run_monitor(month=M, as_of=date(2026, 11, 25))
    for rule, project in (("no_payment", "P-NOPAY"), ("unpaid_share", "P-SHARE"), ("fewer_paid", "P-FEW")):
        w = _warning(rule, project)
        assert w.state == "open" and w.resolution == "", (rule, w.resolution)
    assert run.stats["warnings"]["resolved"] == 0 and run.stats["warnings"]["kept"] >= 3
    # Seen from 1 December, the day after the due date, but before the 5th it was found on: kept.
    services.run_monitor(month=M, as_of=date(2026, 12, 1))
    assert _warning("no_payment", "P-NOPAY").state == "open"
    # From a later day, with the data unchanged, still open; once the pay arrives, resolved.
    reg.write("payroll", reg.payroll_rows(scene["nopay"], M, paid_on=date(2026, 11, 20)))
    services.run_monitor(month=M, as_of=date(2026, 12, 6))
    assert _warning("no_payment", "P-NOPAY").state == "resolved"


def test_the_monthly_limit_adds_up_a_worker_across_projects(scene: dict[str, reg.Site]) -> None:
    # A worker of P-CLEAN (paid 7,000 there) is also paid 30,000 on P-LOW: 37,000, under the limit.
    worker = scene["clean"].workers[0]
    RosterEntry.objects.create(worker_id=worker, project=scene["low"].project, entry_date=date(2026, 6, 1))
    reg.write("payroll", reg.payroll_rows(scene["low"], M, workers=[worker], gross_yuan=30000))
    services.run_monitor(month=M, as_of=AS_OF)
    assert not Warning.objects.filter(rule__code="pay_over_month", project__code="P-CLEAN").exists()
    # Back pay of 13,000.01 on P-LOW: 50,000.01 yuan in all, and both projects that paid him are warned.
    row = reg.payroll_rows(scene["low"], M, workers=[worker])[0]
    reg.write("payroll", [{**row, "is_back_pay": True, "gross_fen": 1_300_001}])
    services.run_monitor(month=M, as_of=AS_OF)
    for code in ("P-CLEAN", "P-LOW"):
        w = _warning("pay_over_month", code)
        assert w.evidence["worker_ids"] == [worker] and w.evidence["amount_fen"] == 5_000_001
