"""Imports that cannot be hijacked or exploded: names, jurisdictions, encodings and workbook size."""

from __future__ import annotations

import datetime as dt
import io
import json

import openpyxl
import pytest
from django.utils import translation

from hexie.core.models import AuditEvent
from hexie.monitoring.feeds.messages import localise
from hexie.monitoring.models import ImportBatch
from hexie.monitoring.services import imports
from hexie.monitoring.tests.feed_files import (
    ATT_HEADER,
    IDS,
    OFF_ROSTER,
    YL,
    attendance_rows,
    csv_bytes,
    run,
)


def test_a_very_long_file_name_keeps_its_extension(reg, users):
    name = "三月考勤" * 60 + ".csv"  # 244 characters, over the 200 kept
    batch = run(users["handler"], "attendance", name, csv_bytes(ATT_HEADER, attendance_rows(3)))
    assert batch.state == ImportBatch.State.DONE, batch.errors
    assert len(batch.original_name) == 200 and batch.original_name.endswith(".csv")


# --- encodings ------------------------------------------------------------------------------

TRAD_HEADER = ["項目編碼", "身份證號", "考勤日期", "工時", "姓名"]


@pytest.mark.parametrize(("encoding", "header"), [
    ("big5", TRAD_HEADER),
    ("shift_jis", ["プロジェクト", "身分証番号", "日付", "時間", "氏名"]),
])
def test_a_file_in_another_encoding_says_wrong_encoding(reg, users, encoding, header):
    rows = [[YL, IDS[i], "2024-03-01", "8", "陳大文"[: 1 + i % 3]] for i in range(3)]
    batch = run(users["handler"], "attendance", "att.csv", csv_bytes(header, rows, encoding))
    assert batch.state == ImportBatch.State.REJECTED
    assert "编码不正确" in batch.message and "UTF-8" in batch.message and "GBK" in batch.message
    assert "缺少必填列" not in json.dumps(batch.errors, ensure_ascii=False)
    with translation.override("en"):
        assert localise(batch.message).startswith("Wrong encoding")


def test_gbk_with_rare_characters_in_names_is_still_gbk(reg, users):
    header = ["项目编码", "身份证号", "考勤日期", "工时", "备注"]
    # Notes with characters outside the common set (堃, 喆, 玥): few among many common ones.
    rows = [[YL, IDS[i], "2024-03-01", "8", f"班组长{name}"] for i, name in enumerate(["王堃", "李喆", "张玥", "刘洋"])]
    batch = run(users["handler"], "attendance", "考勤.csv", csv_bytes(header, rows, "gbk"))
    assert batch.state == ImportBatch.State.DONE, (batch.message, batch.errors)


# --- deduplication stays inside one jurisdiction -------------------------------------------


def _submit(user, data, name="att.csv"):
    return imports.submit_file(feed="attendance", path_or_uploaded=io.BytesIO(data), original_name=name,
                               actor=user, run_now=True)


def _ledger(batch):
    batch.refresh_from_db()
    return batch.org_unit_id, batch.created_by_id, batch.state, batch.error_count, batch.original_name


@pytest.mark.parametrize("first_outcome", ["rejected", "done"])
def test_another_districts_identical_file_is_a_batch_of_its_own(reg, users, city, first_outcome):
    rows = attendance_rows(3) if first_outcome == "done" else [[YL, OFF_ROSTER, "2024-03-01", "8"]]
    data = csv_bytes(ATT_HEADER, rows)
    yuelu = run(users["handler"], "attendance", "yuelu.csv", data)
    assert yuelu.state == first_outcome
    before = _ledger(yuelu)
    sub = _submit(users["outsider"], data, "furong.csv")
    assert sub.created and sub.batch.pk != yuelu.pk
    assert sub.batch.org_unit == city["furong"] and sub.batch.created_by == users["outsider"]
    assert sub.message not in (imports.ALREADY_IMPORTED, imports.OTHER_UNIT, imports.RETRYING)
    # Yuelu's batch was neither moved, nor handed over, nor re-run.
    assert _ledger(yuelu) == before
    assert ImportBatch.objects.filter(org_unit=city["yuelu"]).count() == 1


def test_another_units_identical_records_do_not_take_over_its_failed_batch(reg, users, city):
    records = [{"projectCode": YL, "idCardNumber": IDS[i], "date": "2024-03-04", "workHours": 8} for i in range(2)]
    yuelu = imports.submit_records(feed="attendance", records=records, actor=users["handler"]).batch  # queued
    ImportBatch.objects.filter(pk=yuelu.pk).update(state=ImportBatch.State.FAILED)  # its worker died
    before = _ledger(yuelu)
    sub = imports.submit_records(feed="attendance", records=records, actor=users["city_leader"])
    assert sub.created and sub.batch.pk != yuelu.pk and sub.batch.org_unit == city["city"]
    assert _ledger(yuelu) == before
    again = imports.submit_records(feed="attendance", records=records, actor=users["handler"], run_now=True)
    assert again.batch.pk == yuelu.pk and again.message == imports.RETRYING
    assert again.batch.created_by == users["handler"] and again.batch.org_unit == city["yuelu"]


def test_own_units_duplicate_answers_the_earlier_batch_and_keeps_its_creator(reg, users, city):
    data = csv_bytes(ATT_HEADER, [[YL, OFF_ROSTER, "2024-03-01", "8"]])
    first = run(users["handler"], "attendance", "att.csv", data)
    assert first.state == ImportBatch.State.REJECTED
    retry = _submit(users["leader"], data, "again.csv")  # the same district, another person
    assert retry.batch.pk == first.pk and retry.message == imports.RETRYING
    assert retry.batch.org_unit == city["yuelu"] and retry.batch.created_by == users["handler"]
    assert AuditEvent.objects.filter(actor=users["leader"], object_id=str(first.pk), message=imports.RETRYING).exists()
    done = run(users["handler"], "attendance", "ok.csv", csv_bytes(ATT_HEADER, attendance_rows(2)))
    same = _submit(users["handler"], csv_bytes(ATT_HEADER, attendance_rows(2)), "ok-again.csv")
    assert same.batch.pk == done.pk and same.message == imports.ALREADY_IMPORTED and not same.created


# --- workbooks that would explode once opened ------------------------------------------------


def _xlsx(rows, far_cell=None, shared=None):
    wb = openpyxl.Workbook()
    ws = wb.active
    for row in rows:
        ws.append(row)
    if far_cell:
        ws[far_cell] = "x"
    if shared:
        ws["Z1"] = shared
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_a_tiny_workbook_with_a_cell_at_cv1000000_is_refused_before_reading(reg, users):
    data = _xlsx([ATT_HEADER, *attendance_rows(2)], far_cell="CV1000000")
    assert len(data) < 10_000
    batch = run(users["handler"], "attendance", "att.xlsx", data)
    assert batch.state == ImportBatch.State.REJECTED
    assert "Excel文件过大" in batch.message and "100,000,000" in batch.message and "15,000,000" in batch.message


def test_workbook_rows_limit_counts_the_header_row(reg, users, settings):
    settings.IMPORT_XLSX_MAX_ROWS = 4
    ok = run(users["handler"], "attendance", "ok.xlsx", _xlsx([ATT_HEADER, *attendance_rows(3)]))
    assert ok.state == ImportBatch.State.DONE, ok.message
    over = run(users["handler"], "attendance", "over.xlsx",
               _xlsx([ATT_HEADER, *attendance_rows(4, start=dt.date(2024, 4, 1))]))
    assert over.state == ImportBatch.State.REJECTED
    with translation.override("en"):
        assert "rows 5 is over the limit of 4" in localise(over.message).lower()


def test_workbook_columns_limit(reg, users, settings):
    settings.IMPORT_XLSX_MAX_COLUMNS = 5
    over = run(users["handler"], "attendance", "wide.xlsx", _xlsx([ATT_HEADER, *attendance_rows(2)], far_cell="F2"))
    assert over.state == ImportBatch.State.REJECTED and "列数 6，超过上限 5" in over.message
    settings.IMPORT_XLSX_MAX_COLUMNS = 6
    ok = run(users["handler"], "attendance", "wide2.xlsx", _xlsx([ATT_HEADER, *attendance_rows(2)], far_cell="F3"))
    assert ok.state == ImportBatch.State.DONE, ok.message


def test_huge_shared_strings_are_refused_by_the_unpacked_size(reg, users, settings):
    settings.IMPORT_XLSX_MAX_UNPACKED_BYTES = 200_000
    data = _xlsx([ATT_HEADER, *attendance_rows(2)], shared="工资" * 100_000)  # ~600 KB unpacked, ~10 KB packed
    batch = run(users["handler"], "attendance", "att.xlsx", data)
    assert batch.state == ImportBatch.State.REJECTED
    assert "解压后字节数" in batch.message and "200,000" in batch.message
