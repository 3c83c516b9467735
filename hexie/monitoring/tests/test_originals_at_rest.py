"""Feed originals: encrypted on disk, parsed in memory, deleted when their retention period is over."""

from __future__ import annotations

import io
from datetime import timedelta
from pathlib import Path

import openpyxl
import pyarrow as pa
import pyarrow.parquet as pq
from django.core.files.storage import default_storage

from hexie.core import clock
from hexie.core.models import AuditEvent
from hexie.monitoring import services
from hexie.monitoring.models import ImportBatch
from hexie.monitoring.tests.feed_files import (
    ATT_HEADER,
    IDS,
    PAY_HEADER,
    attendance_rows,
    csv_bytes,
    pay_rows,
    run,
)

CARD = "6222021234567890123"


def _payroll_with_cards() -> tuple[list[str], list[list[str]]]:
    return [*PAY_HEADER, "bankCardNumber"], [[*row, CARD] for row in pay_rows(range(3))]


def _assert_clear_nowhere_under_media(settings, *clear: str) -> None:
    files = [p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file()]
    assert files, "nothing was stored"
    for p in files:
        raw = p.read_bytes()
        for value in clear:
            assert value.encode() not in raw, f"{value} in clear in {p}"


def test_a_csv_original_is_encrypted_on_disk_and_still_imported(reg, users, settings):
    header, rows = _payroll_with_cards()
    batch = run(users["handler"], "payroll", "工资.csv", csv_bytes(header, rows))
    assert batch.state == ImportBatch.State.DONE, batch.errors
    assert batch.rows_imported == 3
    _assert_clear_nowhere_under_media(settings, IDS[0], IDS[1], CARD)


def test_an_xlsx_and_a_parquet_original_are_parsed_from_the_encrypted_file(reg, users, settings):
    wb = openpyxl.Workbook()
    wb.active.append(ATT_HEADER)
    for row in attendance_rows(3):
        wb.active.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    assert run(users["handler"], "attendance", "考勤.xlsx", buf.getvalue()).state == ImportBatch.State.DONE
    rows = attendance_rows(3, start=clock.today().replace(year=2024, month=5, day=6))
    table = pa.table({name: [r[i] for r in rows] for i, name in enumerate(ATT_HEADER)})
    out = io.BytesIO()
    pq.write_table(table, out)
    batch = run(users["handler"], "attendance", "考勤.parquet", out.getvalue())
    assert batch.state == ImportBatch.State.DONE, batch.errors
    _assert_clear_nowhere_under_media(settings, IDS[0], IDS[2])


def test_a_rejected_files_error_report_is_encrypted_and_downloads_in_clear(reg, users, settings, client):
    header, rows = _payroll_with_cards()
    rows[1][1] = "43010419900101123X"  # a valid-looking ID on nobody's roster
    rows[2][-1] = "12"  # a card number too short
    batch = run(users["handler"], "payroll", "工资.csv", csv_bytes(header, rows))
    assert batch.state == ImportBatch.State.REJECTED and batch.error_report
    _assert_clear_nowhere_under_media(settings, IDS[0], CARD)
    client.force_login(users["handler"])
    from django.urls import reverse

    response = client.get(reverse("monitoring:import_errors", args=[batch.pk]))
    assert response.status_code == 200
    assert "行" in b"".join(response.streaming_content).decode("utf-8-sig")


def test_originals_older_than_the_retention_period_are_deleted_and_audited(reg, users, settings,
                                                                          django_capture_on_commit_callbacks):
    settings.IMPORT_ORIGINAL_RETENTION_DAYS = 90
    batch = run(users["handler"], "attendance", "att.csv", csv_bytes(ATT_HEADER, attendance_rows(3)))
    stored = batch.file.name
    assert default_storage.exists(stored)
    # Day 89: kept (the period is not over); day 91: deleted.
    assert services.purge_expired_originals(now=batch.finished_at + timedelta(days=89)) == 0
    assert default_storage.exists(stored)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.purge_expired_originals(now=batch.finished_at + timedelta(days=91)) == 1
    batch.refresh_from_db()
    assert not batch.file and not default_storage.exists(stored)
    assert batch.state == ImportBatch.State.DONE and batch.rows_imported == 3  # the import itself stays
    event = AuditEvent.objects.filter(object_id=str(batch.pk), action=AuditEvent.Action.DELETE).get()
    assert "90" in event.message
    assert services.purge_expired_originals(now=batch.finished_at + timedelta(days=200)) == 0


def test_with_zero_days_an_original_goes_as_soon_as_its_import_succeeded(reg, users, settings):
    settings.IMPORT_ORIGINAL_RETENTION_DAYS = 0
    done = run(users["handler"], "attendance", "att.csv", csv_bytes(ATT_HEADER, attendance_rows(3)))
    assert done.state == ImportBatch.State.DONE and not done.file
    bad = run(users["handler"], "attendance", "bad.csv", csv_bytes(ATT_HEADER, [["XM-NONE", IDS[0], "2024-03-01", "8"]]))
    assert bad.state == ImportBatch.State.REJECTED and bad.file  # kept to be corrected (until the nightly purge)


def test_a_rejected_batch_whose_original_expired_is_retried_with_the_new_upload(reg, users, settings):
    data = csv_bytes(ATT_HEADER, attendance_rows(3))
    batch = run(users["handler"], "attendance", "att.csv", data)
    ImportBatch.objects.filter(pk=batch.pk).update(state=ImportBatch.State.FAILED)
    assert services.delete_original(batch_id=batch.pk)
    retried = run(users["handler"], "attendance", "att.csv", data)
    assert retried.pk == batch.pk and retried.file and retried.state == ImportBatch.State.DONE


def test_an_upload_too_large_to_hold_in_memory_is_refused_by_its_size(reg, users, settings, client):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 2000
    client.force_login(users["handler"])
    big = csv_bytes(ATT_HEADER, attendance_rows(200))
    assert len(big) > 2000
    response = client.post(reverse("monitoring:import_new"),
                           {"feed": "attendance", "file": SimpleUploadedFile("att.csv", big)})
    assert "MB的上限" in response.content.decode()
    assert not ImportBatch.objects.exists()
    small = csv_bytes(ATT_HEADER, attendance_rows(3))
    assert len(small) < 2000
    response = client.post(reverse("monitoring:import_new"),
                           {"feed": "attendance", "file": SimpleUploadedFile("att.csv", small)})
    assert response.status_code == 302 and ImportBatch.objects.count() == 1
