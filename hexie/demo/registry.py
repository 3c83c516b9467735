"""The demo city's registry: the employers and projects of ``hexie.demo.employers``, with their parties,
special accounts, work teams, tens of thousands of workers on the real-name roster, and monitoring
points with six monthly reports each.

Everything is drawn from ``random.Random`` seeded by `seed`, so the same seed gives the same
registry. Rows are written with ``bulk_create``: the encrypted columns are encrypted by the field
on the way in (``EncryptedTextField.get_prep_value``), and the lookup hash and last four characters
are computed here, as ``hexie.employers.services.register_worker`` would.

Dates follow the demo's monitoring story: most workers entered before 2026-08-01, some entered
later, and some left between August and October 2026.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from hexie.core.identifiers import make_credit_code
from hexie.core.pii import lookup_hash
from hexie.demo.city import CITY_NAME, DISTRICTS
from hexie.demo.employers import make_employers, make_projects
from hexie.demo.people import make_mobile, make_person, person_name
from hexie.employers.models import (
    Employer,
    EmployerSize,
    Industry,
    MonitoringPoint,
    MonitoringReport,
    Project,
    ProjectStatus,
    RosterEntry,
    Worker,
    WorkTeam,
)
from hexie.orgs.models import OrgUnit

BANKS = ("中国工商银行长沙分行", "中国建设银行湖南省分行", "中国农业银行长沙分行", "中国银行长沙分行", "交通银行湖南省分行",
         "长沙银行", "湖南农村信用社")
TEAM_TRADES = (("钢筋班组", "钢筋工"), ("木工班组", "木工"), ("泥工班组", "泥瓦工"), ("架子工班组", "架子工"),
               ("水电班组", "水电工"), ("砌筑班组", "砌筑工"), ("混凝土班组", "混凝土工"), ("油漆班组", "油漆工"),
               ("普工班组", "普工"), ("焊工班组", "电焊工"))
_SIZE_BY_INDUSTRY = {
    "construction": (EmployerSize.MEDIUM, EmployerSize.LARGE), "labour": (EmployerSize.SMALL, EmployerSize.MEDIUM),
    "individual": (EmployerSize.MICRO,),
}
# Workers' entry dates: most before this day, a few after; some leave between these two days.
ENTRY_CUTOFF = date(2026, 8, 1)
EXIT_FROM, EXIT_TO = date(2026, 8, 1), date(2026, 10, 31)
NON_CONSTRUCTION = ("manufacturing", "electronics", "garment", "food", "catering", "property", "logistics",
                    "security", "housekeeping", "hotel", "trade")


@dataclass(frozen=True)
class _Owner:
    name: str
    credit_code: str
    district_code: str


def _day(rng: random.Random, start: date, end: date) -> date:
    """A day in [start, end] (start when the range is empty)."""
    span = (end - start).days
    return start + timedelta(days=rng.randint(0, span)) if span > 0 else start


def _landline(rng: random.Random) -> str:
    return f"0731-8{rng.randrange(0, 10 ** 7):07d}"


def _project_sizes(rng: random.Random, n: int, total: int) -> list[int]:
    """Workers per project: skewed (a few big sites), summing to about `total`; 100 at least when the
    total allows it."""
    weights = [100 + 1100 * rng.random() ** 1.6 for _ in range(n)]
    scale = total / sum(weights)
    floor = max(1, min(100, total // max(n, 1)))
    return [max(floor, round(w * scale)) for w in weights]


def _months_before(now: date, count: int) -> list[int]:
    """The `count` complete months before `now`'s month, oldest first, as yyyymm."""
    out = []
    year, month = now.year, now.month
    for _ in range(count):
        month -= 1
        if month == 0:
            year, month = year - 1, 12
        out.append(year * 100 + month)
    return out[::-1]


def load_registry(
    *, seed: int = 2026, now: datetime, employers: int = 300, projects: int = 40, workers: int = 20_000,
    points: int = 20, reports: int = 6,
) -> dict[str, Any]:
    """Write the demo registry into a database that has the demo org tree and no employers yet.

    Returns the counts written. A database that already has employers is left alone
    (``{"loaded": False, ...}``), so loading twice changes nothing.
    """
    if Employer.objects.exists():
        return {"loaded": False, "employers": Employer.objects.count(), "projects": Project.objects.count(),
                "workers": Worker.objects.count(), "roster": RosterEntry.objects.count()}
    rng = random.Random(f"registry:{seed}")
    units = {u.code: u for u in OrgUnit.objects.all()}
    specs = make_employers(seed, n=employers)
    plans = make_projects(specs, seed, n=projects)
    today = timezone.localtime(now).date()

    with transaction.atomic():
        # --- employers: the 300 of the demo city, plus each district's investment company (project owners).
        rows: list[Employer] = []
        for s in specs:
            industry = s.industry if s.industry in Industry.values else Industry.OTHER
            size_choices = _SIZE_BY_INDUSTRY.get(s.industry,
                                                 (EmployerSize.SMALL, EmployerSize.SMALL, EmployerSize.MEDIUM))
            rows.append(Employer(
                credit_code=s.credit_code, name=s.name, address=s.address, industry=industry,
                size=rng.choice(size_choices), org_unit=units.get(s.street_code) or units[s.district_code],
                legal_representative=person_name(rng, rng.random() < 0.8),
                contact_phone=_landline(rng) if rng.random() < 0.5 else make_mobile(rng)))
        codes = {s.credit_code for s in specs}
        owners: dict[str, _Owner] = {}
        for d in DISTRICTS:
            code = make_credit_code(rng, d.code)
            while code in codes:
                code = make_credit_code(rng, d.code)
            codes.add(code)
            owners[d.code] = _Owner(f"{CITY_NAME}{d.name}城市建设投资有限公司", code, d.code)
            rows.append(Employer(
                credit_code=code, name=owners[d.code].name, address=f"{CITY_NAME}{d.name}{d.roads[0]}1号",
                industry=Industry.OTHER, size=EmployerSize.LARGE, org_unit=units[d.code],
                legal_representative=person_name(rng, True), contact_phone=_landline(rng)))
        created = Employer.objects.bulk_create(rows, batch_size=500)
        by_code = {e.credit_code: e for e in created}
        emp = [by_code[s.credit_code] for s in specs]

        # --- projects, with their parties, money and paperwork.
        n_no_account = max(1, projects // 13)
        n_no_board = max(1, projects // 10)
        no_account = set(rng.sample(range(len(plans)), k=min(n_no_account, len(plans))))
        no_board = set(rng.sample(range(len(plans)), k=min(n_no_board, len(plans))))
        project_rows: list[Project] = []
        for i, p in enumerate(plans):
            start = _day(rng, date(2025, 1, 1), date(2026, 5, 31))
            value = Decimal(rng.randrange(5_000, 300_000)) * 1000  # 5–300 million yuan
            has_account = i not in no_account
            project_rows.append(Project(
                code=f"{p.district_code}{start:%Y}{i + 1:04d}", name=p.name,
                org_unit=units.get(p.street_code) or units[p.district_code],
                address=f"{CITY_NAME}{p.name[:4]}片区", status=ProjectStatus.BUILDING,
                owner=by_code[owners[p.district_code].credit_code], general_contractor=emp[p.contractor],
                contract_value=value, start_date=start,
                planned_end_date=start + timedelta(days=rng.randint(540, 1100)),
                special_account_bank=rng.choice(BANKS) if has_account else "",
                special_account_number=f"{rng.randrange(10 ** 18, 10 ** 19)}" if has_account else "",
                special_account_opened_on=start + timedelta(days=rng.randint(3, 28)) if has_account else None,
                guarantee_deposit=(value * Decimal(rng.choice((10, 15, 20, 25, 30))) / 1000).quantize(Decimal("0.01")),
                wage_officer_name=person_name(rng, rng.random() < 0.6), wage_officer_phone=make_mobile(rng),
                has_notice_board=i not in no_board))
        project_objs = Project.objects.bulk_create(project_rows)
        through = Project.subcontractors.through
        through.objects.bulk_create([
            through(project_id=proj.pk, employer_id=emp[s].pk)
            for proj, p in zip(project_objs, plans, strict=True) for s in p.subcontractors])

        # --- work teams: 2–6 a project, employed by its subcontractors in turn.
        team_rows: list[WorkTeam] = []
        team_trade: list[str] = []
        for proj, p in zip(project_objs, plans, strict=True):
            employers_of = [emp[s] for s in p.subcontractors] or [emp[p.contractor]]
            for k, (team_name, trade) in enumerate(rng.sample(TEAM_TRADES, rng.randint(2, 6))):
                team_rows.append(WorkTeam(project=proj, name=team_name, employer=employers_of[k % len(employers_of)],
                                          leader_name=person_name(rng, True)))
                team_trade.append(trade)
        teams = WorkTeam.objects.bulk_create(team_rows)
        trade_of = {t.pk: tr for t, tr in zip(teams, team_trade, strict=True)}
        teams_of: dict[int, list[WorkTeam]] = {}
        for t in teams:
            teams_of.setdefault(t.project_id, []).append(t)

        # --- workers and the roster. About 3 % of engagements are people already on another site,
        # who keep their one Worker row (as register_worker does).
        sizes = _project_sizes(rng, len(project_objs), workers)
        people: list[tuple[str, str, str]] = []
        seen: set[str] = set()
        plan_rows: list[tuple[int, int, WorkTeam]] = []  # (person index, project index, team)
        for pi, (proj, size) in enumerate(zip(project_objs, sizes, strict=True)):
            on_site: set[int] = set()
            for _ in range(size):
                if people and rng.random() < 0.03:
                    person = rng.randrange(len(people))
                    if person in on_site:
                        continue
                else:
                    someone = make_person(rng)
                    while someone.id_number in seen:
                        someone = make_person(rng)
                    seen.add(someone.id_number)
                    people.append((someone.name, someone.id_number, someone.phone))
                    person = len(people) - 1
                on_site.add(person)
                plan_rows.append((person, pi, rng.choice(teams_of[proj.pk])))
        worker_objs = Worker.objects.bulk_create([
            Worker(name=name, id_number=idn, id_hash=lookup_hash(idn), id_last4=idn[-4:], phone=phone,
                   phone_last4=phone[-4:])
            for name, idn, phone in people], batch_size=2000)
        roster_rows = []
        exits = 0
        for person, pi, team in plan_rows:
            proj = project_objs[pi]
            assert proj.start_date is not None
            roll = rng.random()
            if roll < 0.08:  # joined after the cut-off
                entry = _day(rng, ENTRY_CUTOFF, min(EXIT_TO, today - timedelta(days=1)))
            else:
                entry = _day(rng, proj.start_date, min(ENTRY_CUTOFF - timedelta(days=1), today))
            exit_date = None
            if rng.random() < 0.12:
                exit_date = _day(rng, max(entry, EXIT_FROM), max(entry, min(EXIT_TO, today)))
                exits += 1
            roster_rows.append(RosterEntry(worker=worker_objs[person], project=proj, team=team,
                                           trade=trade_of[team.pk], entry_date=entry, exit_date=exit_date))
        RosterEntry.objects.bulk_create(roster_rows, batch_size=2000)

        # --- monitoring points: non-construction employers reporting monthly.
        candidates = [e for e, s in zip(emp, specs, strict=True) if s.industry in NON_CONSTRUCTION]
        chosen = rng.sample(candidates, k=min(points, len(candidates)))
        point_objs = MonitoringPoint.objects.bulk_create([
            MonitoringPoint(employer=e, since=_day(rng, date(2023, 1, 1), date(2025, 6, 30)),
                            contact_name=person_name(rng, rng.random() < 0.5), contact_phone=make_mobile(rng))
            for e in chosen])
        months = _months_before(today, reports)
        report_rows = []
        for pt in point_objs:
            headcount = rng.randint(30, 800)
            wage = rng.randint(3200, 8000)
            in_arrears = rng.random() < 0.15
            for k, month in enumerate(months):
                hires = rng.randint(0, max(1, headcount // 12))
                departures = rng.randint(0, max(1, headcount // 12))
                departures = min(departures, headcount + hires)
                headcount = headcount + hires - departures
                wages = Decimal(headcount * wage + rng.randint(-5000, 5000)).max(Decimal(0))
                arrears = (wages * Decimal(rng.randint(10, 60)) / 100).quantize(Decimal("0.01")) \
                    if in_arrears and k >= len(months) - 2 else Decimal(0)
                reported = datetime(month // 100, month % 100, 1, tzinfo=now.tzinfo) + timedelta(days=35)
                report_rows.append(MonitoringReport(
                    point=pt, month=month, headcount=headcount, hires=hires, departures=departures, wages_paid=wages,
                    arrears=arrears, reported_at=min(reported, now)))
        MonitoringReport.objects.bulk_create(report_rows)

    return {
        "loaded": True, "employers": len(created), "projects": len(project_objs), "teams": len(teams),
        "workers": len(worker_objs), "roster": len(roster_rows), "exits": exits,
        "projects_without_account": len(no_account), "projects_without_board": len(no_board),
        "monitoring_points": len(point_objs), "monitoring_reports": len(report_rows),
    }
