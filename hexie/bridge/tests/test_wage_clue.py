"""The national wage-clue platform (全国根治欠薪线索反映平台) as an intake channel of its own: clues by
API and by workbook with the platform's own reference (the same clue twice changes nothing), and
the result sent back to the platform through the outbox when the case closes."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from hexie.bridge.models import OutboundMessage, WorkOrder
from hexie.bridge.tests.test_bridge import _workbook, at, order_body
from hexie.cases import services as case_services
from hexie.cases.models import Case, Channel
from hexie.core import clock

pytestmark = pytest.mark.django_db


def clue(ref: str = "GX20260302001", **kw: Any) -> dict[str, Any]:
    return order_body(ref, **{"source": "wage_clue", "title": "欠薪线索", "content": "某劳务公司拖欠农民工工资",
                              "complainant_name": "王五", "employer_name": "某劳务公司", **kw})


def post_clue(api: Any, **kw: Any) -> Any:
    with clock.at(at(3, 2, 11)):
        return api.post("/api/v1/bridge/orders/", clue(**kw), format="json")


def test_a_clue_arrives_on_its_own_channel_with_the_platforms_reference(api: Any) -> None:
    r = post_clue(api)
    assert r.status_code == 201, r.json()
    case = WorkOrder.objects.get(pk=r.json()["id"]).case
    assert (case.channel, case.external_ref) == ("wage_clue", "wage_clue:GX20260302001")
    assert str(Channel.WAGE_CLUE.label) == "全国根治欠薪线索反映平台"
    assert case.get_channel_display() == "全国根治欠薪线索反映平台"
    # A 12345 order keeps its own channel.
    with clock.at(at(3, 2, 11)):
        other = api.post("/api/v1/bridge/orders/", clue(ref="SD1", source="12345"), format="json")
    assert WorkOrder.objects.get(pk=other.json()["id"]).case.channel == "hotline_12345"


def test_the_same_clue_twice_changes_nothing_and_another_under_its_reference_is_refused(api: Any) -> None:
    first = post_clue(api)
    again = post_clue(api)
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]
    different = post_clue(api, title="另一条线索")
    assert different.status_code == 409 and different.json()["code"] == "duplicate_order"
    assert Case.objects.filter(channel="wage_clue").count() == 1


def test_clues_by_workbook_on_the_staff_page_all_or_nothing_with_the_row_named(users: Any, calendar: Any) -> None:
    good = ["全国根治欠薪线索反映平台", "GX-1", "2026-03-02 09:30", "欠薪线索", "", "王五", "13700137000", "某劳务公司",
            "430104001"]
    bad = ["欠薪线索平台", "GX-2", "2026-03-02 09:40", "欠薪线索", "", "赵六", "13700137001", "某劳务公司", "999999"]
    c = Client()
    c.force_login(users["desk"])
    with clock.at(at(3, 2, 11)):
        r = c.post("/bridge/orders/import/", {"file": _workbook([good, bad])}, follow=True)
        assert "第3行" in r.content.decode() and "999999" in r.content.decode()
        assert not WorkOrder.objects.exists()
        r = c.post("/bridge/orders/import/", {"file": _workbook([good])}, follow=True)
        assert "新增1件" in r.content.decode()
        r = c.post("/bridge/orders/import/", {"file": _workbook([good])}, follow=True)
        assert "已接收过1件" in r.content.decode()
        r = c.post("/bridge/orders/import/", {}, follow=True)
        assert "工单文件（.xlsx）：" in r.content.decode()
    assert Case.objects.get().channel == "wage_clue"


def _close(case: Case, users: Any) -> None:
    walk = [("accept", users["desk"], {"track": "inspection"}),
            ("assign", users["leader"], {"handler": users["handler"].pk, "responsible_leader": users["leader"].pk}),
            ("start_handling", users["handler"], {}),
            ("resolve", users["handler"], {"conclusion": "paid_in_full", "amount_recovered": Decimal("8000"),
                                          "workers_benefited": 3}),
            ("start_follow_up", users["desk"], {}), ("close", users["desk"], {"satisfaction": 5})]
    for name, who, params in walk:
        if name == "accept" and case.status != "registered":
            continue
        case_services.transition(case_id=case.pk, actor=who, name=name, **params)


def test_the_result_goes_back_to_the_platform_when_the_case_closes(api: Any, users: Any) -> None:
    order = WorkOrder.objects.get(pk=post_clue(api).json()["id"])
    with clock.at(at(3, 10)):
        _close(order.case, users)
    results = OutboundMessage.objects.filter(order=order, kind="result")
    assert results.count() == 1
    payload = results.get().payload
    assert (payload["order_ref"], payload["result"], payload["amount_recovered"], payload["workers_benefited"]) == (
        "GX20260302001", "paid_in_full", "8000.00", 3)
    assert order.case.events.filter(kind="order_result").exists()


def test_a_case_not_closed_or_from_12345_sends_no_result(api: Any, users: Any) -> None:
    clue_order = WorkOrder.objects.get(pk=post_clue(api).json()["id"])
    hotline = WorkOrder.objects.get(pk=post_clue(api, ref="SD9", source="12345").json()["id"])
    with clock.at(at(3, 10)):
        case_services.transition(case_id=clue_order.case_id, actor=users["desk"], name="accept", track="inspection")
        _close(hotline.case, users)
    assert not OutboundMessage.objects.filter(kind="result").exists()


def test_the_migration_moves_earlier_clues_to_their_channel(api: Any) -> None:
    from importlib import import_module

    from django.apps import apps

    case = WorkOrder.objects.get(pk=post_clue(api).json()["id"]).case
    Case.objects.filter(pk=case.pk).update(channel="api")
    import_module("hexie.cases.migrations.0019_wage_clue_channel").rechannel_clues(apps, None)
    case.refresh_from_db()
    assert case.channel == "wage_clue"
