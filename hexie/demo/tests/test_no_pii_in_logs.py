"""No log line carries an ID number, phone, bank card or tracking code in clear: a feed import
(accepted and rejected), a public filing with its SMS, all captured at DEBUG level."""

from __future__ import annotations

import logging

from rest_framework.test import APIClient

from hexie.cases.models import Case
from hexie.cases.notify import deliver_notifications
from hexie.monitoring.models import ImportBatch
from hexie.monitoring.tests.conftest import reg  # noqa: F401 - the registry the feed rows name
from hexie.monitoring.tests.feed_files import IDS, PAY_HEADER, csv_bytes, make_id, pay_rows, run

PHONE = "13912345678"
ID_NUMBER = make_id(42)  # valid, on nobody's roster
CARD = "6222021234567890123"


def test_no_personal_data_or_tracking_code_reaches_a_log_line(reg, users, city, caplog):  # noqa: F811
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="hexie")
    rows = [[*row, CARD] for row in pay_rows(range(3))]
    assert run(users["handler"], "payroll", "工资.csv", csv_bytes([*PAY_HEADER, "bankCardNumber"], rows)).state \
        == ImportBatch.State.DONE
    rows[0][1] = ID_NUMBER  # nobody's roster: the file is rejected, naming the row
    rows[1][-1] = "6222-02"
    assert run(users["handler"], "payroll", "工资2.csv",
               csv_bytes([*PAY_HEADER, "bankCardNumber"], rows)).state == ImportBatch.State.REJECTED
    response = APIClient().post("/api/v1/public/complaints/", {
        "case_type": "wage_arrears", "org_unit": "430104001", "complainant_name": "王五", "complainant_phone": PHONE,
        "complainant_id_number": ID_NUMBER, "employer_name": "长沙某建筑劳务有限公司", "workers_count": 3,
        "amount_claimed": "24000.00", "description": "项目完工三个月，工资一直未发。",
    }, format="json")
    assert response.status_code == 201, response.content
    deliver_notifications()
    case = Case.objects.get()
    text = "\n".join(f"{r.name} {r.getMessage()} {r.exc_text or ''}" for r in caplog.records)
    assert "SMS" in text  # the SMS was logged, so the check below looked at it
    for secret in (PHONE, ID_NUMBER, CARD, IDS[0], IDS[1], case.tracking_code):
        assert secret not in text, f"{secret} in the log"
