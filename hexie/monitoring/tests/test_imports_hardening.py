"""Imports that cannot be hijacked or exploded: names, jurisdictions, encodings and workbook size."""

from __future__ import annotations

import json

import pytest

from hexie.monitoring.models import ImportBatch
from hexie.monitoring.tests.feed_files import ATT_HEADER, IDS, YL, attendance_rows, csv_bytes, run


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
    assert "Wrong encoding" in batch.message and "UTF-8" in batch.message and "GBK" in batch.message
    assert "missing column" not in json.dumps(batch.errors)


def test_gbk_with_rare_characters_in_names_is_still_gbk(reg, users):
    header = ["项目编码", "身份证号", "考勤日期", "工时", "备注"]
    # Notes with characters outside the common set (堃, 喆, 玥): few among many common ones.
    rows = [[YL, IDS[i], "2024-03-01", "8", f"班组长{name}"] for i, name in enumerate(["王堃", "李喆", "张玥", "刘洋"])]
    batch = run(users["handler"], "attendance", "考勤.csv", csv_bytes(header, rows, "gbk"))
    assert batch.state == ImportBatch.State.DONE, (batch.message, batch.errors)
