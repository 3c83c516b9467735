"""The staff pages of the work orders: the list (filters in the URL, sorting, paging, count, empty
state), one order with its clocks, timeline and the steps its state allows, each step going through
the bridge's service; another district's staff find nothing and change nothing."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.test import Client

from hexie.bridge import services
from hexie.bridge.models import OutboundMessage, WorkOrder
from hexie.core import clock

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")


def at(m: int, d: int, h: int = 10) -> datetime:
    return datetime(2026, m, d, h, tzinfo=TZ)


@pytest.fixture
def receive(users: Any, calendar: Any) -> Any:
    def make(ref: str, *, day: int = 2, title: str = "反映工资拖欠") -> WorkOrder:
        data = services.OrderData(source="12345", external_ref=ref, received_at=at(3, day), title=title,
                                  content="拖欠三个月工资", complainant_name="张三", complainant_phone="13800138000",
                                  employer_name="长沙某建筑公司", org_unit_code="430104001")
        with clock.at(at(3, day, 11)):
            return services.receive_order(data=data, actor=users["desk"])[0]
    return make


def client_for(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def rows(response: Any) -> list[str]:
    return [o.external_ref for o in response.context["page"]]


def test_the_list_filters_by_state_and_overdue_in_the_url_sorts_and_counts(receive: Any, users: Any) -> None:
    a, b = receive("A-1", day=2), receive("B-2", day=3)
    c = client_for(users["handler"])
    with clock.at(at(3, 4)):
        services.act_on_order(order_id=b.pk, actor=users["handler"], action="sign")
    with clock.at(at(3, 9)):
        r = c.get("/bridge/orders/")
        assert r.status_code == 200 and rows(r) == ["B-2", "A-1"] and "共 2 条" in r.content.decode()
        assert rows(c.get("/bridge/orders/?state=signed")) == ["B-2"]
        assert rows(c.get("/bridge/orders/?sort=ref")) == ["A-1", "B-2"]
        assert rows(c.get("/bridge/orders/?sort=-ref")) == ["B-2", "A-1"]
        # Reply by Monday 9 March for A-1: not overdue on the 9th, overdue on the 10th.
        assert rows(c.get("/bridge/orders/?overdue=1")) == []
    with clock.at(at(3, 10)):
        r = c.get("/bridge/orders/?overdue=1")
        assert rows(r) == ["A-1"] and "逾期" in r.content.decode()
    assert a.pk != b.pk


def test_a_bad_filter_names_it_and_lists_nothing(receive: Any, users: Any) -> None:
    receive("A-1")
    c = client_for(users["handler"])
    r = c.get("/bridge/orders/?state=lost")
    assert r.status_code == 400 and "状态“lost”无效" in r.content.decode() and rows(r) == []
    r = c.get("/bridge/orders/?sort=colour")
    assert r.status_code == 400 and "排序“colour”无效" in r.content.decode()
    r = c.get("/bridge/orders/?overdue=yes")
    assert r.status_code == 400 and "逾期条件" in r.content.decode()


def test_an_empty_list_says_so(users: Any, calendar: Any) -> None:
    r = client_for(users["handler"]).get("/bridge/orders/")
    assert r.status_code == 200 and "没有符合条件的工单" in r.content.decode()


def test_the_list_pages(receive: Any, users: Any) -> None:
    for n in range(21):
        receive(f"P-{n:02d}", day=2)
    c = client_for(users["handler"])
    first = c.get("/bridge/orders/?size=20&sort=ref")
    assert len(rows(first)) == 20 and "共 21 条" in first.content.decode()
    assert rows(c.get("/bridge/orders/?size=20&sort=ref&page=2")) == ["P-20"]


def test_the_order_shows_its_clocks_and_the_steps_its_state_allows(receive: Any, users: Any) -> None:
    o = receive("A-1")
    c = client_for(users["handler"])
    with clock.at(at(3, 4)):
        r = c.get(f"/bridge/orders/{o.pk}/")
    page = r.content.decode()
    assert r.status_code == 200
    # Hand-back by Wednesday 4 March, reply by Monday 9: both windows shown with their dates.
    assert "2026-03-04" in page and "2026-03-09" in page and "国办发" in page
    assert [a["name"] for a in r.context["actions"]] == ["sign", "hand_back"]
    with clock.at(at(3, 5)):
        # The hand-back window closed on the 4th: only signing for it is offered.
        assert [a["name"] for a in c.get(f"/bridge/orders/{o.pk}/").context["actions"]] == ["sign"]


def test_signing_extending_replying_and_rating_through_the_page(receive: Any, users: Any) -> None:
    o = receive("A-1")
    c = client_for(users["handler"])
    with clock.at(at(3, 3)):
        r = c.post(f"/bridge/orders/{o.pk}/sign/", {"sign-version": 0}, follow=True)
        assert "已签收" in r.content.decode()
        r = c.post(f"/bridge/orders/{o.pk}/extend/", {"extend-version": 1, "extend-days": 3,
                                                      "extend-reason": "需现场核查"}, follow=True)
    o.refresh_from_db()
    assert o.state == "signed" and o.extension_days == 3 and o.reply_by.isoformat() == "2026-03-12"
    with clock.at(at(3, 11)):
        c.post(f"/bridge/orders/{o.pk}/reply/", {"reply-version": 2, "reply-result": "resolved",
                                                 "reply-text": "已督促支付"})
        r = c.get(f"/bridge/orders/{o.pk}/")
        assert [a["name"] for a in r.context["actions"]] == ["rate"]
        c.post(f"/bridge/orders/{o.pk}/rate/", {"rate-version": 3, "rate-rating": 5})
    o.refresh_from_db()
    assert (o.state, o.result, o.rating) == ("rated", "resolved", 5)
    page = c.get(f"/bridge/orders/{o.pk}/").content.decode()
    assert "已督促支付" in page and "当前没有可执行的操作" in page
    assert "已申请延期 · 待发送" in page  # the messages back to the hotline, by their event
    assert list(OutboundMessage.objects.values_list("kind", flat=True)) == [
        "signed", "extension_requested", "replied"]


def test_bad_input_and_steps_out_of_turn_or_time_are_refused_with_a_message(receive: Any, users: Any) -> None:
    o = receive("A-1")
    c = client_for(users["handler"])
    with clock.at(at(3, 5)):
        r = c.post(f"/bridge/orders/{o.pk}/hand_back/", {"hand_back-version": 0, "hand_back-reason": "非本部门职责"},
                   follow=True)
        assert "回退时限已于2026-03-04届满" in r.content.decode()
        r = c.post(f"/bridge/orders/{o.pk}/hand_back/", {"hand_back-version": 0}, follow=True)
        assert "回退理由：" in r.content.decode()
        r = c.post(f"/bridge/orders/{o.pk}/reply/", {"reply-version": 0, "reply-result": "resolved",
                                                     "reply-text": "x"}, follow=True)
        assert "不能执行该操作" in r.content.decode()
        # A page drawn before someone else's step: refused, nothing changes.
        services.act_on_order(order_id=o.pk, actor=users["desk"], action="sign")
        r = c.post(f"/bridge/orders/{o.pk}/sign/", {"sign-version": 0}, follow=True)
        assert "已被他人更新" in r.content.decode()
    o.refresh_from_db()
    assert o.state == "signed" and o.version == 1
    assert c.post(f"/bridge/orders/{o.pk}/fly/", {}).status_code == 404


def test_a_hand_back_within_the_window_through_the_page(receive: Any, users: Any) -> None:
    o = receive("A-1")
    with clock.at(at(3, 4)):
        client_for(users["handler"]).post(f"/bridge/orders/{o.pk}/hand_back/", {
            "hand_back-version": 0, "hand_back-reason": "非本部门职责"})
    o.refresh_from_db()
    assert o.state == "handed_back" and o.case.status == "refused"


def test_another_district_and_a_partner_find_nothing(receive: Any, users: Any) -> None:
    o = receive("A-1")
    outsider = client_for(users["outsider"])
    assert outsider.get(f"/bridge/orders/{o.pk}/").status_code == 404
    assert outsider.post(f"/bridge/orders/{o.pk}/sign/", {"sign-version": 0}).status_code == 404
    assert rows(outsider.get("/bridge/orders/")) == []
    assert client_for(users["partner"]).get("/bridge/orders/").status_code in (403, 404)
    o.refresh_from_db()
    assert o.state == "received"


def test_the_menu_lists_the_orders_for_bureau_staff_only(users: Any, calendar: Any) -> None:
    assert "/bridge/orders/" in client_for(users["desk"]).get("/cases/").content.decode()
    assert "/bridge/orders/" not in client_for(users["partner"]).get("/cases/").content.decode()
