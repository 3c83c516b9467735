"""The monitoring jobs that a worker holds by lease, as the reaper sees them (``hexie.core.leases``).

An import is running in state ``running``; a detection run and a night while ``finished_at`` is
empty. A reaped one is written failed with the reason: the import can then be retried (the page's
button, the API, or uploading the same file again), a month run again, and the next night counts
from the last night that succeeded, so it catches up a failed one by itself.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import Q

from hexie.core import audit, leases
from hexie.monitoring.models import ImportBatch, MonitorRun, NightlyRun


def _import_failed(reason: str, now: datetime) -> dict[str, Any]:
    return {"state": ImportBatch.State.FAILED, "message": reason, "finished_at": now}


def _run_failed(reason: str, now: datetime) -> dict[str, Any]:
    return {"ok": False, "finished_at": now, "message": reason}


def _night_failed(reason: str, now: datetime) -> dict[str, Any]:
    return {"ok": False, "finished_at": now, "stats": {"error": reason}}


def register() -> None:
    """Put imports, detection runs and nights under the reaper (from ``AppConfig.ready``)."""
    leases.register(leases.JobKind(model=ImportBatch, running=Q(state=ImportBatch.State.RUNNING),
                                   fail=_import_failed, action=audit.Action.IMPORT))
    leases.register(leases.JobKind(model=MonitorRun, running=Q(finished_at__isnull=True), fail=_run_failed,
                                   action=audit.Action.RUN))
    leases.register(leases.JobKind(model=NightlyRun, running=Q(finished_at__isnull=True), fail=_night_failed,
                                   action=audit.Action.RUN))
