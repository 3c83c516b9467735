"""Withdrawing a whole import: a leader of its jurisdiction, with a reason; audited; the lake
updated in one step (no half state when anything fails); the warnings of its months evaluated
again. From the service, the import page and the API."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from hexie.core.errors import DomainError, NotPermitted
from hexie.core.models import AuditEvent
from hexie.monitoring import lake, services
from hexie.monitoring.models import ImportBatch, Warning
from hexie.monitoring.services import imports
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


@pytest.fixture
def paid(reg: Any, users: Any) -> dict[str, ImportBatch]:
    """March: seven attending, five paid; then back pay for the other two (the warnings cleared)."""
    h = users["handler"]
    att = run(h, "attendance", "att.csv", csv_bytes(ATT_HEADER, attendance_rows(7)))
    pay = run(h, "payroll", "pay.csv", csv_bytes(PAY_HEADER, pay_rows(range(5))))
    services.run_monitor(month=MARCH, as_of=AFTER_DUE)
    back = run(h, "payroll", "back.csv", csv_bytes(PAY_HEADER, pay_rows(range(5, 7), paid_on="2024-05-02", back="1")))
    services.run_monitor(month=MARCH, as_of=AFTER_DUE)
    assert {att.state, pay.state, back.state} == {"done"}
    assert not Warning.objects.filter(state="open").exclude(rule__code="no_deposit").exists()  # no deposit feed
    return {"att": att, "pay": pay, "back": back}


def test_a_leader_withdraws_an_import_and_its_warnings_come_back(paid: dict[str, ImportBatch], users: Any) -> None:
    back = paid["back"]
    batch, runs = services.withdraw_import(batch_id=back.pk, actor=users["leader"], reason="补发数据重复上传",
                                           as_of=AFTER_DUE)
    assert batch.state == "withdrawn" and batch.withdrawn_by == users["leader"]
    assert batch.withdraw_reason == "补发数据重复上传"
    assert not lake.batch_path("payroll", back.pk).exists() and lake.withdrawn_path("payroll", back.pk).exists()
    assert len(lake_rows("payroll")) == 5
    event = AuditEvent.objects.get(object_type="monitoring.importbatch", object_id=str(back.pk), action="update")
    assert "补发数据重复上传" in event.message and event.actor == users["leader"]
    # March was evaluated again: two of seven have no pay record any more.
    assert [r.month for r in runs] == [MARCH]
    share = Warning.objects.get(rule__code="unpaid_share")
    assert share.state == "open" and share.evidence["workers"] == 2


def test_a_withdrawal_that_clears_a_warning_says_so(paid: dict[str, ImportBatch], users: Any) -> None:
    # An extra (wrong) back-pay row makes one worker's pay too high; withdrawing that import clears it.
    wrong = run(users["handler"], "payroll", "wrong.csv",
                csv_bytes(PAY_HEADER, pay_rows(range(1), gross="60000", paid_on="2024-05-03", back="1")))
    services.run_monitor(month=MARCH, as_of=AFTER_DUE)
    assert Warning.objects.get(rule__code="pay_over_month").state == "open"
    services.withdraw_import(batch_id=wrong.pk, actor=users["leader"], reason="金额录错", as_of=AFTER_DUE)
    over = Warning.objects.get(rule__code="pay_over_month")
    assert over.state == "resolved"
    assert f"第{wrong.pk}号导入" in over.resolution and "已撤回（金额录错）" in over.resolution


@pytest.mark.parametrize("who", ["handler", "outside_leader", "desk"])
def test_only_a_leader_of_its_jurisdiction_may_withdraw(paid: dict[str, ImportBatch], users: Any, who: str) -> None:
    with pytest.raises(NotPermitted):
        services.withdraw_import(batch_id=paid["pay"].pk, actor=users[who], reason="x")
    assert ImportBatch.objects.get(pk=paid["pay"].pk).state == "done"


def test_a_reason_is_required_and_only_an_accepted_import_is_withdrawn(paid: dict[str, ImportBatch],
                                                                        users: Any) -> None:
    with pytest.raises(DomainError) as exc:
        services.withdraw_import(batch_id=paid["pay"].pk, actor=users["leader"], reason="  ")
    assert exc.value.field == "reason"
    services.withdraw_import(batch_id=paid["pay"].pk, actor=users["leader"], reason="重复", as_of=AFTER_DUE)
    with pytest.raises(DomainError, match="只能撤回已导入的批次"):
        services.withdraw_import(batch_id=paid["pay"].pk, actor=users["city_leader"], reason="again")
    # The same file sent again is not silently "already imported": the user is told it was withdrawn.
    again = imports.submit_file(feed="payroll", path_or_uploaded=io.BytesIO(csv_bytes(PAY_HEADER, pay_rows(range(5)))),
                                original_name="pay.csv", actor=users["handler"], run_now=True)
    assert not again.created and again.message == imports.WITHDRAWN


def test_no_half_state_when_the_withdrawal_fails(paid: dict[str, ImportBatch], users: Any, monkeypatch: Any) -> None:
    pay = paid["pay"]

    def move_then_fail(feed: str, batch_id: int) -> bool:
        moved = real(feed, batch_id)
        assert moved and not lake.batch_path(feed, batch_id).exists()
        raise OSError("disk full")

    real = lake.withdraw_batch
    monkeypatch.setattr(lake, "withdraw_batch", move_then_fail)
    with pytest.raises(OSError):
        services.withdraw_import(batch_id=pay.pk, actor=users["leader"], reason="x")
    pay.refresh_from_db()
    assert pay.state == "done" and pay.withdrawn_at is None
    assert lake.batch_path("payroll", pay.pk).exists() and not lake.withdrawn_path("payroll", pay.pk).exists()
    assert not AuditEvent.objects.filter(object_type="monitoring.importbatch", action="update").exists()


def test_the_import_page_offers_the_withdrawal_to_a_leader(paid: dict[str, ImportBatch], users: Any,
                                                            client: Any) -> None:
    pay = paid["pay"]
    url = reverse("monitoring:import_withdraw", args=[pay.pk])
    client.force_login(users["handler"])
    assert "撤回导入" not in client.get(reverse("monitoring:import_detail", args=[pay.pk])).content.decode()
    assert client.post(url, {"reason": "x"}).status_code == 403
    client.force_login(users["leader"])
    assert "撤回导入" in client.get(reverse("monitoring:import_detail", args=[pay.pk])).content.decode()
    empty = client.post(url, {"reason": ""})
    assert empty.status_code == 400 and "请填写撤回原因" in empty.content.decode()
    done = client.post(url, {"reason": "工资表月份填错"}, follow=True)
    assert done.status_code == 200
    text = done.content.decode()
    assert "已撤回导入" in text and "工资表月份填错" in text
    pay.refresh_from_db()
    assert pay.state == "withdrawn"


def test_the_api_withdraws_an_import(paid: dict[str, ImportBatch], users: Any) -> None:
    api = APIClient()
    url = reverse("api-monitoring-import-withdraw", args=[paid["back"].pk])
    api.force_authenticate(users["handler"])
    assert api.post(url, {"reason": "x"}, format="json").status_code == 403
    api.force_authenticate(users["outside_leader"])
    assert api.post(url, {"reason": "x"}, format="json").status_code == 404
    api.force_authenticate(users["leader"])
    missing = api.post(url, {}, format="json")
    assert missing.status_code == 400 and missing.json()["field"] == "reason"
    ok = api.post(url, {"reason": "银行回单不符"}, format="json")
    assert ok.status_code == 200, ok.content
    assert ok.json()["state"] == "withdrawn" and ok.json()["withdraw_reason"] == "银行回单不符"
