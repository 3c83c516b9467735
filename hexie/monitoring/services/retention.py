"""Deleting feed originals once their retention period is over (IMPORT_ORIGINAL_RETENTION_DAYS).

An original holds ID and bank-card numbers; once its rows are checked and in the lake (or the
batch has been rejected, failed or withdrawn and the period is over) it is of no further use and
goes. With 0 days an original goes as soon as its import succeeded. Each deletion is recorded in
the audit log; the batch keeps its name, counts and errors. A rejected batch whose original has
gone is retried by uploading the file again (the new upload becomes its original).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext

from hexie.core import audit, clock
from hexie.monitoring.models import ImportBatch

FINISHED = (ImportBatch.State.DONE, ImportBatch.State.REJECTED, ImportBatch.State.FAILED,
            ImportBatch.State.WITHDRAWN)


def retention_days() -> int:
    return max(0, int(getattr(settings, "IMPORT_ORIGINAL_RETENTION_DAYS", 90)))


def delete_original(*, batch_id: int) -> bool:
    """Delete one finished batch's original and error report, with an audit entry; False when
    there was nothing left to delete (or the batch is not finished)."""
    with transaction.atomic():
        batch = ImportBatch.objects.select_for_update().filter(pk=batch_id, state__in=FINISHED).first()
        if batch is None or not (batch.file or batch.error_report):
            return False
        names = [f.name for f in (batch.file, batch.error_report) if f]
        ImportBatch.objects.filter(pk=batch.pk).update(file="", error_report="")
        audit.record(actor=None, action=audit.Action.DELETE, obj=batch,
                     message=gettext("原始文件已按保存期限（%(days)s天）删除") % {"days": retention_days()},
                     fields=["file", "error_report"])
        storage = batch.file.storage

        def remove() -> None:
            for name in names:
                storage.delete(name)

        # The files go only once the batch no longer names them.
        transaction.on_commit(remove)
    return True


def purge_expired_originals(*, now: datetime | None = None) -> int:
    """Delete the originals of every batch finished more than the retention period ago; returns how many."""
    cutoff = (now or clock.now()) - timedelta(days=retention_days())
    expired = (ImportBatch.objects.filter(state__in=FINISHED, finished_at__lte=cutoff)
               .exclude(file="", error_report="").values_list("pk", flat=True))
    return sum(delete_original(batch_id=pk) for pk in list(expired))
