"""Measure registering a case about an employer with no history against one with 1,000 cases.

    .venv/bin/python bench/registration.py [--url postgres://postgres@127.0.0.1:5432/hexie_bench_registration]
                                           [--history 1000] [--repeat 60]

Recreates its own database (hexie_bench* only) and migrates it, then makes a district with a
front-desk clerk and registered employers: one "busy" employer with --history cases received
over the last five days from as many complainants (one cluster, as registering them one by one
leaves them: the first case goes through ``register_case``, the rest are copies of it written with
``bulk_create``), one "small" employer with 5 such cases, and --repeat employers with none.

Then --repeat times, alternately: a case about a fresh employer and a case about the busy one,
each through ``hexie.cases.services.register_case`` (the real service: checks, numbering, triage,
clustering, clocks, timeline, outbox; one transaction each, committed). The baseline, measured in
the same run: the same case row written with one plain SQL INSERT in a transaction of its own.
Figures: p50/p95 of each, the ratios between them, and the SQL statements one registration
issues (seen with ``connection.execute_wrapper``). Checks (exit 1 when one fails): the busy
employer's registration issues the very statements the small one's does (text with placeholders,
so no list of the cluster's members), so its cost cannot grow with the history; every case got
its own number, and the busy cluster counts every case.
"""

from __future__ import annotations

import argparse
import copy
import random
import re
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from decimal import Decimal
from typing import Any

import psycopg
from _common import check_row, database_name, model_columns, percentile, psycopg_url, setup_django
from psycopg.rows import dict_row
from psycopg.types.json import Jsonb

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/hexie_bench_registration"
SMALL_HISTORY = 5


def recreate_database(url: str) -> None:
    name = database_name(url)
    admin = psycopg_url(url).rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def credit_codes(n: int) -> list[str]:
    """n distinct well-formed unified social credit codes."""
    from hexie.core.identifiers import make_credit_code

    rng, codes = random.Random(7), dict[str, None]()
    while len(codes) < n:
        codes[make_credit_code(rng, "430104")] = None
    return list(codes)


@contextmanager
def counting() -> Iterator[list[str]]:
    from django.db import connection

    seen: list[str] = []

    def wrapper(execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
        seen.append(re.sub(r'"s\d+_x\d+"', '"savepoint"', sql))  # savepoint names differ from call to call
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        yield seen


def build_world(history: int, fresh: int) -> dict[str, Any]:
    from django.utils import timezone

    from hexie.cases.models import Case, Cluster
    from hexie.core.pii import lookup_hash
    from hexie.employers.models import Employer
    from hexie.orgs.models import OrgLevel, OrgUnit, Role, User
    from hexie.workcal.services import seed_from_chinesecalendar

    seed_from_chinesecalendar()  # the deadline and triage rules come with the migrations
    city = OrgUnit.objects.create(code="430100", name="长沙市", level=OrgLevel.CITY)
    district = OrgUnit.objects.create(code="430104", name="岳麓区", level=OrgLevel.DISTRICT, parent=city)
    street = OrgUnit.objects.create(code="430104001", name="望岳街道", level=OrgLevel.STREET, parent=district)
    desk = User.objects.create_user(username="bench_desk", password="x" * 12, role=Role.FRONT_DESK,
                                    org_unit=district)
    employers = [Employer.objects.create(credit_code=code, name=f"长沙某建设有限公司{i}", org_unit=district)
                 for i, code in enumerate(credit_codes(fresh + 2))]
    world = {"desk": desk, "street": street, "busy": employers[0], "small": employers[1], "fresh": employers[2:],
             "rng": random.Random(11)}
    now = timezone.now()
    for emp, n in ((world["busy"], history), (world["small"], SMALL_HISTORY)):
        first = register(world, emp, received_at=now - timedelta(days=5))
        rows = []
        for i in range(1, n):
            c = copy.copy(first)
            c.pk = c.id = None
            phone = f"139{emp.pk:03d}{i:05d}"
            c.number, c.tracking_code = f"H{emp.pk}-{i:07d}", f"H{emp.pk:03d}{i:05d}"
            c.complainant_phone, c.complainant_phone_hash, c.complainant_phone_last4 = phone, lookup_hash(phone), phone[-4:]
            c.received_at = now - timedelta(days=5) + timedelta(seconds=i * 400_000 // n)
            rows.append(c)
        Case.objects.bulk_create(rows, batch_size=500)
        cluster = Cluster.objects.create(key=f"emp:{emp.pk}", label=emp.name, first_received_at=first.received_at,
                                         last_received_at=now, risk_level="orange", case_count=n)
        Case.objects.filter(employer=emp).update(cluster=cluster)
    return world


def intake(world: dict[str, Any], emp: Any, received_at: Any = None) -> Any:
    from django.utils import timezone

    from hexie.cases.services import IntakeData

    rng = world["rng"]
    phone = rng.choice(("138", "186", "177")) + f"{rng.randrange(10**8):08d}"
    return IntakeData(
        case_type="wage_arrears", channel="visit", received_at=received_at or timezone.now(),
        complainant_name="张建国", complainant_phone=phone, employer_name=emp.name, employer_credit_code=emp.credit_code,
        org_unit_id=world["street"].pk, description=f"{emp.name}拖欠两个月工资，请求处理。", workers_count=2,
        amount_claimed=Decimal(12000),
    )


def register(world: dict[str, Any], emp: Any, received_at: Any = None) -> Any:
    from hexie.cases.services import register_case

    return register_case(data=intake(world, emp, received_at), actor=world["desk"])


def floor_insert(conn: psycopg.Connection, row: dict[str, Any]) -> None:
    from hexie.cases.models import Case

    columns, not_null = model_columns(Case)
    check_row(Case._meta.db_table, row, columns, not_null, generated=frozenset({"id"}))
    with conn.transaction():
        conn.execute(f"INSERT INTO {Case._meta.db_table} ({', '.join(row)}) "
                     f"VALUES ({', '.join(['%s'] * len(row))})", tuple(row.values()))


def summary(values: list[float]) -> dict[str, float]:
    return {"p50": 1000 * statistics.median(values), "p95": 1000 * percentile(values, 95), "n": len(values)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", default=DEFAULT_URL)
    parser.add_argument("--history", type=int, default=1000, help="cases of the busy employer (default 1,000)")
    parser.add_argument("--repeat", type=int, default=60, help="registrations of each kind (default 60)")
    args = parser.parse_args()
    setup_django(args.url)
    recreate_database(args.url)
    from django.core.management import call_command
    from django.db import connection

    from hexie.cases.models import Case, Cluster

    t0 = time.perf_counter()
    call_command("migrate", verbosity=0)
    world = build_world(args.history, args.repeat)
    print(f"database {database_name(args.url)}: migrated, busy employer with {args.history} cases, small with "
          f"{SMALL_HISTORY}, {args.repeat} fresh employers ({time.perf_counter() - t0:.1f} s)", flush=True)

    with counting() as small_sql:
        register(world, world["small"])
    times: dict[str, list[float]] = {"new": [], "busy": [], "floor": []}
    sent: dict[str, list[str]] = {"small": small_sql}
    for i in range(args.repeat):
        for kind, emp in (("new", world["fresh"][i]), ("busy", world["busy"])):
            with counting() as sql:
                t = time.perf_counter()
                register(world, emp)
                times[kind].append(time.perf_counter() - t)
            sent[kind] = sql
    statements = {kind: len(sql) for kind, sql in sent.items()}

    last = Case.objects.filter(employer=world["busy"]).latest("pk").pk
    with psycopg.connect(psycopg_url(args.url), row_factory=dict_row) as conn:
        # The row as stored (personal data encrypted), JSON columns passed back as JSON.
        stored = conn.execute(f"SELECT * FROM {Case._meta.db_table} WHERE id = %s", [last]).fetchone()
        assert stored is not None
        template = {k: Jsonb(v) if isinstance(v, dict | list) else v for k, v in stored.items() if k != "id"}
        for i in range(args.repeat):
            row = {**template, "number": f"F-{i:07d}", "tracking_code": f"F{i:07d}"}
            t = time.perf_counter()
            floor_insert(conn, row)
            times["floor"].append(time.perf_counter() - t)

    s = {k: summary(v) for k, v in times.items()}
    print(f"\nregistration latency, {args.repeat} of each ({connection.vendor}), milliseconds")
    print(f"{'':34} {'p50':>8} {'p95':>8}  statements")
    labels = {"new": "new employer (no cases)", "busy": f"employer with {args.history:,} cases",
              "floor": "baseline: one plain SQL INSERT"}
    for k in ("new", "busy", "floor"):
        print(f"{labels[k]:34} {s[k]['p50']:8.1f} {s[k]['p95']:8.1f}  {statements.get(k, 1)}")
    print(f"{'busy ÷ new':34} {s['busy']['p50'] / s['new']['p50']:8.2f} {s['busy']['p95'] / s['new']['p95']:8.2f}")
    print(f"{'new ÷ baseline':34} {s['new']['p50'] / s['floor']['p50']:8.1f} {s['new']['p95'] / s['floor']['p95']:8.1f}")
    print(f"{'busy ÷ baseline':34} {s['busy']['p50'] / s['floor']['p50']:8.1f} {s['busy']['p95'] / s['floor']['p95']:8.1f}")

    failures = []
    if sent["busy"] != sent["small"]:
        failures.append(f"the busy employer's registration issues other statements ({statements['busy']}) than "
                        f"the small one's ({statements['small']}): its cost grows with the history")
    busy_cluster = Cluster.objects.get(key=f"emp:{world['busy'].pk}")
    busy_cases = Case.objects.filter(employer=world["busy"]).exclude(number__startswith="F-").count()  # not the baseline's
    if busy_cluster.case_count != busy_cases:
        failures.append(f"the busy cluster counts {busy_cluster.case_count} cases, the employer has {busy_cases}")
    numbers = Case.objects.filter(number__startswith="430100-").values_list("number", flat=True)
    if len(set(numbers)) != len(numbers):
        failures.append("a case number was issued twice")
    for f in failures:
        print(f"CHECK FAILED: {f}")
    print("checks: " + ("failed" if failures else "the same statements for 5 and "
                        f"{args.history:,} cases, cluster count exact, numbers unique"))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
