"""Measure the city and district dashboards over the loaded cases.

    .venv/bin/python bench/dashboard.py [--url postgres://postgres@127.0.0.1:5432/hexie_bench] [--repeat 20]
        [--refresh none|incremental|full] [--live]

`GET /insights/` (every KPI, series and the arbitration table for the last twelve months) through
Django's test Client, logged in as the city leader and as the 岳麓区 district leader, cold (computed
afresh: `?refresh=1`; the roll-up's part as read for its last refresh, `rollup.kept`), first after a
refresh (the same, with nothing kept: the roll-up's rows read too) and warm (right after, the
figures kept from the cold request). Baseline: the
SQL each cold page issued, captured and replayed bare through psycopg (as bench/run.py does for the
case list); `--profile N` also replays each statement alone and prints the N slowest. Also checks that the figures agree with the case list: the count of the list each of a
few figures links to. Prints p50 / p95 and writes bench/out/dashboard-<time>.json.

The figures read the closed-case roll-up (hexie.insights.rollup): `--refresh` times a refresh of it
first (`full`: rebuilt from scratch); `--live` measures with the roll-up switched off (every case
counted live, the page as it was before the roll-up).
"""

from __future__ import annotations

import argparse
import json
import os
import time
from datetime import datetime
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from _common import (
    BENCH_DISTRICT,
    CITY_LEADER,
    DEFAULT_URL,
    OUT,
    district_username,
    psycopg_url,
    setup_django,
)

TARGET_P95_MS = 200.0
# The page computed afresh, as a leader's "refresh" asks (the figures are otherwise kept a few minutes).
COLD = "/insights/?refresh=1"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", default=DEFAULT_URL)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--no-check", action="store_true", help="skip the figure = list length check")
    parser.add_argument("--refresh", choices=["none", "incremental", "full"], default="incremental",
                        help="refresh the closed-case roll-up first, and time it")
    parser.add_argument("--live", action="store_true", help="measure with the roll-up switched off")
    parser.add_argument("--profile", type=int, default=0, metavar="N",
                        help="also replay each statement alone (best of 3) and print the N slowest")
    args = parser.parse_args()
    setup_django(args.url)

    from django.conf import settings
    from django.core.cache import cache
    from django.core.management import call_command
    from django.test import Client
    from run import Replayer, capture_sql, staff, summary

    from hexie.cases.filters import CaseFilter
    from hexie.cases.selectors import queue
    from hexie.insights import rollup
    from hexie.insights.selectors import compute_dashboard, default_period
    from hexie.insights.services.rollup import refresh_rollup

    # The project's manifest storage (see bench_settings): the page's static files must be collected.
    call_command("collectstatic", interactive=False, verbosity=0)
    assert (settings.STATIC_ROOT / "staticfiles.json").exists()
    results: dict[str, Any] = {"url_db": args.url.rsplit("/", 1)[-1], "repeat": args.repeat,
                               "load_average": os.getloadavg(), "target_p95_ms": TARGET_P95_MS, "pages": {}}
    if args.refresh != "none":
        t0 = time.perf_counter()
        done = refresh_rollup(full=args.refresh == "full")
        results["refresh"] = {"kind": args.refresh, "seconds": time.perf_counter() - t0, **done}
        print(f"roll-up refresh ({args.refresh}): {results['refresh']['seconds']:.1f} s, "
              f"{done['cases']} cases, {done['rows']} rows, watermark {done['watermark']}", flush=True)
    if args.live:
        rollup.current_mark = lambda: None  # every case counted live, as before the roll-up
    results["live"] = args.live
    replayer = Replayer(psycopg_url(args.url))
    users = [("city", CITY_LEADER), (f"district {BENCH_DISTRICT}", district_username(BENCH_DISTRICT, "leader"))]
    print(f"== dashboard GET /insights/ (last 12 months), {args.repeat} requests per user ==", flush=True)
    for label, username in users:
        user = staff(username)
        client = Client()
        client.force_login(user)
        r = client.get(COLD)  # unmeasured: templates, calendar cache
        assert r.status_code == 200, r.status_code
        # Cold: computed afresh (the page asked to refresh), what the SQL floor compares with; warm:
        # the same page right after, its figures kept from the cold one (selectors.dashboard_figures).
        page_s, warm_s, first_s = [], [], []
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            r = client.get(COLD)
            page_s.append(time.perf_counter() - t0)
            assert r.status_code == 200
            # The first view after a roll-up refresh that nothing read yet: the roll-up's part too.
            cache.clear()
            t0 = time.perf_counter()
            r = client.get(COLD)
            first_s.append(time.perf_counter() - t0)
            assert r.status_code == 200
            t0 = time.perf_counter()
            r = client.get("/insights/")
            warm_s.append(time.perf_counter() - t0)
            assert r.status_code == 200
        cache.clear()
        with capture_sql() as seen:
            client.get(COLD)
        first_statements = list(seen)
        with capture_sql() as seen:
            client.get(COLD)
        statements = list(seen)
        with capture_sql() as seen:
            client.get("/insights/")
        warm_statements = len(seen)
        replayer.run(statements)
        floor_s = [replayer.run(statements) for _ in range(args.repeat)]
        replayer.run(first_statements)
        first_floor_s = [replayer.run(first_statements) for _ in range(args.repeat)]
        page = summary([s * 1000 for s in page_s])
        first = summary([s * 1000 for s in first_s])
        first_floor = summary([s * 1000 for s in first_floor_s])
        warm = summary([s * 1000 for s in warm_s])
        floor = summary([s * 1000 for s in floor_s])
        checks = []
        if not args.no_check:
            start, end = default_period()
            data = compute_dashboard(user_or_scope=user, start=start, end=end)
            for code in ("volume", "late", "within_limit_rate"):
                params = dict(parse_qsl(urlsplit(data["kpis"][code]["link"]).query))
                n = CaseFilter(params, queryset=queue(user)).qs.count()
                checks.append({"figure": code, "value": data["kpis"][code]["numerator"], "list": n,
                               "equal": n == data["kpis"][code]["numerator"]})
        profile = replayer.profile(statements) if args.profile else []
        results["pages"][label] = {"page_ms": page, "warm_ms": warm, "sql_ms": floor, "statements": len(statements),
                                   "first_ms": first, "first_sql_ms": first_floor,
                                   "first_statements": len(first_statements),
                                   "warm_statements": warm_statements, "checks": checks, "profile": profile}
        ok = "✔" if page["p95"] <= TARGET_P95_MS else "✘"
        print(f"{label:>16}: cold page p50 {page['p50']:7.0f} p95 {page['p95']:7.0f} ms   "
              f"SQL p50 {floor['p50']:7.0f} p95 {floor['p95']:7.0f} ms   {len(statements)} statements   "
              f"target p95 ≤ {TARGET_P95_MS:.0f} {ok}", flush=True)
        print(f"{'':>16}  first after a refresh p50 {first['p50']:7.0f} p95 {first['p95']:7.0f} ms   SQL p50 "
              f"{first_floor['p50']:7.0f} p95 {first_floor['p95']:7.0f} ms   {len(first_statements)} statements "
              "(the roll-up's part read too)", flush=True)
        print(f"{'':>16}  warm page p50 {warm['p50']:7.0f} p95 {warm['p95']:7.0f} ms   "
              f"{warm_statements} statements (figures kept from the cold request)", flush=True)
        for c in checks:
            print(f"{'':>18}{c['figure']}: figure {c['value']} = list {c['list']} {'✔' if c['equal'] else '✘'}")
        if profile:
            total = sum(p["ms"] for p in profile)
            print(f"{'':>18}statements replayed alone, best of 3: {total:.0f} ms in all; the slowest:")
            for p in sorted(profile, key=lambda p: -p["ms"])[:args.profile]:
                print(f"{'':>20}{p['ms']:7.1f} ms  #{p['index']:<3} {p['sql'][:150]}")
    replayer.close()
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"dashboard-{datetime.now():%Y%m%d-%H%M%S}.json"
    path.write_text(json.dumps(results, indent=2, default=str))
    print(f"written {path.relative_to(OUT.parent.parent)}")
    wrong = [f"{label}: {c['figure']}" for label, page in results["pages"].items() for c in page["checks"]
             if not c["equal"]]
    if wrong:  # a missed target is a figure to read; a figure that disagrees with its list is a failure
        raise SystemExit("figures that disagree with their lists: " + ", ".join(wrong))


if __name__ == "__main__":
    main()
