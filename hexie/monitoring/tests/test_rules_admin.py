"""Warning rules in the admin: the city's administrator tunes them, a district administrator reads them."""

from __future__ import annotations

from decimal import Decimal

import pytest

from hexie.monitoring.models import WarningRule
from hexie.orgs.models import Role
from hexie.orgs.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def data(rule: WarningRule, threshold: str) -> dict[str, str]:
    return {"name": rule.name, "description": rule.description, "grade": rule.grade, "threshold": threshold,
            "threshold_label": rule.threshold_label, "basis": rule.basis, "is_active": "on", "sort": str(rule.sort)}


def test_a_district_administrator_reads_the_warning_rules_only(client, city):
    rule = WarningRule.objects.get(code="unpaid_share")
    client.force_login(UserFactory(username="yl_admin", role=Role.ADMIN, org_unit=city["yuelu"]))
    assert client.get("/admin/monitoring/warningrule/").status_code == 200
    assert client.post(f"/admin/monitoring/warningrule/{rule.pk}/change/", data(rule, "20")).status_code == 403
    rule.refresh_from_db()
    assert rule.threshold == Decimal(10)


def test_the_city_administrator_tunes_a_warning_rule(client, users):
    rule = WarningRule.objects.get(code="unpaid_share")
    client.force_login(users["admin"])
    response = client.post(f"/admin/monitoring/warningrule/{rule.pk}/change/", data(rule, "20"))
    assert response.status_code == 302, response.content.decode()[:2000]
    rule.refresh_from_db()
    assert rule.threshold == Decimal(20)
