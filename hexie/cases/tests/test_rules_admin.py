"""Deadline and triage rules in the admin: installation-wide rows, changed by an administrator of
the whole installation (no superuser needed) and read by a district administrator."""

from __future__ import annotations

from typing import Any

import pytest

from hexie.cases.models import DeadlineRule, TriageRule
from hexie.core.models import AuditEvent
from hexie.orgs.models import Role
from hexie.orgs.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def rule_data(rule: DeadlineRule, **changes: Any) -> dict[str, Any]:
    data = {"code": rule.code, "track": rule.track, "case_types": '["wage_arrears"]', "complexity": rule.complexity,
            "trigger": rule.trigger, "ends_on": rule.ends_on, "step": rule.step, "unit": rule.unit,
            "length": rule.length, "extension_length": rule.extension_length, "counts_from": rule.counts_from,
            "counts_from_words": rule.counts_from_words, "basis": rule.basis, "is_verified": "on",
            "is_active": "on", "effective_from": rule.effective_from.isoformat(), "effective_to": ""}
    return {**data, **changes}


@pytest.fixture
def district_admin(city):
    return UserFactory(username="yl_admin", role=Role.ADMIN, org_unit=city["yuelu"])


def test_a_district_administrator_reads_the_rules_but_does_not_change_them(client, district_admin):
    rule = DeadlineRule.objects.get(code="inspection.accept")
    client.force_login(district_admin)
    assert client.get("/admin/cases/deadlinerule/").status_code == 200
    assert client.get("/admin/cases/triagerule/").status_code == 200
    page = client.get(f"/admin/cases/deadlinerule/{rule.pk}/change/")
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
    response = client.post(f"/admin/cases/deadlinerule/{rule.pk}/change/", rule_data(rule, length=7))
    assert response.status_code == 403
    assert client.get("/admin/cases/deadlinerule/add/").status_code == 403
    rule.refresh_from_db()
    assert rule.length == 5


def test_the_city_administrator_changes_a_rule_without_being_superuser(client, users):
    city_admin = users["admin"]
    assert not city_admin.is_superuser and not city_admin.is_staff
    rule = DeadlineRule.objects.get(code="inspection.accept")
    client.force_login(city_admin)
    response = client.post(f"/admin/cases/deadlinerule/{rule.pk}/change/", rule_data(rule, length=7))
    assert response.status_code == 302, response.content.decode()[:2000]
    rule.refresh_from_db()
    assert rule.length == 7
    assert AuditEvent.objects.filter(actor=city_admin, object_id=str(rule.pk), object_type="cases.deadlinerule").exists()
    assert client.get("/admin/cases/triagerule/add/").status_code == 200


def test_other_roles_do_not_reach_the_rules(client, users):
    client.force_login(users["leader"])
    assert client.get("/admin/cases/deadlinerule/").status_code == 302
    assert TriageRule.objects.exists()
