"""Background jobs for feed imports: check a stored file or API batch and write it to the lake."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from hexie.monitoring import services

__all__ = ["purge_import_originals", "run_import_task"]


@db_task()
def run_import_task(batch_id: int) -> str:
    """Run one queued import (a batch already claimed or finished is left alone)."""
    return str(services.run_import(batch_id=batch_id).state)


@db_periodic_task(crontab(hour="3", minute="15"))
def purge_import_originals() -> int:
    """Every night: delete the feed originals whose retention period is over (IMPORT_ORIGINAL_RETENTION_DAYS)."""
    return services.purge_expired_originals()
