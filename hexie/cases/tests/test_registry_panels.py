"""The employer and project files list the open cases linked to them (never by typed name)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from hexie.employers.tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db


def test_the_project_page_lists_its_linked_cases_and_not_a_namesakes(client, users, city, make_case):
    site = ProjectFactory(org_unit=city["yuelu_street"], name="滨江花园")
    twin = ProjectFactory(org_unit=city["furong_street"], name="滨江花园")
    mine = make_case(project_id=site.pk)
    typed = make_case(project_name="滨江花园", complainant_phone="13900000501", complainant_id_number="")
    client.force_login(users["city_leader"])
    page = client.get(reverse("employers:project", args=[site.pk])).content.decode()
    assert mine.number in page and typed.number not in page
    other = client.get(reverse("employers:project", args=[twin.pk])).content.decode()
    assert mine.number not in other


def test_the_employer_page_lists_cases_linked_to_it(client, users, city, make_case):
    site = ProjectFactory(org_unit=city["yuelu_street"])
    gc = site.general_contractor
    linked = make_case(project_id=site.pk, employer_name="", employer_credit_code="")
    by_name = make_case(employer_name=gc.name, employer_credit_code="", complainant_phone="13900000502",
                        complainant_id_number="")
    client.force_login(users["desk"])
    page = client.get(reverse("employers:detail", args=[gc.pk])).content.decode()
    assert linked.number in page and by_name.number not in page


def test_the_project_api_carries_the_open_cases(api_client_for, users, city, make_case):
    site = ProjectFactory(org_unit=city["yuelu_street"])
    case = make_case(project_id=site.pk)
    data = api_client_for(users["desk"]).get(f"/api/v1/registry/projects/{site.pk}/").json()
    assert [c["id"] for c in data["open_cases"]] == [case.pk]
