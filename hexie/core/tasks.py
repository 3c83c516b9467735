"""Background jobs of the kernel, discovered by the Huey worker: the reaper of abandoned jobs."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from hexie.core import leases


# Every minute, and so also as soon as a worker starts (Huey enqueues the periodic tasks due in
# the minute it starts in): a worker restarted after a crash fails what its predecessor left.
@db_periodic_task(crontab(minute="*"))
def reap_stale_jobs() -> dict[str, int]:
    """Mark failed the jobs whose worker stopped renewing its lease (``hexie.core.leases``)."""
    return leases.reap()
