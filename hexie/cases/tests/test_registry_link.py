"""A case is linked to the registry's employer and project (one employer, one file): by credit code
and by the project picked at intake, by a clerk's confirmation of a name suggestion, and, for the
cases registered before, by the data migration. A name alone never links."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.http import Http404

from hexie.cases.models import Case
from hexie.cases.services.registry import link_registry, suggestions
from hexie.employers.tests.factories import EmployerFactory, ProjectFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def gc(city):
    return EmployerFactory(org_unit=city["yuelu"], name="湖南岳建建设集团有限公司")


@pytest.fixture
def site(city, gc):
    return ProjectFactory(org_unit=city["yuelu_street"], name="梅溪湖安置房项目", general_contractor=gc)


# --- at intake -------------------------------------------------------------------------------------


def test_the_credit_code_links_the_registered_employer_even_typed_in_lower_case(make_case, gc):
    case = make_case(employer_credit_code=f" {gc.credit_code.lower()} ", employer_name="岳建")
    assert case.employer == gc
    assert case.employer_credit_code == gc.credit_code
    assert case.employer_name == "岳建"  # what the complainant said stays in the file


def test_an_unregistered_credit_code_leaves_the_case_unlinked_and_working(make_case):
    case = make_case(state="accepted")
    assert case.employer is None and case.project is None
    assert case.status == "accepted"


def test_a_picked_project_links_it_and_its_general_contractor(make_case, site, gc):
    case = make_case(project_id=site.pk, employer_name="", employer_credit_code="", project_name="")
    assert (case.project, case.employer) == (site, gc)
    assert case.project_name == site.name
    assert case.employer_name == gc.name and case.employer_credit_code == gc.credit_code


def test_a_picked_project_keeps_the_employer_the_complainant_named_by_credit_code(make_case, site, city):
    sub = EmployerFactory(org_unit=city["yuelu"], name="某劳务分包公司")
    case = make_case(project_id=site.pk, employer_name=sub.name, employer_credit_code=sub.credit_code)
    assert (case.project, case.employer) == (site, sub)


def test_a_picked_project_with_an_unregistered_credit_code_links_no_employer(make_case, site):
    case = make_case(project_id=site.pk)  # the factory's code is not in the registry
    assert case.project == site and case.employer is None


def test_a_project_outside_the_clerks_jurisdiction_is_refused_on_the_project_field(make_case, city):
    elsewhere = ProjectFactory(org_unit=city["furong_street"])
    with pytest.raises(ValidationError) as exc:
        make_case(project_id=elsewhere.pk)
    assert "project" in exc.value.message_dict


def test_an_unknown_project_is_refused(make_case):
    with pytest.raises(ValidationError) as exc:
        make_case(project_id=999999)
    assert "project" in exc.value.message_dict


def test_the_employer_name_may_be_left_out_only_when_a_project_is_picked(make_case):
    with pytest.raises(ValidationError) as exc:
        make_case(employer_name="")
    assert "employer_name" in exc.value.message_dict


def test_the_staff_form_offers_the_project_picker_and_files_the_case_linked(client, users, city, site):
    client.force_login(users["desk"])
    page = client.get("/cases/new/")
    assert site.name in page.content.decode()
    response = client.post("/cases/new/", {
        "case_type": "wage_arrears", "channel": "visit", "received_at": "2026-12-01T09:00",
        "complainant_name": "李四", "complainant_phone": "13800138001", "employer_name": "",
        "project": site.pk, "org_unit": city["yuelu_street"].pk, "workers_count": 1, "amount_claimed": "100",
        "description": "工地欠薪",
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    case = Case.objects.get(complainant_name="李四")
    assert (case.project, case.employer) == (site, site.general_contractor)


def test_the_api_takes_a_project_id(api_client_for, users, city, site):
    api = api_client_for(users["desk"])
    response = api.post("/api/v1/cases/", {
        "case_type": "wage_arrears", "complainant_name": "王五", "complainant_phone": "13800138002",
        "project": site.pk, "org_unit": city["yuelu_street"].code, "description": "工地欠薪",
    }, format="json")
    assert response.status_code == 201, response.json()
    assert Case.objects.get(pk=response.json()["id"]).project == site


def test_the_api_refuses_neither_employer_nor_project(api_client_for, users, city):
    api = api_client_for(users["desk"])
    response = api.post("/api/v1/cases/", {
        "case_type": "wage_arrears", "complainant_name": "王五", "complainant_phone": "13800138002",
        "org_unit": city["yuelu_street"].code, "description": "工地欠薪",
    }, format="json")
    assert response.status_code == 400 and "employer_name" in response.json()


# --- suggestions a clerk confirms ------------------------------------------------------------------


def test_a_name_match_is_only_a_suggestion_until_a_clerk_links_it(make_case, users, gc):
    case = make_case(employer_name=gc.name)
    assert case.employer is None
    assert suggestions(case, users["desk"])["employers"] == [gc]
    linked = link_registry(case_id=case.pk, actor=users["desk"], employer_id=gc.pk)
    assert Case.objects.get(pk=case.pk).employer == gc
    event = linked.events.get(kind="registry_link")
    assert gc.name in event.message and event.data["after"]["employer"] == gc.pk
    assert suggestions(Case.objects.get(pk=case.pk), users["desk"])["employers"] == []


def test_unlinking_is_recorded_too(make_case, users, gc):
    case = make_case(employer_credit_code=gc.credit_code)
    link_registry(case_id=case.pk, actor=users["desk"], unlink_employer=True, reason="信用代码填错")
    assert Case.objects.get(pk=case.pk).employer is None
    assert "信用代码填错" in case.events.get(kind="registry_link").message


def test_linking_to_an_employer_outside_the_jurisdiction_is_refused(make_case, users, city):
    elsewhere = EmployerFactory(org_unit=city["furong"])
    case = make_case()
    with pytest.raises(ValidationError) as exc:
        link_registry(case_id=case.pk, actor=users["desk"], employer_id=elsewhere.pk)
    assert "employer" in exc.value.message_dict


def test_staff_of_another_district_cannot_touch_the_link(make_case, users, gc):
    case = make_case()
    with pytest.raises(Http404):
        link_registry(case_id=case.pk, actor=users["outsider"], employer_id=gc.pk)


def test_project_suggestions_stay_in_the_cases_own_district(make_case, users, city, site):
    twin = ProjectFactory(org_unit=city["furong_street"], name=site.name)
    case = make_case(project_name=site.name)
    assert case.project is None
    assert suggestions(case, users["city_leader"])["projects"] == [site]
    assert twin not in suggestions(case, users["city_leader"])["projects"]


# --- the data migration ----------------------------------------------------------------------------


def test_the_migration_links_by_credit_code_and_by_a_unique_name_in_the_district(make_case, city, gc, site):
    migration = importlib.import_module("hexie.cases.migrations.0013_link_cases_to_registry")
    ProjectFactory(org_unit=city["furong_street"], name=site.name)  # same name, other district
    ProjectFactory(org_unit=city["yuelu"], name="两个同名项目")
    ProjectFactory(org_unit=city["yuelu_street"], name="两个同名项目")
    by_code = make_case(employer_credit_code=gc.credit_code)
    by_name = make_case(project_name=site.name, complainant_phone="13900000101", complainant_id_number="")
    in_furong = make_case(project_name=site.name, org_unit_id=city["furong_street"].pk,
                          complainant_phone="13900000102", complainant_id_number="", actor=users_of(city))
    ambiguous = make_case(project_name="两个同名项目", complainant_phone="13900000103", complainant_id_number="")
    unknown = make_case(project_name="未登记的项目", complainant_phone="13900000104", complainant_id_number="")
    Case.objects.update(employer=None, project=None)

    migration.link_existing(apps, None)

    got = {c.pk: (c.employer_id, c.project_id) for c in Case.objects.all()}
    assert got[by_code.pk][0] == gc.pk
    assert got[by_name.pk][1] == site.pk
    assert got[in_furong.pk][1] not in (None, site.pk)  # the Furong project of that name, never Yuelu's
    assert got[ambiguous.pk][1] is None
    assert got[unknown.pk] == (None, None)


def users_of(city):
    """A clerk of the whole city, for a case registered in another district."""
    from hexie.orgs.models import Role
    from hexie.orgs.tests.factories import UserFactory

    return UserFactory(username="city_desk", role=Role.FRONT_DESK, org_unit=city["city"])


# --- the case page ---------------------------------------------------------------------------------


def test_the_case_page_suggests_a_namesake_and_the_clerk_links_it(client, users, make_case, gc):
    case = make_case(employer_name=gc.name)
    client.force_login(users["desk"])
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert "未关联" in page and f'name="employer" value="{gc.pk}"' in page
    client.post(f"/cases/{case.pk}/link/", {"employer": gc.pk})
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert 'id="linked-employer"' in page and f"/registry/employers/{gc.pk}/" in page
    assert "关联登记信息" in page  # the timeline says who linked it


def test_the_case_page_changes_the_link_by_project_code_and_refuses_an_unknown_code(client, users, make_case, site):
    case = make_case()
    client.force_login(users["desk"])
    client.post(f"/cases/{case.pk}/link/", {"code": site.code.lower()})
    assert Case.objects.get(pk=case.pk).project == site
    response = client.post(f"/cases/{case.pk}/link/", {"code": "NO-SUCH-CODE"}, follow=True)
    assert "辖区内没有该信用代码的单位或该编码的项目" in response.content.decode()
    assert Case.objects.get(pk=case.pk).project == site

