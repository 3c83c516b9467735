"""A district administrator keeps the minimum wages of the areas in their own jurisdiction in the
admin, and can neither see nor set another district's; the warning rules stay city-wide."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from hexie.core.models import AuditEvent
from hexie.monitoring.models import MinimumWage, WarningRule
from hexie.orgs.models import OrgUnit, Role, User
from hexie.orgs.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

URL = "/admin/monitoring/minimumwage/"


@pytest.fixture
def admins(city: dict[str, OrgUnit]) -> dict[str, User]:
    return {
        "yuelu": UserFactory(username="yl_admin", role=Role.ADMIN, org_unit=city["yuelu"]),
        "city": UserFactory(username="cs_admin", role=Role.ADMIN, org_unit=city["city"]),
    }


@pytest.fixture
def wages(city: dict[str, OrgUnit]) -> dict[str, MinimumWage]:
    return {name: MinimumWage.objects.create(org_unit=city[name], monthly_amount=Decimal("1930.00"),
                                             effective_from="2025-01-01", basis="湘政发〔2025〕1号")
            for name in ("yuelu", "furong")}


def row(unit: OrgUnit, amount: str = "2100.00", day: str = "2026-07-01") -> dict[str, str]:
    return {"org_unit": str(unit.pk), "monthly_amount": amount, "effective_from": day, "basis": "湘政发〔2026〕5号"}


def test_the_list_holds_my_district_s_rows_only(client: Any, admins: dict[str, User],
                                                wages: dict[str, MinimumWage]) -> None:
    client.force_login(admins["yuelu"])
    html = client.get(URL).content.decode()
    assert f"{URL}{wages['yuelu'].pk}/change/" in html
    assert f"{URL}{wages['furong'].pk}/change/" not in html


def test_i_add_a_minimum_wage_for_a_unit_of_my_district_and_it_is_audited(
        client: Any, admins: dict[str, User], city: dict[str, OrgUnit]) -> None:
    client.force_login(admins["yuelu"])
    response = client.post(f"{URL}add/", row(city["yuelu_street"]))
    assert response.status_code == 302, response.content.decode()[:2000]
    made = MinimumWage.objects.get(org_unit=city["yuelu_street"])
    assert made.monthly_amount == Decimal("2100.00")
    assert AuditEvent.objects.filter(actor=admins["yuelu"], object_id=str(made.pk)).exists()


def test_i_cannot_add_one_for_another_district(client: Any, admins: dict[str, User],
                                               city: dict[str, OrgUnit]) -> None:
    client.force_login(admins["yuelu"])
    response = client.post(f"{URL}add/", row(city["furong_street"]))
    assert response.status_code == 200 and "org_unit" in response.context["adminform"].form.errors
    assert not MinimumWage.objects.filter(org_unit=city["furong_street"]).exists()


def test_i_change_my_district_s_row_but_cannot_move_it_to_another(
        client: Any, admins: dict[str, User], city: dict[str, OrgUnit], wages: dict[str, MinimumWage]) -> None:
    client.force_login(admins["yuelu"])
    mine = wages["yuelu"]
    response = client.post(f"{URL}{mine.pk}/change/", row(city["yuelu"], amount="2000.00", day="2025-01-01"))
    assert response.status_code == 302
    mine.refresh_from_db()
    assert mine.monthly_amount == Decimal("2000.00")
    response = client.post(f"{URL}{mine.pk}/change/", row(city["furong_street"], day="2025-01-01"))
    assert response.status_code == 200 and "org_unit" in response.context["adminform"].form.errors
    mine.refresh_from_db()
    assert mine.org_unit == city["yuelu"]


def test_another_district_s_row_is_not_there_for_me(client: Any, admins: dict[str, User],
                                                     city: dict[str, OrgUnit], wages: dict[str, MinimumWage]) -> None:
    client.force_login(admins["yuelu"])
    theirs = wages["furong"]
    assert client.get(f"{URL}{theirs.pk}/change/").status_code == 302  # "does not exist", back to the index
    client.post(f"{URL}{theirs.pk}/change/", row(city["furong"], amount="1.00", day="2025-01-01"))
    theirs.refresh_from_db()
    assert theirs.monthly_amount == Decimal("1930.00")


def test_the_city_administrator_changes_every_district_s_row(client: Any, admins: dict[str, User],
                                                              city: dict[str, OrgUnit],
                                                              wages: dict[str, MinimumWage]) -> None:
    client.force_login(admins["city"])
    theirs = wages["furong"]
    response = client.post(f"{URL}{theirs.pk}/change/", row(city["furong"], amount="2050.00", day="2025-01-01"))
    assert response.status_code == 302
    theirs.refresh_from_db()
    assert theirs.monthly_amount == Decimal("2050.00")


def test_warning_rules_stay_city_wide_a_district_administrator_only_reads_them(
        client: Any, admins: dict[str, User]) -> None:
    client.force_login(admins["yuelu"])
    rule = WarningRule.objects.first()
    assert rule is not None
    assert client.get(f"/admin/monitoring/warningrule/{rule.pk}/change/").status_code == 200
    response = client.post(f"/admin/monitoring/warningrule/{rule.pk}/change/",
                           {"name": rule.name, "grade": rule.grade, "threshold": "0", "sort": rule.sort})
    assert response.status_code == 403
