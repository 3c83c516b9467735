"""Every bad input of the catalogue (``bad_inputs``) gets its documented refusal: a 4xx in JSON naming
the field, or a rejected import saying what is wrong; never a 500, never the server's insides."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from hexie.demo.tests import bad_inputs, figures, fuzz, scope_scene
from hexie.demo.tests.test_api_fuzz import token_for


def clients(users: dict[str, Any], who: str) -> tuple[Client, Client, Any]:
    api = Client(HTTP_AUTHORIZATION=f"Token {token_for(users[who].username)}")
    page = Client()
    page.force_login(users[who])

    def import_state(pk: int) -> dict[str, Any]:
        # Asked in English: the catalogue's phrases below are English, the import keeps its Chinese.
        return dict(api.get(f"/api/v1/monitoring/imports/{pk}/", HTTP_ACCEPT_LANGUAGE="en").json())

    return api, page, import_state


def run_catalogue(city: dict[str, Any], users: dict[str, Any], make_case: Any,
                  committed: Any) -> list[bad_inputs.Outcome]:
    scene = scope_scene.build(city, users, make_case)
    api, page, import_state = clients(users, "leader")
    schema = api.get("/api/schema/?format=json").json()
    catalogue = bad_inputs.catalogue(schema, fuzz.real_ids(scene))
    return [bad_inputs.send(case, api, page, import_state, lambda: committed(execute=True)) for case in catalogue]


@pytest.mark.slow
def test_every_bad_input_gets_its_documented_refusal(city, users, make_case, django_capture_on_commit_callbacks):
    outcomes = run_catalogue(city, users, make_case, django_capture_on_commit_callbacks)
    assert len(outcomes) >= 100
    kinds = {o.case.kind for o in outcomes}
    assert {"NUL in query", "NUL in body", "NUL in form body", "deep JSON", "paging", "huge ids", "bad files"} <= kinds
    for kind in sorted(kinds):
        mine = [o for o in outcomes if o.case.kind == kind]
        figures.note(f"bad input: {kind}", attempts=len(mine), failures=sum(not o.ok for o in mine),
                     leaks=sum(o.leak for o in mine))
    failed = [f"{o.case.name}: {o.why}" for o in outcomes if not o.ok]
    leaks = [o.case.name for o in outcomes if o.leak]
    assert not failed, "\n".join(failed)
    assert not leaks
