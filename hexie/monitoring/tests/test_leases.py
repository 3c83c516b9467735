"""Jobs whose worker was killed never stay "running": imports, detection runs and nights hold a
lease their worker renews; once it has run out the reaper marks them failed, with an audit entry,
and they can be retried from the page and the API. (The same with a real worker killed with
kill -9: test_worker_killed.py.)"""

from __future__ import annotations

import io
from datetime import timedelta
from typing import Any

import pytest
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from hexie.core import leases
from hexie.core.models import AuditEvent
from hexie.core.tasks import reap_stale_jobs
from hexie.monitoring import lake
from hexie.monitoring.models import ImportBatch, MonitorRun, NightlyRun
from hexie.monitoring.services import imports
from hexie.monitoring.services.import_run import _check_and_write
from hexie.monitoring.tests.feed_files import ATT_HEADER, attendance_rows, csv_bytes

pytestmark = [pytest.mark.filterwarnings("ignore:fetch_arrow_table:DeprecationWarning")]

DATA = csv_bytes(ATT_HEADER, attendance_rows(14))


def _submit(user: Any, data: bytes = DATA) -> ImportBatch:
    """A batch stored and queued (in a test the queue's on-commit hand-over never fires)."""
    sub = imports.submit_file(feed="attendance", path_or_uploaded=io.BytesIO(data), original_name="att.csv",
                              actor=user)
    assert sub.batch.state == ImportBatch.State.QUEUED
    return sub.batch


def _killed_worker(batch: ImportBatch) -> leases.Lease:
    """A worker claims the batch and is killed at once: it never beats again."""
    lease = leases.claim(ImportBatch, batch.pk, where=Q(state=ImportBatch.State.QUEUED),
                         state=ImportBatch.State.RUNNING)
    assert lease is not None
    return lease


def _api(user: Any) -> APIClient:
    c = APIClient()
    c.force_authenticate(user)
    return c


# --- the lease and the reaper ---------------------------------------------------------------------


def test_a_running_import_is_failed_only_once_its_lease_has_run_out(reg, users, settings):
    settings.JOB_LEASE_SECONDS = 120
    batch = _submit(users["handler"])
    _killed_worker(batch)
    batch.refresh_from_db()
    expires = batch.lease_expires_at
    assert batch.state == ImportBatch.State.RUNNING and batch.worker_id and batch.heartbeat_at
    assert expires - batch.heartbeat_at == timedelta(seconds=120)

    # One second before the lease runs out the worker may still be alive: nothing happens.
    assert leases.reap(now=expires - timedelta(seconds=1))["monitoring.importbatch"] == 0
    batch.refresh_from_db()
    assert batch.state == ImportBatch.State.RUNNING

    # One second after, it is failed, saying why, with an audit entry.
    assert leases.reap(now=expires + timedelta(seconds=1))["monitoring.importbatch"] == 1
    batch.refresh_from_db()
    assert batch.state == ImportBatch.State.FAILED and batch.finished_at is not None
    assert "停止响应" in batch.message and "可以重试" in batch.message
    entry = AuditEvent.objects.get(object_type="monitoring.importbatch", object_id=str(batch.pk),
                                   message=batch.message)
    assert entry.org_unit_id == batch.org_unit_id
    # Reaping again changes nothing.
    assert leases.reap(now=expires + timedelta(seconds=2))["monitoring.importbatch"] == 0


def test_a_heartbeat_keeps_a_long_import_alive_and_a_reaped_worker_learns_it_lost(reg, users, settings):
    settings.JOB_LEASE_SECONDS = 120
    batch = _submit(users["handler"])
    lease = _killed_worker(batch)
    first = ImportBatch.objects.get(pk=batch.pk).lease_expires_at
    later = timezone.now() + timedelta(seconds=100)
    ImportBatch.objects.filter(pk=batch.pk).update(lease_expires_at=timezone.now() + timedelta(seconds=5))
    assert lease.beat() and not lease.lost
    renewed = ImportBatch.objects.get(pk=batch.pk).lease_expires_at
    assert renewed >= first
    assert leases.reap(now=later)["monitoring.importbatch"] == 0  # renewed: still within its lease

    leases.reap(now=renewed + timedelta(seconds=1))
    assert not lease.beat() and lease.lost


def test_a_worker_whose_import_was_reaped_writes_nothing(reg, users):
    batch = _submit(users["handler"])
    lease = _killed_worker(batch)
    leases.reap(now=timezone.now() + timedelta(days=1))
    with pytest.raises(leases.LeaseLost):
        _check_and_write(ImportBatch.objects.get(pk=batch.pk), lease)
    batch.refresh_from_db()
    assert batch.state == ImportBatch.State.FAILED and batch.rows_imported == 0
    assert not lake.batch_path("attendance", batch.pk).exists()


def test_a_running_job_from_before_leases_is_reaped(reg, users):
    batch = _submit(users["handler"])
    ImportBatch.objects.filter(pk=batch.pk).update(state=ImportBatch.State.RUNNING)  # no lease at all
    reap_stale_jobs.call_local()
    batch.refresh_from_db()
    assert batch.state == ImportBatch.State.FAILED and "启用租约之前" in batch.message


# --- a stranded import never blocks the file, and is retried -------------------------------------


def test_uploading_the_same_file_again_retries_a_stranded_import(reg, users, settings):
    settings.JOB_LEASE_SECONDS = 60
    batch = _submit(users["handler"])
    _killed_worker(batch)
    ImportBatch.objects.filter(pk=batch.pk).update(lease_expires_at=timezone.now() - timedelta(seconds=1))

    again = imports.submit_file(feed="attendance", path_or_uploaded=io.BytesIO(DATA), original_name="att.csv",
                                actor=users["handler"], run_now=True)
    assert again.created and again.batch.pk == batch.pk
    assert again.batch.state == ImportBatch.State.DONE and again.batch.rows_imported == 14


def test_the_same_file_while_its_import_is_alive_is_not_started_twice(reg, users):
    batch = _submit(users["handler"])
    _killed_worker(batch)  # its lease is still fresh: the worker may be busy, not dead
    again = imports.submit_file(feed="attendance", path_or_uploaded=io.BytesIO(DATA), original_name="att.csv",
                                actor=users["handler"], run_now=True)
    assert not again.created and again.message == imports.IN_PROGRESS
    assert ImportBatch.objects.get(pk=batch.pk).state == ImportBatch.State.RUNNING


def test_a_failed_import_is_retried_through_the_api(reg, users, django_capture_on_commit_callbacks):
    batch = _submit(users["handler"])
    _killed_worker(batch)
    leases.reap(now=timezone.now() + timedelta(days=1))
    url = reverse("api-monitoring-import-retry", args=[batch.pk])

    assert _api(users["outsider"]).post(url).status_code == 404  # another district: as if missing
    assert _api(users["partner"]).post(url).status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        resp = _api(users["handler"]).post(url)
    assert resp.status_code == 202, resp.content
    batch.refresh_from_db()
    assert batch.state == ImportBatch.State.DONE and batch.rows_imported == 14
    assert batch.created_by == users["handler"]

    again = _api(users["handler"]).post(url)  # done: nothing to retry
    assert again.status_code == 409 and again.json()["code"] == "not_retryable"


def test_a_failed_import_is_retried_from_its_page(reg, users, client, django_capture_on_commit_callbacks):
    batch = _submit(users["handler"])
    _killed_worker(batch)
    leases.reap(now=timezone.now() + timedelta(days=1))
    client.force_login(users["handler"])
    page = client.get(reverse("monitoring:import_detail", args=[batch.pk])).content.decode()
    assert reverse("monitoring:import_retry", args=[batch.pk]) in page and "停止响应" in page
    with django_capture_on_commit_callbacks(execute=True):
        resp = client.post(reverse("monitoring:import_retry", args=[batch.pk]))
    assert resp.status_code == 302
    assert ImportBatch.objects.get(pk=batch.pk).state == ImportBatch.State.DONE

    client.force_login(users["outsider"])
    assert client.post(reverse("monitoring:import_retry", args=[batch.pk])).status_code == 404


# --- detection runs and nights ----------------------------------------------------------------------


def test_a_detection_run_whose_worker_died_is_failed_and_run_again(users, django_capture_on_commit_callbacks):
    run, _lease = leases.start(MonitorRun, month=202403, engine="duckdb", started_at=timezone.now())
    expires = MonitorRun.objects.get(pk=run.pk).lease_expires_at
    assert leases.reap(now=expires - timedelta(seconds=1))["monitoring.monitorrun"] == 0
    assert leases.reap(now=expires + timedelta(seconds=1))["monitoring.monitorrun"] == 1
    run.refresh_from_db()
    assert not run.ok and run.finished_at is not None and "停止响应" in run.message

    url = reverse("api-monitoring-run-retry", args=[run.pk])
    assert _api(users["leader"]).post(url).status_code == 403  # administrators run the job again
    with django_capture_on_commit_callbacks(execute=True):
        resp = _api(users["admin"]).post(url)
    assert resp.status_code == 202 and resp.json()["month"] == 202403
    rerun = MonitorRun.objects.exclude(pk=run.pk).get()
    assert rerun.month == 202403 and rerun.ok and rerun.finished_at is not None
    assert _api(users["admin"]).post(reverse("api-monitoring-run-retry", args=[rerun.pk])).status_code == 409


def test_a_failed_run_is_run_again_from_the_runs_page(users, client, django_capture_on_commit_callbacks):
    run, _lease = leases.start(MonitorRun, month=202403, engine="duckdb", started_at=timezone.now())
    leases.reap(now=timezone.now() + timedelta(days=1))
    client.force_login(users["admin"])
    assert reverse("monitoring:run_retry", args=[run.pk]) in client.get(reverse("monitoring:runs")).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(reverse("monitoring:run_retry", args=[run.pk])).status_code == 302
    assert MonitorRun.objects.filter(ok=True, month=202403).count() == 1
    client.force_login(users["leader"])
    assert client.post(reverse("monitoring:run_retry", args=[run.pk])).status_code == 403


def test_a_night_whose_worker_died_is_failed_and_the_next_night_counts_from_the_last_good_one(db):
    night, _lease = leases.start(NightlyRun, day=timezone.localdate(), months=[202403], started_at=timezone.now())
    leases.reap(now=timezone.now() + timedelta(days=1))
    night.refresh_from_db()
    assert not night.ok and night.finished_at is not None and "停止响应" in night.stats["error"]
