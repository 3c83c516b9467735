"""The queue's count: the planner's "about N" for a large unfiltered queue, the exact count for a
small one and whenever a filter narrows the list (hexie.core.tables.EstimatedPaginator)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.db import connection
from django.urls import reverse

from hexie.cases import views
from hexie.cases.models import Case
from hexie.core import tables
from hexie.core.tests.queries import statements

pytestmark = pytest.mark.django_db


def _count_text(response: Any) -> str:
    html = response.content.decode()
    found = re.search(r'table-pager">\s*<span[^>]*>(.*?)</span>', html, re.S)
    assert found is not None
    return found.group(1)


@pytest.fixture
def planner(monkeypatch: Any) -> dict[str, Any]:
    """The planner's estimate, set by the test; records whether it was asked."""
    state: dict[str, Any] = {"rows": None, "asked": 0}

    def rows(qs: Any) -> int | None:
        state["asked"] += 1
        return state["rows"]

    monkeypatch.setattr(tables, "planner_rows", rows)
    return state


@pytest.mark.parametrize(("estimate", "shown"), [
    (views.QUEUE_ESTIMATE_ABOVE, "约 50000 条 · 第 1 / 1000 页"),
    (123_456, "约 123000 条 · 第 1 / 2460 页"),
    (views.QUEUE_ESTIMATE_ABOVE - 1, "共 1 条"),
])
def test_an_unfiltered_queue_is_estimated_from_the_threshold_on(client, users, make_case, planner, estimate, shown):
    make_case()
    planner["rows"] = estimate
    client.force_login(users["leader"])
    assert _count_text(client.get(reverse("cases:queue"))) == shown


@pytest.mark.parametrize("query", [{"status": "registered"}, {"overdue": "false"}, {"district": "430104"}])
def test_a_filtered_queue_is_counted_exactly(client, users, make_case, planner, query):
    make_case()
    planner["rows"] = 10 * views.QUEUE_ESTIMATE_ABOVE
    client.force_login(users["leader"])
    assert _count_text(client.get(reverse("cases:queue"), query)) == "共 1 条"
    assert planner["asked"] == 0


def test_paging_and_sorting_alone_do_not_narrow_the_queue(client, users, make_case, planner):
    make_case()
    planner["rows"] = 10 * views.QUEUE_ESTIMATE_ABOVE
    client.force_login(users["leader"])
    assert _count_text(client.get(reverse("cases:queue"), {"sort": "received", "page": "1"})).startswith("约 500000 条")


def test_without_a_planner_estimate_the_count_is_exact(client, users, make_case):
    make_case()
    client.force_login(users["leader"])
    expected = "共 1 条"
    if connection.vendor == "postgresql":
        pytest.skip("PostgreSQL gives an estimate: see the next test")
    assert tables.planner_rows(Case.objects.all()) is None
    assert _count_text(client.get(reverse("cases:queue"))) == expected


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the planner's estimate is PostgreSQL's")
def test_postgresql_estimates_from_its_statistics(make_case):
    for i in range(3):
        make_case(complainant_phone=f"1390000{i:04d}")
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {Case._meta.db_table}")
    rows = tables.planner_rows(Case.objects.all())
    assert rows is not None and rows >= 1


def test_the_queue_sends_the_same_statements_however_many_cases(client, users, make_case):
    """Session, user with their unit (one statement), the jurisdiction's units (once), count,
    calendar check, districts, rows; on PostgreSQL the planner's estimate first (this small list
    is then counted exactly)."""
    client.force_login(users["city_leader"])
    make_case()
    few = statements(lambda: client.get(reverse("cases:queue")))
    for i in range(4):
        make_case(complainant_phone=f"1390001{i:04d}")
    assert statements(lambda: client.get(reverse("cases:queue"))) == few == QUEUE_STATEMENTS + (
        connection.vendor == "postgresql")


QUEUE_STATEMENTS = 7
