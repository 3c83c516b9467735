"""The scope sweep: every page, API route and admin page that names a row, asked for a row of Yuelu by
Furong's staff (desk, handler, leader, administrator), the coordinators of a Furong mediation body
and service station, another employer's own log-in, and partner agencies the case was not
referred to, answers exactly as it answers for a row that does not exist — status, redirect and
JSON body — for GET, POST, PATCH and DELETE, and changes nothing.

The routes come from the URL conf (``sweep.routes``): a new page is swept without a test of its own,
and the first test fails until the sweep knows which row its parameters name.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from rest_framework.authtoken.models import Token

from hexie.demo.tests import figures, scope_scene, sweep


@pytest.fixture
def scene(city: dict[str, Any], users: dict[str, Any], make_case: Any) -> dict[str, Any]:
    return scope_scene.build(city, users, make_case)


@pytest.fixture
def outsiders(city: dict[str, Any]) -> dict[str, Any]:
    return scope_scene.outsiders(city)


def test_every_pattern_naming_a_row_is_swept(scene):
    assert sweep.unmapped(set(scene)) == []
    # The sweep covers the case file, the registry, monitoring, insights, the API and the admin.
    names = {r.name for r in sweep.swept_routes()}
    for name in ("cases:detail", "api-case-detail", "employers:roster", "monitoring:warning",
                 "insights:document_download", "admin:orgs_user_change", "admin:cases_case_change"):
        assert name in names


def test_a_pattern_the_sweep_cannot_map_fails_the_sweep(scene, monkeypatch):
    # A new page whose parameter the sweep cannot tell the row of is reported, not skipped.
    monkeypatch.setitem(sweep.PARAMETERS, "cases:detail", {})
    problems = sweep.unmapped(set(scene))
    assert any(p.startswith("cases:detail ") and "'pk'" in p for p in problems)
    monkeypatch.undo()
    del scene["employers.monitoringpoint"]
    assert any("employers.monitoringpoint" in p for p in sweep.unmapped(set(scene)))


def clients(outsiders: dict[str, Any]) -> dict[str, tuple[Client, str]]:
    """A logged-in client and an API token per outsider (logging in first: it writes last_login)."""
    made = {}
    for name, user in outsiders.items():
        client = Client()
        client.force_login(user)
        made[name] = (client, Token.objects.get_or_create(user=user)[0].key)
    return made


@pytest.mark.slow
def test_another_district_and_partner_agencies_find_nothing_and_change_nothing(scene, outsiders):
    logged_in = clients(outsiders)
    leaks: list[str] = []
    writes: list[str] = []
    requests = 0
    for r in sweep.swept_routes():
        before = sweep.fingerprint()
        theirs, missing = sweep.url_for(r, scene, missing=False), sweep.url_for(r, scene, missing=True)
        their_ids, missing_ids = (sweep.row_values(r, scene, missing=False),
                                  sweep.row_values(r, scene, missing=True))
        for who, (client, token) in logged_in.items():
            for method in sweep.METHODS:
                got = sweep.answer(sweep.request(client, r, method, theirs, token), theirs, their_ids)
                expected = sweep.answer(sweep.request(client, r, method, missing, token), missing, missing_ids)
                requests += 2
                if got != expected:
                    leaks.append(f"{who} {method.upper()} {theirs}: {got} but for a missing row {expected}")
        if moved := sweep.changed(before, sweep.fingerprint()):
            writes.append(f"{r.name}: changed {moved}")
    figures.note("jurisdiction matrix", attempts=requests, failures=len(leaks) + len(writes), leaks=len(leaks),
                 routes=len(sweep.swept_routes()), users=len(logged_in))
    assert requests > 1000
    assert not leaks, "\n".join(leaks)
    assert not writes, "\n".join(writes)


def test_the_write_bodies_reach_the_row_in_its_own_district(scene, users):
    # The sweep's bodies pass validation, so that for an outsider only the row's lookup can refuse
    # them: in the row's own district they are not refused field by field (a refusal of the row's
    # state, with its code, comes after the lookup), nor a 404.
    client = Client()
    token = Token.objects.get_or_create(user=users["leader"])[0].key
    routes = {r.name: r for r in sweep.swept_routes()}
    for name in sweep.VALID_BODIES:
        r = routes[name]
        url = sweep.url_for(r, scene, missing=False)
        response = sweep.request(client, r, "post", url, token)
        if response.status_code == 405:
            response = sweep.request(client, r, "patch", url, token)
        field_errors = response.status_code == 400 and "code" not in response.json()
        assert response.status_code not in (404, 405) and not field_errors, (name, response.content[:300])


@pytest.mark.slow
def test_another_employers_account_gets_404_on_every_page_of_the_row(scene, outsiders):
    # An employer's own log-in reaches its own file through the employer pages; Yuelu's employer's
    # assessment, order and evidence, and every staff page, answer it "not found".
    own, other = Client(), Client()
    own.force_login(scene["prevention.employeraccount"].user)
    other.force_login(outsiders["other_employer"])
    for name in ("employer:assessment", "employer:order"):
        route = next(r for r in sweep.swept_routes() if r.name == name)
        assert own.get(sweep.url_for(route, scene, missing=False)).status_code == 200, name
    found = []
    for r in sweep.swept_routes():
        if r.is_api:
            continue
        url = sweep.url_for(r, scene, missing=False)
        response = other.get(url)
        if response.status_code == 405:
            response = other.post(url)
        if response.status_code != 404:
            found.append(f"{r.name} {url}: {response.status_code}")
    assert not found, "\n".join(found)
