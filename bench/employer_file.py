"""Measure the staff view of one employer's file (employers:detail): the employer with its grade,
its rectification orders, its assessments and its cases, as a district leader opens it.

    .venv/bin/python bench/employer_file.py [--url postgres://postgres@127.0.0.1:5432/hexie_bench_file]
        [--employers 20000] [--cases 100000] [--pages 200]

Recreates its own database (hexie_bench* only) and generates the rows of the credit-grade bench
(credit_grades.generate: employers, cases drawn at random over them, violation records, signed-off
check-ups with an escalated order for one employer in two hundred), computes the year's grades,
then opens the file of ``--pages`` employers that have a grade, an order, an assessment and cases,
each through the whole Django stack (test client, session of a district leader).

Beside it, the baseline: the same SQL statements the page sent, replayed bare over psycopg (no
ORM, no template). Prints p50/p95 of both and the statements per page (target p95 ≤ 150 ms);
writes bench/out/employer-file-<time>.json.
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import time
from datetime import datetime
from statistics import median

import psycopg
from _common import OUT, check_bench_url, percentile, psycopg_url, setup_django
from credit_grades import YEAR, generate, recreate_database

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/hexie_bench_file"
TARGET_P95_MS = 150.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", default=DEFAULT_URL)
    parser.add_argument("--employers", type=int, default=20_000)
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--pages", type=int, default=200)
    args = parser.parse_args()
    check_bench_url(args.url)
    say = functools.partial(print, flush=True)
    recreate_database(args.url)
    setup_django(args.url)
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from hexie.credit.services import compute_grades
    from hexie.orgs.models import Role, User
    from hexie.prevention.models import RectificationOrder

    call_command("migrate", verbosity=0)
    if not (OUT / "static" / "staticfiles.json").exists():
        call_command("collectstatic", interactive=False, verbosity=0)
    say(f"generating {args.employers:,} employers, {args.cases:,} cases")
    counts = generate(args.url, args.employers, args.cases, say)
    compute_grades(actor=None, year=YEAR)
    with_orders = list(RectificationOrder.objects.values_list("employer_id", "employer__org_unit_id")
                       .order_by("employer_id")[:args.pages])
    if not with_orders:
        raise SystemExit("no employer with an order: too few employers for this bench (at least 200)")
    leaders: dict[int, User] = {}
    for _emp, unit in with_orders:
        if unit not in leaders:
            leaders[unit] = User.objects.create(username=f"bench_file_leader_{unit}", role=Role.LEADER,
                                                org_unit_id=unit)
    clients = {}
    for unit, user in leaders.items():
        clients[unit] = Client()
        clients[unit].force_login(user)

    first_emp, first_unit = with_orders[0]
    clients[first_unit].get(reverse("employers:detail", args=[first_emp]))  # warm-up: templates compiled
    page_s: list[float] = []
    replay_s: list[float] = []
    statements: list[int] = []
    with psycopg.connect(psycopg_url(args.url), autocommit=True) as bare:
        for emp, unit in with_orders:
            url = reverse("employers:detail", args=[emp])
            with CaptureQueriesContext(connection) as ctx:
                t0 = time.perf_counter()
                response = clients[unit].get(url)
                page_s.append(time.perf_counter() - t0)
            if response.status_code != 200:
                raise SystemExit(f"{url}: {response.status_code}")
            body = response.content.decode()
            if "rectification" not in body and "整改" not in body:
                raise SystemExit(f"{url}: the file does not show its orders")
            sqls = [q["sql"] for q in ctx.captured_queries
                    if q["sql"].lstrip().upper().startswith(("SELECT", "WITH"))]
            statements.append(len(ctx.captured_queries))
            t0 = time.perf_counter()
            for sql in sqls:
                bare.execute(sql.replace("%", "%%")).fetchall()  # type: ignore[arg-type]
            replay_s.append(time.perf_counter() - t0)

    def ms(values: list[float], q: float) -> float:
        return 1000 * percentile(values, q)

    p95 = ms(page_s, 95)
    out = {"employers": args.employers, "cases": args.cases, "rows": counts, "pages": len(page_s),
           "load_average": os.getloadavg(), "page_ms": {"p50": 1000 * median(page_s), "p95": p95},
           "replay_ms": {"p50": 1000 * median(replay_s), "p95": ms(replay_s, 95)},
           "statements": {"min": min(statements), "max": max(statements)}, "target_p95_ms": TARGET_P95_MS}
    ok = "✔" if p95 <= TARGET_P95_MS else "✘"
    say(f"== employer file, {args.employers:,} employers, {args.cases:,} cases, {len(page_s)} pages: "
        f"page p50 {1000 * median(page_s):.1f} ms p95 {p95:.1f} ms (target ≤ {TARGET_P95_MS:.0f} ms) {ok}; "
        f"bare SQL replay p50 {1000 * median(replay_s):.1f} ms p95 {ms(replay_s, 95):.1f} ms; "
        f"{min(statements)}–{max(statements)} statements; load {os.getloadavg()[0]:.1f}")
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"employer-file-{datetime.now():%Y%m%d-%H%M%S}.json"
    path.write_text(json.dumps(out, indent=2, default=str))
    say(f"written {path.relative_to(OUT.parent.parent)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
