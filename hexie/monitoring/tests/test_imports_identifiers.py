"""Feed files typed with full-width digits and letters (Chinese input methods) are read as their
half-width identifiers; ID numbers with an unknown province code or a future birth date are rows
in error."""

from __future__ import annotations

from hexie.core.validators import id_check_char
from hexie.monitoring.feeds.spec import BAD_ID
from hexie.monitoring.models import ImportBatch
from hexie.monitoring.tests.feed_files import ATT_HEADER, IDS, YL, attendance_rows, csv_bytes, lake_rows, run


def wide(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


def test_full_width_project_code_id_number_and_bank_card_are_imported(reg, users):
    header = ["projectCode", "idCardNumber", "payMonth", "totalPayAmount", "actualAmount", "bankCardNumber"]
    rows = [[wide(YL), wide(IDS[0].lower()), "2024-03", "100", "90", wide("6222 0202 0011 2233")],
            [YL, IDS[1], "2024-03", "100", "90", "6222020200114455"]]
    batch = run(users["handler"], "payroll", "pay.csv", csv_bytes(header, rows))
    assert batch.state == ImportBatch.State.DONE, batch.errors
    got = sorted(lake_rows("payroll"), key=lambda r: r["bank_card_last4"])
    assert [r["bank_card_last4"] for r in got] == ["2233", "4455"]
    assert got[0]["project_id"] == reg["yl"].pk and got[0]["worker_id"] is not None


def test_unknown_area_code_and_future_birth_date_are_row_errors(reg, users):
    def id_number(first14: str) -> str:
        return first14 + "123" + id_check_char(first14 + "123")

    rows = attendance_rows(3)
    rows[1][1] = id_number("99010419900101")  # row 3: no such province
    rows[2][1] = id_number("43010421000101")  # row 4: born in 2100
    batch = run(users["handler"], "attendance", "att.csv", csv_bytes(ATT_HEADER, rows))
    assert batch.state == ImportBatch.State.REJECTED
    assert {(e["row"], e["message"]) for e in batch.errors} == {(3, BAD_ID), (4, BAD_ID)}
