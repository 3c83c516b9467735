"""Background jobs for warnings: the nightly detection run, and a month run again after a failure."""

from __future__ import annotations

from typing import Any

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from hexie.monitoring.services.monitor import run_monitor
from hexie.monitoring.services.nightly import run_nightly
from hexie.orgs.models import User


@db_periodic_task(crontab(hour="2", minute="30"))
def monitor_daily() -> list[dict[str, Any]]:
    """After the night's feed imports: every month with a rule that fell due since the last night,
    every month with open warnings or a new import, and the last complete and current month."""
    night = run_nightly()
    return list(night.stats.get("runs", []))


@db_task()
def rerun_month(month: int, actor_id: int | None) -> bool:
    """Evaluate a month again (the retry of a failed run); whether the new run succeeded."""
    actor = User.objects.filter(pk=actor_id).first() if actor_id else None
    return run_monitor(month=month, actor=actor).ok
