"""Schemathesis over ``/api/schema/`` as a district's clerk and as the city's leader: no server
error and no answer outside the document, for every operation (``fuzz.run``)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from hexie.demo.tests import figures, fuzz, scope_scene
from hexie.orgs.tests.factories import PASSWORD


def token_for(username: str) -> str:
    """A token the way a program gets one: POST /api/v1/auth/token/ with the user's password."""
    response = Client().post("/api/v1/auth/token/", {"username": username, "password": PASSWORD},
                             content_type="application/json")
    assert response.status_code == 200, response.content
    return str(response.json()["token"])


@pytest.mark.slow
@pytest.mark.parametrize("who", ["desk", "city_leader"])
def test_every_operation_answers_as_documented(city: dict[str, Any], users: dict[str, Any], make_case: Any,
                                               who: str) -> None:
    scene = scope_scene.build(city, users, make_case)
    report = fuzz.run(token=token_for(users[who].username), ids=fuzz.real_ids(scene),
                      max_examples=figures.max_examples(fuzz.MAX_EXAMPLES))
    figures.note(f"schemathesis as {who}", attempts=report.examples, failures=len(report.lines()),
                 leaks=len(report.server_errors), operations=report.operations,
                 server_errors=report.server_error_count, schema_violations=report.schema_violations)
    assert report.operations >= 30 and report.examples >= report.operations
    assert not report.lines(), "\n".join(report.lines())
