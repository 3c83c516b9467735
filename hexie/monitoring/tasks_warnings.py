"""Background jobs for warnings: the nightly detection run."""

from __future__ import annotations

from typing import Any

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from hexie.monitoring.services.nightly import run_nightly


@db_periodic_task(crontab(hour="2", minute="30"))
def monitor_daily() -> list[dict[str, Any]]:
    """After the night's feed imports: every month with a rule that fell due since the last night,
    every month with open warnings or a new import, and the last complete and current month."""
    night = run_nightly()
    return list(night.stats.get("runs", []))
