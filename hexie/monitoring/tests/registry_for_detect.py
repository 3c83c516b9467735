"""A small registry and lake for the detection tests: projects, workers on their rosters, and
feed files written straight into the Parquet lake (the import path has its own tests)."""

from __future__ import annotations

import itertools
import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

import pyarrow as pa
from django.utils import timezone

from hexie.cases.services import register_case
from hexie.core.identifiers import make_credit_code, make_id_number
from hexie.core.pii import lookup_hash
from hexie.employers.models import Employer, Project, RosterEntry, Worker
from hexie.monitoring import lake
from hexie.orgs.models import OrgUnit

# The month under test: October 2026, evaluated as of 2026-12-05 (pay due by 11-30).
M = 202610
AS_OF = date(2026, 12, 5)
NOW = timezone.make_aware(datetime(2026, 12, 5, 9, 0))
EXIT_DAY = date(2026, 10, 20)

_batch_ids = itertools.count(1000)
_rng = random.Random("detect-tests")  # noqa: S311  (repeatable test data, not secrets)
_used_ids: set[str] = set()


def employer(name: str, unit: OrgUnit, industry: str = "construction") -> Employer:
    return Employer.objects.create(credit_code=make_credit_code(_rng, unit.code[:6]), name=name,
                                   industry=industry, org_unit=unit)


def _id_number() -> str:
    while True:
        value = make_id_number(_rng, male=True)
        if value not in _used_ids:
            _used_ids.add(value)
            return value


@dataclass
class Site:
    """A project with its workers (ids in roster order)."""

    project: Project
    workers: list[int] = field(default_factory=list)


def site(name: str, code: str, unit: OrgUnit, gc: Employer, n_workers: int, *,
         entry: date = date(2026, 6, 1), exits: dict[int, date] | None = None) -> Site:
    project = Project.objects.create(code=code, name=name, org_unit=unit, general_contractor=gc)
    ids = [_id_number() for _ in range(n_workers)]
    workers = Worker.objects.bulk_create([
        Worker(name=f"{name[:2]}工人{i + 1}", id_number=v, id_hash=lookup_hash(v), id_last4=v[-4:])
        for i, v in enumerate(ids)])
    exits = exits or {}
    RosterEntry.objects.bulk_create([
        RosterEntry(worker=w, project=project, entry_date=entry, exit_date=exits.get(i))
        for i, w in enumerate(workers)])
    return Site(project, [w.pk for w in workers])


def working_days(month: int, n: int = 20, until: date | None = None) -> list[date]:
    d, out = date(month // 100, month % 100, 1), []
    while d.month == month % 100 and len(out) < n:
        if d.weekday() < 5 and (until is None or d <= until):
            out.append(d)
        d += timedelta(days=1)
    return out


def attendance_rows(s: Site, month: int, *, workers: list[int] | None = None, days: int = 20,
                    until: dict[int, date] | None = None) -> list[dict[str, Any]]:
    until = until or {}
    return [{"worker_id": w, "project_id": s.project.pk, "work_date": d, "month": month, "minutes": 480}
            for w in (workers if workers is not None else s.workers)
            for d in working_days(month, days, until.get(w))]


def payroll_rows(s: Site, month: int, *, workers: list[int] | None = None, gross_yuan: int = 7000,
                 paid_on: date | None = date(2026, 11, 15), days: int = 20) -> list[dict[str, Any]]:
    return [{"worker_id": w, "project_id": s.project.pk, "month": month, "days": days, "minutes": days * 480,
             "gross_fen": gross_yuan * 100, "net_fen": gross_yuan * 92, "paid_on": paid_on,
             "bank_card_token": "", "bank_card_last4": "1234", "is_back_pay": False}
            for w in (workers if workers is not None else s.workers)]


def deposit_rows(s: Site, month: int, amount_yuan: int = 100000) -> list[dict[str, Any]]:
    return [{"project_id": s.project.pk, "month": month, "amount_fen": amount_yuan * 100,
             "deposited_on": date(month // 100, month % 100, 5)}]


def write(feed: str, rows: list[dict[str, Any]]) -> int:
    """One lake file for `feed` (as an accepted import would leave it); returns its batch id."""
    batch = next(_batch_ids)
    schema = lake.SCHEMAS[feed]
    full = [{name: row.get(name, batch if name == "batch_id" else None) for name in schema.names} for row in rows]
    lake.write_batch(feed, batch, pa.Table.from_pylist(full, schema=schema))
    return batch


# --- the detection tests' scene ------------------------------------------------------------


def build_scene(city: dict[str, Any], users: dict[str, Any], intake: Any) -> dict[str, Site]:
    """Seven projects, one problem each (see the comments), one of them in Furong."""
    gc = employer("湖南岳麓建工集团有限公司", city["yuelu"])
    gc_fr = employer("长沙芙蓉建设有限公司", city["furong"])
    yl, fr = city["yuelu_street"], city["furong_street"]
    s = {
        "nopay": site("麓谷安置房一期", "P-NOPAY", yl, gc, 6),  # no payroll, no deposit
        "share": site("梅溪湖学校", "P-SHARE", yl, gc, 10),  # 8 of 10 paid: 20 % unpaid
        "few": site("芙蓉路桥", "P-FEW", fr, gc_fr, 40),  # 39 of 40 paid: fewer_paid only
        "low": site("含浦厂房", "P-LOW", yl, gc, 5),  # 1,000 yuan a month each
        "foreman": site("洋湖综合体", "P-FOREMAN", yl, gc, 4),  # one worker paid 60,000
        "exit": site("坪塘道路", "P-EXIT", yl, gc, 31, exits={0: EXIT_DAY}),  # left unsettled
        "clean": site("大学城宿舍", "P-CLEAN", yl, gc, 8),  # all paid, but a complaint is open
    }
    att: list[dict[str, Any]] = []
    pay: list[dict[str, Any]] = []
    dep: list[dict[str, Any]] = []
    for name, built in s.items():
        until = {built.workers[0]: EXIT_DAY} if name == "exit" else None
        att += attendance_rows(built, M, until=until)
        if name != "nopay":
            dep += deposit_rows(built, M)
    pay += payroll_rows(s["share"], M, workers=s["share"].workers[:8])
    pay += payroll_rows(s["few"], M, workers=s["few"].workers[:39])
    pay += payroll_rows(s["low"], M, gross_yuan=1000)
    foreman = s["foreman"].workers[0]
    pay += payroll_rows(s["foreman"], M, workers=[foreman], gross_yuan=60000)
    pay += payroll_rows(s["foreman"], 202609, workers=[foreman], gross_yuan=250000)
    pay += payroll_rows(s["foreman"], M, workers=s["foreman"].workers[1:])
    pay += payroll_rows(s["exit"], M, workers=s["exit"].workers[1:])
    pay += payroll_rows(s["clean"], M)
    write("attendance", att)
    write("payroll", pay)
    write("deposit", dep)
    # An open complaint about the clean project (picked in the project picker), filed in October.
    register_case(
        data=intake(project_id=s["clean"].project.pk, received_at=timezone.make_aware(datetime(2026, 10, 15, 10)),
                    employer_name="某劳务班组", employer_credit_code=""),
        actor=users["desk"])
    return s
