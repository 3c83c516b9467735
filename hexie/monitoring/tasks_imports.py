"""Background jobs for feed imports: check a stored file or API batch and write it to the lake."""

from __future__ import annotations

from huey.contrib.djhuey import db_task

from hexie.monitoring import services

__all__ = ["run_import_task"]


@db_task()
def run_import_task(batch_id: int) -> str:
    """Run one queued import (a batch already claimed or finished is left alone)."""
    return str(services.run_import(batch_id=batch_id).state)
