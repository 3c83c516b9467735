"""The detection job on the Django side: registry + lake → pipeline → warnings, cases and grades.

`run_monitor` builds the roster and project tables from the registry, reads the lake's Parquet
files, hands both to the pure pipeline (`hexie.monitoring.pipeline`, DuckDB or Spark) with the
active rules, and then, in one transaction, writes what changed:

- one Warning per rule × project × month, opened, updated when its evidence changes, resolved
  when the pipeline no longer finds it (the data arrived), reopened if it comes back;
- one case per project × month for its red warnings (channel "monitoring"), registered through
  the case service like any complaint, then kept up to date with timeline events; a case is
  never closed here, the handler decides;
- the risk grades of projects and employers (`grades.recompute_grades`).

Running a month twice on the same data changes nothing: no new warning, case or event.
"""

from __future__ import annotations

import logging
import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pyarrow as pa
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from hexie.cases import services as case_services
from hexie.cases.models import OPEN_STATUSES, Case, CaseType, Channel
from hexie.core import clock
from hexie.core.pii import mask_id_number
from hexie.core.validators import validate_credit_code
from hexie.employers.models import Project, RosterEntry, Worker
from hexie.monitoring import grades, lake
from hexie.monitoring import rules as R
from hexie.monitoring.models import MinimumWage, MonitoringCase, MonitorRun, Warning, WarningRule
from hexie.monitoring.months import add_months, first_day, last_day, month_key, month_label, month_text
from hexie.orgs.models import OrgUnit

log = logging.getLogger("hexie.monitoring")

ENGINES = ("duckdb", "spark")
MONITORING_COMPLAINANT = "监测预警 Monitoring"
WORKERS_LISTED = 50  # workers named (with masked ID) in a warning's evidence
CHANGES_KEPT = 200  # lines of "what changed" kept on the run record

RESOLUTIONS: dict[str, str] = {
    "no_payment": "已收到工资发放记录，预警自动消除 Payroll received; the warning cleared itself",
    "unpaid_share": "已收到工资发放记录，预警自动消除 Payroll received; the warning cleared itself",
    "fewer_paid": "已收到工资发放记录，预警自动消除 Payroll received; the warning cleared itself",
    "exit_unsettled": "已收到退场工资结清记录，预警自动消除 Settlement received; the warning cleared itself",
    "below_minimum": "人均工资已不低于最低工资标准，预警自动消除 Average pay no longer below the minimum; "
                     "the warning cleared itself",
    "pay_over_month": "工资发放记录已更正，预警自动消除 Payroll corrected; the warning cleared itself",
    "pay_over_year": "工资发放记录已更正，预警自动消除 Payroll corrected; the warning cleared itself",
    "no_deposit": "已收到专户拨付记录，预警自动消除 Deposit received; the warning cleared itself",
    "open_complaint": "投诉已办结，预警自动消除 The complaint was closed; the warning cleared itself",
}
RULE_OFF = "预警规则已停用，预警随之消除 The rule was switched off; the warning cleared with it"


class MonitorError(Exception):
    """The job could not run (bad month, engine not installed, unreadable lake): a clear message."""


# --- registry tables ------------------------------------------------------------------------


def seed_minimum_wages() -> int:
    """Write the seeded minimum-wage rows for the org units that exist now (safe to repeat).

    Migration 0002 can only seed units present at migrate time; the demo loader, or an operator
    after loading the org tree, calls this. Returns the number of rows created.
    """
    created = 0
    with transaction.atomic():
        for unit in OrgUnit.objects.filter(code__in=list(R.MIN_WAGE_YUAN)):
            _row, made = MinimumWage.objects.get_or_create(
                org_unit=unit, effective_from=R.MIN_WAGE_FROM,
                defaults={"monthly_amount": Decimal(R.MIN_WAGE_YUAN[unit.code]), "basis": R.MIN_WAGE_BASIS},
            )
            created += made
    return created


def project_min_wages(month: int) -> dict[int, int]:
    """Each project's local monthly minimum wage (fen) in force on the first day of `month`.

    The nearest row up the project's org-unit path wins (a street inherits its district's figure);
    with no row at all, the seeded default for the district code (rules.default_min_wage_fen).
    """
    on = first_day(month)
    by_path: dict[str, int] = {}
    for path, amount in (MinimumWage.objects.filter(effective_from__lte=on)
                         .order_by("org_unit__path", "-effective_from")
                         .values_list("org_unit__path", "monthly_amount")):
        by_path.setdefault(path, int(Decimal(amount) * 100))
    out: dict[int, int] = {}
    for pk, path, code in Project.objects.values_list("pk", "org_unit__path", "org_unit__code"):
        codes = [c for c in path.split("/") if c]
        fen = None
        for i in range(len(codes), 0, -1):
            fen = by_path.get("/".join(codes[:i]) + "/")
            if fen is not None:
                break
        out[pk] = fen if fen is not None else R.default_min_wage_fen(code)
    return out


def roster_table() -> pa.Table:
    """The real-name roster as the pipeline's roster table (one row per worker × project)."""
    names = ("worker_id", "project_id", "entry_date", "exit_date")
    cols: dict[str, list[Any]] = {name: [] for name in names}
    for row in RosterEntry.objects.values_list(*names).iterator(chunk_size=20000):
        for name, value in zip(names, row, strict=True):
            cols[name].append(value)
    return pa.table({
        "worker_id": pa.array(cols["worker_id"], pa.int64()), "project_id": pa.array(cols["project_id"], pa.int64()),
        "entry_date": pa.array(cols["entry_date"], pa.date32()), "exit_date": pa.array(cols["exit_date"], pa.date32()),
    })


def projects_table(min_wages: dict[int, int]) -> pa.Table:
    ids = sorted(min_wages)
    return pa.table({"project_id": pa.array(ids, pa.int64()),
                     "min_wage_fen": pa.array([min_wages[i] for i in ids], pa.int64())})


def active_rules() -> dict[str, WarningRule]:
    return {r.code: r for r in WarningRule.objects.filter(is_active=True)}


def check_engine(engine: str) -> str:
    """The engine name the pipeline understands; a clear MonitorError when it cannot run here."""
    if engine not in ENGINES and engine != "pyspark":
        raise MonitorError(f"未知的计算引擎“{engine}”，可选 duckdb、spark / Unknown engine \"{engine}\"; "
                           "use duckdb or spark.")
    if engine in ("spark", "pyspark"):
        import importlib.util

        if importlib.util.find_spec("pyspark") is None:
            raise MonitorError("未安装 pyspark，无法使用 Spark 引擎：pip install 'pyspark>=4.0,<4.1' / "
                               "pyspark is not installed, so the Spark engine cannot run; install it "
                               "(pip install 'pyspark>=4.0,<4.1') or use --engine duckdb.")
        return "pyspark"
    return engine


# --- what was found -------------------------------------------------------------------------


@dataclass
class Found:
    """One finding (the pipeline's, or an open complaint computed here), ready for its warning."""

    rule: str
    project_id: int
    workers: int
    amount_fen: int
    worker_ids: tuple[int, ...]
    detail: dict[str, int]
    cases: list[dict[str, Any]] = field(default_factory=list)


def _find(month: int, engine: str, as_of: date, rules_on: dict[str, WarningRule],
          min_wages: dict[int, int]) -> list[Found]:
    from hexie.monitoring import pipeline  # ibis is heavy; only the job imports it

    thresholds = {code: R.pipeline_threshold(code, r.threshold)
                  for code, r in rules_on.items() if code in R.PIPELINE_RULES}
    if not thresholds:
        return []
    con = pipeline.open_backend(engine)
    try:
        feeds = pipeline.load_parquet(
            con, attendance=lake.feed_files("attendance"), payroll=lake.feed_files("payroll"),
            deposits=lake.feed_files("deposit"),
        )
        findings = pipeline.find_warnings(
            con, month=month, as_of=as_of, attendance=feeds.attendance, payroll=feeds.payroll,
            deposits=feeds.deposits, roster=pipeline.as_table("roster", roster_table()),
            projects=pipeline.as_table("projects", projects_table(min_wages)), rules=thresholds,
        )
    finally:
        if engine == "duckdb":  # a Spark session is shared by the process and stays up
            con.disconnect()
    return [Found(f.rule, f.project_id, f.workers, f.amount_fen, tuple(f.worker_ids), dict(f.detail))
            for f in findings]


def _month_end_moment(month: int) -> datetime:
    return timezone.make_aware(datetime.combine(last_day(month) + timedelta(days=1), datetime.min.time()))


def open_complaints(month: int) -> list[Found]:
    """Open complaints on registered projects, received by the end of `month`, matched by the
    project's name (what a worker or clerk types in the case). Cases the monitoring job opened do
    not count: they follow from the warnings and would otherwise raise themselves."""
    by_name: dict[str, list[int]] = defaultdict(list)
    for pk, name in Project.objects.values_list("pk", "name"):
        by_name[name.strip()].append(pk)
    per_project: dict[int, list[Any]] = defaultdict(list)
    cases = (Case.objects.filter(status__in=OPEN_STATUSES, received_at__lt=_month_end_moment(month))
             .exclude(channel=Channel.MONITORING).exclude(project_name="")
             .values("pk", "number", "project_name", "workers_count", "amount_claimed", "status")
             .order_by("received_at", "pk"))
    for c in cases:
        for pk in by_name.get(c["project_name"].strip(), ()):
            per_project[pk].append(c)
    out = []
    for pk, items in sorted(per_project.items()):
        workers = sum(c["workers_count"] for c in items)
        amount = sum(int(Decimal(c["amount_claimed"]) * 100) for c in items)
        out.append(Found(
            rule=R.OPEN_COMPLAINT, project_id=pk, workers=workers, amount_fen=amount, worker_ids=(),
            detail={"cases": len(items)},
            cases=[{"id": c["pk"], "number": c["number"], "status": c["status"],
                    "workers": c["workers_count"]} for c in items],
        ))
    return out


# --- evidence and summaries -----------------------------------------------------------------


def summary(rule: str, month: int, found: Found, *, threshold: int) -> str:
    """One line in Chinese saying what the rule saw, e.g. "2026年10月：有考勤的386人中41人无工资记录（10.6%）"."""
    d, m = found.detail, month_label(month)
    if rule == "no_payment":
        return (f"{m}：有考勤的{d.get('attending', found.workers)}人（共{d.get('attendance_days', 0)}人天）"
                f"截至{last_day(add_months(month, 1)):%Y年%m月%d日}无工资发放记录")
    if rule == "unpaid_share":
        attending, unpaid = d.get("attending", 0), d.get("unpaid", found.workers)
        share = f"{unpaid * 100 / attending:.1f}" if attending else "0"
        return f"{m}：有考勤的{attending}人中{unpaid}人无工资记录（{share}%）"
    if rule == "fewer_paid":
        attending, paid = d.get("attending", 0), d.get("paid", 0)
        return f"{m}：有考勤{attending}人，发放工资{paid}人，少{attending - paid}人"
    if rule == "below_minimum":
        return (f"{m}：发放工资{d.get('paid', 0)}人，人均应发{R.yuan_grouped(d.get('avg_gross_fen', 0))}元，"
                f"低于当地月最低工资{R.yuan_grouped(d.get('min_wage_fen', 0))}元")
    if rule == "pay_over_month":
        return (f"{m}：{found.workers}人当月应发工资超过{threshold:,}元（合计{R.yuan_grouped(found.amount_fen)}元），"
                "疑似由班组长代领")
    if rule == "pay_over_year":
        return (f"{month // 100}年1—{month % 100}月：{found.workers}人在本项目累计应发超过{threshold:,}元"
                f"（合计{R.yuan_grouped(found.amount_fen)}元），疑似由班组长代领")
    if rule == "exit_unsettled":
        return f"{m}：{found.workers}人已退场超过{threshold}天，仍无已发放的工资记录"
    if rule == "no_deposit":
        return f"{m}：有考勤的{d.get('attending', found.workers)}人，当月未向工资专用账户拨付人工费用"
    if rule == R.OPEN_COMPLAINT:
        numbers = "、".join(c["number"] for c in found.cases[:3]) + ("等" if len(found.cases) > 3 else "")
        return (f"截至{m}末有在办投诉{len(found.cases)}件（涉及{found.workers}人，"
                f"金额{R.yuan_grouped(found.amount_fen)}元）：{numbers}")
    return f"{m}：{found.workers}人"


def _worker_list(found: Found, workers: dict[int, Worker]) -> list[dict[str, Any]]:
    out = []
    for wid in found.worker_ids[:WORKERS_LISTED]:
        w = workers.get(wid)
        out.append({"id": wid, "name": w.name if w else "（未登记 not on the roster）",
                    "id_number": mask_id_number(w.id_number) if w else ""})
    return out


def evidence(found: Found, *, month: int, threshold: int, as_of: date, workers: dict[int, Worker]) -> dict[str, Any]:
    """What the rule saw, for the inspector: counts, amounts, figures and the workers concerned."""
    ev: dict[str, Any] = {
        "month": month, "as_of": as_of.isoformat(), "threshold": threshold,
        "workers": found.workers, "amount_fen": found.amount_fen, "amount_yuan": R.yuan(found.amount_fen),
        "worker_ids": list(found.worker_ids), "worker_list": _worker_list(found, workers),
        "detail": dict(found.detail),
    }
    if found.cases:
        ev["cases"] = found.cases
    return ev


def _fingerprint(ev: dict[str, Any]) -> tuple[Any, ...]:
    """What counts as a change of a warning (not the date it was seen on, nor the names shown)."""
    return (ev.get("workers"), ev.get("amount_fen"), tuple(ev.get("worker_ids", ())),
            tuple(sorted(ev.get("detail", {}).items())), ev.get("threshold"),
            tuple(c.get("id") for c in ev.get("cases", ())))


# --- the run --------------------------------------------------------------------------------


@dataclass
class _Tally:
    opened: int = 0
    reopened: int = 0
    updated: int = 0
    resolved: int = 0
    unchanged: int = 0
    cases_opened: int = 0
    cases_updated: int = 0
    changes: list[str] = field(default_factory=list)

    def note(self, line: str) -> None:
        if len(self.changes) < CHANGES_KEPT:
            self.changes.append(line)


def run_monitor(*, month: int, engine: str | None = None, as_of: date | None = None) -> MonitorRun:
    """Run the detection job for `month` (yyyymm) as seen on `as_of` (default today) and write
    warnings, monitoring cases and grades. Returns the MonitorRun record (ok, stats).

    The pipeline runs outside any transaction (it only reads files); everything it leads to is
    written in one transaction, so a failure leaves the previous results untouched.
    """
    engine = engine or settings.MONITOR_ENGINE
    if not (200001 <= month <= 299912 and 1 <= month % 100 <= 12):  # before anything is recorded
        raise MonitorError(f"月份“{month}”无效，应为 yyyymm / Month {month} is not valid; use yyyymm.")
    backend = check_engine(engine)
    as_of = as_of or clock.today()
    started = clock.now()
    run = MonitorRun.objects.create(month=month, engine=engine, started_at=started)
    t0 = time.perf_counter()
    try:
        rules_on = active_rules()
        min_wages = project_min_wages(month)
        found = _find(month, backend, as_of, rules_on, min_wages)
        pipeline_seconds = time.perf_counter() - t0
        if R.OPEN_COMPLAINT in rules_on:
            found += open_complaints(month)
        with transaction.atomic():
            tally, by_rule, unknown = _apply(month=month, as_of=as_of, found=found, rules_on=rules_on,
                                             min_wages=min_wages, now=started)
            graded = grades.recompute_grades(as_of=as_of, now=clock.now())
    except Exception as exc:
        run.finished_at = clock.now()
        run.message = f"{type(exc).__name__}: {exc}"[:2000]
        run.stats = {"seconds": round(time.perf_counter() - t0, 3), "as_of": as_of.isoformat()}
        run.save(update_fields=["finished_at", "message", "stats"])
        log.exception("monitor run %s for %s failed", run.pk, month)
        raise
    run.ok = True
    run.finished_at = clock.now()
    run.stats = {
        "as_of": as_of.isoformat(),
        "findings": by_rule,
        "warnings": {"opened": tally.opened, "reopened": tally.reopened, "updated": tally.updated,
                     "resolved": tally.resolved, "unchanged": tally.unchanged},
        "cases": {"opened": tally.cases_opened, "updated": tally.cases_updated},
        "grades": graded,
        "unknown_projects": unknown,
        "files": {feed: len(lake.feed_files(feed)) for feed in ("attendance", "payroll", "deposit")},
        "pipeline_seconds": round(pipeline_seconds, 3),
        "seconds": round(time.perf_counter() - t0, 3),
        "changes": tally.changes,
    }
    run.message = (f"发现{sum(by_rule.values())}项；新增预警{tally.opened + tally.reopened}，更新{tally.updated}，"
                   f"消除{tally.resolved}；新立案{tally.cases_opened}，案件更新{tally.cases_updated} / "
                   f"{sum(by_rule.values())} findings; warnings {tally.opened + tally.reopened} opened, "
                   f"{tally.updated} updated, {tally.resolved} resolved; cases {tally.cases_opened} opened, "
                   f"{tally.cases_updated} updated")
    run.save(update_fields=["ok", "finished_at", "stats", "message"])
    return run


def _apply(*, month: int, as_of: date, found: list[Found], rules_on: dict[str, WarningRule],
           min_wages: dict[int, int], now: datetime) -> tuple[_Tally, dict[str, int], int]:
    tally = _Tally()
    projects = {p.pk: p for p in Project.objects.filter(pk__in={f.project_id for f in found})
                .select_related("general_contractor", "org_unit")}
    unknown = sum(1 for f in found if f.project_id not in projects)
    found = [f for f in found if f.project_id in projects]
    by_rule: dict[str, int] = {code: 0 for code in rules_on}
    for f in found:
        by_rule[f.rule] = by_rule.get(f.rule, 0) + 1

    listed = {wid for f in found for wid in f.worker_ids[:WORKERS_LISTED]}
    workers = {w.pk: w for w in Worker.objects.filter(pk__in=listed).only("pk", "name", "id_number")}
    existing = {(w.rule.code, w.project_id): w for w in
                Warning.objects.filter(month=month).select_related("rule", "project", "case")}
    changed: list[Warning] = []  # opened, reopened or updated in this run
    seen: set[tuple[str, int]] = set()

    for f in found:
        rule, project = rules_on[f.rule], projects[f.project_id]
        key = (f.rule, f.project_id)
        seen.add(key)
        threshold = R.pipeline_threshold(f.rule, rule.threshold)
        ev = evidence(f, month=month, threshold=threshold, as_of=as_of, workers=workers)
        text = summary(f.rule, month, f, threshold=threshold)[:300]
        w = existing.get(key)
        label = f"{month_text(month)} {project.name} · {rule.name}"
        if w is None:
            w = Warning.objects.create(
                rule=rule, grade=rule.grade, project=project, employer=project.general_contractor,
                org_unit=project.org_unit, month=month, state=Warning.State.OPEN, summary=text, evidence=ev,
                first_detected_at=now, last_detected_at=now,
            )
            existing[key] = w
            tally.opened += 1
            tally.note(f"新增 opened: {label}（{text}）")
            changed.append(w)
        elif w.state == Warning.State.RESOLVED:
            w.state, w.resolved_at, w.resolution = Warning.State.OPEN, None, ""
            w.grade, w.summary, w.evidence, w.last_detected_at = rule.grade, text, ev, now
            w.save(update_fields=["state", "resolved_at", "resolution", "grade", "summary", "evidence",
                                  "last_detected_at"])
            tally.reopened += 1
            tally.note(f"再次出现 reopened: {label}（{text}）")
            changed.append(w)
        elif _fingerprint(w.evidence) != _fingerprint(ev) or w.grade != rule.grade:
            w.grade, w.summary, w.evidence, w.last_detected_at = rule.grade, text, ev, now
            w.save(update_fields=["grade", "summary", "evidence", "last_detected_at"])
            tally.updated += 1
            tally.note(f"更新 updated: {label}（{text}）")
            changed.append(w)
        else:
            tally.unchanged += 1
            Warning.objects.filter(pk=w.pk).update(last_detected_at=now)

    resolved: list[Warning] = []
    for key, w in existing.items():
        if key in seen or w.state != Warning.State.OPEN:
            continue
        w.state, w.resolved_at = Warning.State.RESOLVED, now
        w.resolution = RESOLUTIONS.get(w.rule.code, RESOLUTIONS["no_payment"]) if w.rule.code in rules_on \
            else RULE_OFF
        w.save(update_fields=["state", "resolved_at", "resolution"])
        tally.resolved += 1
        tally.note(f"消除 resolved: {month_text(month)} {w.project.name} · {w.rule.name}（{w.resolution}）")
        resolved.append(w)

    _sync_cases(month=month, now=now, existing=existing, changed=changed, resolved=resolved,
                projects=projects, min_wages=min_wages, tally=tally)
    return tally, by_rule, unknown


# --- cases ----------------------------------------------------------------------------------

ARREARS_RULES = ("no_payment", "unpaid_share", "exit_unsettled")


def estimated_arrears_fen(warnings: list[Warning], min_wage_fen: int) -> int:
    """A rough figure for the case: the largest count of unpaid workers × the local minimum wage,
    plus any below-minimum shortfall. Only an order of magnitude: the inspector establishes the
    real amount."""
    unpaid = max((w.evidence.get("workers", 0) for w in warnings if w.rule.code in ARREARS_RULES), default=0)
    shortfall = sum(w.evidence.get("amount_fen", 0) for w in warnings if w.rule.code == "below_minimum")
    return unpaid * min_wage_fen + shortfall


def _finding_lines(warnings: list[Warning]) -> str:
    return "\n".join(f"- 【{w.get_grade_display()}】{w.rule.name}：{w.summary}" for w in warnings)


def _register(project: Project, month: int, reds: list[Warning], min_wage_fen: int, now: datetime) -> Case:
    gc = project.general_contractor
    credit_code = gc.credit_code
    try:
        validate_credit_code(credit_code)
    except ValidationError:
        credit_code = ""  # a registry typo must not stop the case: the name still identifies it
    amount = Decimal(min(estimated_arrears_fen(reds, min_wage_fen), int(case_services.MAX_AMOUNT) * 100)) / 100
    workers = max(1, min(max(w.evidence.get("workers", 1) for w in reds), case_services.MAX_WORKERS))
    description = (
        f"欠薪监测预警：{project.name}（{project.code}）{month_label(month)}触发红色预警{len(reds)}项，"
        f"估算涉及{workers}人、约{amount:,.2f}元（估算，待核实）。\n{_finding_lines(reds)}\n"
        f"Wage-payment monitoring: {len(reds)} red warning(s) on this project for {month_text(month)}; "
        "the figures are estimates for the inspector to verify."
    )
    data = case_services.IntakeData(
        case_type=CaseType.WAGE_ARREARS, channel=Channel.MONITORING, received_at=now,
        complainant_name=MONITORING_COMPLAINANT, complainant_phone="", employer_name=gc.name,
        employer_credit_code=credit_code, employer_address=gc.address, project_name=project.name,
        org_unit_id=project.org_unit_id, description=description, workers_count=workers,
        amount_claimed=amount.quantize(Decimal("0.01")), external_ref=f"MON-{project.code}-{month}"[:64],
    )
    return case_services.register_case(data=data, actor=None, now=now)


def _sync_cases(*, month: int, now: datetime, existing: dict[tuple[str, int], Warning], changed: list[Warning],
                resolved: list[Warning], projects: dict[int, Project], min_wages: dict[int, int],
                tally: _Tally) -> None:
    """One case per project × month for its red warnings; timeline events for what changed."""
    changed_ids = {w.pk for w in changed}
    reds: dict[int, list[Warning]] = defaultdict(list)
    for w in existing.values():
        if w.state == Warning.State.OPEN and w.grade == "red":
            reds[w.project_id].append(w)
    links = {mc.project_id: mc for mc in MonitoringCase.objects.filter(month=month, project_id__in=list(reds))
             .select_related("case")}
    for project_id, ws in sorted(reds.items()):
        ws.sort(key=lambda w: (w.rule.sort, w.rule.code))
        mc = links.get(project_id)
        project = projects.get(project_id) or ws[0].project
        if mc is None:
            case = _register(project, month, ws, min_wages.get(project_id, R.MIN_WAGE_FALLBACK_YUAN * 100), now)
            MonitoringCase.objects.create(project_id=project_id, month=month, case=case)
            Warning.objects.filter(pk__in=[w.pk for w in ws]).update(case=case)
            case_services.add_event(
                case=case, kind="warning_raised", at=now,
                message=f"监测预警（{month_label(month)}）/ Monitoring warnings for {month_text(month)}:\n"
                        f"{_finding_lines(ws)}",
                data={"warnings": [w.pk for w in ws], "month": month},
            )
            tally.cases_opened += 1
            tally.note(f"新立案 case opened: {case.number} {project.name}")
            continue
        case = mc.case
        unlinked = [w.pk for w in ws if w.case_id != case.pk]
        if unlinked:
            Warning.objects.filter(pk__in=unlinked).update(case=case)
        news = [w for w in ws if w.pk in changed_ids]
        if news:
            case_services.add_event(
                case=case, kind="warning_updated", at=now,
                message=f"监测预警更新（{month_label(month)}）/ Monitoring warnings updated for "
                        f"{month_text(month)}:\n{_finding_lines(news)}",
                data={"warnings": [w.pk for w in news], "month": month},
            )
            tally.cases_updated += 1
            tally.note(f"案件更新 case updated: {case.number} {project.name}")

    by_case: dict[int, list[Warning]] = defaultdict(list)
    for w in resolved:
        if w.case_id:
            by_case[w.case_id].append(w)
    if not by_case:
        return
    still_open = set(Warning.objects.filter(case_id__in=list(by_case), state=Warning.State.OPEN)
                     .values_list("case_id", flat=True))
    for case in Case.objects.filter(pk__in=list(by_case)):
        for w in by_case[case.pk]:
            case_services.add_event(
                case=case, kind="warning_resolved", at=now,
                message=f"预警消除：{w.rule.name}（{month_label(w.month)}）— {w.resolution}",
                data={"warning": w.pk, "rule": w.rule.code, "month": w.month},
            )
        if case.pk not in still_open:
            case_services.add_event(
                case=case, kind="warning_resolved", at=now,
                message="本案关联的监测预警已全部消除；案件仍按正常流程办理，由承办人决定是否办结。 / "
                        "All monitoring warnings on this case have cleared; the case stays in the normal "
                        "workflow and the handler decides whether to close it.",
                data={"all_cleared": True, "month": month},
            )
        tally.cases_updated += 1
        tally.note(f"案件更新 case updated: {case.number}（预警消除 warnings cleared）")


def latest_months(today: date) -> list[int]:
    """What the daily job checks: the last complete month and the current one."""
    current = month_key(today)
    return [add_months(current, -1), current]

