"""Background jobs run by the Huey worker (`manage.py run_huey`)."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from hexie.prevention.services import escalate_overdue_orders


@db_periodic_task(crontab(minute="20", hour="1"))
def overdue_orders_sweep() -> int:
    """Each night: orders still open after their deadline open their inspection case."""
    return len(escalate_overdue_orders())
