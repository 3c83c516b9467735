"""Leases on background jobs: a job that a worker runs says so, and keeps saying so while it runs.

A worker claims a job with one conditional UPDATE (``claim``) that names the worker (``worker_id``)
and sets until when its claim holds (``lease_expires_at``); while the job runs, a heartbeat thread
moves the expiry forward every third of the lease (``Lease``). A worker that is killed (kill -9,
out of memory, a lost machine) stops beating; once its lease has expired, the reaper (``reap``, a
periodic task of the worker, also run when a worker starts) marks the job failed with the reason
and an audit entry. So no job stays "running" for ever, and a failed job can be retried.

The outcome of a job is written through ``Lease.mine()``, a conditional UPDATE too: a worker that
was only stalled, and whose job was reaped meanwhile, finds no row to write and drops its result,
so it never overwrites the failure the user was shown, nor a retry that has started since.

Times are the wall clock (``timezone.now``), not the platform's clock (``clock.at`` replays the
demo's history and must not age a lease). Each kind of job (an import, a detection run, a
nightly run, a bulletin) registers how its running rows look and how a failed row is written
(``register``) from its app's ``AppConfig.ready``: core knows none of them.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from types import TracebackType
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Model, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext

from hexie.core import audit
from hexie.core.models import LeasedJob

log = logging.getLogger("hexie.core.leases")

# At most this many stale jobs of one kind are reaped per pass (the next pass takes the rest).
REAP_BATCH = 500


@dataclass(frozen=True)
class JobKind:
    """How one kind of leased job looks to the reaper.

    ``running``: the rows still running. ``fail``: the field updates that mark one failed, given
    the reason and the time. ``action``: the audit action its entries are filed under.
    ``actor``: who the audit entry names (the job's requester, or None for the schedule).
    """

    model: type[LeasedJob]
    running: Q
    fail: Callable[[str, datetime], dict[str, Any]]
    action: str
    actor: Callable[[Any], Any] = field(default=lambda obj: None)


_KINDS: dict[str, JobKind] = {}


def register(kind: JobKind) -> None:
    """Put a kind of job under the reaper (called from its app's ``ready``)."""
    _KINDS[kind.model._meta.label_lower] = kind


def kinds() -> dict[str, JobKind]:
    """The registered kinds of job, by model label."""
    return dict(_KINDS)


def _kind(model: type[Model]) -> JobKind:
    return _KINDS[model._meta.label_lower]


def lease_seconds() -> int:
    """How long a claim holds without a heartbeat (setting JOB_LEASE_SECONDS)."""
    return max(1, int(getattr(settings, "JOB_LEASE_SECONDS", 300)))


def heartbeat_seconds() -> float:
    """How often a running job renews its lease: a third of the lease, so two beats may be missed."""
    return max(0.2, float(getattr(settings, "JOB_HEARTBEAT_SECONDS", 0) or lease_seconds() / 3))


def this_worker() -> str:
    """The name of this worker: host, process and thread (a Huey worker may run threads)."""
    return f"{socket.gethostname()}:{os.getpid()}:{threading.get_ident()}"[:100]


def lease_fields(*, worker: str | None = None, now: datetime | None = None) -> dict[str, Any]:
    """The fields that claim a job now, for an UPDATE or for creating a job already claimed."""
    now = now or timezone.now()
    return {"worker_id": worker or this_worker(), "heartbeat_at": now,
            "lease_expires_at": now + timedelta(seconds=lease_seconds())}


def expired_q(now: datetime | None = None) -> Q:
    """Leases that have run out; a running row without one was left by a worker from before leases."""
    return Q(lease_expires_at__lt=now or timezone.now()) | Q(lease_expires_at__isnull=True)


class LeaseLost(Exception):
    """The job was reaped (or taken over) while this worker still ran it: its result is dropped."""


class Lease:
    """This worker's hold on one job. As a context manager it heartbeats from a thread of its own.

    The thread uses its own database connection and closes it when the job ends. ``lost`` turns
    true when a heartbeat finds the job no longer ours.
    """

    def __init__(self, model: type[LeasedJob], pk: int, worker: str) -> None:
        self.model, self.pk, self.worker = model, pk, worker
        self.lost = False
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def mine(self) -> QuerySet[Any]:
        """The job's row while this worker still holds it (empty once it was reaped or taken over)."""
        return self.model._default_manager.filter(_kind(self.model).running, pk=self.pk, worker_id=self.worker)

    def beat(self) -> bool:
        """Renew the lease now; False (and ``lost``) when the job is no longer ours."""
        now = timezone.now()
        held = self.mine().update(heartbeat_at=now, lease_expires_at=now + timedelta(seconds=lease_seconds())) > 0
        if not held:
            self.lost = True
        return held

    def _run(self) -> None:
        try:
            while not self._stop.wait(heartbeat_seconds()):
                try:
                    if not self.beat():
                        return
                except Exception:  # a busy or lost database: try again at the next beat
                    log.warning("heartbeat of %s %s failed", self.model._meta.label_lower, self.pk, exc_info=True)
        finally:
            connection.close()

    def __enter__(self) -> Lease:
        self._thread = threading.Thread(target=self._run, name=f"lease-{self.model._meta.model_name}-{self.pk}",
                                        daemon=True)
        self._thread.start()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()


def claim(model: type[LeasedJob], pk: int, *, where: Q, **changes: Any) -> Lease | None:
    """Take the job ``pk`` if it matches ``where`` (one conditional UPDATE, which also applies
    ``changes``); the lease, or None when another worker got it first or it is not claimable."""
    fields = lease_fields()
    if not model._default_manager.filter(where, pk=pk).update(**changes, **fields):
        return None
    return Lease(model, pk, fields["worker_id"])


def start(model: type[LeasedJob], **values: Any) -> tuple[Any, Lease]:
    """Create a job that is running from the start (a detection run, a bulletin) and hold it."""
    fields = lease_fields()
    obj = model._default_manager.create(**values, **fields)
    return obj, Lease(model, obj.pk, fields["worker_id"])


def stale_reason(obj: LeasedJob) -> str:
    """What a reaped job says about itself."""
    if obj.heartbeat_at is None:
        return gettext("执行该任务的进程已不存在（任务开始于启用租约之前），任务已标记为失败，可以重试。")
    return gettext("执行该任务的进程自%(at)s起已停止响应（被终止或失联），任务已标记为失败，可以重试。") % {
        "at": timezone.localtime(obj.heartbeat_at).strftime("%Y-%m-%d %H:%M:%S")}


def expire(obj: LeasedJob, *, now: datetime | None = None) -> bool:
    """Mark one job failed if it is running on an expired lease, with its audit entry; whether it was.

    A conditional UPDATE: of two reapers (or a reaper and a resubmission) only one writes, and a
    job whose worker has just renewed its lease is left alone."""
    kind = _kind(type(obj))
    now = now or timezone.now()
    reason = stale_reason(obj)
    with transaction.atomic():
        done = type(obj)._default_manager.filter(kind.running, expired_q(now), pk=obj.pk).update(**kind.fail(reason, now))
        if done:
            audit.record(actor=kind.actor(obj), action=kind.action, obj=obj, message=reason)
    if done:
        log.warning("%s %s: lease expired, marked failed", obj._meta.label_lower, obj.pk)
    return bool(done)


def is_stale(obj: LeasedJob, *, now: datetime | None = None) -> bool:
    """Whether a job that looks running has lost its worker (its lease ran out)."""
    kind = _kind(type(obj))
    return type(obj)._default_manager.filter(kind.running, expired_q(now), pk=obj.pk).exists()


def reap(*, now: datetime | None = None) -> dict[str, int]:
    """Mark failed every running job whose lease has expired; how many of each kind."""
    now = now or timezone.now()
    counts: dict[str, int] = {}
    for label, kind in _KINDS.items():
        stale = kind.model._default_manager.filter(kind.running, expired_q(now)).order_by("pk")[:REAP_BATCH]
        counts[label] = sum(expire(obj, now=now) for obj in stale)
    return counts
