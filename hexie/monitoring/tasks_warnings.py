"""Background jobs for warnings: the daily detection run."""

from __future__ import annotations

from typing import Any

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from hexie.core import clock
from hexie.monitoring.detect import latest_months
from hexie.monitoring.services import run_monitor


@db_periodic_task(crontab(hour="2", minute="30"))
def monitor_daily() -> list[dict[str, Any]]:
    """Check the last complete month (whose pay falls due at the end of this one) and the current
    month, after the night's feed imports."""
    out = []
    for month in latest_months(clock.today()):
        run = run_monitor(month=month)
        out.append({"month": month, "run": run.pk, "ok": run.ok})
    return out
