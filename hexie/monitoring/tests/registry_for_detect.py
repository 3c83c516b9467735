"""A small registry and lake for the detection tests: projects, workers on their rosters, and
feed files written straight into the Parquet lake (the import path has its own tests)."""

from __future__ import annotations

import itertools
import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import pyarrow as pa

from hexie.core.identifiers import make_credit_code, make_id_number
from hexie.core.pii import lookup_hash
from hexie.employers.models import Employer, Project, RosterEntry, Worker
from hexie.monitoring import lake
from hexie.orgs.models import OrgUnit

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
