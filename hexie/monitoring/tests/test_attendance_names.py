"""The attendance import checks the worker's name (when the file gives one) against the real-name
register: a mismatch is a row error naming the row and the column."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import translation

from hexie.monitoring.feeds.messages import localise
from hexie.monitoring.models import ImportBatch
from hexie.monitoring.tests.feed_files import IDS, YL, csv_bytes, run

pytestmark = pytest.mark.django_db


def test_attendance_names_are_checked_against_the_register(reg: Any, users: Any) -> None:
    header = ["projectCode", "idCardNumber", "workerName", "date", "workHours"]
    rows = [
        [YL, IDS[0], "工人0", "2024-03-01", "8"],  # 2: the registered name
        [YL, IDS[1], "工人9", "2024-03-01", "8"],  # 3: another worker's name
        [YL, IDS[2], "", "2024-03-01", "8"],  # 4: no name given: nothing to compare
        [YL, IDS[3], "工 人3", "2024-03-01", "8"],  # 5: a space typed inside the name
    ]
    batch = run(users["handler"], "attendance", "att.csv", csv_bytes(header, rows))
    assert [(e["row"], e["field"]) for e in batch.errors] == [(3, "workerName")]
    assert batch.errors[0]["message"] == "姓名与该身份证号的实名登记不符"  # kept in Chinese
    with translation.override("en"):
        assert "does not match the real-name register" in localise(batch.errors[0]["message"])
    # Chinese headers name the Chinese column; a file with the right names is imported.
    zh = ["项目编码", "身份证号", "姓名", "考勤日期", "工时"]
    bad = run(users["handler"], "attendance", "att-zh.csv", csv_bytes(zh, [[YL, IDS[4], "工人5", "2024-03-02", "8"]]))
    assert [(e["row"], e["field"]) for e in bad.errors] == [(2, "姓名")]
    good = run(users["handler"], "attendance", "att-ok.csv", csv_bytes(header, [rows[0], rows[2]]))
    assert good.state == ImportBatch.State.DONE and good.rows_imported == 2
