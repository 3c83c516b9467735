"""A construction site's own QR poster: it opens the filing form with the project chosen, and the
complaint is filed linked to the project (its general contractor answering when the worker does
not know the company)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from hexie.cases.models import Case
from hexie.employers.tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db

PHONE = "13700002222"


@pytest.fixture
def site(city):
    return ProjectFactory(org_unit=city["yuelu_street"], name="梅溪湖安置房项目")


def filing(**overrides):
    data = {
        "case_type": "wage_arrears", "district": "430104", "street": "", "complainant_name": "赵六",
        "complainant_phone": PHONE, "complainant_id_number": "", "employer_name": "", "employer_credit_code": "",
        "employer_address": "", "project_name": "", "workers_count": "2", "amount_claimed": "9000",
        "description": "工地两个月工资未发。", "src": "qr",
    }
    data.update(overrides)
    return data


def test_the_project_poster_encodes_the_filing_address_with_the_project(client, users, site):
    client.force_login(users["desk"])
    response = client.get(f"/portal/posters/project/{site.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<svg" in html and site.name in html and site.general_contractor.name in html
    assert f"/portal/file/?district=430104&amp;project={site.pk}&amp;src=qr" in html


def test_a_project_outside_my_jurisdiction_has_no_poster_for_me(client, users, city):
    elsewhere = ProjectFactory(org_unit=city["furong_street"])
    client.force_login(users["desk"])
    assert client.get(f"/portal/posters/project/{elsewhere.pk}/").status_code == 404
    assert client.get("/portal/posters/project/999999/").status_code == 404


def test_the_project_page_links_to_its_poster(client, users, site):
    client.force_login(users["desk"])
    page = client.get(reverse("employers:project", args=[site.pk])).content.decode()
    assert f'href="/portal/posters/project/{site.pk}/"' in page


def test_scanning_the_poster_shows_the_site_with_its_district_chosen(client, site):
    html = client.get(f"/portal/file/?project={site.pk}&src=qr").content.decode()
    assert 'id="chosen-project"' in html and site.name in html
    assert '<option value="430104" selected>' in html
    assert f'<option value="{site.pk}" selected>' in html


@pytest.mark.parametrize("bad", ["abc", "0", "-3", "99999999999999999999999", "999999"])
def test_a_bad_project_in_the_address_is_simply_not_chosen(client, site, bad):
    response = client.get(f"/portal/file/?project={bad}&src=qr")
    assert response.status_code == 200 and 'id="chosen-project"' not in response.content.decode()


def test_the_complaint_from_the_poster_is_filed_linked_to_the_project(client, site):
    response = client.post("/portal/file/", filing(project=site.pk))
    assert response.status_code == 302
    case = Case.objects.get()
    assert (case.project, case.employer, case.channel) == (site, site.general_contractor, "qr")
    assert case.employer_name == site.general_contractor.name and case.project_name == site.name


def test_without_a_project_the_employer_must_be_named(client, site):
    response = client.post("/portal/file/", filing())
    assert response.status_code == 400
    assert "employer_name" in response.context["form"].errors
    assert not Case.objects.exists()


def test_the_public_api_files_with_a_project_id(client, city, site):
    from rest_framework.test import APIClient

    response = APIClient().post("/api/v1/public/complaints/", {
        "case_type": "wage_arrears", "org_unit": "430104001", "complainant_name": "赵六", "complainant_phone": PHONE,
        "project": site.pk, "amount_claimed": "16000", "description": "工地两个月工资未发。",
    }, format="json")
    assert response.status_code == 201, response.json()
    assert Case.objects.get().project == site
