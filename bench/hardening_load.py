"""Fire public filings at a real gunicorn about an employer with 1,000 cases: how many fail?

    .venv/bin/python bench/hardening_load.py [--url postgres://postgres@127.0.0.1:5432/hexie_bench_load]
                                             [--filings 500] [--concurrency 32] [--workers 8] [--history 1000]

Recreates its own database (hexie_bench* only), migrates it and makes the employer with --history
cases in one cluster window, as ``registration.py`` does. Starts gunicorn on loopback with
--workers sync workers and gunicorn's default 30 s timeout (the per-address filing limit raised,
since every request comes from 127.0.0.1), then sends --filings complaints about that employer to
``POST /api/v1/public/complaints/`` from --concurrency client threads. The baseline, in the same
run against the same server, after a warm-up: as many ``GET /api/v1/public/areas/`` (a read of a
few rows).

Prints attempts, failures (anything but 201: a 5xx, a gunicorn timeout, a refused connection)
and latencies beside the baseline's. Checks (exit 1 when one fails): no failure; every 201 is one
case, with a unique number, the numbers gapless; the employer's cluster counts every case.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from _common import REPO, database_name, percentile, setup_django

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/hexie_bench_load"


def keys() -> dict[str, str]:
    """Fresh secrets for this run, the same in this process (which writes the history) and the server."""
    from cryptography.fernet import Fernet

    return {"SECRET_KEY": secrets.token_urlsafe(50), "PII_KEY": Fernet.generate_key().decode(),
            "PII_HMAC_KEY": secrets.token_urlsafe(32)}


def request(method: str, url: str, body: dict[str, Any] | None = None) -> tuple[int, float]:
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(url, data=data, method=method,  # noqa: S310 - our own server on loopback
                                 headers={"Content-Type": "application/json", "Accept": "application/json"})
    t = time.perf_counter()
    try:
        with urllib.request.urlopen(req, timeout=60) as resp:  # noqa: S310
            resp.read()
            status = resp.status
    except urllib.error.HTTPError as exc:
        status = exc.code
    except OSError:
        status = 0  # refused, reset, timed out: a failure
    return status, time.perf_counter() - t


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for(url: str, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if request("GET", url)[0] == 200:
            return
        time.sleep(0.3)
    sys.exit(f"the server did not answer {url} within {seconds:.0f} s")


def fire(n: int, concurrency: int, call: Any) -> tuple[list[tuple[int, float]], float]:
    t = time.perf_counter()
    with ThreadPoolExecutor(concurrency) as pool:
        results = list(pool.map(call, range(n)))
    return results, time.perf_counter() - t


def report(label: str, results: list[tuple[int, float]], wall: float) -> None:
    lat = [s for _, s in results]
    codes = Counter(code for code, _ in results)
    print(f"{label:32} {len(results):6} {sum(1 for c, _ in results if c not in (200, 201)):8} "
          f"{1000 * statistics.median(lat):8.0f} {1000 * percentile(lat, 95):8.0f} {1000 * max(lat):8.0f} "
          f"{len(results) / wall:7.1f}  {dict(sorted(codes.items()))}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", default=DEFAULT_URL)
    parser.add_argument("--filings", type=int, default=500)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--workers", type=int, default=8)
    parser.add_argument("--history", type=int, default=1000)
    parser.add_argument("--port", type=int, default=0, help="default: a free port the system picks")
    args = parser.parse_args()
    secret = keys()
    os.environ.update(secret)
    setup_django(args.url)
    from registration import build_world, recreate_database

    recreate_database(args.url)
    from django.core.management import call_command

    from hexie.cases.models import Case, Cluster

    t0 = time.perf_counter()
    call_command("migrate", verbosity=0)
    world = build_world(args.history, 0)
    busy = world["busy"]
    print(f"database {database_name(args.url)}: employer with {args.history} cases ({time.perf_counter() - t0:.1f} s)")

    port = args.port or free_port()
    env = {**os.environ, **secret, "DATABASE_URL": args.url, "DJANGO_SETTINGS_MODULE": "hexie.settings",
           "PORTAL_RATE_LIMIT_PER_HOUR": str(10 * args.filings), "LOG_LEVEL": "WARNING", "DEBUG": "0"}
    server = subprocess.Popen(  # noqa: S603 - our interpreter, fixed arguments
        [sys.executable, "-m", "gunicorn", "hexie.wsgi", "-b", f"127.0.0.1:{port}", "--workers",
         str(args.workers), "--timeout", "30", "--log-level", "warning"], cwd=REPO, env=env)
    base = f"http://127.0.0.1:{port}/api/v1/public"
    try:
        wait_for(f"{base}/areas/", 60)
        if server.poll() is not None:  # something else answers on that port: never load someone else's server
            sys.exit(f"gunicorn exited ({server.returncode}); is port {port} taken?")

        def file(i: int) -> tuple[int, float]:
            return request("POST", f"{base}/complaints/", {
                "case_type": "wage_arrears", "org_unit": world["street"].code, "complainant_name": "王五",
                "complainant_phone": f"1390733{i:04d}", "employer_name": busy.name,
                "employer_credit_code": busy.credit_code, "workers_count": 3, "amount_claimed": "24000.00",
                "description": "项目完工三个月，工资一直未发。"})

        fire(4 * args.workers, args.concurrency, lambda i: request("GET", f"{base}/areas/"))  # every worker warm
        baseline, base_wall = fire(args.filings, args.concurrency, lambda i: request("GET", f"{base}/areas/"))
        filings, wall = fire(args.filings, args.concurrency, file)
    finally:
        server.terminate()
        server.wait(30)

    print(f"\n{args.filings} requests from {args.concurrency} clients, gunicorn with {args.workers} workers")
    print(f"{'':32} {'sent':>6} {'failed':>8} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'per s':>7}  answers")
    report("baseline: GET public/areas/", baseline, base_wall)
    report(f"filings about {args.history:,}-case employer", filings, wall)

    failures = []
    failed = [c for c, _ in filings if c != 201]
    if failed:
        failures.append(f"{len(failed)} of {args.filings} filings failed: {dict(Counter(failed))}")
    numbers = list(Case.objects.filter(channel="web").values_list("number", flat=True))
    if len(numbers) != args.filings - len(failed) or len(set(numbers)) != len(numbers):
        failures.append(f"{len(numbers)} cases for {args.filings - len(failed)} answers 201, or a number twice")
    serials = sorted(int(n.rsplit("-", 1)[1]) for n in Case.objects.filter(number__startswith="430100-")
                     .values_list("number", flat=True))
    if serials != list(range(serials[0], serials[0] + len(serials))):
        failures.append("the case numbers have a gap")
    cluster = Cluster.objects.get(key=f"emp:{busy.pk}")
    if cluster.case_count != Case.objects.filter(employer=busy).count():
        failures.append(f"the cluster counts {cluster.case_count}, the employer has "
                        f"{Case.objects.filter(employer=busy).count()} cases")
    for f in failures:
        print(f"CHECK FAILED: {f}")
    print("checks: " + ("failed" if failures else "0 failures, one case per 201, numbers unique and gapless, "
                        "cluster count exact"))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
