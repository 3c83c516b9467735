"""The read-only prevention API: scoped like the pages (another district's rows answer 404 and are
absent from the lists), paged, documented, and refusing a bad filter by name in the client's language."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client

from hexie.core import clock
from hexie.prevention.models import RectificationOrder
from hexie.prevention.tests.scenes import signed_off_order

pytestmark = pytest.mark.django_db
API = "/api/v1/prevention"


@pytest.fixture
def order(users: dict[str, Any], city: dict[str, Any], calendar: None) -> RectificationOrder:
    return signed_off_order(users, city)


def test_orders_with_their_deadline_and_state_in_the_jurisdiction_only(
        client: Client, users: dict[str, Any], order: RectificationOrder) -> None:
    client.force_login(users["leader"])
    body = client.get(f"{API}/orders/").json()
    assert body["count"] == 1
    row = body["results"][0]
    assert (row["number"], row["state"], row["deadline"]) == (order.number, "issued", order.deadline.isoformat())
    assert row["overdue"] is False
    # Due today: not overdue; due yesterday: overdue (and found by the filter).
    today = clock.today()
    RectificationOrder.objects.filter(pk=order.pk).update(deadline=today)
    assert client.get(f"{API}/orders/{order.pk}/").json()["overdue"] is False
    assert client.get(f"{API}/orders/", {"overdue": "true"}).json()["count"] == 0
    RectificationOrder.objects.filter(pk=order.pk).update(deadline=today - timedelta(days=1))
    assert client.get(f"{API}/orders/{order.pk}/").json()["overdue"] is True
    assert client.get(f"{API}/orders/", {"overdue": "true"}).json()["count"] == 1
    assert client.get(f"{API}/orders/", {"overdue": "false"}).json()["count"] == 0

    a = client.get(f"{API}/assessments/", {"kind": "checkup"}).json()
    assert a["count"] == 1 and a["results"][0]["id"] == order.assessment_id and a["results"][0]["state"] == "signed_off"
    assert client.get(f"{API}/assessments/{order.assessment_id}/").status_code == 200
    plans = client.get(f"{API}/plans/").json()
    assert plans["count"] == 1 and plans["results"][0]["signed_off"] == 1
    plan_id = plans["results"][0]["id"]

    client.force_login(users["outsider"])
    for path in (f"orders/{order.pk}/", f"assessments/{order.assessment_id}/", f"plans/{plan_id}/"):
        assert client.get(f"{API}/{path}").status_code == 404, path
    for path in ("orders/", "assessments/", "plans/"):
        assert client.get(f"{API}/{path}").json()["count"] == 0, path


def test_a_bad_filter_is_refused_by_name_in_the_clients_language(client: Client, users: dict[str, Any]) -> None:
    client.force_login(users["leader"])
    r = client.get(f"{API}/orders/", {"state": "bogus"})
    assert r.status_code == 400 and r.json()["state"] == ["无效的状态。"]
    r = client.get(f"{API}/orders/", {"state": "bogus"}, HTTP_ACCEPT_LANGUAGE="en")
    assert r.status_code == 400 and r.json()["state"] == ["Invalid state."]
    r = client.get(f"{API}/assessments/", {"year": "26"}, HTTP_ACCEPT_LANGUAGE="en")
    assert r.status_code == 400 and "year" in r.json()
    assert client.get(f"{API}/assessments/", {"year": "2026"}).status_code == 200
    assert client.get(f"{API}/assessments/", {"kind": "nothing"}).status_code == 400
    assert client.get(f"{API}/plans/", {"colour": "red"}).status_code == 400  # unknown parameter
    assert client.get(f"{API}/plans/", {"page": "2"}).status_code == 400  # past the last page
    assert client.get(f"{API}/orders/99999999999999999999/").status_code == 404
    client.logout()
    assert client.get(f"{API}/orders/").status_code in (401, 403)


def test_the_prevention_api_is_in_the_openapi_document(client: Client) -> None:
    schema = json.loads(client.get("/api/schema/", {"format": "json"}).content)
    paths = schema["paths"]
    for path in ("assessments", "orders", "plans"):
        assert "get" in paths[f"/api/v1/prevention/{path}/"]
        assert "404" in paths[f"/api/v1/prevention/{path}/{{id}}/"]["get"]["responses"]
    assert {p["name"] for p in paths["/api/v1/prevention/orders/"]["get"]["parameters"]} >= {"state", "overdue", "page"}
