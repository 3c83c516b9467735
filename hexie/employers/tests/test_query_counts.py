"""The registry's lists and files send a fixed number of statements, however many employers,
projects and workers there are (panels other apps add included)."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from hexie.core.tests.queries import statements
from hexie.employers.tests.factories import EmployerFactory, ProjectFactory, RosterEntryFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def grow(registry: dict[str, Any], city: dict[str, Any]) -> Any:
    """More employers and projects in Yuelu, and workers on the Yuelu project's roster."""

    def add(n: int) -> None:
        for _ in range(n):
            ProjectFactory(org_unit=city["yuelu_street"], subcontractors=[registry["sub"]])
            EmployerFactory(org_unit=city["yuelu"])
            RosterEntryFactory(project=registry["project"], team=registry["team"])

    return add


@pytest.mark.parametrize(("page", "ceiling"), [
    ("employers:list", 7), ("employers:projects", 7), ("employers:points", 6),
    ("employers:detail", 20), ("employers:project", 20), ("employers:roster", 7),
])
def test_pages(client, users, registry, grow, page, ceiling, django_assert_max_num_queries):
    client.force_login(users["leader"])
    args = {"employers:detail": [registry["sub"].pk], "employers:project": [registry["project"].pk],
            "employers:roster": [registry["project"].pk]}.get(page, [])
    grow(2)
    few = statements(lambda: client.get(reverse(page, args=args)))
    grow(4)
    assert statements(lambda: client.get(reverse(page, args=args))) == few
    with django_assert_max_num_queries(ceiling):
        client.get(reverse(page, args=args))


@pytest.mark.parametrize(("path", "ceiling"), [
    ("/api/v1/registry/employers/", 5), ("/api/v1/registry/projects/", 6),
    ("/api/v1/registry/employers/{sub}/", 12), ("/api/v1/registry/projects/{project}/", 16),
    ("/api/v1/registry/projects/{project}/roster/", 6),
])
def test_api(api, registry, grow, path, ceiling, django_assert_max_num_queries):
    client = api("leader")
    url = path.format(sub=registry["sub"].pk, project=registry["project"].pk)
    grow(2)
    few = statements(lambda: client.get(url))
    grow(4)
    assert statements(lambda: client.get(url)) == few
    with django_assert_max_num_queries(ceiling):
        client.get(url)
