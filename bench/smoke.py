"""Run every bench at small sizes against PostgreSQL: proof that each one still runs on this code.

    .venv/bin/python bench/smoke.py [--url postgres://postgres@127.0.0.1:5432/hexie_bench_smoke]
    make bench-smoke                     # the same; BENCH_SMOKE_URL=... picks another server

In order, each in its own process, with its output shown as it comes (every figure next to its
baseline, as the benches print them):

1. load_cases.py — 20,000 cases into the smoke database (dropped and recreated; hexie_bench* only);
2. run.py — the case list, case pages, the supervision sweep and 5 s of lifecycles on them;
3. search.py — the queue's short searches, twice per term and user;
4. dashboard.py — the city and district dashboards with no roll-up (every case counted live): a
   full roll-up refresh takes about a minute even at 20,000 cases (62 s on a busy 2-core machine),
   half the budget; hexie/insights/tests/test_rollup.py checks the roll-up;
5. monitoring.py — the wage-monitoring job on 1,000,000 generated attendance rows;
6. registration.py — registering cases about a new employer and one with 200 cases, in a database
   of its own (the smoke database's name + ``_registration``).
7. credit_grades.py — the yearly compliance grades of 5,000 employers with 25,000 cases, in its own
   database (the smoke database's name + `_credit`, dropped and recreated).
8. employer_file.py — the staff view of 10 employers' files (grade, orders, assessments, cases) among
   2,000 employers with 10,000 cases, in its own database (the smoke database's name + `_file`).

Exits non-zero when any bench fails: it crashes, or one of its checks fails (the sweep's count and
idempotence, a dashboard figure against the list it links to, the monitoring job's planted
findings). A target missed at these sizes, or on a busy machine, is printed but is not a failure:
the smoke run is about whether the benches run, the figures at full size are in bench/README.md.
74–156 s measured with the 2 cores shared (load 7–8.5), 26–27 s of it the benches' own CPU time:
about a minute expected on idle cores. It says when a run took longer than its two-minute budget.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time

from _common import BENCH, OUT, REPO, check_bench_url

DEFAULT_SMOKE_URL = "postgres://postgres@127.0.0.1:5432/hexie_bench_smoke"
BUDGET_S = 120.0
CASES = 20_000  # enough that every list filter has a second page in the bench district
ATTENDANCE_ROWS = 1_000_000
CREDIT_EMPLOYERS, CREDIT_CASES = 5_000, 25_000
FILE_EMPLOYERS, FILE_CASES = 2_000, 10_000


def benches(url: str) -> list[tuple[str, list[str]]]:
    return [
        ("load_cases", ["load_cases.py", "--url", url, "--cases", str(CASES)]),
        ("run", ["run.py", "--url", url, "--repeat", "8", "--seconds", "5"]),
        ("search", ["search.py", "--url", url, "--repeat", "2"]),
        ("dashboard", ["dashboard.py", "--url", url, "--repeat", "3", "--refresh", "none"]),
        ("monitoring", ["monitoring.py", "--rows", str(ATTENDANCE_ROWS), "--repeat", "1"]),
        ("registration", ["registration.py", "--url", url + "_registration", "--history", "200", "--repeat", "10"]),
        ("credit_grades", ["credit_grades.py", "--url", f"{url}_credit", "--employers", str(CREDIT_EMPLOYERS),
                           "--cases", str(CREDIT_CASES), "--repeat", "1"]),
        ("employer_file", ["employer_file.py", "--url", f"{url}_file", "--employers", str(FILE_EMPLOYERS),
                           "--cases", str(FILE_CASES), "--pages", "10"]),
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", default=DEFAULT_SMOKE_URL)
    args = parser.parse_args()
    check_bench_url(args.url)
    OUT.mkdir(parents=True, exist_ok=True)
    results: list[tuple[str, int, float]] = []
    started = time.perf_counter()
    for name, argv in benches(args.url):
        if name in ("run", "search", "dashboard") and results[0][1] != 0:
            results.append((name, -1, 0.0))  # they read the database the load failed to make
            continue
        print(f"\n######## {name}: {' '.join(['bench/' + argv[0], *argv[1:]])}", flush=True)
        t0 = time.perf_counter()
        rc = subprocess.call([sys.executable, str(BENCH / argv[0]), *argv[1:]], cwd=REPO)  # noqa: S603  (our own scripts)
        results.append((name, rc, time.perf_counter() - t0))
    total = time.perf_counter() - started
    print("\n######## bench smoke run", flush=True)
    for name, rc, seconds in results:
        state = "ok" if rc == 0 else ("not run: the load failed" if rc < 0 else f"FAILED (exit {rc})")
        print(f"{name:12} {seconds:7.1f} s  {state}")
    over = f" (over the {BUDGET_S:.0f} s budget: a busy machine, or a bench grew slower)" if total > BUDGET_S else ""
    print(f"{'total':12} {total:7.1f} s{over}")
    failed = [name for name, rc, _ in results if rc != 0]
    if failed:
        print(f"bench smoke: FAILED: {', '.join(failed)}")
        return 1
    print("bench smoke: every bench ran and its checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
