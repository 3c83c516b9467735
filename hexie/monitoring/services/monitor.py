"""The monitoring run: what the job finds (``detect``) written as warnings, cases and grades.

- one Warning per rule × project × month, opened, updated when its evidence changes, resolved
  when the pipeline no longer finds it (the data arrived), reopened if it comes back;
- one case per project × month for its red warnings (``services.cases``);
- the risk grades of projects and employers (``services.grades``);
- one MonitorRun record with what was found and changed, and one audit entry for it.

Running a month twice on the same data changes nothing: no new warning, case or event.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from datetime import date, datetime

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext

from hexie.core import audit, clock, leases
from hexie.employers.models import Project, Worker
from hexie.monitoring import detect, lake
from hexie.monitoring import rules as R
from hexie.monitoring.detect import Found, MonitorError
from hexie.monitoring.evidence import WORKERS_LISTED, evidence, fingerprint, resolution, summary
from hexie.monitoring.models import ImportBatch, MonitorRun, Warning, WarningRule
from hexie.monitoring.months import month_text
from hexie.monitoring.services.cases import sync_monitoring_cases
from hexie.monitoring.services.grades import recompute_grades
from hexie.orgs.models import User

log = logging.getLogger("hexie.monitoring")

CHANGES_KEPT = 200  # lines of "what changed" kept on the run record


@dataclass
class Tally:
    """What a run changed, counted, with the first lines of "what changed" for its record."""

    opened: int = 0
    reopened: int = 0
    updated: int = 0
    resolved: int = 0
    kept: int = 0  # open warnings this run could not settle (not yet decidable, or an earlier day)
    unchanged: int = 0
    cases_opened: int = 0
    cases_updated: int = 0
    changes: list[str] = field(default_factory=list)

    def note(self, line: str) -> None:
        if len(self.changes) < CHANGES_KEPT:
            self.changes.append(line)


def run_monitor(*, month: int, engine: str | None = None, as_of: date | None = None,
                actor: User | None = None) -> MonitorRun:
    """Run the detection job for `month` (yyyymm) as seen on `as_of` (default today) and write
    warnings, monitoring cases and grades. Returns the MonitorRun record (ok, stats).

    The pipeline runs outside any transaction (it only reads files); everything it leads to, the
    run's record and its audit entry are written in one transaction, so a failure leaves the
    previous results untouched (the run is then recorded as failed, with its own audit entry).
    ``actor`` is whoever started the run; None for the schedule and the command line.
    """
    engine = engine or settings.MONITOR_ENGINE
    if not (200001 <= month <= 299912 and 1 <= month % 100 <= 12):  # before anything is recorded
        raise MonitorError(gettext("月份“%(month)s”无效，应为 yyyymm") % {"month": month})
    backend = detect.check_engine(engine)
    as_of = as_of or clock.today()
    started = clock.now()
    run, lease = leases.start(MonitorRun, month=month, engine=engine, started_at=started)
    with lease:
        return _run(run, lease, month=month, backend=backend, as_of=as_of, actor=actor, started=started)


def _run(run: MonitorRun, lease: leases.Lease, *, month: int, backend: str, as_of: date, actor: User | None,
         started: datetime) -> MonitorRun:
    t0 = time.perf_counter()
    try:
        rules_on = detect.active_rules()
        min_wages = detect.project_min_wages(month)
        found = detect.pipeline_findings(month=month, engine=backend, as_of=as_of, rules_on=rules_on,
                                         min_wages=min_wages)
        pipeline_seconds = time.perf_counter() - t0
        if R.OPEN_COMPLAINT in rules_on:
            found += detect.open_complaints(month)
        with transaction.atomic():
            tally, by_rule, unknown = _apply(month=month, as_of=as_of, found=found, rules_on=rules_on,
                                             min_wages=min_wages, now=started)
            graded = recompute_grades(as_of=as_of, now=clock.now())
            run.ok = True
            run.finished_at = clock.now()
            run.stats = {
                "as_of": as_of.isoformat(),
                "findings": by_rule,
                "warnings": {"opened": tally.opened, "reopened": tally.reopened, "updated": tally.updated,
                             "resolved": tally.resolved, "unchanged": tally.unchanged,
                             "kept": tally.kept},
                "cases": {"opened": tally.cases_opened, "updated": tally.cases_updated},
                "grades": graded,
                "unknown_projects": unknown,
                "files": {feed: len(lake.feed_files(feed)) for feed in ("attendance", "payroll", "deposit")},
                "pipeline_seconds": round(pipeline_seconds, 3),
                "seconds": round(time.perf_counter() - t0, 3),
                "changes": tally.changes,
            }
            run.message = (
                gettext("发现%(n)s项；新增预警%(value)s，更新%(updated)s，消除%(resolved)s；新立案%(cases_opened)s，案件更新%(cases_updated)s") % {"n": sum(by_rule.values()), "value": tally.opened + tally.reopened, "updated": tally.updated, "resolved": tally.resolved, "cases_opened": tally.cases_opened, "cases_updated": tally.cases_updated})
            # Only while the run is still ours: a run reaped meanwhile rolls all of this back.
            if not lease.mine().update(ok=True, finished_at=run.finished_at, stats=run.stats, message=run.message):
                raise leases.LeaseLost
            audit.record(actor=actor, action=audit.Action.RUN, obj=run, message=run.message)
    except leases.LeaseLost:
        log.warning("monitor run %s for %s: lease lost, its results were not written", run.pk, month)
        run.refresh_from_db()
        return run
    except Exception as exc:
        run.ok = False
        run.finished_at = clock.now()
        run.message = f"{type(exc).__name__}: {exc}"[:2000]
        run.stats = {"seconds": round(time.perf_counter() - t0, 3), "as_of": as_of.isoformat()}
        with transaction.atomic():
            if lease.mine().update(finished_at=run.finished_at, message=run.message, stats=run.stats):
                audit.record(actor=actor, action=audit.Action.RUN, obj=run, message=run.message)
        log.exception("monitor run %s for %s failed", run.pk, month)
        raise
    return run


def _apply(*, month: int, as_of: date, found: list[Found], rules_on: dict[str, WarningRule],
           min_wages: dict[int, int], now: datetime) -> tuple[Tally, dict[str, int], int]:
    """Write the month's warnings from what was found, then its cases; the tally, the findings
    per rule, and how many findings named a project the registry does not know."""
    tally = Tally()
    projects = {p.pk: p for p in Project.objects.filter(pk__in={f.project_id for f in found})
                .select_related("general_contractor", "org_unit")}
    unknown = sum(1 for f in found if f.project_id not in projects)
    found = [f for f in found if f.project_id in projects]
    by_rule: dict[str, int] = {code: 0 for code in rules_on}
    for f in found:
        by_rule[f.rule] = by_rule.get(f.rule, 0) + 1

    existing = {(w.rule.code, w.project_id): w for w in
                Warning.objects.filter(month=month).select_related("rule", "project", "case")}
    changed = _raise_warnings(month=month, as_of=as_of, found=found, rules_on=rules_on, projects=projects,
                              existing=existing, now=now, tally=tally)
    seen = {(f.rule, f.project_id) for f in found}
    resolved = _resolve_warnings(month=month, as_of=as_of, existing=existing, seen=seen, rules_on=rules_on,
                                 now=now, tally=tally)
    cases = sync_monitoring_cases(month=month, now=now, warnings=existing.values(), changed=changed,
                                  resolved=resolved, projects=projects, min_wages=min_wages)
    tally.cases_opened, tally.cases_updated = cases.opened, cases.updated
    for line in cases.notes:
        tally.note(line)
    return tally, by_rule, unknown


def _raise_warnings(*, month: int, as_of: date, found: list[Found], rules_on: dict[str, WarningRule],
                    projects: dict[int, Project], existing: dict[tuple[str, int], Warning], now: datetime,
                    tally: Tally) -> list[Warning]:
    """Open, reopen or update a warning for each finding (``existing`` gains the new ones); the
    warnings that changed."""
    listed = {wid for f in found for wid in f.worker_ids[:WORKERS_LISTED]}
    workers = {w.pk: w for w in Worker.objects.filter(pk__in=listed).only("pk", "name", "id_number")}
    changed: list[Warning] = []
    for f in found:
        rule, project = rules_on[f.rule], projects[f.project_id]
        key = (f.rule, f.project_id)
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
            tally.note(gettext("新增：%(label)s（%(text)s）") % {"label": label, "text": text})
            changed.append(w)
        elif w.state == Warning.State.RESOLVED:
            w.state, w.resolved_at, w.resolution = Warning.State.OPEN, None, ""
            w.grade, w.summary, w.evidence, w.last_detected_at = rule.grade, text, ev, now
            w.save(update_fields=["state", "resolved_at", "resolution", "grade", "summary", "evidence",
                                  "last_detected_at"])
            tally.reopened += 1
            tally.note(gettext("再次出现：%(label)s（%(text)s）") % {"label": label, "text": text})
            changed.append(w)
        elif fingerprint(w.evidence) != fingerprint(ev) or w.grade != rule.grade:
            w.grade, w.summary, w.evidence, w.last_detected_at = rule.grade, text, ev, now
            w.save(update_fields=["grade", "summary", "evidence", "last_detected_at"])
            tally.updated += 1
            tally.note(gettext("更新：%(label)s（%(text)s）") % {"label": label, "text": text})
            changed.append(w)
        else:
            tally.unchanged += 1
            Warning.objects.filter(pk=w.pk).update(last_detected_at=now)
    return changed


def _resolve_warnings(*, month: int, as_of: date, existing: dict[tuple[str, int], Warning],
                      seen: set[tuple[str, int]], rules_on: dict[str, WarningRule], now: datetime,
                      tally: Tally) -> list[Warning]:
    """Clear the open warnings nothing was found for any more, saying what changed in the data;
    the warnings cleared.

    A warning stays open when this run cannot settle it: its rule is not decidable yet on
    ``as_of`` (its due date has not passed), or ``as_of`` is earlier than the day it was last
    found on. An earlier evaluation day never claims that a settlement arrived."""
    candidates = sorted((w for key, w in existing.items() if key not in seen and w.state == Warning.State.OPEN),
                        key=lambda w: (w.project_id, w.rule.sort, w.rule.code))  # the order rules are listed in
    if not candidates:
        return []
    imports = _imports_touching(month, since=min(w.last_detected_at for w in candidates))
    resolved: list[Warning] = []
    for w in candidates:
        code, rule = w.rule.code, rules_on.get(w.rule.code)
        if rule is not None:
            threshold = R.pipeline_threshold(code, rule.threshold)
            seen_on = w.evidence.get("as_of")
            if not R.decidable(code, month, as_of, threshold) or (seen_on and as_of.isoformat() < seen_on):
                tally.kept += 1
                continue
            before = w.evidence.get("threshold")
            w.resolution = resolution(
                code, rule_on=True, as_of=as_of,
                changes=[label for feed, at, label in imports if feed in _FEEDS_OF.get(code, ()) and
                         at > w.last_detected_at],
                threshold=(int(before), threshold) if before is not None else None,
                paid_late=code == "no_payment" and ("paid_late", w.project_id) in seen)
        else:
            w.resolution = resolution(code, rule_on=False)
        w.state, w.resolved_at = Warning.State.RESOLVED, now
        w.save(update_fields=["state", "resolved_at", "resolution"])
        tally.resolved += 1
        tally.note(gettext("消除：%(month)s %(project)s · %(rule)s（%(resolution)s）") % {
            "month": month_text(month), "project": w.project.name, "rule": w.rule.name, "resolution": w.resolution})
        resolved.append(w)
    return resolved


# The feeds whose imports can clear each rule's warnings.
_FEEDS_OF: dict[str, tuple[str, ...]] = {
    **{code: ("attendance", "payroll") for code in R.PIPELINE_RULES},
    "no_deposit": ("attendance", "deposit"),
}


def _imports_touching(month: int, *, since: datetime) -> list[tuple[str, datetime, str]]:
    """(feed, when, what) for each import accepted or withdrawn since ``since`` that covers ``month``."""
    out: list[tuple[str, datetime, str]] = []
    batches = ImportBatch.objects.filter(
        Q(state=ImportBatch.State.DONE, finished_at__gt=since)
        | Q(state=ImportBatch.State.WITHDRAWN, withdrawn_at__gt=since)).order_by("pk")
    for b in batches:
        if month not in (b.months or []):
            continue
        label = f"第{b.pk}号导入{b.get_feed_display()}“{b.original_name}”"
        if b.state == ImportBatch.State.WITHDRAWN and b.withdrawn_at is not None:
            out.append((b.feed, b.withdrawn_at, f"{label}已撤回（{b.withdraw_reason[:40]}）"))
        elif b.finished_at is not None:
            out.append((b.feed, b.finished_at, f"{label}（{timezone.localtime(b.finished_at):%m-%d}）"))
    return out
