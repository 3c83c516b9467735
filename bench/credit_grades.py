"""Measure the yearly compliance-grade computation (hexie.credit.services.grades.compute_grades).

    .venv/bin/python bench/credit_grades.py [--url postgres://postgres@127.0.0.1:5432/hexie_bench_credit]
        [--employers 200000] [--cases 1000000] [--repeat 3]

Recreates its own database (hexie_bench* only), migrates it, and generates the rows inside
PostgreSQL with generate_series: the bench city's org tree, N employers, M cases (a fifth of them
resolved inspection cases in the record year, most ending in an order, so that sanctions reach
every grade), violation records for one employer in a hundred, and escalated rectification orders.
Then it times, `--repeat` times each, in the same run:

* the grade computation as the yearly job runs it (all employers, one record year): the
  aggregation, the grades written and the links to the cases, records and orders behind them;
* the baseline: the bare SQL of the same aggregation and the same CASE, written by
  `CREATE TEMP TABLE … AS` (the same rows materialised, without the grades' indexes, constraint
  and links).

Prints p50 and the ratio to the baseline (target ≤ 3×; 200,000 employers with 1 M cases within
60 s on 2 cores) and writes bench/out/credit-<time>.json. Checks: the grades of a sample of
employers equal what the pure rules (hexie.credit.rules.grade_for) give for their counts.
"""

from __future__ import annotations

import argparse
import json
import os
import time
from datetime import datetime
from statistics import median
from typing import Any

import psycopg
from _common import (
    CITY,
    DISTRICTS,
    OUT,
    check_bench_url,
    database_name,
    model_columns,
    psycopg_url,
    setup_django,
)

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/hexie_bench_credit"
TARGET_RATIO = 3.0
YEAR = 2025


def recreate_database(url: str) -> None:
    name = database_name(url)
    admin = psycopg_url(url).rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def insert_select(model: Any, exprs: dict[str, str], source: str) -> str:
    """INSERT … SELECT for a model from SQL expressions per column; refuses (naming them) NOT NULL
    columns left without an expression or columns the model does not have."""
    columns, not_null = model_columns(model)
    unknown = sorted(set(exprs) - set(columns))
    missing = sorted(c for c in not_null if c not in exprs and c != "id")
    if unknown or missing:
        raise SystemExit(f"{model._meta.db_table}: unknown {unknown}, no value for NOT NULL {missing}")
    cols = list(exprs)
    return (f"INSERT INTO {model._meta.db_table} ({', '.join(cols)}) "
            f"SELECT {', '.join(exprs[c] for c in cols)} FROM {source}")


def generate(url: str, employers: int, cases: int, say: Any) -> dict[str, int]:
    from hexie.cases.models import Case
    from hexie.credit.models import CreditRecord
    from hexie.employers.models import Employer
    from hexie.orgs.models import OrgUnit
    from hexie.prevention.models import Assessment, RectificationOrder, ScoreSheet

    city = OrgUnit.objects.create(code=CITY[0], name=CITY[1], level="city")
    units = [OrgUnit.objects.create(code=c, name=n, level="district", parent=city).pk for c, n in DISTRICTS]
    unit_array = "ARRAY[" + ",".join(map(str, units)) + "]"
    now = "TIMESTAMPTZ '2026-01-10 09:00+08'"
    emp = insert_select(Employer, {
        "credit_code": "'B' || lpad(g::text, 17, '0')", "name": "'单位' || g", "legal_representative": "''",
        "industry": "'construction'", "size": "'small'", "address": "''",
        "org_unit_id": f"({unit_array})[1 + g % {len(units)}]", "contact_phone": "''", "risk_grade": "'green'",
        "risk_reasons": "'[]'", "created_at": now, "updated_at": now,
    }, f"generate_series(1, {employers}) g")
    # Each case against an employer drawn at random (seeded); every fifth a resolved inspection case
    # in the record year (four in five of those with an order), the rest mediation cases of
    # earlier years. With as many sanctions as employers, about 36 % get none (A), 45 % one or
    # two (B) and 19 % three or more (C).
    sanction = "g % 5 = 0"
    case = insert_select(Case, {
        "number": "'B' || g", "tracking_code": "'T' || g", "case_type": "'wage_arrears'", "channel": "'web'",
        "status": f"CASE WHEN {sanction} THEN 'closed' ELSE 'closed' END",
        "track": f"CASE WHEN {sanction} THEN 'inspection' ELSE 'mediation' END",
        "received_at": f"{now} - interval '400 days'", "external_ref": "''", "complainant_name": "'某'",
        "complainant_phone": "''", "complainant_phone_hash": "''", "complainant_phone_last4": "'0000'",
        "complainant_id_number": "''", "complainant_id_hash": "''", "employer_name": "'单位'",
        "employer_credit_code": "''", "employer_address": "''", "project_name": "''",
        "employer_id": f"(SELECT min(id) FROM {Employer._meta.db_table}) + floor(random() * {employers})::int",
        "org_unit_id": f"({unit_array})[1 + g % {len(units)}]", "workers_count": "1", "amount_claimed": "5000",
        "description": "'拖欠工资'", "complexity": "'simple'", "is_collective": "false", "is_repeat": "false",
        "is_backlog": "false", "risk_level": "'green'", "attention_level": "'normal'", "triage_reasons": "'[]'",
        "refusal_reason": "''",
        "closure_conclusion": f"CASE WHEN {sanction} AND g % 25 <> 0 THEN 'order_issued' ELSE 'paid_in_full' END",
        "dispute_cause": "''", "outcome": "''", "reopen_count": "0",
        "resolved_at": f"CASE WHEN {sanction} THEN TIMESTAMPTZ '{YEAR}-01-01 10:00+08' + (g % 360) * interval '1 day' "
                       f"ELSE {now} - interval '500 days' END",
        "closed_at": f"{now} - interval '10 days'", "created_at": now, "updated_at": now, "version": "0",
    }, f"generate_series(1, {cases}) g")
    first_emp = f"(SELECT min(id) FROM {Employer._meta.db_table})"
    rec = insert_select(CreditRecord, {
        "employer_id": f"{first_emp} + g * 100", "kind": "(ARRAY['mass_incident','child_labour','obstruction'])"
                                                         "[1 + g % 3]",
        "occurred_on": f"DATE '{YEAR}-03-01' + g % 300", "description": "'记录'", "created_at": now,
    }, f"generate_series(0, {employers // 100 - 1}) g")
    sheet = ScoreSheet.objects.filter(kind="checkup").first()
    assert sheet is not None
    ass = insert_select(Assessment, {
        "sheet_id": str(sheet.pk), "kind": "'checkup'", "employer_id": f"{first_emp} + g * 200 + 1",
        "origin": "'inspection'", "year": str(YEAR), "state": "'signed_off'", "bonus": "0", "penalty": "0",
        "section_scores": "'{}'", "started_at": now, "sign_off_note": "''",
    }, f"generate_series(0, {employers // 200 - 1}) g")
    order = insert_select(RectificationOrder, {
        "number": "'Z' || a.id", "assessment_id": "a.id", "employer_id": "a.employer_id", "requirements": "'整改'",
        "legal_basis": "'x'", "state": "'escalated'", "issued_on": f"DATE '{YEAR}-05-01'", "working_days": "15",
        "deadline": f"DATE '{YEAR}-05-22'", "deadline_provisional": "false", "response": "''", "recheck_note": "''",
    }, f"{Assessment._meta.db_table} a")
    counts = {}
    with psycopg.connect(psycopg_url(url), autocommit=True) as conn:
        conn.execute("SELECT setseed(0.2026)")
        for label, sql in (("employers", emp), ("cases", case), ("records", rec), ("assessments", ass),
                           ("orders", order)):
            t0 = time.perf_counter()
            counts[label] = conn.execute(sql).rowcount
            say(f"  {label}: {counts[label]:,} rows in {time.perf_counter() - t0:.1f}s")
        conn.execute("ANALYZE")
    return counts


def baseline_sql(year: int) -> tuple[str, list[Any]]:
    """The SELECT compute_grades runs (the same aggregation and CASE), into a temporary table."""
    from django.db import connection

    from hexie.core import clock
    from hexie.credit.selectors import criteria_for
    from hexie.credit.services.grades import grading_select

    sql, params = grading_select(year=year, criteria=criteria_for(year),
                                 now_db=connection.ops.adapt_datetimefield_value(clock.now()))
    return f"CREATE TEMP TABLE bench_grades AS {sql}", params


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", default=DEFAULT_URL)
    parser.add_argument("--employers", type=int, default=200_000)
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    check_bench_url(args.url)

    def say(msg: str) -> None:
        print(msg, flush=True)

    recreate_database(args.url)
    setup_django(args.url)
    from django.core.management import call_command
    from django.db import connection

    from hexie.credit.models import CreditGrade
    from hexie.credit.rules import grade_for
    from hexie.credit.selectors import criteria_for
    from hexie.credit.services import compute_grades

    t0 = time.perf_counter()
    call_command("migrate", verbosity=0)
    say(f"migrated in {time.perf_counter() - t0:.1f}s; generating {args.employers:,} employers, {args.cases:,} cases")
    counts = generate(args.url, args.employers, args.cases, say)

    base_sql, base_params = baseline_sql(YEAR)
    base_s, run_s = [], []
    for _ in range(args.repeat):
        with psycopg.connect(psycopg_url(args.url)) as conn:
            t0 = time.perf_counter()
            conn.execute(base_sql, base_params)
            base_s.append(time.perf_counter() - t0)
            conn.rollback()
        _clear(connection)
        t0 = time.perf_counter()
        result = compute_grades(actor=None, year=YEAR)
        run_s.append(time.perf_counter() - t0)
        say(f"  grades {result}: {run_s[-1]:.2f}s   baseline {base_s[-1]:.2f}s")
    criteria = criteria_for(YEAR)
    sample = list(CreditGrade.objects.order_by("?")[:500])
    wrong = [g.pk for g in sample if grade_for(g.counts(), criteria).grade != g.grade]
    links = sum(len(ids) for ids in CreditGrade.objects.values_list("case_ids", flat=True))
    ratio = median(run_s) / median(base_s)
    out = {"employers": args.employers, "cases": args.cases, "rows": counts, "repeat": args.repeat,
           "load_average": os.getloadavg(), "grades": result, "links_to_cases": links,
           "compute_s": run_s, "baseline_s": base_s, "ratio_p50": ratio, "target_ratio": TARGET_RATIO,
           "sample_checked": len(sample), "sample_wrong": wrong}
    ok = "✔" if ratio <= TARGET_RATIO else "✘"
    say(f"== credit grades, {args.employers:,} employers, {args.cases:,} cases: compute p50 {median(run_s):.2f}s, "
        f"bare-SQL baseline p50 {median(base_s):.2f}s, ratio {ratio:.2f}× (target ≤ {TARGET_RATIO:.0f}×) {ok}; "
        f"{links:,} links to cases; load {os.getloadavg()[0]:.1f}")
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"credit-{datetime.now():%Y%m%d-%H%M%S}.json"
    path.write_text(json.dumps(out, indent=2, default=str))
    say(f"written {path.relative_to(OUT.parent.parent)}")
    if wrong:
        raise SystemExit(f"grades that disagree with the rules: {wrong[:10]}")


def _clear(connection: Any) -> None:
    """Remove the year's grades between runs (not timed)."""
    from hexie.credit.models import CreditGrade

    with connection.cursor() as cur:
        cur.execute(f"DELETE FROM {CreditGrade._meta.db_table}")


if __name__ == "__main__":
    main()
