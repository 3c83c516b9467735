"""Monitoring's lists send a fixed number of statements, however many warnings, graded projects,
runs and imports there are: the pages and the API."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from hexie.core.tests.queries import statements
from hexie.employers.tests.factories import ProjectFactory
from hexie.monitoring.models import ImportBatch, MonitorRun, Warning, WarningRule

pytestmark = pytest.mark.django_db


@pytest.fixture
def grow(city: dict[str, Any], users: dict[str, Any]) -> Any:
    """Add warnings on new graded projects, runs and imports in Yuelu."""
    rules = list(WarningRule.objects.order_by("code")[:3])
    counter = iter(range(10_000))

    def add(n: int) -> Warning:
        now = timezone.now()
        last = None
        for _ in range(n):
            i = next(counter)
            project = ProjectFactory(org_unit=city["yuelu_street"], risk_grade="orange")
            last = Warning.objects.create(
                rule=rules[i % len(rules)], grade="orange", project=project, employer=project.general_contractor,
                org_unit=project.org_unit, month=202608 + i % 3, summary=f"第{i}条", first_detected_at=now,
                last_detected_at=now, evidence={"workers": 3, "amount_fen": 300_000, "worker_list": []})
            MonitorRun.objects.create(month=202608, engine="duckdb", started_at=now, finished_at=now, ok=True)
            ImportBatch.objects.create(feed="attendance", source="upload", original_name=f"{i}.csv",
                                       sha256=f"{i:064d}", org_unit=city["yuelu"], created_by=users["desk"],
                                       state=ImportBatch.State.DONE)
        assert last is not None
        return last

    return add


# The runs page reads the rules once, to name the rules whose findings it counts.
@pytest.mark.parametrize(("page", "ceiling"), [
    ("monitoring:warnings", 10), ("monitoring:warning", 7), ("monitoring:grades", 6), ("monitoring:runs", 6),
    ("monitoring:imports", 6),
])
def test_pages(client, users, grow, page, ceiling, django_assert_max_num_queries):
    client.force_login(users["leader"])
    warning = grow(2)
    args = [warning.pk] if page == "monitoring:warning" else []
    few = statements(lambda: client.get(reverse(page, args=args)))
    grow(4)
    assert statements(lambda: client.get(reverse(page, args=args))) == few
    with django_assert_max_num_queries(ceiling):
        client.get(reverse(page, args=args))


@pytest.mark.parametrize(("path", "ceiling"), [
    ("/api/v1/monitoring/warnings/", 5), ("/api/v1/monitoring/warnings/{pk}/", 4),
    ("/api/v1/monitoring/imports/", 5), ("/api/v1/monitoring/rules/", 2),
])
def test_api(users, grow, path, ceiling, django_assert_max_num_queries):
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=users['leader']).key}")
    url = path.format(pk=grow(2).pk)
    few = statements(lambda: api.get(url))
    grow(4)
    assert statements(lambda: api.get(url)) == few
    with django_assert_max_num_queries(ceiling):
        api.get(url)
