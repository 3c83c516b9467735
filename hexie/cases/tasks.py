"""Background jobs run by the Huey worker (`manage.py run_huey`)."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from hexie.cases.notify import deliver_notifications
from hexie.cases.sweeps import run_supervision_sweep


@db_periodic_task(crontab(minute="*/1"))
def deliver_outbox() -> dict[str, int]:
    return deliver_notifications()


@db_periodic_task(crontab(minute="5", hour="*"))
def supervision_sweep() -> dict[str, int]:
    return run_supervision_sweep()
