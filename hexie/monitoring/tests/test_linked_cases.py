"""The "open complaint" warning rule and the grades read the case's link to the registry, never a
typed name: two projects of one name in different districts are never confused, and every grade
reason carries the id and address of what it cites."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from hexie.employers.models import Employer, Project
from hexie.employers.tests.factories import EmployerFactory, ProjectFactory
from hexie.monitoring import detect
from hexie.monitoring import rules as R
from hexie.monitoring.grades import employer_reasons, project_reasons
from hexie.monitoring.months import month_key

pytestmark = pytest.mark.django_db

MONTH = month_key(timezone.localdate())  # the cases are received now, within this month


@pytest.fixture
def twins(city: dict[str, Any]) -> dict[str, Project]:
    """Two projects called 滨江花园 with contractors of their own, one in Yuelu, one in Furong."""
    return {
        "yuelu": ProjectFactory(org_unit=city["yuelu_street"], name="滨江花园"),
        "furong": ProjectFactory(org_unit=city["furong_street"], name="滨江花园"),
    }


def _complaint_on(make_case: Any, project: Project, phone: str, **kw: Any) -> Any:
    return make_case("accepted", project_id=project.pk, employer_name="", employer_credit_code="",
                     complainant_phone=phone, complainant_id_number="", **kw)


def test_a_linked_complaint_raises_the_open_complaint_finding_on_its_own_project_only(make_case, twins):
    _complaint_on(make_case, twins["yuelu"], "13900000401")
    found = {f.project_id: f for f in detect.open_complaints(MONTH) if f.rule == R.OPEN_COMPLAINT}
    assert set(found) == {twins["yuelu"].pk}
    assert found[twins["yuelu"].pk].detail == {"cases": 1}


def test_a_typed_project_name_alone_raises_nothing(make_case, twins):
    make_case("accepted", project_name="滨江花园", complainant_phone="13900000402", complainant_id_number="")
    assert detect.open_complaints(MONTH) == []


def test_a_closed_linked_complaint_raises_nothing(make_case, twins):
    make_case("closed", project_id=twins["yuelu"].pk, complainant_phone="13900000403", complainant_id_number="")
    assert detect.open_complaints(MONTH) == []


def test_project_grade_reasons_cite_the_linked_case_with_its_address(make_case, twins):
    case = _complaint_on(make_case, twins["yuelu"], "13900000404")
    reasons = project_reasons(as_of=timezone.localdate())
    assert twins["furong"].pk not in reasons
    (reason,) = reasons[twins["yuelu"].pk]
    assert (reason["source"], reason["id"], reason["url"]) == (
        "complaint", case.pk, reverse("cases:detail", args=[case.pk]))


def test_employer_grade_reasons_cite_linked_cases_and_graded_projects(make_case, twins, city):
    gc = twins["yuelu"].general_contractor
    case = _complaint_on(make_case, twins["yuelu"], "13900000405")
    namesake = EmployerFactory(org_unit=city["yuelu"], name="同名公司")
    make_case("accepted", employer_name=namesake.name, employer_credit_code="", complainant_phone="13900000406",
              complainant_id_number="")
    reasons = employer_reasons({twins["yuelu"].pk: ("yellow", twins["yuelu"].name)})
    cited = {(r["source"], r["id"]) for r in reasons[gc.pk]}
    assert cited == {("project", twins["yuelu"].pk), ("complaint", case.pk)}
    assert all(r["url"] for r in reasons[gc.pk])
    assert namesake.pk not in reasons  # named, not linked: a suggestion, not a finding
    assert twins["furong"].general_contractor.pk not in reasons
    assert Employer.objects.count() == 3


def test_the_employer_and_project_pages_link_every_item_their_grade_cites(client, users, make_case, twins):
    from django.utils import timezone as tz

    from hexie.monitoring.services.grades import recompute_grades

    project = twins["yuelu"]
    gc = project.general_contractor
    case = _complaint_on(make_case, project, "13900000407")
    recompute_grades(as_of=tz.localdate(), now=tz.now())
    client.force_login(users["desk"])
    employer_page = client.get(reverse("employers:detail", args=[gc.pk])).content.decode()
    assert f'href="{reverse("employers:project", args=[project.pk])}"' in employer_page
    assert f'href="{reverse("cases:detail", args=[case.pk])}">在办案件：{case.number}' in employer_page
    project_page = client.get(reverse("employers:project", args=[project.pk])).content.decode()
    assert f'href="{reverse("cases:detail", args=[case.pk])}">在办投诉：{case.number}' in project_page
