"""Imports that cannot be hijacked or exploded: names, jurisdictions, encodings and workbook size."""

from __future__ import annotations

from hexie.monitoring.models import ImportBatch
from hexie.monitoring.tests.feed_files import ATT_HEADER, attendance_rows, csv_bytes, run


def test_a_very_long_file_name_keeps_its_extension(reg, users):
    name = "三月考勤" * 60 + ".csv"  # 244 characters, over the 200 kept
    batch = run(users["handler"], "attendance", name, csv_bytes(ATT_HEADER, attendance_rows(3)))
    assert batch.state == ImportBatch.State.DONE, batch.errors
    assert len(batch.original_name) == 200 and batch.original_name.endswith(".csv")
