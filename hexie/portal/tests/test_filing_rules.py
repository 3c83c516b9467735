"""What the filing form refuses and tells: a wage claim above 0 yuan, a mobile where SMS is sent,
within how long the bureau decides (from the acceptance rule, as data), and the 12333 line."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from hexie.cases.models import Case, DeadlineRule, Notification
from hexie.portal.tests.test_portal import api_data, page_data

pytestmark = pytest.mark.django_db


def test_a_wage_claim_of_one_fen_is_taken(client, city):
    response = client.post("/portal/file/", page_data(amount_claimed="0.01"))
    assert response.status_code == 302
    assert Case.objects.get().amount_claimed == Decimal("0.01")


def test_a_labour_dispute_may_claim_no_money(client, city):
    response = client.post("/portal/file/", page_data(case_type="labour_dispute", amount_claimed=""))
    assert response.status_code == 302
    assert Case.objects.get().amount_claimed == Decimal(0)


def test_the_api_takes_a_labour_dispute_of_0_yuan_and_refuses_a_wage_claim_of_0_yuan(client, city):
    ok = client.post("/api/v1/public/complaints/", api_data(case_type="labour_dispute", amount_claimed="0"),
                     content_type="application/json")
    assert ok.status_code == 201
    refused = client.post("/api/v1/public/complaints/", api_data(amount_claimed="0"), content_type="application/json")
    assert refused.status_code == 400 and "大于0元" in refused.json()["amount_claimed"][0]


@pytest.mark.parametrize("phone", ["13912345678", "+86 139 1234 5678", "19912345678"])
def test_a_mobile_number_is_taken_however_it_is_written(client, city, phone):
    assert client.post("/portal/file/", page_data(complainant_phone=phone)).status_code == 302


@pytest.mark.parametrize("phone", ["12912345678", "0731-88886666", "073188886666"])
def test_a_number_that_cannot_receive_sms_is_refused(client, city, phone):
    response = client.post("/portal/file/", page_data(complainant_phone=phone))
    assert response.status_code == 400 and "11位手机号码" in response.content.decode()
    assert not Case.objects.exists()


def test_the_worker_is_told_by_sms_and_a_landline_taken_at_the_desk_gets_none(make_case):
    mobile = make_case(complainant_phone="13812345678")
    landline = make_case(complainant_phone="0731-88886666")
    sms = Notification.objects.filter(channel=Notification.Channel.SMS)
    assert sms.filter(case=mobile).exists()
    assert not sms.filter(case=landline).exists()


def test_the_form_says_within_how_long_each_body_decides(client, city):
    html = client.get("/portal/file/").content.decode()
    assert "自收到投诉之日起五个工作日内决定是否受理" in html  # labour inspection, 若干规定 Art. 18
    assert "第十八条" in html
    assert "自收到仲裁申请之日起五日内决定是否受理" in html  # arbitration commission, Art. 29
    assert "第二十九条" in html


def test_the_period_told_is_the_rule_in_force_not_a_constant(client, city):
    rule = DeadlineRule.objects.get(code="inspection.accept")
    rule.pk = None
    rule.length, rule.effective_from = 7, date(2020, 1, 1)
    rule.save()
    html = client.get("/portal/file/").content.decode()
    assert "自收到投诉之日起七个工作日内" in html and "自收到投诉之日起五个工作日内" not in html


def test_the_thank_you_page_gives_the_date_by_which_the_bureau_decides(client, city):
    client.post("/portal/file/", page_data())
    case = Case.objects.get()
    due = case.deadlines.get(rule__trigger=DeadlineRule.Trigger.INTAKE).due_on
    html = client.get("/portal/filed/").content.decode()
    assert "自收到投诉之日起五个工作日内" in html and due.isoformat() in html


@pytest.mark.parametrize("page", ["/portal/", "/portal/file/"])
def test_the_12333_line_is_offered_beside_12345(client, city, page):
    html = client.get(page).content.decode()
    assert 'href="tel:12345"' in html and 'href="tel:12333"' in html
