"""The work-order bridge: orders in by API and workbook, the loop's steps on their clocks, the
outbox delivered to a real local HTTP server (down, then back), and the Open311 view."""

from __future__ import annotations

import io
import json
import threading
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from zoneinfo import ZoneInfo

import openpyxl
import pytest
from django.core.exceptions import ValidationError

from hexie.bridge import services
from hexie.bridge.models import OutboundMessage, WorkOrder
from hexie.cases.models import Case
from hexie.core import clock

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")


def at(m: int, d: int, h: int = 10) -> datetime:
    return datetime(2026, m, d, h, tzinfo=TZ)


def order_body(ref: str = "SD20260302001", **kw: Any) -> dict[str, Any]:
    return {"source": "12345", "external_ref": ref, "received_at": at(3, 2).isoformat(), "title": "反映工资拖欠",
            "content": "某工地拖欠三个月工资", "complainant_name": "张三", "complainant_phone": "13800138000",
            "employer_name": "长沙某建筑公司", "org_unit": "430104001", **kw}


def receive(api: Any, **kw: Any) -> Any:
    with clock.at(at(3, 2, 11)):
        return api.post("/api/v1/bridge/orders/", order_body(**kw), format="json")


def act(api: Any, pk: int, when: datetime, **body: Any) -> Any:
    with clock.at(when):
        return api.post(f"/api/v1/bridge/orders/{pk}/actions/", body, format="json")


def test_an_order_becomes_a_case_with_its_clocks(api: Any) -> None:
    r = receive(api)
    assert r.status_code == 201, r.json()
    order = WorkOrder.objects.get(pk=r.json()["id"])
    case = order.case
    assert (case.channel, case.external_ref, case.status) == ("hotline_12345", "12345:SD20260302001", "registered")
    # Received Monday 2 March: hand back by Wednesday 4 (2 working days), reply by Monday 9 (5).
    assert (order.hand_back_by.isoformat(), order.reply_by.isoformat()) == ("2026-03-04", "2026-03-09")
    assert case.events.filter(kind="order_received").exists()


def test_the_same_order_twice_changes_nothing_and_another_under_its_reference_is_refused(api: Any) -> None:
    first = receive(api)
    again = receive(api)
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]
    assert Case.objects.count() == 1 and WorkOrder.objects.count() == 1
    other = receive(api, title="另一件事")
    assert other.status_code == 409 and other.json()["code"] == "duplicate_order"
    assert Case.objects.count() == 1


def test_bad_input_names_the_field(api: Any) -> None:
    r = receive(api, org_unit="999999")
    assert r.status_code == 400 and "org_unit" in r.json()
    r = receive(api, source="wechat")
    assert r.status_code == 400 and "source" in r.json()
    assert not WorkOrder.objects.exists()


def test_an_unknown_order_answers_404(api: Any) -> None:
    assert act(api, 999, at(3, 3), action="sign").status_code == 404


def test_another_district_does_not_see_the_order(api: Any, api_client_for: Any, users: Any) -> None:
    pk = receive(api).json()["id"]
    outsider = api_client_for(users["outsider"])
    assert act(outsider, pk, at(3, 3), action="sign").status_code == 404


def test_sign_reply_and_rating_with_a_message_back_for_each_step(api: Any) -> None:
    pk = receive(api).json()["id"]
    signed = act(api, pk, at(3, 3), action="sign")
    assert signed.status_code == 200 and signed.json()["state"] == "signed"
    assert Case.objects.get().status == "accepted"
    replied = act(api, pk, at(3, 9), action="reply", text="已督促支付", result="resolved")
    assert replied.json()["state"] == "replied"
    rated = act(api, pk, at(3, 12), action="rate", rating=5)
    assert rated.json()["rating"] == 5
    kinds = list(OutboundMessage.objects.values_list("kind", flat=True))
    assert kinds == ["signed", "replied"]
    reply = OutboundMessage.objects.get(kind="replied").payload
    assert reply["on_time"] is True and reply["order_ref"] == "SD20260302001" and reply["result"] == "resolved"
    case = Case.objects.get()
    assert {"order_signed", "order_replied", "order_rated"} <= set(case.events.values_list("kind", flat=True))


def test_hand_back_within_two_working_days_not_after(api: Any) -> None:
    late = receive(api, ref="A1").json()["id"]
    r = act(api, late, at(3, 5), action="hand_back", reason="不属于本部门职责")
    assert r.status_code == 409 and r.json()["code"] == "window_closed" and "2026-03-04" in r.json()["detail"]
    in_time = receive(api, ref="A2").json()["id"]
    missing = act(api, in_time, at(3, 4), action="hand_back")
    assert missing.status_code == 400 and "reason" in missing.json()
    r = act(api, in_time, at(3, 4), action="hand_back", reason="不属于本部门职责")
    assert r.json()["state"] == "handed_back"
    assert WorkOrder.objects.get(pk=in_time).case.status == "refused"


def test_an_extension_of_at_most_ten_working_days_once(api: Any) -> None:
    pk = receive(api).json()["id"]
    act(api, pk, at(3, 3), action="sign")
    too_long = act(api, pk, at(3, 5), action="extend", days=11, reason="需现场核查")
    assert too_long.status_code == 400 and "days" in too_long.json()
    r = act(api, pk, at(3, 5), action="extend", days=10, reason="需现场核查")
    assert r.json()["reply_by"] == "2026-03-23" and r.json()["extension_days"] == 10
    assert act(api, pk, at(3, 6), action="extend", days=1, reason="再延").status_code == 409


def test_a_step_out_of_turn_is_refused(api: Any) -> None:
    pk = receive(api).json()["id"]
    r = act(api, pk, at(3, 3), action="reply", text="x", result="resolved")
    assert r.status_code == 409 and r.json()["code"] == "transition_not_allowed"


class _Receiver(BaseHTTPRequestHandler):
    received: list[dict[str, Any]] = []
    keys: list[str] = []

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        type(self).received.append(json.loads(body))
        type(self).keys.append(self.headers["Idempotency-Key"])
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args: Any) -> None:
        pass


def _serve(port: int = 0) -> ThreadingHTTPServer:
    server = ThreadingHTTPServer(("127.0.0.1", port), _Receiver)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def test_the_outbox_survives_a_server_that_is_down_and_sends_each_message_once(api: Any, settings: Any) -> None:
    _Receiver.received, _Receiver.keys = [], []
    server = _serve()
    port = server.server_address[1]
    server.shutdown()
    server.server_close()  # the port is now closed: the other system is down
    settings.BRIDGE_ENDPOINTS = {"12345": f"http://127.0.0.1:{port}/orders/events", "wage_clue": ""}
    pk = receive(api).json()["id"]
    act(api, pk, at(3, 3), action="sign")
    act(api, pk, at(3, 4), action="reply", text="已支付", result="resolved")
    with clock.at(at(3, 4, 12)):
        counts = services.deliver_outbox()
    # The first message failed and waits; the reply waits behind it, so the order of steps holds.
    assert counts == {"sent": 0, "retry": 1, "failed": 0, "waiting": 1}
    first = OutboundMessage.objects.get(kind="signed")
    assert first.state == "pending" and first.attempts == 1 and first.last_error
    server = _serve(port)  # back up on the same port
    try:
        with clock.at(at(3, 4, 13)):
            assert services.deliver_outbox()["sent"] == 2
            assert services.deliver_outbox()["sent"] == 0  # nothing sent twice
    finally:
        server.shutdown()
        server.server_close()
    assert [m["event"] for m in _Receiver.received] == ["signed", "replied"]
    assert _Receiver.keys == [m["message_id"] for m in _Receiver.received]
    assert set(OutboundMessage.objects.values_list("state", flat=True)) == {"sent"}


def test_no_endpoint_keeps_messages_waiting(api: Any, settings: Any) -> None:
    settings.BRIDGE_ENDPOINTS = {"12345": "", "wage_clue": ""}
    pk = receive(api).json()["id"]
    act(api, pk, at(3, 3), action="sign")
    with clock.at(at(3, 3, 12)):
        services.deliver_outbox()
    m = OutboundMessage.objects.get()
    assert m.state == "pending" and "接收地址" in m.last_error


def _workbook(rows: list[list[Any]]) -> io.BytesIO:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["来源", "工单编号", "收到时间", "标题", "内容", "诉求人", "联系电话", "用人单位", "区划代码"])
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    out.seek(0)
    out.name = "orders.xlsx"
    return out


def test_a_workbook_of_orders_all_or_nothing(api: Any) -> None:
    good = ["12345", "B1", "2026-03-02 09:00", "欠薪", "", "李四", "13900139000", "某公司", "430104001"]
    clue = ["全国根治欠薪线索反映平台", "GX-1", "2026-03-02 09:30", "欠薪线索", "", "王五", "13700137000", "某劳务公司",
            "430104001"]
    bad = ["12345", "B2", "昨天", "欠薪", "", "", "13900139001", "某公司", "430104001"]
    with clock.at(at(3, 2, 11)):
        r = api.post("/api/v1/bridge/orders/import/", {"file": _workbook([good, clue, bad])}, format="multipart")
    assert r.status_code == 400 and "第4行" in r.json()
    assert not WorkOrder.objects.exists() and not Case.objects.exists()
    with clock.at(at(3, 2, 11)):
        r = api.post("/api/v1/bridge/orders/import/", {"file": _workbook([good, clue])}, format="multipart")
        again = api.post("/api/v1/bridge/orders/import/", {"file": _workbook([good, clue])}, format="multipart")
    assert r.json() == {"received": 2, "created": 2, "unchanged": 0}
    assert again.json() == {"received": 2, "created": 0, "unchanged": 2}
    assert WorkOrder.objects.get(external_ref="GX-1").source == "wage_clue"


def test_a_file_that_is_not_a_workbook_is_refused(api: Any) -> None:
    junk = io.BytesIO(b"not a workbook")
    junk.name = "orders.xlsx"
    with clock.at(at(3, 2, 11)):
        r = api.post("/api/v1/bridge/orders/import/", {"file": junk}, format="multipart")
    assert r.status_code == 400 and "file" in r.json()


def test_open311_lists_service_requests_without_personal_data(api: Any) -> None:
    pk = receive(api).json()["id"]
    receive(api, ref="SD2")
    act(api, pk, at(3, 3), action="sign")
    act(api, pk, at(3, 4), action="reply", text="已支付", result="resolved")
    with clock.at(at(3, 5)):
        services_list = api.get("/api/v1/bridge/open311/v2/services.json").json()
        closed = api.get("/api/v1/bridge/open311/v2/requests.json", {"status": "closed"}).json()
        one = api.get("/api/v1/bridge/open311/v2/requests/SD2.json").json()
        bad = api.get("/api/v1/bridge/open311/v2/requests.json", {"status": "maybe"})
    assert {s["service_code"] for s in services_list} == {"12345", "wage_clue"}
    assert [(r["service_request_id"], r["status"], r["status_notes"]) for r in closed] == [
        ("SD20260302001", "closed", "已支付")]
    assert one[0]["status"] == "open" and one[0]["expected_datetime"] == "2026-03-09"
    assert "13800138000" not in json.dumps(closed) and "张三" not in json.dumps(one)
    assert bad.status_code == 400 and "status" in bad.json()


def test_the_service_refuses_a_role_that_may_not_receive(users: Any, calendar: Any) -> None:
    from hexie.core.errors import NotPermitted

    data = services.OrderData(source="12345", external_ref="X", received_at=at(3, 2), title="t", content="",
                              complainant_name="张三", complainant_phone="13800138000", employer_name="某公司",
                              org_unit_code="430104001")
    with pytest.raises(NotPermitted):
        services.receive_order(data=data, actor=users["partner"])
    with pytest.raises(ValidationError):
        services.receive_order(data=services.OrderData(**{**data.__dict__, "source": "x"}), actor=users["desk"])
