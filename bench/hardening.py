"""The hardening figures: the jurisdiction matrix, Schemathesis, and the bad-input catalogue.

    .venv/bin/python bench/hardening.py                       # SQLite (a test database in memory)
    .venv/bin/python bench/hardening.py --url postgres://postgres@127.0.0.1:5432/hexie_bench_hardening
    .venv/bin/python bench/hardening.py --examples 30         # Schemathesis examples per operation

It runs the suites that keep these figures at zero, in their own pytest process, and prints one
line per suite: attempts, failures, leaks.

* jurisdiction matrix (``hexie/demo/tests/test_scope_sweep.py``): every page, API route and admin
  page naming a row of one district, asked by another district's desk, handler, leader and
  administrator and by three partner agencies, with GET, POST, PATCH and DELETE, next to the same
  request for a row that does not exist. A failure is an answer that differs or a request that
  changed a row; a leak is an answer that differs.
* Schemathesis (``test_api_fuzz.py``), as a district clerk and as the city leader: attempts are
  the examples sent; failures the distinct (operation, check) failures; leaks the operations that
  raised a server error. Also printed: operations, server errors, schema violations.
* bad inputs (``test_bad_inputs.py``), one line per kind: NUL characters, deep and broken JSON,
  huge ids, paging, unknown parameters, empty filters (which must answer 200), bad feed files. A
  failure is an answer other than the documented 4xx in JSON naming the field (or a rejected
  import saying why); a leak is a 500 or an answer that shows the server's insides.

With ``--url`` (PostgreSQL, ``hexie_bench*`` only) pytest-django creates and drops
``test_<name>`` on that server. The suites' own assertions decide the exit status: non-zero when
any figure that must be zero is not. About 3–4 minutes on SQLite with 2 busy cores, 8 examples.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import REPO, check_bench_url

SUITES = [
    "hexie/demo/tests/test_scope_sweep.py::test_another_district_and_partner_agencies_find_nothing_and_change_nothing",
    "hexie/demo/tests/test_api_fuzz.py",
    "hexie/demo/tests/test_bad_inputs.py",
]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", default="", help="PostgreSQL URL of a hexie_bench* database (default: SQLite)")
    parser.add_argument("--examples", type=int, default=0, help="Schemathesis examples per operation (default 8)")
    args = parser.parse_args()
    env = dict(os.environ)
    if args.url:
        check_bench_url(args.url)
        env["DATABASE_URL"] = args.url
    else:
        env.pop("DATABASE_URL", None)
    if args.examples:
        env["HEXIE_FUZZ_EXAMPLES"] = str(args.examples)
    with tempfile.TemporaryDirectory() as tmp:
        figures_file = Path(tmp) / "figures.jsonl"
        env["HEXIE_FIGURES"] = str(figures_file)
        started = time.perf_counter()
        rc = subprocess.call(  # noqa: S603  (our own test suites)
            [sys.executable, "-m", "pytest", "-p", "no:xdist", "-p", "no:cacheprovider", "-o",
             "addopts=--strict-markers", "-q", "-p", "no:logging", *SUITES],
            cwd=REPO, env=env)
        seconds = time.perf_counter() - started
        lines = [json.loads(row) for row in figures_file.read_text().splitlines()] if figures_file.exists() else []
    print(f"\n######## hardening figures ({'PostgreSQL' if args.url else 'SQLite'}, {seconds:.0f} s)")
    print(f"{'suite':40} {'attempts':>9} {'failures':>9} {'leaks':>6}  other")
    for row in lines:
        other = ", ".join(f"{k} {v}" for k, v in row.items() if k not in ("line", "attempts", "failures", "leaks"))
        print(f"{row['line']:40} {row['attempts']:9d} {row['failures']:9d} {row['leaks']:6d}  {other}")
    total = {k: sum(r[k] for r in lines) for k in ("attempts", "failures", "leaks")}
    print(f"{'total':40} {total['attempts']:9d} {total['failures']:9d} {total['leaks']:6d}")
    if rc != 0 or len(lines) < 3:
        print(f"hardening: FAILED (pytest exit {rc}, {len(lines)} lines of figures)")
        return 1
    print("hardening: no leak, no failure")
    return 0


if __name__ == "__main__":
    sys.exit(main())
