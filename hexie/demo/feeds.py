"""Demo feeds: three months of attendance, payroll and deposits for the demo registry, with planted
problems so that every warning rule fires on a named project while most projects stay clean.

`load_feeds(now=…)` takes the three complete months before `now`'s month (late November 2026 →
August, September, October), generates the feeds from the real-name roster, and sends them
through the feed importer (`hexie.monitoring.services.import_file`), so the import ledger shows
nine batches ("2026-10 考勤.parquet" …) exactly as if a bureau had uploaded them. Then it files one
open complaint against a project and runs the detection job for the three months.

Planted (see `Plan`): a project with no payroll at all for the middle month (its first month paid
eight days after the due date: paid late); in the last month
one paying only 80 % of its attending workers, one paying 97 %, one whose average pay is below the
minimum wage, workers who left without settlement, projects without deposits; a foreman paid
120,000 yuan in each of the first two months and 62,000 in the last (month and year limits).
Everything else is paid on one pay day per project between the 10th and 25th of the next month.

Every call the demo makes into `hexie.monitoring` is here; the planted complaint is registered
through `replay`.
"""

from __future__ import annotations

import random
import tempfile
import time
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from hexie.cases.models import Case
from hexie.core import clock
from hexie.demo.people import make_person
from hexie.demo.replay import register_complaint
from hexie.employers.models import Project, RosterEntry, Worker
from hexie.monitoring import rules as R
from hexie.monitoring.models import ImportBatch
from hexie.monitoring.months import add_months, first_day, last_day, month_key, month_label, month_text
from hexie.monitoring.services import import_file, run_monitor, seed_minimum_wages
from hexie.orgs.models import OrgUnit
from hexie.workcal.selectors import get_calendar

FEED_NAMES = {"attendance": "考勤", "payroll": "工资发放", "deposit": "专户拨付"}
ATTEND_PROBABILITY = 0.92
COMPLAINT_REF = "DEMO-FEEDS-COMPLAINT"
FOREMAN_GROSS_YUAN = (120_000, 120_000, 62_000)  # first, middle, last month


@dataclass(frozen=True)
class Plan:
    """Which project carries which planted problem (project ids)."""

    no_payroll: int  # no payroll at all for the middle month (and no deposit for it)
    share_80: int  # last month: 80 % of attending workers paid
    share_97: int  # last month: 97 % paid
    low_pay: int  # last month: about 60 yuan a day
    foreman: int  # one worker paid 120,000 / 120,000 / 62,000 yuan
    exits: int  # three workers left in the last month, not settled
    no_deposit_all: int  # no deposit in any of the three months
    no_deposit_last: int  # no deposit in the last month
    complaint: int  # an open complaint filed in the last month
    back_pay: int  # last month: 30 % unpaid and a tenth undated at first; back pay and corrections clear it


def months_before(today: date, n: int = 3) -> list[int]:
    """The `n` complete months before `today`'s month, oldest first."""
    current = month_key(today)
    return [add_months(current, -k) for k in range(n, 0, -1)]


def _working_days(months: list[int], today: date) -> list[date]:
    cal = get_calendar()
    out = []
    d = first_day(months[0])
    while d <= last_day(months[-1]) and d < today:
        if cal.is_working_day(d):
            out.append(d)
        d += timedelta(days=1)
    return out


def _plan(projects: list[int], active: dict[int, int], rng: random.Random) -> Plan:
    """Ten different projects with at least 40 workers on site in the last month, drawn by seed."""
    big = [p for p in projects if active.get(p, 0) >= 40]
    if len(big) < 10:
        big = sorted(projects, key=lambda p: -active.get(p, 0))[:10]
    if len(big) < 10:
        raise ValueError(gettext("演示名册中的项目不足10个"))
    chosen = rng.sample(big, 10)
    return Plan(*chosen)


def _settle_exits(plan: Plan, last: int, rng: random.Random) -> list[int]:
    """Three workers on the exits project leave on the 14th of the last month (roster updated)."""
    exit_day = first_day(last) + timedelta(days=13)
    candidates = list(RosterEntry.objects.filter(
        project_id=plan.exits, entry_date__lt=first_day(last), exit_date__isnull=True).order_by("pk")
        .values_list("pk", "worker_id"))
    picked = rng.sample(candidates, min(3, len(candidates)))
    RosterEntry.objects.filter(pk__in=[pk for pk, _w in picked]).update(exit_date=exit_day)
    return [w for _pk, w in picked]


def _frames(plan: Plan, months: list[int], today: date, seed: int, exit_workers: list[int]) -> dict[str, pd.DataFrame]:
    """The three feeds as DataFrames with internal ids (worker, project), amounts in fen."""
    rng = np.random.default_rng(seed)
    roster = pd.DataFrame(list(RosterEntry.objects.values_list("worker_id", "project_id", "entry_date", "exit_date")),
                          columns=["worker_id", "project_id", "entry_date", "exit_date"])
    days = _working_days(months, today)
    day_ord = np.array([d.toordinal() for d in days])
    entry = np.array([d.toordinal() for d in roster["entry_date"]])
    leave = np.array([d.toordinal() if d is not None and not pd.isna(d) else 10**7 for d in roster["exit_date"]])
    mask = (entry[:, None] <= day_ord[None, :]) & (leave[:, None] >= day_ord[None, :])
    mask &= rng.random(mask.shape) < ATTEND_PROBABILITY
    r_idx, d_idx = np.nonzero(mask)
    day_dates = np.array(days, dtype="datetime64[D]")
    att = pd.DataFrame({
        "worker_id": roster["worker_id"].to_numpy()[r_idx],
        "project_id": roster["project_id"].to_numpy()[r_idx],
        "work_date": day_dates[d_idx],
        "month": (pd.DatetimeIndex(day_dates[d_idx]).year * 100 + pd.DatetimeIndex(day_dates[d_idx]).month)
        .to_numpy(dtype=np.int32),
        "minutes": (rng.integers(28, 41, size=len(r_idx)) * 15).astype(np.int32),  # 7 to 10 hours
    })

    pay = att.groupby(["worker_id", "project_id", "month"], as_index=False).agg(
        days=("work_date", "size"), minutes=("minutes", "sum"))
    # Each engagement has its day rate (300–450 yuan); each project-month one pay day (10th–25th next month).
    rate = pd.Series(rng.integers(300, 451, size=len(roster)),
                     index=pd.MultiIndex.from_frame(roster[["worker_id", "project_id"]]))
    pay["gross_fen"] = pay["days"].to_numpy() * rate.reindex(
        pd.MultiIndex.from_frame(pay[["worker_id", "project_id"]])).to_numpy() * 100
    last, middle = months[-1], months[1]
    in_last = pay["month"] == last
    pay.loc[in_last & (pay["project_id"] == plan.low_pay), "gross_fen"] = \
        pay.loc[in_last & (pay["project_id"] == plan.low_pay), "days"] * 60 * 100
    foreman = int(pay.loc[pay["project_id"] == plan.foreman, "worker_id"].min())
    for month, yuan in zip(months, FOREMAN_GROSS_YUAN, strict=True):
        sel = (pay["worker_id"] == foreman) & (pay["project_id"] == plan.foreman) & (pay["month"] == month)
        pay.loc[sel, "gross_fen"] = yuan * 100
    pay["gross_fen"] = pay["gross_fen"].astype(np.int64)
    pay["net_fen"] = pay["gross_fen"] * 92 // 100
    paydays = {(p, m): int(rng.integers(10, 26)) for p in pay["project_id"].unique() for m in months}
    paid_on = []
    for p, m in zip(pay["project_id"].to_numpy(), pay["month"].to_numpy(), strict=True):
        nxt = add_months(int(m), 1)
        d = date(nxt // 100, nxt % 100, paydays[(int(p), int(m))])
        paid_on.append(d if d <= today else None)
    pay["paid_on"] = paid_on
    pay["is_back_pay"] = False
    pay["is_correction"] = False
    # The no-payroll project's first month was paid, but eight days after its due date: paid late.
    first = months[0]
    late_day = last_day(add_months(first, 1)) + timedelta(days=8)
    pay.loc[(pay["project_id"] == plan.no_payroll) & (pay["month"] == first), "paid_on"] = \
        late_day if late_day <= today else None

    drop = pd.Series(False, index=pay.index)
    drop |= (pay["project_id"] == plan.no_payroll) & (pay["month"] == middle)
    drop |= in_last & pay["worker_id"].isin(exit_workers) & (pay["project_id"] == plan.exits)
    # The unpaid workers of the 80 % and 97 % projects are still on site: a leaver among them
    # would also raise "left unsettled", and these two projects are meant to show the share rules.
    left_last = roster.loc[[d is not None and not pd.isna(d) and month_key(d) == last
                            for d in roster["exit_date"]], ["worker_id", "project_id"]]
    leavers = set(zip(left_last["worker_id"], left_last["project_id"], strict=True))
    staying = pd.Series([(w, p) not in leavers for w, p in zip(pay["worker_id"], pay["project_id"], strict=True)],
                        index=pay.index)
    late = pd.Series(False, index=pay.index)
    for project, share, mark in ((plan.share_80, 0.20, drop), (plan.share_97, 0.03, drop),
                                 (plan.back_pay, 0.30, late)):
        rows = pay.index[in_last & (pay["project_id"] == project) & staying]
        n = max(1, round(len(rows) * share))
        mark.loc[rng.choice(rows, size=n, replace=False)] = True
    # The back-pay project's missing 30 % are paid late (补发), and a tenth of its rows were sent
    # without a pay date; the file imported after the first run carries the back pay and the
    # corrections (更正) that give those rows their pay date.
    back = pay[late].copy()
    back["paid_on"] = today - timedelta(days=1)
    back["is_back_pay"] = True
    undated = pay.index[in_last & (pay["project_id"] == plan.back_pay) & staying & ~late]
    undated = rng.choice(undated, size=max(1, len(undated) // 10), replace=False)
    corrected = pay.loc[undated].copy()
    corrected["is_correction"] = True
    corrected["paid_on"] = today - timedelta(days=1)
    pay.loc[undated, "paid_on"] = None
    back = pd.concat([back, corrected])
    pay = pay[~drop & ~late].reset_index(drop=True)

    dep = pay.groupby(["project_id", "month"], as_index=False).agg(amount_fen=("gross_fen", "sum"))
    dep["amount_fen"] = (dep["amount_fen"] * 105 // 100 // 100 * 100).astype(np.int64)  # whole yuan, 5 % margin
    dep["deposited_on"] = [min(date(int(m) // 100, int(m) % 100, int(rng.integers(1, 29))), today - timedelta(days=1))
                           for m in dep["month"]]
    no_dep = (dep["project_id"] == plan.no_deposit_all) | (
        (dep["project_id"] == plan.no_deposit_last) & (dep["month"] == last)) | (
        (dep["project_id"] == plan.no_payroll) & (dep["month"] == middle))
    dep = dep[~no_dep].reset_index(drop=True)
    return {"attendance": att, "payroll": pay, "deposit": dep, "back_pay": back.reset_index(drop=True)}


def _card(worker_id: int, seed: int) -> str:
    body = f"621700{(worker_id * 7919 + seed) % 10**12:012d}"  # 18 digits
    return body + str(sum(int(c) for c in body) % 10)


def _national(feed: str, df: pd.DataFrame, codes: dict[int, str], ids: dict[int, str], seed: int) -> pa.Table:
    """A feed in the national platform's column names, as a bureau would upload it."""
    project = [codes[int(p)] for p in df["project_id"].to_numpy()]
    if feed == "deposit":
        return pa.table({
            "projectCode": project, "payMonth": [month_text(int(m)) for m in df["month"]],
            "amount": [R.yuan(int(a)) for a in df["amount_fen"]], "depositDate": pa.array(df["deposited_on"],
                                                                                          pa.date32()),
        })
    idn = [ids[int(w)] for w in df["worker_id"].to_numpy()]
    hours = [f"{m / 60:.2f}" for m in df["minutes"].to_numpy()]
    if feed == "attendance":
        return pa.table({"projectCode": project, "idCardNumber": idn,
                         "date": pa.array(df["work_date"].to_numpy(), pa.date32()), "workHours": hours})
    return pa.table({
        "projectCode": project, "idCardNumber": idn, "payMonth": [month_text(int(m)) for m in df["month"]],
        "days": pa.array(df["days"].to_numpy(), pa.int32()), "workHours": hours,
        "totalPayAmount": [R.yuan(int(v)) for v in df["gross_fen"]],
        "actualAmount": [R.yuan(int(v)) for v in df["net_fen"]],
        "balanceDate": pa.array(list(df["paid_on"]), pa.date32()),
        "bankCardNumber": [_card(int(w), seed) for w in df["worker_id"].to_numpy()],
        "isBackPay": ["1" if b else "0" for b in df["is_back_pay"]],
        "isCorrection": ["1" if b else "0" for b in df["is_correction"]],
    })


def _import(feed: str, month: int, table: pa.Table, folder: Path, unit: OrgUnit, *, label: str = "") -> ImportBatch:
    name = f"{month_text(month)} {FEED_NAMES[feed]}{label}.parquet"
    path = folder / f"{feed}-{month}{label and '-extra'}.parquet"
    pq.write_table(table, path, compression="zstd")
    batch = import_file(feed=feed, path_or_uploaded=path, original_name=name, actor=None, org_unit=unit,
                        run_now=True)
    if batch.state != ImportBatch.State.DONE:
        raise RuntimeError(f"demo feed {name} was not imported: {batch.state} {batch.message} {batch.errors[:3]}")
    return batch


def _complaint(project: Project, month: int, rng: random.Random) -> Case:
    existing = Case.objects.filter(external_ref=COMPLAINT_REF).first()
    if existing is not None:
        return existing
    person = make_person(rng)
    received = timezone.make_aware(datetime.combine(first_day(month) + timedelta(days=15), datetime.min.time())
                                   ) + timedelta(hours=10)
    gc = project.general_contractor
    return register_complaint(
        case_type="wage_arrears", channel="web", received_at=received, complainant_name=person.name,
        complainant_phone=person.phone, complainant_id_number=person.id_number, employer_name=gc.name,
        employer_credit_code=gc.credit_code, project_name=project.name, project_id=project.pk,
        org_unit_id=project.org_unit_id,
        workers_count=6, amount_claimed=Decimal("38400.00"),
        description=f"{project.name}班组6人{month_label(add_months(month, -1))}工资未发，找总包也没人管。",
        external_ref=COMPLAINT_REF,
    )


def load_feeds(*, now: datetime, seed: int = 2026) -> dict[str, Any]:
    """Generate and import three months of demo feeds, plant the problems, and run the monitor.

    Idempotent: if the demo batches are already in the import ledger nothing is done
    (``{"loaded": False}``). Needs the demo registry (projects with their rosters) loaded first.
    """
    t0 = time.perf_counter()
    today = timezone.localtime(now).date()
    months = months_before(today)
    names = [f"{month_text(m)} {FEED_NAMES[f]}.parquet" for m in months for f in FEED_NAMES]
    if ImportBatch.objects.filter(original_name__in=names).exists():
        return {"loaded": False}
    unit = OrgUnit.objects.filter(parent__isnull=True).order_by("pk").first()
    if unit is None or not Project.objects.exists():
        raise ValueError(gettext("请先加载演示名册"))
    rng = random.Random(f"feeds:{seed}")
    seed_minimum_wages()
    projects = list(Project.objects.order_by("pk").values_list("pk", flat=True))
    last = months[-1]
    first_of_last, end_of_last = first_day(last), last_day(last)
    active: dict[int, int] = {}
    for pid, entry, leave in RosterEntry.objects.values_list("project_id", "entry_date", "exit_date"):
        if entry <= end_of_last and (leave is None or leave >= first_of_last):
            active[pid] = active.get(pid, 0) + 1
    plan = _plan(projects, active, rng)
    stats: dict[str, Any] = {"months": months, "plan": plan.__dict__, "batches": {}}
    with clock.at(now):
        with transaction.atomic():
            exit_workers = _settle_exits(plan, last, rng)
        frames = _frames(plan, months, today, seed, exit_workers)
        t_gen = time.perf_counter()
        codes = dict(Project.objects.values_list("pk", "code"))
        ids = dict(Worker.objects.filter(pk__in=frames["payroll"]["worker_id"].unique().tolist()
                                         + frames["attendance"]["worker_id"].unique().tolist())
                   .values_list("pk", "id_number"))
        with tempfile.TemporaryDirectory(prefix="hexie-demo-feeds-") as tmp:
            for month in months:
                for feed, df in frames.items():
                    if feed == "back_pay":
                        continue
                    part = df[df["month"] == month]
                    if part.empty:
                        continue
                    batch = _import(feed, month, _national(feed, part, codes, ids, seed), Path(tmp), unit)
                    stats["batches"][batch.original_name] = batch.rows_imported
        t_import = time.perf_counter()
        complaint = _complaint(Project.objects.select_related("general_contractor").get(pk=plan.complaint), last,
                               rng)
        runs = [run_monitor(month=m, as_of=today) for m in months]
        # The late pay of the back-pay project arrives (补发): the next run clears its warnings
        # and says so on the case the first run opened.
        back = frames["back_pay"]
        if not back.empty:
            with tempfile.TemporaryDirectory(prefix="hexie-demo-feeds-") as tmp:
                batch = _import("payroll", last, _national("payroll", back, codes, ids, seed), Path(tmp), unit,
                                label="（补发、更正）")
            stats["batches"][batch.original_name] = batch.rows_imported
            runs.append(run_monitor(month=last, as_of=today))
    stats.update({
        "loaded": True, "complaint": complaint.number,
        "rows": {feed: len(df) for feed, df in frames.items()},
        "runs": [{"month": r.month, "ok": r.ok, "findings": r.stats.get("findings"),
                  "cases_opened": r.stats.get("cases", {}).get("opened")} for r in runs],
        "seconds": {"generate": round(t_gen - t0, 2), "import": round(t_import - t_gen, 2),
                    "monitor": round(time.perf_counter() - t_import, 2), "total": round(time.perf_counter() - t0, 2)},
    })
    return stats
