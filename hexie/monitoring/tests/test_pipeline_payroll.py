"""The pipeline on the payroll rows that count: back-pay rows add to a worker's pay, a correction in
a later import supersedes the earlier row, and the monthly limit adds a worker up across projects.
Month under test: March 2026, as in ``test_pipeline`` (whose helpers these tests reuse)."""

from __future__ import annotations

from typing import Any

import pytest

from hexie.monitoring.tests.test_pipeline import MIN_WAGE, PAY_DAY, D, M, duck, only, run, tables

pytestmark = pytest.mark.filterwarnings("ignore:fetch_arrow_table:DeprecationWarning")

__all__ = ["duck"]  # the module-scoped DuckDB fixture, shared


def _one_worker(*rows: dict[str, Any]) -> dict[str, Any]:
    """Project 90, worker 901 attending one day in March, with the given payroll rows."""
    att = [{"worker_id": 901, "project_id": 90, "work_date": D(2026, 3, 2), "month": M, "minutes": 480}]
    base = {"worker_id": 901, "project_id": 90, "month": M, "days": 1, "minutes": 480, "gross_fen": 500_000,
            "net_fen": 450_000, "paid_on": None, "is_back_pay": False, "batch_id": 1}
    return tables(attendance=att, payroll=[{**base, **r} for r in rows],
                  deposits=[{"project_id": 90, "month": M, "amount_fen": 1, "deposited_on": D(2026, 3, 5)}],
                  roster=[], projects=[{"project_id": 90, "min_wage_fen": MIN_WAGE}])


def test_back_pay_adds_to_an_unpaid_ledger_row(duck: Any) -> None:
    unpaid = _one_worker({})
    assert {f.rule for f in run(duck, **unpaid)} == {"no_payment", "fewer_paid"}
    topped_up = _one_worker({}, {"is_back_pay": True, "batch_id": 2, "paid_on": D(2026, 5, 3)})
    assert {f.rule for f in run(duck, **topped_up)} == {"paid_late"}


def test_a_correction_supersedes_the_earlier_row(duck: Any) -> None:
    # The ledger row of import 1 said "not paid"; import 2 corrects it to paid on 10 April.
    corrected = _one_worker({}, {"batch_id": 2, "paid_on": PAY_DAY})
    assert run(duck, **corrected) == []
    # And the other way round: paid in import 1, corrected to 60,000 yuan in import 2.
    over = _one_worker({"paid_on": PAY_DAY}, {"batch_id": 2, "paid_on": PAY_DAY, "gross_fen": 6_000_000})
    assert [(f.rule, f.amount_fen) for f in run(duck, **over)] == [("pay_over_month", 6_000_000)]


def test_the_monthly_limit_adds_up_a_worker_across_projects(duck: Any) -> None:
    def row(worker: int, project: int, gross: int) -> dict[str, Any]:
        return {"worker_id": worker, "project_id": project, "month": M, "days": 1, "minutes": 480,
                "gross_fen": gross, "net_fen": gross, "paid_on": PAY_DAY, "is_back_pay": False}

    pay = [row(191, 19, 3_000_000), row(191, 20, 2_000_001),  # 50,000.01 yuan in all: over
           row(192, 19, 2_500_000), row(192, 20, 2_500_000)]  # exactly 50,000 yuan: not over
    found = run(duck, rules=only("pay_over_month"), **tables(payroll=pay))
    assert [(f.project_id, f.worker_ids, f.amount_fen) for f in found] == [
        (19, (191,), 5_000_001), (20, (191,), 5_000_001)]


def test_below_minimum_threshold_in_percent(duck: Any) -> None:
    assert run(duck, rules=only("below_minimum", 90)) == []
    # At 101 % of 1,930 yuan (threshold 194,930 fen) P7 (avg 193,000) and P8 fall below too.
    found = run(duck, rules=only("below_minimum", 101))
    assert [(f.project_id, f.detail["threshold_fen"], f.worker_ids) for f in found] == [
        (7, 194_930, (71,)), (8, 194_930, (81, 82)),
    ]
    assert found[0].amount_fen == 0  # shortfall against the minimum wage itself: none


def test_pay_over_thresholds_are_in_yuan(duck: Any) -> None:
    # 10,000,001 fen is 100,000.01 yuan: over 100,000 yuan; 10,000,000 fen is not.
    assert [(f.project_id, f.worker_ids) for f in run(duck, rules=only("pay_over_month", 100_000))] == [
        (11, (111,)),
    ]
    found = run(duck, rules=only("pay_over_month", 99_999))
    assert [(f.project_id, f.worker_ids) for f in found] == [(11, (111, 112))]
    assert run(duck, rules=only("pay_over_year", 300_001)) == []


def _two_workers(paid_gross: int, ledger_gross: int) -> dict[str, Any]:
    """Project 95: worker 951 paid on the pay day, worker 952 on a ledger row with no pay date yet."""
    att = [{"worker_id": w, "project_id": 95, "work_date": D(2026, 3, 2), "month": M, "minutes": 480}
           for w in (951, 952)]
    row = {"project_id": 95, "month": M, "days": 1, "minutes": 480, "is_back_pay": False, "batch_id": 1}
    pay = [{**row, "worker_id": 951, "gross_fen": paid_gross, "net_fen": paid_gross, "paid_on": PAY_DAY},
           {**row, "worker_id": 952, "gross_fen": ledger_gross, "net_fen": ledger_gross, "paid_on": None}]
    return tables(attendance=att, payroll=pay, roster=[],
                  deposits=[{"project_id": 95, "month": M, "amount_fen": 1, "deposited_on": D(2026, 3, 5)}],
                  projects=[{"project_id": 95, "min_wage_fen": MIN_WAGE}])


def test_below_minimum_averages_the_paid_workers_only(duck: Any) -> None:
    # The paid worker earns 1,930.00 yuan, the minimum: a low ledger row waiting for its pay day
    # must not drag the average under it ...
    assert run(duck, rules=only("below_minimum"), **_two_workers(MIN_WAGE, 10_000)) == []
    # ... and one fen under the minimum is below it, however much the unpaid ledger row says.
    found = run(duck, rules=only("below_minimum"), **_two_workers(MIN_WAGE - 1, 1_000_000))
    assert [(f.project_id, f.worker_ids, f.detail["paid"], f.detail["avg_gross_fen"]) for f in found] == [
        (95, (951,), 1, MIN_WAGE - 1)]


def test_a_correction_in_an_earlier_month_counts_towards_the_year(duck: Any) -> None:
    # pay_over_year adds up the effective rows of every month of the year so far: January's row of
    # 200,000 yuan is corrected to 100,000 in a later import, so the year is 100,000 + 150,000 +
    # 60,000 = 310,000 yuan (over 300,000), not 410,000; a second worker of the project with no
    # correction at all is summed the same way and stays under the limit.
    def row(worker: int, month: int, gross: int, batch: int) -> dict[str, Any]:
        return {"worker_id": worker, "project_id": 90, "month": month, "days": 1, "minutes": 480,
                "gross_fen": gross, "net_fen": gross, "paid_on": PAY_DAY, "is_back_pay": False,
                "batch_id": batch}

    pay = [row(901, 202601, 20_000_000, 1), row(901, 202602, 15_000_000, 2), row(901, M, 6_000_000, 3),
           row(901, 202601, 10_000_000, 4),  # the correction of January
           row(902, 202601, 10_000_000, 1), row(902, 202602, 10_000_000, 2), row(902, M, 9_000_000, 3)]
    found = run(duck, rules=only("pay_over_year"), **tables(payroll=pay))
    assert [(f.project_id, f.worker_ids, f.amount_fen) for f in found] == [(90, (901,), 31_000_000)]
    # Corrected down to 80,000 yuan instead: 290,000 in the year, no finding.
    pay[3] = row(901, 202601, 8_000_000, 4)
    assert run(duck, rules=only("pay_over_year"), **tables(payroll=pay)) == []


def test_two_rows_of_one_import_both_count(duck: Any) -> None:
    # Two ledger rows for the same worker, project and month in the same import: neither
    # supersedes the other, so both count (30,000 + 30,000 yuan: over the monthly limit) ...
    twice = _one_worker({"paid_on": PAY_DAY, "gross_fen": 3_000_000}, {"paid_on": PAY_DAY, "gross_fen": 3_000_001})
    assert [(f.rule, f.amount_fen) for f in run(duck, **twice)] == [("pay_over_month", 6_000_001)]
    # ... while a later import's row replaces both.
    later = _one_worker({"paid_on": PAY_DAY, "gross_fen": 3_000_000}, {"paid_on": PAY_DAY, "gross_fen": 3_000_001},
                        {"paid_on": PAY_DAY, "gross_fen": 600_000, "batch_id": 2})
    assert run(duck, **later) == []


def test_a_ledger_row_without_worker_or_project_counts_nowhere(duck: Any) -> None:
    over = {"paid_on": PAY_DAY, "gross_fen": 6_000_000}
    alone = run(duck, **_one_worker(over))
    assert [(f.rule, f.amount_fen) for f in alone] == [("pay_over_month", 6_000_000)]
    # Rows that name no worker or no project (and so match no correction) change nothing.
    stray = _one_worker(over, {"worker_id": None, "paid_on": PAY_DAY, "gross_fen": 9_000_000},
                        {"project_id": None, "paid_on": PAY_DAY, "gross_fen": 9_000_000})
    assert run(duck, **stray) == alone
