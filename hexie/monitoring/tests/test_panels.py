"""What monitoring adds to the registry's pages: the warnings of an employer (its own and its
projects') and of a project, open ones first, and the cases the monitoring job opened on a project."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from hexie.core.tests.factories import VALID_CREDIT_CODE
from hexie.employers.models import Employer
from hexie.employers.tests.factories import EmployerFactory, ProjectFactory
from hexie.monitoring.models import MonitoringCase, Warning, WarningRule

pytestmark = pytest.mark.django_db


@pytest.fixture
def scene(city: dict[str, Any], make_case: Any) -> dict[str, Any]:
    contractor = EmployerFactory(credit_code=VALID_CREDIT_CODE, name="长沙某建筑劳务有限公司",
                                         org_unit=city["yuelu_street"])
    project = ProjectFactory(org_unit=city["yuelu_street"], general_contractor=contractor)
    rule = WarningRule.objects.create(code="no_deposit_test", name="未按月拨付人工费", description="…", grade="orange")
    now = timezone.now()
    warning = Warning.objects.create(rule=rule, grade="orange", project=project, employer=contractor,
                                     org_unit=project.org_unit, month=202608, summary="8月人工费未拨付",
                                     first_detected_at=now, last_detected_at=now)
    case = make_case("accepted")
    MonitoringCase.objects.create(project=project, month=202608, case=case)
    return {"contractor": contractor, "project": project, "warning": warning, "case": case}


def test_the_employer_page_shows_its_warnings(client, scene, users):
    client.force_login(users["desk"])
    page = client.get(reverse("employers:detail", args=[scene["contractor"].pk])).content.decode()
    assert "8月人工费未拨付" in page and "未按月拨付人工费" in page and "预警（1 未消除）" in page
    assert reverse("employers:project", args=[scene["project"].pk]) in page


def test_the_project_page_shows_its_warnings_and_monitoring_cases(client, scene, users):
    client.force_login(users["desk"])
    page = client.get(reverse("employers:project", args=[scene["project"].pk])).content.decode()
    assert "8月人工费未拨付" in page
    assert reverse("cases:detail", args=[scene["case"].pk]) in page and scene["case"].number in page


def test_a_user_of_another_district_sees_no_warning_of_this_one(client, scene, users, city):
    Employer.objects.filter(pk=scene["contractor"].pk).update(org_unit=city["furong"])
    client.force_login(users["outsider"])
    page = client.get(reverse("employers:detail", args=[scene["contractor"].pk])).content.decode()
    assert "8月人工费未拨付" not in page and "预警（0 未消除）" in page


def test_the_files_in_the_api(scene, users):
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=users['desk']).key}")
    employer = api.get(f"/api/v1/registry/employers/{scene['contractor'].pk}/").json()
    assert [w["id"] for w in employer["warnings"]] == [scene["warning"].pk]
    assert employer["warnings"][0]["rule"] == "no_deposit_test"
    project = api.get(f"/api/v1/registry/projects/{scene['project'].pk}/").json()
    assert [w["id"] for w in project["warnings"]] == [scene["warning"].pk]
    assert [m["case"]["id"] for m in project["monitoring_cases"]] == [scene["case"].pk]
