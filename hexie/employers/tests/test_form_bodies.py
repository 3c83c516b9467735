"""A registry update sent as a form rather than JSON is checked like JSON: a NUL character is a 400
naming the field, on SQLite and on PostgreSQL (which cannot store or even look one up)."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
from rest_framework.test import APIClient

from hexie.core.tests.factories import VALID_CREDIT_CODE
from hexie.employers.models import Employer
from hexie.employers.tests.factories import EmployerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(users):
    client = APIClient()
    client.force_authenticate(users["desk"])
    return client


@pytest.fixture
def employer(city):
    return EmployerFactory(credit_code=VALID_CREDIT_CODE, name="长沙某建设集团", org_unit=city["yuelu"])


@pytest.mark.parametrize("method", ["put", "patch"])
@pytest.mark.parametrize("field", ["org_unit", "name"])
def test_a_nul_in_a_form_encoded_update_is_a_400_naming_the_field(api, employer, method, field):
    body = urlencode({field: "430104\x00"})
    response = getattr(api, method)(f"/api/v1/registry/employers/{employer.pk}/", body,
                                    content_type="application/x-www-form-urlencoded")
    assert response.status_code == 400
    assert "空字符" in response.json()[field][0]
    assert Employer.objects.get(pk=employer.pk).name == "长沙某建设集团"


def test_a_nul_in_a_multipart_update_is_a_400_naming_the_field(api, employer):
    response = api.patch(f"/api/v1/registry/employers/{employer.pk}/", {"org_unit": "430104\x00"}, format="multipart")
    assert response.status_code == 400 and "org_unit" in response.json()


def test_a_form_encoded_update_without_nul_still_goes_through(api, employer):
    response = api.patch(f"/api/v1/registry/employers/{employer.pk}/", urlencode({"name": "长沙某建设集团二公司"}),
                         content_type="application/x-www-form-urlencoded")
    assert response.status_code == 200, response.content
    assert Employer.objects.get(pk=employer.pk).name == "长沙某建设集团二公司"
