"""Submitting a feed import: an upload or an API batch is stored and queued (or checked at once).

An import is all-or-nothing (DESIGN principle 5): the stored content is checked row by row in the
background (``services.import_run``); one error anywhere and nothing reaches the lake.

The same content is never imported twice by one jurisdiction: the batch ledger is unique per
(feed, org unit, SHA-256 of the content). Submitting content the unit already imported (or is
importing) changes nothing and answers the earlier batch. Content the unit had *rejected* (or
failed) before may be submitted again: the roster or the project list may have been corrected
since, so the same batch is checked afresh (its old error report is discarded); its unit and
creator stay as they were, and the retry is audited under whoever asked for it. Another unit's
identical file is a batch of its own: deduplication never reaches across jurisdictions, so no
upload can take over, re-run or reveal another district's batch.

Entry points: :func:`import_file` (the demo loader, scripts), :func:`submit_file` (the upload
page), :func:`submit_records` (the API).
"""

from __future__ import annotations

import hashlib
import io
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import pyarrow as pa
from django.conf import settings
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from hexie.core import audit, clock, leases
from hexie.core.errors import DomainError, NotPermitted
from hexie.core.filenames import shorten_name
from hexie.monitoring import feeds
from hexie.monitoring.models import Feed, ImportBatch
from hexie.monitoring.selectors import FeedRegistry, can_import
from hexie.monitoring.services.import_run import run_import
from hexie.orgs.models import OrgUnit, User
from hexie.orgs.scoping import restrict

# Largest file accepted (setting IMPORT_MAX_BYTES); a year of a big city's attendance is ~100 MB of CSV.
DEFAULT_MAX_BYTES = 200 * 1024 * 1024
API_MAX_RECORDS = 50_000

ALREADY_IMPORTED = _("该文件已导入，未作任何更改")
IN_PROGRESS = _("该文件正在导入，未重复提交")
OTHER_UNIT = _("该文件已由其他单位导入，未作任何更改")
RETRYING = _("该文件此前被拒绝，现按当前登记信息重新检查")
QUEUED = _("已收到，正在排队检查")
NOT_RETRYABLE = _("只有失败或被拒绝的导入可以重试")
WITHDRAWN = _("该文件的导入已被撤回，同一内容不会再次导入；请修改后作为新文件上传")


class ImportRefused(DomainError):
    """The submission itself is refused (type, size, shape): nothing was stored."""

    code = "import_refused"
    http_status = 400


class RowsInvalid(DomainError):
    """API records that fail the row checks: nothing stored; ``errors`` name each row and field."""

    code = "rows_invalid"
    http_status = 422

    def __init__(self, errors: pa.Table) -> None:
        count = errors.num_rows
        super().__init__(gettext("共%(count)s处错误，未导入任何记录") % {"count": count}, code=self.code)
        self.errors = errors


class NotRetryable(DomainError):
    """A retry of a batch that is neither failed nor rejected."""

    code = "not_retryable"
    http_status = 409


@dataclass
class Submission:
    """What a submission led to: the batch, whether it is new (or re-checked), and what to tell the user."""

    batch: ImportBatch
    created: bool
    message: str


def max_bytes() -> int:
    """The largest file accepted, in bytes."""
    return int(getattr(settings, "IMPORT_MAX_BYTES", DEFAULT_MAX_BYTES))


def _check_feed(feed: str) -> None:
    if feed not in Feed.values:
        raise ImportRefused(gettext("数据类型“%(feed)s”不存在，应为 attendance、payroll 或 deposit") % {"feed": feed[:20]}, field="feed")


def _unit_for(actor: User | None, org_unit: OrgUnit | None) -> OrgUnit:
    if org_unit is not None:
        return org_unit
    if actor is not None and actor.org_unit_id is not None:
        return actor.org_unit  # type: ignore[return-value]
    root = OrgUnit.objects.filter(parent__isnull=True).order_by("pk").first()
    if root is None:
        raise ImportRefused(gettext("尚未设置行政区划"))
    return root


def _authorise(actor: User | None) -> None:
    if actor is not None and not can_import(actor):
        raise NotPermitted(gettext("您无权导入监测数据"))


def _open_source(path_or_uploaded: str | Path | UploadedFile | IO[bytes]) -> tuple[IO[bytes], int, bool]:
    """A readable binary handle on the source, its size, and whether we opened it (and must close it)."""
    if isinstance(path_or_uploaded, str | Path):
        p = Path(path_or_uploaded)
        return p.open("rb"), p.stat().st_size, True
    if isinstance(path_or_uploaded, UploadedFile):
        return path_or_uploaded, int(path_or_uploaded.size or 0), False  # type: ignore[return-value]
    fh = path_or_uploaded
    fh.seek(0, io.SEEK_END)
    size = fh.tell()
    fh.seek(0)
    return fh, size, False


def _sha256(fh: IO[bytes]) -> str:
    digest = hashlib.sha256()
    fh.seek(0)
    for block in iter(lambda: fh.read(1 << 20), b""):
        digest.update(block)
    fh.seek(0)
    return digest.hexdigest()


def submit_file(
    *,
    feed: str,
    path_or_uploaded: str | Path | UploadedFile | IO[bytes],
    original_name: str,
    actor: User | None,
    org_unit: OrgUnit | None = None,
    run_now: bool = False,
) -> Submission:
    """Store a feed file and queue its check (or run it now); the same content twice changes nothing.

    ``actor`` None means a system load (the demo, a script): projects are then scoped to
    ``org_unit`` (default: the actor's unit, else the top unit). Refuses (ImportRefused) a file
    with an unsupported extension, an empty one, or one over ``IMPORT_MAX_BYTES``. The batch is
    committed in its own transaction before its check is queued (the worker must find it).
    """
    _check_feed(feed)
    _authorise(actor)
    name = shorten_name(original_name or "", 200)
    if Path(name).suffix.lower() not in feeds.EXTENSIONS:
        raise ImportRefused(feeds.unsupported_extension(name), field="file")
    fh, size, opened = _open_source(path_or_uploaded)
    try:
        if size == 0:
            raise ImportRefused(gettext("文件为空"), field="file")
        limit = max_bytes()
        if size > limit:
            raise ImportRefused(gettext("文件超过%(value)s MB的上限") % {"value": limit // (1024 * 1024)}, field="file")
        digest = _sha256(fh)
        unit = _unit_for(actor, org_unit)
        existing = ImportBatch.objects.filter(feed=feed, org_unit=unit, sha256=digest).first()
        if existing is not None:
            if not existing.file and existing.state in (ImportBatch.State.REJECTED, ImportBatch.State.FAILED):
                # Its original was deleted after the retention period: this upload is the same content.
                existing.file.save(name, File(fh, name=name), save=False)
                if not ImportBatch.objects.filter(pk=existing.pk, file="").update(file=existing.file.name):
                    existing.file.delete(save=False)  # another upload restored it first
                existing.refresh_from_db()
            return _resubmit(existing, actor=actor, run_now=run_now)
        batch = ImportBatch(feed=feed, source=ImportBatch.Source.UPLOAD, original_name=name, sha256=digest,
                            org_unit=unit, created_by=actor, state=ImportBatch.State.QUEUED, message=str(QUEUED))
        batch.file.save(name, File(fh, name=name), save=False)
    finally:
        if opened:
            fh.close()
    return _create(batch, actor=actor, run_now=run_now)


def import_file(
    *,
    feed: str,
    path_or_uploaded: str | Path | UploadedFile | IO[bytes],
    original_name: str,
    actor: User | None,
    org_unit: OrgUnit | None = None,
    run_now: bool = False,
) -> ImportBatch:
    """Import a feed file (see :func:`submit_file`); returns its batch, an earlier one for the same content.

    With ``run_now`` the check and the lake write happen in this process before it returns (the
    demo loader, scripts); otherwise the background worker does them after the commit.
    """
    return submit_file(feed=feed, path_or_uploaded=path_or_uploaded, original_name=original_name, actor=actor,
                       org_unit=org_unit, run_now=run_now).batch


def records_digest(records: Sequence[Any]) -> bytes:
    """The canonical JSON of API records: equal records give equal bytes (and so equal hashes)."""
    return json.dumps(list(records), ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def submit_records(
    *,
    feed: str,
    records: Sequence[Any],
    actor: User | None,
    org_unit: OrgUnit | None = None,
    run_now: bool = False,
) -> Submission:
    """Accept an API batch of records: checked at once (RowsInvalid naming row and field), then queued.

    Records already submitted (same feed and content) answer the earlier batch, changing nothing.
    The background job checks them again before writing, because the registry or the lake may
    have changed in between.
    """
    _check_feed(feed)
    _authorise(actor)
    if not 1 <= len(records) <= API_MAX_RECORDS:
        raise ImportRefused(gettext("每次应提交1至%(API_MAX_RECORDS)s条记录") % {"API_MAX_RECORDS": API_MAX_RECORDS},
                            field="records")
    content = records_digest(records)
    digest = hashlib.sha256(content).hexdigest()
    unit = _unit_for(actor, org_unit)
    existing = ImportBatch.objects.filter(feed=feed, org_unit=unit, sha256=digest).first()
    if existing is not None and existing.state not in (ImportBatch.State.REJECTED, ImportBatch.State.FAILED):
        return _resubmit(existing, actor=actor, run_now=run_now)
    outcome = feeds.check(feed, feeds.read_records(records), FeedRegistry(actor=actor, org_unit=unit),
                          today=clock.today(), batch_id=0)
    if outcome.error_count:
        raise RowsInvalid(outcome.errors)
    if existing is not None:
        return _resubmit(existing, actor=actor, run_now=run_now)
    stamp = clock.now().strftime("%Y%m%d-%H%M%S")
    name = f"api-{feed}-{stamp}.json"
    batch = ImportBatch(feed=feed, source=ImportBatch.Source.API, original_name=name, sha256=digest,
                        org_unit=unit, created_by=actor, state=ImportBatch.State.QUEUED, message=str(QUEUED),
                        rows_total=len(records))
    batch.file.save(name, ContentFile(content), save=False)
    return _create(batch, actor=actor, run_now=run_now)


def _create(batch: ImportBatch, *, actor: User | None, run_now: bool) -> Submission:
    try:
        with transaction.atomic():
            batch.save()
    except IntegrityError:
        # The same content was submitted at the same moment by another request: answer that one.
        batch.file.delete(save=False)
        existing = ImportBatch.objects.get(feed=batch.feed, org_unit=batch.org_unit_id, sha256=batch.sha256)
        return Submission(existing, False, _duplicate_message(existing, actor))
    _start(batch.pk, run_now)
    if run_now:
        batch.refresh_from_db()
    return Submission(batch, True, batch.message)


def _visible(batch: ImportBatch, actor: User | None) -> bool:
    return actor is None or restrict(ImportBatch.objects.filter(pk=batch.pk), actor).exists()


def _duplicate_message(batch: ImportBatch, actor: User | None) -> str:
    if not _visible(batch, actor):
        return str(OTHER_UNIT)
    if batch.state in (ImportBatch.State.QUEUED, ImportBatch.State.RUNNING):
        return str(IN_PROGRESS)
    if batch.state == ImportBatch.State.WITHDRAWN:
        return str(WITHDRAWN)
    return str(ALREADY_IMPORTED)


def _resubmit(existing: ImportBatch, *, actor: User | None, run_now: bool) -> Submission:
    """The unit's same content again: nothing changes, unless its earlier try was rejected or failed.

    Then the same batch is checked again, still as the unit's and its first uploader's (it is
    never handed over); who asked for the retry is in the audit log. A batch still "running" whose
    worker's lease has run out (the worker was killed) is failed first, so it never blocks the file.
    """
    if existing.state == ImportBatch.State.RUNNING and leases.expire(existing):
        existing.refresh_from_db()  # its worker was killed: failed now, and so retried below
    if existing.state not in (ImportBatch.State.REJECTED, ImportBatch.State.FAILED):
        return Submission(existing, False, _duplicate_message(existing, actor))
    old_report = existing.error_report.name
    with transaction.atomic():
        claimed = ImportBatch.objects.filter(
            pk=existing.pk, state__in=[ImportBatch.State.REJECTED, ImportBatch.State.FAILED]
        ).update(state=ImportBatch.State.QUEUED, rows_done=0, rows_imported=0, error_count=0, errors=[],
                 error_report="", months=[], lake_path="", finished_at=None, message=str(RETRYING))
        if claimed:
            audit.record(actor=actor, action=audit.Action.IMPORT, obj=existing, message=str(RETRYING))
    existing.refresh_from_db()
    if not claimed:  # another request re-submitted it first
        return Submission(existing, False, _duplicate_message(existing, actor))
    if old_report:
        existing.error_report.storage.delete(old_report)
    _start(existing.pk, run_now)
    if run_now:
        existing.refresh_from_db()
    return Submission(existing, True, str(RETRYING))


def retry_import(*, batch_id: int, actor: User, run_now: bool = False) -> Submission:
    """Check a failed or rejected batch again (the page's button, ``POST …/imports/{id}/retry/``).

    The batch must be in the actor's jurisdiction (NotFound otherwise, as for a missing one) and
    the actor allowed to import. A batch still "running" on an expired lease counts as failed.
    Anything else is refused (``not_retryable``): a queued or running batch is on its way, a done
    one is in the lake (withdraw it first), a withdrawn one stays out.
    """
    batch = restrict(ImportBatch.objects.filter(pk=batch_id), actor).first()
    if batch is None:
        raise Http404
    _authorise(actor)
    if batch.state == ImportBatch.State.RUNNING and leases.expire(batch):
        batch.refresh_from_db()
    if batch.state not in (ImportBatch.State.REJECTED, ImportBatch.State.FAILED):
        raise NotRetryable(str(NOT_RETRYABLE))
    sub = _resubmit(batch, actor=actor, run_now=run_now)
    if not sub.created:  # another request retried it a moment before
        raise NotRetryable(str(NOT_RETRYABLE))
    return sub


def _start(batch_id: int, run_now: bool) -> None:
    """Run the check now (the caller waits) or, by default, queue it for the worker."""
    if run_now:
        run_import(batch_id=batch_id)
        return
    # After the commit: the worker must find the batch row (and must not run if it rolled back).
    transaction.on_commit(lambda: _enqueue(batch_id))


def _enqueue(batch_id: int) -> None:
    from hexie.monitoring.tasks_imports import run_import_task

    run_import_task(batch_id)
