"""What cases adds to the registry's employer file: the open cases about the employer (by credit
code), on the page and in the API, limited to the cases the user may see."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from hexie.core.tests.factories import VALID_CREDIT_CODE
from hexie.employers.models import Employer
from hexie.employers.tests.factories import EmployerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def employer(city: dict[str, Any]) -> Employer:
    """The employer the conftest's cases complain about (the same credit code)."""
    return EmployerFactory(credit_code=VALID_CREDIT_CODE, name="长沙某建筑劳务有限公司",
                                   org_unit=city["yuelu_street"])


def test_the_employer_page_lists_its_open_cases(client, employer, users, make_case):
    open_case = make_case("accepted")
    closed = make_case("closed", complainant_phone="13900001111")
    other = make_case(employer_credit_code="", employer_name="别的单位", complainant_phone="13900001112")
    client.force_login(users["desk"])
    page = client.get(reverse("employers:detail", args=[employer.pk])).content.decode()
    assert reverse("cases:detail", args=[open_case.pk]) in page and open_case.number in page
    assert closed.number not in page and other.number not in page
    assert "在办案件（1）" in page


def test_open_cases_are_scoped_too(client, employer, users, make_case, city):
    """A Furong user may open the employer's page (it moved to Furong), not the Yuelu cases on it."""
    make_case("accepted")
    Employer.objects.filter(pk=employer.pk).update(org_unit=city["furong"])
    client.force_login(users["outsider"])
    page = client.get(reverse("employers:detail", args=[employer.pk])).content.decode()
    assert "无在办案件" in page


def test_the_employer_file_in_the_api(employer, users, make_case):
    case = make_case("assigned")
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=users['desk']).key}")
    body = api.get(f"/api/v1/registry/employers/{employer.pk}/").json()
    assert [c["id"] for c in body["open_cases"]] == [case.pk]
    assert set(body["open_cases"][0]) == {"id", "number", "case_type", "status", "risk_level", "workers_count",
                                          "received_at"}
