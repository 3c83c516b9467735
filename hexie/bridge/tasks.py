"""Background jobs of the bridge (`manage.py run_huey`)."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from hexie.bridge.services import deliver_outbox


@db_periodic_task(crontab(minute="*/1"))
def deliver_bridge_outbox() -> dict[str, int]:
    return deliver_outbox()
