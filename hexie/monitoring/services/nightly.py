"""The nightly job: every month that needs a look tonight, each through ``run_monitor``.

Tonight's months (rules.md §3): every month with a rule that fell due since the last night
(``schedule.months_due``), every month that still has open warnings (so that a settlement or a
withdrawn import clears them), every month an import touched since the last night, and the last
complete and the current month. The night is recorded (``NightlyRun``); the next one counts from
the last that succeeded, so a night that failed or did not run is caught up — a night whose
worker was killed too: its lease runs out and the reaper marks it failed (``hexie.core.leases``).
"""

from __future__ import annotations

import logging
from datetime import date
from typing import Any

from django.db.models import Q

from hexie.core import clock, leases
from hexie.monitoring import rules as R
from hexie.monitoring import schedule
from hexie.monitoring.detect import active_rules
from hexie.monitoring.models import ImportBatch, MonitorRun, NightlyRun, Warning
from hexie.monitoring.services.monitor import run_monitor

log = logging.getLogger("hexie.monitoring")

# A finding that records a fact already settled: it does not keep its month on the nightly list.
SETTLED_RULES = ("paid_late",)


def months_for_night(today: date) -> tuple[list[int], dict[str, list[int]]]:
    """Tonight's months, oldest first, and why each group is there."""
    last = NightlyRun.objects.filter(ok=True, day__lt=today).order_by("-day").first()
    since = schedule.since_last(last.day if last else None, today)
    thresholds = {code: R.pipeline_threshold(code, r.threshold) for code, r in active_rules().items()}
    why: dict[str, list[int]] = {
        "due": schedule.months_due(since, today, thresholds),
        "open": sorted(set(Warning.objects.filter(state=Warning.State.OPEN).exclude(rule__code__in=SETTLED_RULES)
                           .values_list("month", flat=True))),
        "imported": [],
        "latest": schedule.latest_months(today),
    }
    if last is not None:
        imported: set[int] = set()
        for months in (ImportBatch.objects.filter(
                Q(state=ImportBatch.State.DONE, finished_at__gt=last.started_at)
                | Q(state=ImportBatch.State.WITHDRAWN, withdrawn_at__gt=last.started_at))
                .values_list("months", flat=True)):
            imported.update(int(m) for m in months or [])
        why["imported"] = sorted(imported)
    months = sorted({m for group in why.values() for m in group if m <= schedule.latest_months(today)[1]})
    return months, why


def run_nightly(*, today: date | None = None, engine: str | None = None) -> NightlyRun:
    """Evaluate tonight's months as seen on ``today`` (default: the clock's day) and record the night.

    A month whose run fails is recorded by ``run_monitor`` and does not stop the others; the night
    is then not ok, so the next one counts again from the last good night."""
    today = today or clock.today()
    months, why = months_for_night(today)
    night, lease = leases.start(NightlyRun, day=today, months=months, started_at=clock.now())
    with lease:
        return _run_months(night, lease, months=months, why=why, today=today, engine=engine)


def _run_months(night: NightlyRun, lease: leases.Lease, *, months: list[int], why: dict[str, list[int]],
                today: date, engine: str | None) -> NightlyRun:
    raised = resolved = 0
    runs: list[dict[str, Any]] = []
    ok = True
    for month in months:
        try:
            run = run_monitor(month=month, as_of=today, engine=engine)
        except Exception:  # recorded on the failed MonitorRun; the other months still run
            log.exception("nightly run for %s failed", month)
            ok = False
            failed = MonitorRun.objects.filter(month=month).order_by("-started_at").first()
            runs.append({"month": month, "run": failed.pk if failed else None, "ok": False})
            continue
        w = run.stats.get("warnings", {})
        raised += w.get("opened", 0) + w.get("reopened", 0)
        resolved += w.get("resolved", 0)
        runs.append({"month": month, "run": run.pk, "ok": run.ok})
    night.ok, night.finished_at = ok, clock.now()
    night.stats = {"why": why, "runs": runs, "raised": raised, "resolved": resolved}
    # Only while the night is still ours: one reaped meanwhile stays failed (each month's run kept its own result).
    if not lease.mine().update(ok=night.ok, finished_at=night.finished_at, stats=night.stats):
        log.warning("nightly run %s: lease lost", night.pk)
        night.refresh_from_db()
    return night
