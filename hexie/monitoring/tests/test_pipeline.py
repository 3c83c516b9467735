"""The detection pipeline on a hand-built month: each rule has planted positives and, next to them,
negative controls just on the other side of its threshold or due date. No database is touched.

Month under test: March 2026 (202603). Pay is due by 2026-04-30; deposits by 2026-03-31.
"""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from hexie.monitoring import pipeline
from hexie.monitoring.pipeline import DEFAULT_RULES, Finding

# Ibis 12 calls a DuckDB method that DuckDB 2.0 deprecates; not ours to fix.
pytestmark = pytest.mark.filterwarnings("ignore:fetch_arrow_table:DeprecationWarning")

D = dt.date
M = 202603
AFTER_DUE = D(2026, 5, 6)
ON_DUE = D(2026, 4, 30)
MIN_WAGE = 193_000  # fen: 1,930 yuan a month
NORMAL_GROSS = 500_000
PAY_DAY = D(2026, 4, 10)


def _dataset() -> dict[str, list[dict[str, Any]]]:
    att: list[dict[str, Any]] = []
    pay: list[dict[str, Any]] = []
    dep: list[dict[str, Any]] = []
    roster: list[dict[str, Any]] = []

    def attend(project: int, worker: int, days: int, month: int = M) -> None:
        for day in range(1, days + 1):
            date = D(month // 100, month % 100, day)
            att.append({"worker_id": worker, "project_id": project, "work_date": date, "month": month,
                        "minutes": 480})

    def paid(project: int, worker: int, *, month: int = M, gross: int = NORMAL_GROSS,
             on: dt.date | None = PAY_DAY, net: int | None = None) -> None:
        pay.append({"worker_id": worker, "project_id": project, "month": month, "days": 1, "minutes": 480,
                    "gross_fen": gross, "net_fen": gross * 9 // 10 if net is None else net, "paid_on": on,
                    "is_back_pay": False})

    def deposit(project: int, amount: int = 1_000_000, month: int = M) -> None:
        dep.append({"project_id": project, "month": month, "amount_fen": amount,
                    "deposited_on": D(month // 100, month % 100, 5)})

    # P1: attendance, no payroll at all -> no_payment.
    for w, days in ((1, 5), (2, 4), (3, 3)):
        attend(1, w, days)
    # P2: paid on the due day itself -> no no_payment. February too (another month must not count).
    for w in (11, 12):
        attend(2, w, 2)
        paid(2, w, on=ON_DUE)
        attend(2, w, 3, month=202602)
        paid(2, w, month=202602, on=D(2026, 3, 10))
    # P3: one row paid a day late, one not paid -> no no_payment: the project's pay has arrived,
    # late (paid_late); the ledger row without a pay date is unpaid (fewer_paid).
    attend(3, 21, 1)
    attend(3, 22, 1)
    paid(3, 21, on=D(2026, 5, 1))
    paid(3, 22, on=None)
    # P4: 10 attending, 9 paid -> share exactly 10 % (not above); one fewer paid.
    for w in range(31, 41):
        attend(4, w, 1)
        if w < 40:
            paid(4, w)
    # P5: 10 attending, 8 paid -> 20 %.
    for w in range(41, 51):
        attend(5, w, 1)
        if w < 49:
            paid(5, w)
    # P6: a worker paid who did not attend: 3 paid for 2 attending -> nothing.
    attend(6, 51, 1)
    attend(6, 52, 1)
    for w in (51, 52, 53):
        paid(6, w)
    # P7: average exactly the minimum wage -> not below.
    attend(7, 71, 1)
    attend(7, 72, 1)
    paid(7, 71, gross=190_000)
    paid(7, 72, gross=196_000)
    # P8: average one fen under (192,999.5 rounds down) -> below_minimum.
    attend(8, 81, 1)
    attend(8, 82, 1)
    paid(8, 81, gross=193_000)
    paid(8, 82, gross=192_999)
    # P10: 50,000.01 yuan (over) next to exactly 50,000 yuan (not over).
    attend(10, 101, 1)
    attend(10, 102, 1)
    paid(10, 101, gross=5_000_001)
    paid(10, 102, gross=5_000_000)
    # P11: year to date 300,000.01 yuan (over) and exactly 300,000 (not over; December 2025
    # and April 2026 lie outside "the calendar year of M, months <= M").
    for w in (111, 112):
        attend(11, w, 1)
        paid(11, w, month=202601, gross=10_000_000)
        paid(11, w, month=202602, gross=10_000_000)
    paid(11, 111, gross=10_000_001)
    paid(11, 112, gross=10_000_000)
    paid(11, 112, month=202512, gross=20_000_000)
    paid(11, 112, month=202604, gross=20_000_000)
    # P12: leavers. 121 left on 20 March, no pay row; 124 left the same day, row not paid;
    # 122 left and was paid; 123 left in February; 125 has not left.
    for w in range(121, 126):
        attend(12, w, 2)
    paid(12, 122, on=D(2026, 3, 22))
    paid(12, 123)
    paid(12, 124, on=None)
    paid(12, 125)
    for w, exit_on in ((121, D(2026, 3, 20)), (122, D(2026, 3, 20)), (123, D(2026, 2, 27)),
                       (124, D(2026, 3, 20)), (125, None)):
        roster.append({"worker_id": w, "project_id": 12, "entry_date": D(2025, 10, 1), "exit_date": exit_on})
    roster.append({"worker_id": 121, "project_id": 2, "entry_date": D(2025, 10, 1),
                   "exit_date": D(2026, 3, 1)})  # left another project where he never worked in March
    # P13-P15: paid, but no deposit / a zero deposit / only February's deposit.
    for p, w in ((13, 131), (14, 141), (15, 151)):
        attend(p, w, 1)
        paid(p, w)
    deposit(14, amount=0)
    deposit(15, month=202602)
    # P16: 250 attending workers and no pay: the finding names the first 200.
    for w in range(1001, 1251):
        attend(16, w, 1)
    # P17: February only -> nothing for March.
    attend(17, 171, 4, month=202602)
    # P18: a row with a pay date but nothing paid (actualAmount 0) is not "paid".
    attend(18, 181, 1)
    paid(18, 181, net=0)

    for p in (1, 2, 3, 4, 5, 6, 7, 8, 10, 11, 12, 16, 17, 18):
        deposit(p)
    projects = [{"project_id": p, "min_wage_fen": MIN_WAGE} for p in range(1, 19)]
    return {"attendance": att, "payroll": pay, "deposits": dep, "roster": roster, "projects": projects}


DATA = _dataset()


def F(rule: str, project_id: int, workers: int, amount_fen: int, worker_ids: Any, **detail: int) -> Finding:
    return Finding(rule=rule, project_id=project_id, month=M, workers=workers, amount_fen=amount_fen,
                   worker_ids=tuple(worker_ids), detail=detail)


# The findings with the default thresholds, as of a day after both due dates.
EXPECTED: dict[str, list[Finding]] = {
    "below_minimum": [
        F("below_minimum", 8, 1, 1, [82], paid=2, avg_gross_fen=192_999, min_wage_fen=MIN_WAGE,
          threshold_fen=MIN_WAGE),
    ],
    "exit_unsettled": [F("exit_unsettled", 12, 2, 0, [121, 124], attendance_days=4)],
    "fewer_paid": [
        F("fewer_paid", 1, 3, 0, [1, 2, 3], attending=3, paid=0),
        F("fewer_paid", 3, 1, 0, [22], attending=2, paid=1),
        F("fewer_paid", 4, 1, 0, [40], attending=10, paid=9),
        F("fewer_paid", 5, 2, 0, [49, 50], attending=10, paid=8),
        F("fewer_paid", 12, 2, 0, [121, 124], attending=5, paid=3),
        F("fewer_paid", 16, 250, 0, range(1001, 1201), attending=250, paid=0),
        F("fewer_paid", 18, 1, 0, [181], attending=1, paid=0),
    ],
    "no_deposit": [
        F("no_deposit", 13, 1, 0, [], attending=1),
        F("no_deposit", 14, 1, 0, [], attending=1),
        F("no_deposit", 15, 1, 0, [], attending=1),
    ],
    "no_payment": [
        F("no_payment", 1, 3, 0, [1, 2, 3], attending=3, attendance_days=12),
        F("no_payment", 16, 250, 0, range(1001, 1201), attending=250, attendance_days=250),
        F("no_payment", 18, 1, 0, [181], attending=1, attendance_days=1),
    ],
    "paid_late": [F("paid_late", 3, 1, 0, [21], attending=2, paid=1)],
    "pay_over_month": [
        F("pay_over_month", 10, 1, 5_000_001, [101], threshold_fen=5_000_000),
        F("pay_over_month", 11, 2, 20_000_001, [111, 112], threshold_fen=5_000_000),
    ],
    "pay_over_year": [F("pay_over_year", 11, 1, 30_000_001, [111], threshold_fen=30_000_000)],
    "unpaid_share": [
        F("unpaid_share", 1, 3, 0, [1, 2, 3], attending=3, recorded=0, unpaid=3, share_pct=100),
        F("unpaid_share", 5, 2, 0, [49, 50], attending=10, recorded=8, unpaid=2, share_pct=20),
        F("unpaid_share", 12, 1, 0, [121], attending=5, recorded=4, unpaid=1, share_pct=20),
        F("unpaid_share", 16, 250, 0, range(1001, 1201), attending=250, recorded=0, unpaid=250, share_pct=100),
    ],
}
ALL_EXPECTED = [f for rule in sorted(EXPECTED) for f in EXPECTED[rule]]


def tables(**override: Any) -> dict[str, Any]:
    return {kind: pipeline.as_table(kind, override.get(kind, rows)) for kind, rows in DATA.items()}


@pytest.fixture(scope="module")
def duck() -> Any:
    return pipeline.open_backend("duckdb", threads=1, memory_limit="1GB")


def run(con: Any, *, as_of: dt.date = AFTER_DUE, rules: dict[str, int] | None = None, **inputs: Any,
        ) -> list[Finding]:
    return pipeline.find_warnings(con, month=M, as_of=as_of, rules=DEFAULT_RULES if rules is None else rules,
                                  **(inputs or tables()))


def only(rule: str, threshold: int | None = None) -> dict[str, int]:
    return {rule: DEFAULT_RULES[rule] if threshold is None else threshold}


# --- one rule at a time ----------------------------------------------------------------------


@pytest.mark.parametrize("rule", sorted(EXPECTED))
def test_each_rule_alone_finds_exactly_its_planted_projects(duck: Any, rule: str) -> None:
    assert run(duck, rules=only(rule)) == EXPECTED[rule]


def test_all_rules_together_sorted_by_rule_then_project(duck: Any) -> None:
    found = run(duck)
    assert found == ALL_EXPECTED
    assert [(f.rule, f.project_id) for f in found] == sorted((f.rule, f.project_id) for f in found)
    assert len(set(found)) == len(found)  # hashable despite the detail dict


def test_switched_off_rules_are_absent(duck: Any) -> None:
    rules = {k: v for k, v in DEFAULT_RULES.items() if k not in ("no_payment", "pay_over_year")}
    assert run(duck, rules=rules) == [f for f in ALL_EXPECTED if f.rule not in ("no_payment", "pay_over_year")]
    assert run(duck, rules={}) == []


def test_no_payment_waits_for_the_end_of_the_next_month(duck: Any) -> None:
    assert run(duck, as_of=ON_DUE, rules=only("no_payment")) == []
    assert run(duck, as_of=ON_DUE + dt.timedelta(days=1), rules=only("no_payment")) == EXPECTED["no_payment"]


def test_no_payment_names_at_most_200_workers_but_counts_all(duck: Any) -> None:
    big = next(f for f in EXPECTED["no_payment"] if f.project_id == 16)
    assert big.workers == 250
    assert len(big.worker_ids) == pipeline.MAX_WORKER_IDS
    assert big.worker_ids == tuple(sorted(big.worker_ids))


def test_unpaid_share_threshold_is_strictly_above(duck: Any) -> None:
    # 20 % is not above 20 % (P5, P12); 10 % (P4) is above 9 %; no payroll at all is 100 %.
    assert [f.project_id for f in run(duck, rules=only("unpaid_share", 20))] == [1, 16]
    found = run(duck, rules=only("unpaid_share", 9))
    assert [f.project_id for f in found] == [1, 4, 5, 12, 16]


def test_fewer_paid_allows_the_configured_gap(duck: Any) -> None:
    assert [f.project_id for f in run(duck, rules=only("fewer_paid", 1))] == [1, 5, 12, 16]


def test_a_month_without_payroll_rows_trips_the_share_and_count_rules(duck: Any) -> None:
    # P1 and P16 have attendance and no payroll row at all.
    found = {(f.rule, f.project_id) for f in run(duck)}
    assert {("unpaid_share", 1), ("fewer_paid", 1), ("unpaid_share", 16), ("fewer_paid", 16)} <= found
    # P17 had attendance only in February: nothing for March.
    assert not [f for f in run(duck) if f.project_id == 17]


@pytest.mark.parametrize("rule", ["no_payment", "paid_late", "fewer_paid"])
def test_pay_rules_wait_for_the_pay_to_fall_due(duck: Any, rule: str) -> None:
    assert run(duck, as_of=ON_DUE, rules=only(rule)) == []
    assert run(duck, as_of=ON_DUE + dt.timedelta(days=1), rules=only(rule)) != []


def test_a_project_without_pay_records_is_judged_once_the_pay_is_due(duck: Any) -> None:
    # P5 has pay records: judged at once. P1 and P16 have none: judged after the due date only.
    on_due = [f.project_id for f in run(duck, as_of=ON_DUE, rules=only("unpaid_share"))]
    after = [f.project_id for f in run(duck, as_of=ON_DUE + dt.timedelta(days=1), rules=only("unpaid_share"))]
    assert 5 in on_due and 1 not in on_due and 16 not in on_due
    assert {1, 5, 16} <= set(after)


def test_paid_means_a_pay_date_by_the_evaluation_day_and_an_amount(duck: Any) -> None:
    fewer = {f.project_id: f for f in run(duck, rules=only("fewer_paid"))}
    assert fewer[3].worker_ids == (22,)  # a ledger row without a pay date is unpaid
    assert fewer[18].worker_ids == (181,)  # a pay date but an actualAmount of 0 is unpaid
    assert 2 not in fewer and 6 not in fewer  # paid on the due day; paid more than attended


def test_pay_after_the_due_date_leaves_a_paid_late_finding(duck: Any) -> None:
    # P3 was paid on 1 May, a day after its due date: not "no payment" any more, but paid late.
    found = {(f.rule, f.project_id) for f in run(duck)}
    assert ("paid_late", 3) in found and ("no_payment", 3) not in found
    # P2 was paid on the due day itself: on time.
    assert ("paid_late", 2) not in found
    # Seen on the day the pay arrived, the day after it was due: already paid late.
    assert [f.project_id for f in run(duck, as_of=D(2026, 5, 1), rules=only("paid_late"))] == [3]


def test_exit_unsettled_grace_days(duck: Any) -> None:
    # Left on 20 March; five days' grace: due on the 25th.
    assert run(duck, as_of=D(2026, 3, 24), rules=only("exit_unsettled")) == []
    assert run(duck, as_of=D(2026, 3, 25), rules=only("exit_unsettled")) == EXPECTED["exit_unsettled"]
    # With no grace, on the 20th: 122's pay of the 22nd has not arrived yet, so he is unsettled too.
    same_day = run(duck, as_of=D(2026, 3, 20), rules=only("exit_unsettled", 0))
    assert [f.worker_ids for f in same_day] == [(121, 122, 124)]


def test_no_deposit_waits_for_the_end_of_the_month(duck: Any) -> None:
    assert run(duck, as_of=D(2026, 3, 31), rules=only("no_deposit")) == []
    assert run(duck, as_of=D(2026, 4, 1), rules=only("no_deposit")) == EXPECTED["no_deposit"]


def test_project_without_minimum_wage_row_is_not_judged_below_minimum(duck: Any) -> None:
    projects = [p for p in DATA["projects"] if p["project_id"] != 8]
    assert run(duck, rules=only("below_minimum"), **tables(projects=projects)) == []


def test_empty_inputs_give_no_findings(duck: Any) -> None:
    empty = {kind: pipeline.as_table(kind) for kind in pipeline.SCHEMAS}
    assert run(duck, **empty) == []


def test_bad_month_and_unknown_rule_are_refused(duck: Any) -> None:
    with pytest.raises(ValueError, match="yyyymm"):
        pipeline.find_warnings(duck, month=202613, as_of=AFTER_DUE, rules=DEFAULT_RULES, **tables())
    with pytest.raises(ValueError, match="no_such_rule"):
        run(duck, rules={"no_such_rule": 1})


def test_month_arithmetic() -> None:
    assert pipeline.add_months(202612, 1) == 202701
    assert pipeline.add_months(202601, -1) == 202512
    assert pipeline.last_day(202402) == D(2024, 2, 29)
    assert pipeline.first_day(202603) == D(2026, 3, 1)


# --- Parquet files, as the lake stores them (with extra columns) --------------------------------

_LAKE_EXTRA = {"attendance": {"batch_id": pa.int64()},
               "payroll": {"bank_card_token": pa.string(), "bank_card_last4": pa.string()},
               "deposits": {"batch_id": pa.int64()}}


@pytest.fixture(scope="module")
def lake(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[str]]:
    """Each feed split over two batch files, with the lake's extra columns."""
    root: Path = tmp_path_factory.mktemp("lake")
    files: dict[str, list[str]] = {}
    for kind, extra in _LAKE_EXTRA.items():
        rows = DATA[kind]
        files[kind] = []
        for part, chunk in enumerate((rows[: len(rows) // 2], rows[len(rows) // 2:])):
            table = pa.Table.from_pylist(chunk, schema=pipeline.SCHEMAS[kind])
            for name, typ in extra.items():
                table = table.append_column(name, pa.nulls(len(table), typ))
            path = root / f"{kind}-batch-{part}.parquet"
            pq.write_table(table, path)
            files[kind].append(str(path))
    return files


def _from_lake(con: Any, lake: dict[str, list[str]]) -> dict[str, Any]:
    inputs = pipeline.load_parquet(con, **lake)
    return {"attendance": inputs.attendance, "payroll": inputs.payroll, "deposits": inputs.deposits,
            "roster": pipeline.as_table("roster", DATA["roster"]),
            "projects": pipeline.as_table("projects", DATA["projects"])}


def test_parquet_inputs_give_the_same_findings(duck: Any, lake: dict[str, list[str]]) -> None:
    assert run(duck, **_from_lake(duck, lake)) == ALL_EXPECTED


def test_no_files_read_as_empty_feeds(duck: Any) -> None:
    inputs = pipeline.load_parquet(duck, attendance=[], payroll=[], deposits=[])
    assert inputs.payroll.schema().names == tuple(pipeline.SCHEMAS["payroll"].names)
    assert run(duck, attendance=inputs.attendance, payroll=inputs.payroll, deposits=inputs.deposits,
               roster=pipeline.as_table("roster"), projects=pipeline.as_table("projects")) == []


# --- the same job on Spark ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def spark() -> Iterator[Any]:
    """One Spark session for the module: starting the JVM is the expensive part."""
    if shutil.which("java") is None:
        pytest.skip("Spark needs Java (java is not on PATH)")
    pytest.importorskip("pyspark")
    con = pipeline.open_backend("pyspark", spark_master="local[2]", threads=2, memory_limit="1GB")
    yield con
    con.disconnect()


@pytest.mark.slow
def test_spark_and_duckdb_give_identical_findings(duck: Any, spark: Any, lake: dict[str, list[str]]) -> None:
    on_duck = run(duck, **_from_lake(duck, lake))
    on_spark = run(spark, **_from_lake(spark, lake))
    assert on_spark == on_duck == ALL_EXPECTED
    # In-memory inputs (as the Django side passes the roster and projects) work there too.
    assert run(spark, as_of=ON_DUE, rules=only("exit_unsettled")) == EXPECTED["exit_unsettled"]
