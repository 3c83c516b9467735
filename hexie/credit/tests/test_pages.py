"""The staff pages, exports, API and the public list: scope (404 outside the jurisdiction), masked
ID numbers everywhere outside the bureau's own procedure, clear refusals."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse

from hexie.core import clock
from hexie.credit import services
from hexie.credit.models import CreditGrade, ListedPerson, Listing, RecordKind
from hexie.credit.services.listings import PersonData
from hexie.credit.tests.factories import CreditRecordFactory
from hexie.employers.tests.factories import id_number

pytestmark = pytest.mark.django_db
REP = id_number()


@pytest.fixture
def listed(users: Any, employers: Any, calendar: None) -> Listing:
    order = CreditRecordFactory(employer=employers["once"], kind=RecordKind.IGNORED_ORDER, amount=Decimal("60000"),
                                workers=12, months=2)
    listing = services.propose_listing(
        actor=users["handler"], employer_id=employers["once"].pk, order_record_id=order.pk, reasons="逾期未支付",
        persons=[PersonData(role=ListedPerson.Role.LEGAL_REPRESENTATIVE, name="王五", id_number=REP)])
    services.issue_listing_notice(actor=users["leader"], listing_id=listing.pk)
    services.record_statement(actor=users["handler"], listing_id=listing.pk, text="无", received_on=clock.today())
    services.decide_listing(actor=users["leader"], listing_id=listing.pk, list_it=True, reason="列入")
    return listing


def test_grade_pages_and_scope(client: Any, users: Any, employers: Any, sanction: Any) -> None:
    sanction(employers["once"])
    services.compute_grades(actor=users["city_leader"], year=2025)
    mine = CreditGrade.objects.get(employer=employers["once"])
    theirs = CreditGrade.objects.get(employer=employers["furong"])
    client.force_login(users["handler"])
    page = client.get(reverse("credit:grades"), {"year": 2025}).content.decode()
    assert "岳麓一次公司" in page and "芙蓉公司" not in page
    detail = client.get(reverse("credit:grade", args=[mine.pk])).content.decode()
    assert "因劳动保障违法行为被查处" in detail and "人社部规〔2016〕1号" in detail
    assert client.get(reverse("credit:grade", args=[theirs.pk])).status_code == 404
    file = client.get(reverse("employers:detail", args=[employers["once"].pk])).content.decode()
    assert "2025 · B级" in file


def test_objection_after_the_window_is_a_message_not_an_error(client: Any, users: Any, employers: Any,
                                                              calendar: None) -> None:
    services.compute_grades(actor=users["leader"], year=2025)
    services.notify_grades(actor=users["leader"], year=2025)
    grade = CreditGrade.objects.get(employer=employers["once"])
    today = clock.today()
    CreditGrade.objects.filter(pk=grade.pk).update(objection_due_on=today - timedelta(days=1),
                                                  notified_on=today - timedelta(days=20))
    client.force_login(users["handler"])
    resp = client.post(reverse("credit:grade_objection", args=[grade.pk]),
                       {"reason": "不服", "received_on": today.isoformat()}, follow=True)
    assert f"异议期限已于{today - timedelta(days=1)}届满" in resp.content.decode()
    resp = client.post(reverse("credit:grade_objection", args=[grade.pk]), {"reason": "", "received_on": "x"},
                       follow=True)
    assert resp.status_code == 200 and "异议理由" in resp.content.decode()


def test_delivery_is_recorded_on_the_grade_page_and_opens_the_window(client: Any, users: Any, employers: Any,
                                                                     calendar: None) -> None:
    services.compute_grades(actor=users["leader"], year=2025)
    services.notify_grades(actor=users["leader"], year=2025)
    grade = CreditGrade.objects.get(employer=employers["once"])
    client.force_login(users["handler"])
    page = client.get(reverse("credit:grade", args=[grade.pk])).content.decode()
    assert 'id="delivery-form"' in page and "公告送达" in page
    today = clock.today()
    resp = client.post(reverse("credit:grade_delivery", args=[grade.pk]),
                       {"delivered_on": (today + timedelta(days=1)).isoformat(), "delivery_method": "post"}, follow=True)
    assert "送达日期不能晚于今天" in resp.content.decode()
    resp = client.post(reverse("credit:grade_delivery", args=[grade.pk]),
                       {"delivered_on": today.isoformat(), "delivery_method": "carrier"}, follow=True)
    assert resp.status_code == 200 and "送达方式" in resp.content.decode()
    grade.refresh_from_db()
    assert grade.delivered_on is None and grade.objection_due_on is None
    resp = client.post(reverse("credit:grade_delivery", args=[grade.pk]),
                       {"delivered_on": today.isoformat(), "delivery_method": "post"}, follow=True)
    grade.refresh_from_db()
    assert grade.delivered_on == today and grade.objection_due_on is not None
    assert grade.objection_due_on >= today + timedelta(days=15)
    page = resp.content.decode()
    assert "邮寄送达" in page and 'id="delivery-form"' not in page
    client.force_login(users["outside_leader"])
    resp = client.post(reverse("credit:grade_delivery", args=[grade.pk]),
                       {"delivered_on": today.isoformat(), "delivery_method": "post"})
    assert resp.status_code in (302, 404)
    grade.refresh_from_db()
    assert grade.delivery_method == "post"


def test_listing_pages_exports_and_api_mask_the_persons(client: Any, users: Any, listed: Listing) -> None:
    client.force_login(users["leader"])
    page = client.get(reverse("credit:listing", args=[listed.pk])).content.decode()
    assert "王五" in page and REP not in page
    csv = client.get(reverse("credit:listing_export", args=["csv"])).content.decode("utf-8-sig")
    assert "王五" in csv and REP not in csv and REP[-4:] in csv
    xlsx = client.get(reverse("credit:listing_export", args=["xlsx"]))
    assert xlsx.status_code == 200 and xlsx["Content-Type"].startswith("application/vnd.openxml")
    api = client.get("/api/v1/credit/listings/").json()
    assert api["count"] == 1 and api["results"][0]["persons"][0]["id_number_masked"] != REP
    assert client.get("/api/v1/credit/listings/", {"state": "bogus"}).status_code == 400
    assert client.get("/api/v1/credit/grades/").status_code == 200  # no year: the last record year
    assert client.get("/api/v1/credit/grades/", {"year": "last"}).status_code == 400
    client.force_login(users["outsider"])
    assert client.get(reverse("credit:listing", args=[listed.pk])).status_code == 404
    assert client.get(f"/api/v1/credit/listings/{listed.pk}/").status_code == 404
    assert client.get("/api/v1/credit/listings/").json()["count"] == 0


def test_the_portal_shows_only_published_listings(client: Any, users: Any, listed: Listing) -> None:
    assert "王五" not in client.get(reverse("portal:credit")).content.decode()
    services.publish_listing(actor=users["leader"], listing_id=listed.pk)
    page = client.get(reverse("portal:credit")).content.decode()
    assert "岳麓一次公司" in page and "王五" in page and REP not in page and REP[-4:] not in page


def test_listing_steps_through_the_page(client: Any, users: Any, employers: Any, calendar: None) -> None:
    order = CreditRecordFactory(employer=employers["once"], kind=RecordKind.IGNORED_ORDER, amount=Decimal("1000"),
                                workers=1, months=1)
    client.force_login(users["handler"])
    resp = client.post(reverse("credit:listing_propose"), {
        "employer": employers["once"].pk, "order_record": order.pk, "reasons": "逾期未支付",
        "legal_rep_name": "王五", "legal_rep_id": REP}, follow=True)
    assert "不符合列入条件" in resp.content.decode()
    assert not Listing.objects.exists()



def test_a_record_entered_from_the_employer_file(client: Any, users: Any, employers: Any) -> None:
    client.force_login(users["handler"])
    file = client.get(reverse("employers:detail", args=[employers["once"].pk])).content.decode()
    assert "登记违法失信记录" in file and "提出列入失信联合惩戒对象名单" in file
    resp = client.post(reverse("credit:record_create"), {
        "employer": employers["once"].pk, "kind": RecordKind.CHILD_LABOUR, "occurred_on": "2025-03-01",
        "description": "使用童工1名"}, follow=True)
    assert "已登记违法失信记录" in resp.content.decode()
    assert employers["once"].credit_records.get().kind == RecordKind.CHILD_LABOUR
    resp = client.post(reverse("credit:record_create"), {
        "employer": employers["once"].pk, "kind": RecordKind.CHILD_LABOUR, "occurred_on": "2999-01-01",
        "description": "x"}, follow=True)
    assert "发生日期不能晚于今天" in resp.content.decode()
    resp = client.post(reverse("credit:record_create"), {
        "employer": employers["furong"].pk, "kind": RecordKind.CHILD_LABOUR, "occurred_on": "2025-03-01",
        "description": "x"}, follow=True)
    assert "未找到该用人单位" in resp.content.decode()
    client.force_login(users["desk"])
    assert "登记违法失信记录" not in client.get(reverse("employers:detail", args=[employers["once"].pk])).content.decode()
