"""Pay that arrives later, corrections and top-ups: a later payroll import may carry back-pay rows
(isBackPay / 是否补发), which add to what was paid, and correction rows (isCorrection / 是否更正),
which supersede the earlier row (kept in the lake as history). A red warning clears through data
alone: import, warn, import the back pay, run again, cleared."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import translation

from hexie.monitoring import services
from hexie.monitoring.feeds.messages import localise
from hexie.monitoring.models import ImportBatch, Warning
from hexie.monitoring.tests.feed_files import (
    ATT_HEADER,
    PAY_HEADER,
    attendance_rows,
    csv_bytes,
    lake_rows,
    pay_rows,
    run,
)

pytestmark = [pytest.mark.django_db, pytest.mark.filterwarnings("ignore:fetch_arrow_table:DeprecationWarning")]

MARCH = 202403
AFTER_DUE = dt.date(2024, 5, 6)  # March's pay was due by 30 April


def _pay(user: Any, name: str, rows: list[list[str]]) -> ImportBatch:
    return run(user, "payroll", name, csv_bytes(PAY_HEADER, rows))


def _errors(batch: ImportBatch) -> dict[tuple[int, str], str]:
    return {(e["row"], e["field"]): e["message"] for e in batch.errors}


def test_a_repeated_row_is_refused_unless_it_is_back_pay_or_a_correction(reg: Any, users: Any) -> None:
    first = _pay(users["handler"], "pay-1.csv", pay_rows(range(3)))
    assert first.state == ImportBatch.State.DONE
    again = _pay(users["handler"], "pay-2.csv", pay_rows(range(1), gross="100"))
    assert again.state == ImportBatch.State.REJECTED
    message = _errors(again)[(2, "payMonth")]
    assert f"第{first.pk}号导入" in message and "是否补发" in message
    with translation.override("en"):
        assert "isBackPay or isCorrection" in localise(message)
    # The same row marked as back pay, and another as a correction: accepted.
    later = _pay(users["handler"], "pay-3.csv", [*pay_rows(range(1), gross="500", back="是"),
                                                 *pay_rows(range(1, 2), gross="6500", corr="1")])
    assert later.state == ImportBatch.State.DONE, later.errors
    kinds = sorted((r["worker_id"], r["is_back_pay"], r["is_correction"], r["gross_fen"]) for r in lake_rows("payroll"))
    w0, w1 = reg["workers"][0].pk, reg["workers"][1].pk
    # The corrected row is still there, as history, beside its correction.
    assert (w1, False, False, 600_000) in kinds and (w1, False, True, 650_000) in kinds
    assert (w0, True, False, 50_000) in kinds


def test_a_correction_needs_an_earlier_row_and_a_row_is_one_kind(reg: Any, users: Any) -> None:
    batch = _pay(users["handler"], "pay.csv", [
        *pay_rows(range(1), corr="1"),  # 2: nothing to correct
        *pay_rows(range(1, 2), back="1", corr="1"),  # 3: both kinds at once
        *pay_rows(range(2, 3)),  # 4: fine
        *pay_rows(range(2, 3), back="1"),  # 5: the same worker's back pay in the same file: fine
        *pay_rows(range(2, 3), back="1", gross="10"),  # 6: a second back-pay row in the file
        *pay_rows(range(3, 4), corr="perhaps"),  # 7: not a yes/no
    ])
    got = {k: _english(m) for k, m in _errors(batch).items()}
    assert "Nothing to correct" in got[(2, "payMonth")]
    assert "both back pay and a correction" in got[(3, "isCorrection")]
    assert not [k for k in got if k[0] in (4, 5)]
    assert "Duplicate of row 5" in got[(6, "payMonth")]
    assert "isCorrection must be" in got[(7, "isCorrection")]


def _english(message: str) -> str:
    with translation.override("en"):
        return localise(message)


def test_a_red_warning_clears_through_data_alone(reg: Any, users: Any) -> None:
    handler = users["handler"]
    assert run(handler, "attendance", "att.csv", csv_bytes(ATT_HEADER, attendance_rows(7))).state == "done"
    # Of seven attending workers, three are paid, two are on the ledger without a pay date, and
    # two have no payroll row at all (2 of 7 is above the 10 % of the red share rule).
    _pay(handler, "pay-march.csv", [*pay_rows(range(3)), *pay_rows(range(3, 5), paid_on="")])
    services.run_monitor(month=MARCH, as_of=AFTER_DUE)
    share = Warning.objects.get(rule__code="unpaid_share", project=reg["yl"])
    fewer = Warning.objects.get(rule__code="fewer_paid", project=reg["yl"])
    assert share.state == "open" and share.grade == "red" and share.evidence["workers"] == 2
    assert fewer.state == "open" and fewer.evidence["workers"] == 4
    # A correction gives one ledger row its pay date; the other ledger row gets back pay.
    first = _pay(handler, "back-1.csv", [*pay_rows(range(3, 4), paid_on="2024-05-03", corr="1"),
                                         *pay_rows(range(4, 5), paid_on="2024-05-03", back="1")])
    assert first.state == "done", first.errors
    services.run_monitor(month=MARCH, as_of=AFTER_DUE)
    share.refresh_from_db()
    fewer.refresh_from_db()
    assert share.state == "open" and fewer.state == "open" and fewer.evidence["workers"] == 2
    # Back pay for the two without any row: everyone paid, and the red warning clears itself.
    second = _pay(handler, "back-2.csv", pay_rows(range(5, 7), paid_on="2024-05-04", back="1"))
    assert second.state == "done", second.errors
    run_ = services.run_monitor(month=MARCH, as_of=AFTER_DUE)
    share.refresh_from_db()
    fewer.refresh_from_db()
    assert share.state == "resolved" and fewer.state == "resolved"
    assert f"第{second.pk}号导入" in share.resolution and "back-2.csv" in share.resolution
    assert run_.stats["warnings"]["resolved"] == 2
