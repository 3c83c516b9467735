"""Running a feed import: check a queued batch whole, then write it to the lake or reject it.

One error anywhere and nothing reaches the lake: the batch is *rejected* and carries a
downloadable error report naming every row. Otherwise the rows are written as one Parquet file
(``lake.write_batch``) and the batch is *done*. Either outcome is recorded in the audit log, in
the transaction that records it on the batch.
"""

from __future__ import annotations

import fcntl
import io
import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager

import pyarrow as pa
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from hexie.core import audit, clock, leases
from hexie.core.storage import open_clear
from hexie.monitoring import feeds, lake
from hexie.monitoring.models import ImportBatch
from hexie.monitoring.selectors import FeedRegistry
from hexie.monitoring.services import retention

logger = logging.getLogger("hexie.monitoring.imports")

# How many errors the batch keeps for the page (all of them are in the report file).
ERRORS_SHOWN = 50
# Write progress to the database at most this often (rows).
PROGRESS_EVERY = 50_000
FAILED = _("导入失败（系统错误），请稍后重试或联系管理员")


@contextmanager
def _feed_lock(feed: str) -> Iterator[None]:
    """One import of a feed at a time checks the lake and writes to it, so two overlapping
    files cannot both pass the "already imported" check (an OS file lock: workers on one host)."""
    d = lake.feed_dir(feed)
    d.mkdir(parents=True, exist_ok=True)
    with (d / ".import.lock").open("a") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def xlsx_limits() -> feeds.XlsxLimits:
    """The largest workbook read (settings IMPORT_XLSX_MAX_*, documented in the README)."""
    default = feeds.XlsxLimits()
    return feeds.XlsxLimits(
        unpacked_bytes=int(getattr(settings, "IMPORT_XLSX_MAX_UNPACKED_BYTES", default.unpacked_bytes)),
        rows=int(getattr(settings, "IMPORT_XLSX_MAX_ROWS", default.rows)),
        columns=int(getattr(settings, "IMPORT_XLSX_MAX_COLUMNS", default.columns)),
        cells=int(getattr(settings, "IMPORT_XLSX_MAX_CELLS", default.cells)),
    )


def run_import(*, batch_id: int) -> ImportBatch:
    """Check a queued batch and write it to the lake, or reject it with its error report.

    Claims the batch with a conditional UPDATE (queued → running) that also takes its lease
    (``hexie.core.leases``), so two workers never run the same one, and a heartbeat keeps the
    lease while it runs: if this worker is killed, the reaper marks the batch failed and it can be
    retried. Not one transaction: the check of a large file takes minutes, and its progress is
    committed as it goes so that the page can show it; the outcome (done or rejected) and its
    audit entry are committed together, and only while the lease is still ours. Unexpected
    exceptions mark the batch failed (logged) instead of leaving it running.
    """
    lease = leases.claim(ImportBatch, batch_id, where=Q(state=ImportBatch.State.QUEUED),
                         state=ImportBatch.State.RUNNING, message=gettext("正在检查"))
    batch = ImportBatch.objects.select_related("org_unit", "created_by").get(pk=batch_id)
    if lease is None:
        return batch
    with lease:
        try:
            _check_and_write(batch, lease)
        except leases.LeaseLost:
            # Reaped while this worker was stalled: the failure shown (or a retry) stands.
            logger.warning("import %s: lease lost, result dropped", batch_id)
        except Exception:
            logger.exception("import %s failed", batch_id)
            lease.mine().update(state=ImportBatch.State.FAILED, message=FAILED, finished_at=clock.now())
    batch.refresh_from_db()
    return batch


def _check_and_write(batch: ImportBatch, lease: leases.Lease) -> None:
    try:
        # Through the storage: the original is encrypted at rest and decrypted here in memory.
        with open_clear(batch.file) as original:
            raw = feeds.read_file(original, batch.original_name, xlsx_limits=xlsx_limits())
    except feeds.FeedFileError as exc:
        _reject(batch, lease, feeds.errors_table([(None, "", exc.message)]), rows_total=0, message=exc.message)
        return
    total = raw.num_rows
    lease.mine().update(rows_total=total)
    last = [0]
    pause = settings.IMPORT_TEST_BLOCK_DELAY_MS / 1000

    def progress(done: int) -> None:
        if done - last[0] >= PROGRESS_EVERY or done >= total:
            last[0] = done
            lease.mine().update(rows_done=done)
        if pause:
            time.sleep(pause)

    registry = FeedRegistry(actor=batch.created_by, org_unit=batch.org_unit)
    with _feed_lock(batch.feed):
        outcome = feeds.check(batch.feed, raw, registry, today=clock.today(), batch_id=batch.pk,
                              progress=progress)
        if not outcome.ok:
            _reject(batch, lease, outcome.errors, rows_total=total)
            return
        assert outcome.table is not None  # ok means a table; this tells mypy
        path = lake.write_batch(batch.feed, batch.pk, outcome.table)
        message = gettext("已导入%(num_rows)s行") % {"num_rows": outcome.table.num_rows}
        try:
            with transaction.atomic():
                if not lease.mine().update(
                        state=ImportBatch.State.DONE, rows_total=total, rows_done=total,
                        rows_imported=outcome.table.num_rows, months=outcome.months, lake_path=str(path),
                        error_count=0, errors=[], finished_at=clock.now(), message=message):
                    raise leases.LeaseLost
                audit.record(actor=batch.created_by, action=audit.Action.IMPORT, obj=batch, message=message)
        except BaseException:
            # Still under the feed's lock: nothing else can have written this batch's file meanwhile.
            lake.remove_batch(batch.feed, batch.pk)
            raise
    if retention.retention_days() == 0:
        # The rows are in the lake: with no retention period the original goes at once.
        retention.delete_original(batch_id=batch.pk)


def _reject(batch: ImportBatch, lease: leases.Lease, errors: pa.Table, *, rows_total: int,
            message: str = "") -> None:
    """Record the errors (first ones on the batch, all in the report file); nothing reaches the lake."""
    count = errors.num_rows
    buf = io.BytesIO()
    feeds.write_error_report(errors, buf)
    batch.error_report.save(f"import-{batch.pk}-errors.csv", ContentFile(buf.getvalue()), save=False)
    message = message or (gettext("共%(count)s处错误，整个文件未导入，请改正后重新上传") % {"count": count})
    with transaction.atomic():
        if not lease.mine().update(
                state=ImportBatch.State.REJECTED, rows_total=rows_total, rows_done=rows_total, rows_imported=0,
                error_count=count, errors=feeds.first_errors(errors, ERRORS_SHOWN),
                error_report=batch.error_report.name, finished_at=clock.now(), message=message):
            raise leases.LeaseLost
        audit.record(actor=batch.created_by, action=audit.Action.IMPORT, obj=batch, message=message)
