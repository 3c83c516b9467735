"""The bench's generated monitoring feeds: attendance, payroll and deposits in the lake's own schema
(hexie.monitoring.lake: every column, so that the bench cannot drift from what imports write), the
roster and projects as the job takes them, and the anomalies planted on known projects, one class of
projects per case of rules.md §3 (bench/README.md, "The data")."""

from __future__ import annotations

import datetime as dt
import json
import sys
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent

MONTH = 202603
AS_OF = dt.date(2026, 5, 6)
WORKERS_PER_PROJECT = 400
DAYS_PER_MONTH = 20
MONTHS = 3

# Planted anomalies: project class (project_id % 101) -> the rules that must fire there, and no others.
# Every rule the job knows must be planted somewhere (checked at start), so a new rule cannot go untested.
PLANTED_CLASSES: dict[str, tuple[int, ...]] = {
    "no_payment": (3, 15),  # 3: no March payroll at all; 15: paid on 7 May, after the evaluation day
    "paid_late": (4,),  # paid on 2 May, two days after the due date (13, paid on 30 April, is on time)
    "unpaid_share": (3, 5),  # 5: 60 of 400 workers without a March pay row (15 %)
    "fewer_paid": (3, 5, 6, 10, 14, 15),  # 6: one worker without a row; 14: one row paid 0 yuan
    "below_minimum": (7,),  # everyone paid 1,500 yuan in March
    # 8: one worker paid 60,000 yuan in March; 16 and 17: one worker paid 30,000 on each (per worker,
    # across projects); 19: 30,000 plus 30,000 of back pay. 18: 60,000 corrected to 6,000: no finding.
    "pay_over_month": (8, 9, 16, 17, 19),
    "pay_over_year": (9,),  # one worker paid 110,000 yuan in each of the three months
    "exit_unsettled": (10,),  # 8 workers left on 20 March; their March pay rows have no pay date
    "no_deposit": (11, 12),  # 11: no March deposit; 12: a zero deposit
}
MIN_PROJECTS = 20  # every class above, and project 17 beside project 16

def say(*args: Any) -> None:
    print(*args, flush=True)


def shape(rows: int) -> dict[str, int]:
    """Whole projects only, so that every planted project has its 400 workers."""
    projects = max(rows // (MONTHS * DAYS_PER_MONTH * WORKERS_PER_PROJECT), MIN_PROJECTS)
    workers = projects * WORKERS_PER_PROJECT
    return {"projects": projects, "workers": workers, "attendance": workers * MONTHS * DAYS_PER_MONTH,
            "payroll_max": workers * MONTHS}


def planted(projects: int) -> dict[str, list[int]]:
    return {rule: [p for p in range(1, projects + 1) if p % 101 in classes]
            for rule, classes in PLANTED_CLASSES.items()}


# DuckDB's name for each Arrow type the lake and the job's in-memory inputs use.
_DUCKDB_TYPES = {"int64": "BIGINT", "int32": "INTEGER", "date32[day]": "DATE", "string": "VARCHAR", "bool": "BOOLEAN"}


def _schemas() -> dict[str, Any]:
    """The schema of each file the bench writes: the lake's feeds as hexie.monitoring.lake writes them
    (every column, including those the job does not read), and the roster and projects tables as the
    job takes them from the registry."""
    sys.path.insert(0, str(REPO))
    from hexie.monitoring.lake import SCHEMAS as LAKE
    from hexie.monitoring.pipeline import SCHEMAS as JOB

    return {"attendance": LAKE["attendance"], "payroll": LAKE["payroll"], "deposits": LAKE["deposit"],
            "roster": JOB["roster"], "projects": JOB["projects"]}


def columns(kind: str, exprs: dict[str, str]) -> str:
    """The SELECT list of a generated file: one expression per column of its schema, in the schema's
    order and type. A column the bench has no expression for (the schema grew) stops the run."""
    schema = _schemas()[kind]
    missing = [n for n in schema.names if n not in exprs]
    extra = sorted(set(exprs) - set(schema.names))
    if missing or extra:
        raise SystemExit(f"bench/monitoring.py: {kind}: no value generated for the column(s) {', '.join(missing)}"
                         if missing else f"bench/monitoring.py: {kind}: not a column of the schema: {', '.join(extra)}")
    return ", ".join(f"CAST({exprs[f.name]} AS {_DUCKDB_TYPES[str(f.type)]}) AS {f.name}" for f in schema)


def check_files(target: Path) -> None:
    """Each written file has exactly its schema's columns and types."""
    import pyarrow.parquet as pq

    for kind, schema in _schemas().items():
        got = pq.read_schema(target / f"{kind}.parquet")
        if [(f.name, f.type) for f in got] != [(f.name, f.type) for f in schema]:
            raise SystemExit(f"bench/monitoring.py: {kind}.parquet does not match its schema:\n{got}\n≠\n{schema}")


def generate(rows: int, target: Path) -> None:
    import duckdb

    s = shape(rows)
    w, per_month = s["workers"], s["workers"] * DAYS_PER_MONTH
    wpp = WORKERS_PER_PROJECT
    target.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(config={"memory_limit": "8GB", "preserve_insertion_order": True})
    opts = "(FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 122880)"
    t0 = time.perf_counter()
    # Attendance in month order (the lake receives a month at a time, one import each), so each row
    # group holds one month and a reader of one month can skip the others by their statistics.
    con.execute(f"""
        COPY (
            SELECT {columns("attendance", {
                "worker_id": f"r // {DAYS_PER_MONTH} + 1",
                "project_id": f"r // {DAYS_PER_MONTH} // {wpp} + 1",
                "work_date": f"make_date(2026, m + 1, 1 + r % {DAYS_PER_MONTH} + (r // {DAYS_PER_MONTH}) % 8)",
                "month": "202601 + m",
                "minutes": "420 + hash(i) % 180",
                "batch_id": "m + 1",
            })}
            FROM (SELECT i, i // {per_month} AS m, i % {per_month} AS r FROM range({s["attendance"]}) t(i))
        ) TO '{target / "attendance.parquet"}' {opts}
    """)
    say(f"  attendance: {s['attendance']:,} rows in {time.perf_counter() - t0:.1f} s")
    t0 = time.perf_counter()
    # Payroll: one import a month (batch 1-3, the month's rows), then a correction import (batch 4)
    # and a back-pay import (batch 5) for March. Seat 0 is each project's first worker.
    # Batch 5 rows carry no days (back pay; the worker paid on a second project). Card tokens (Fernet)
    # are left NULL: the job never reads them.
    con.execute(f"""
        COPY (
            WITH base AS (
                SELECT w.w, m.m, w.w // {wpp} + 1 AS project_id, w.w % {wpp} AS seat,
                       (w.w // {wpp} + 1) % 101 AS c, 600000 + hash(w.w * 3 + m.m) % 200000 AS normal
                FROM range({w}) w(w) CROSS JOIN range({MONTHS}) m(m)
            ), monthly AS (
                SELECT w + 1 AS worker_id, project_id, 202601 + m AS month, m + 1 AS batch_id,
                       false AS is_back_pay, false AS is_correction,
                       CASE WHEN c = 9 AND seat = 0 THEN 11000000
                            WHEN m = 2 AND c = 8 AND seat = 0 THEN 6000000
                            WHEN m = 2 AND c = 18 AND seat = 0 THEN 6000000
                            WHEN m = 2 AND c IN (16, 19) AND seat = 0 THEN 3000000
                            WHEN m = 2 AND c = 7 THEN 150000
                            ELSE normal END AS gross_fen,
                       CASE WHEN m = 2 AND c = 14 AND seat = 0 THEN 0 END AS net_override,
                       CASE WHEN m = 2 AND c = 4 THEN DATE '2026-05-02'
                            WHEN m = 2 AND c = 13 THEN DATE '2026-04-30'
                            WHEN m = 2 AND c = 15 THEN DATE '2026-05-07'
                            WHEN m = 2 AND ((c = 10 AND seat % 50 = 0) OR (c = 18 AND seat = 0)) THEN NULL
                            ELSE make_date(2026, m + 2, 10) END AS paid_on
                FROM base
                WHERE NOT (m = 2 AND (c = 3 OR (c = 5 AND seat % 100 < 15) OR (c = 6 AND seat = 0)))
            ), later AS (
                -- 16: its seat-0 worker also paid 30,000 on the next project (class 17), where it has no attendance
                SELECT w + 1, project_id + (c = 16)::INT, 202603, CASE c WHEN 18 THEN 4 ELSE 5 END,
                       c = 19, c = 18, CASE c WHEN 18 THEN 600000 ELSE 3000000 END, NULL,
                       CASE c WHEN 18 THEN DATE '2026-04-10' ELSE DATE '2026-04-20' END
                FROM base WHERE m = 2 AND seat = 0 AND c IN (16, 18, 19)
            ), pay AS (SELECT * FROM monthly UNION ALL SELECT * FROM later)
            SELECT {columns("payroll", {
                "worker_id": "worker_id", "project_id": "project_id", "month": "month",
                "days": f"CASE WHEN batch_id = 5 THEN 0 ELSE {DAYS_PER_MONTH} END",
                "minutes": f"CASE WHEN batch_id = 5 THEN 0 ELSE {DAYS_PER_MONTH * 480} END",
                "gross_fen": "gross_fen", "net_fen": "coalesce(net_override, gross_fen * 9 // 10)",
                "paid_on": "paid_on",
                "bank_card_token": "NULL",
                "bank_card_last4": "lpad((worker_id % 10000)::VARCHAR, 4, '0')",
                "is_back_pay": "is_back_pay", "is_correction": "is_correction", "batch_id": "batch_id",
            })}
            FROM pay ORDER BY batch_id, worker_id
        ) TO '{target / "payroll.parquet"}' {opts}
    """)
    con.execute(f"""
        COPY (
            SELECT {columns("deposits", {
                "project_id": "p + 1", "month": "202601 + m",
                "amount_fen": "CASE WHEN m = 2 AND (p + 1) % 101 = 12 THEN 0 ELSE 1000000 + hash(p) % 500000 END",
                "deposited_on": "make_date(2026, m + 1, 5)", "batch_id": "m + 1",
            })}
            FROM range({s["projects"]}) pp(p) CROSS JOIN range({MONTHS}) mm(m)
            WHERE NOT (m = 2 AND (p + 1) % 101 = 11)
        ) TO '{target / "deposits.parquet"}' {opts}
    """)
    con.execute(f"""
        COPY (
            SELECT {columns("roster", {
                "worker_id": "w + 1", "project_id": f"w // {wpp} + 1", "entry_date": "DATE '2025-12-01'",
                "exit_date": f"CASE WHEN (w // {wpp} + 1) % 101 = 10 AND (w % {wpp}) % 50 = 0 "
                             "THEN DATE '2026-03-20' END",
            })}
            FROM range({w}) t(w)
        ) TO '{target / "roster.parquet"}' {opts}
    """)
    con.execute(f"""
        COPY (
            SELECT {columns("projects", {
                "project_id": "p + 1", "min_wage_fen": "CASE WHEN (p + 1) % 3 = 0 THEN 180000 ELSE 193000 END",
            })}
            FROM range({s["projects"]}) t(p)
        ) TO '{target / "projects.parquet"}' {opts}
    """)
    say(f"  payroll, deposits, roster, projects in {time.perf_counter() - t0:.1f} s")
    con.close()
    check_files(target)
    (target / "shape.json").write_text(json.dumps(s))
