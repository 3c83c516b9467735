"""Registry fixtures: employers in two districts, a project with a team, API clients by role (built
through the services from ``factories``)."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from hexie.core.tests.factories import VALID_CREDIT_CODE
from hexie.employers import services
from hexie.employers.models import Employer, Industry, Project
from hexie.employers.tests.factories import EmployerDataFactory, ProjectDataFactory, credit_code
from hexie.orgs.models import OrgUnit, User


@pytest.fixture
def registry(city: dict[str, OrgUnit], users: dict[str, User]) -> dict[str, Any]:
    """A Yuelu contractor (the conftest's credit code, so the cases about it match), a Yuelu labour
    subcontractor, a Furong employer, a Yuelu project with one team, and a Furong project."""
    admin = users["admin"]

    def employer(**fields: Any) -> Employer:
        return services.create_employer(actor=admin, data=EmployerDataFactory(**fields))

    def project(**fields: Any) -> Project:
        return services.create_project(actor=admin, data=ProjectDataFactory(**fields))

    contractor = employer(unit=city["yuelu_street"], credit_code=VALID_CREDIT_CODE, name="长沙某建筑劳务有限公司")
    sub = employer(unit=city["yuelu"], name="湖南宏远建筑劳务有限公司", industry=Industry.LABOUR)
    furong = employer(unit=city["furong_street"], credit_code=credit_code("430102"), name="长沙市芙蓉区鑫达食品有限公司",
                      industry=Industry.FOOD)
    yuelu_project = project(unit=city["yuelu_street"], contractor=contractor, subcontractor_ids=(sub.pk,))
    team = services.create_work_team(actor=admin, project_id=yuelu_project.pk, name="钢筋班组", employer_id=sub.pk,
                                     leader_name="刘强")
    furong_project = project(unit=city["furong"], contractor=furong, code="430102202600001", name="东屯渡商业综合体工程")
    return {"contractor": contractor, "sub": sub, "furong": furong, "project": yuelu_project, "team": team,
            "furong_project": furong_project}


@pytest.fixture
def api(users: dict[str, User]) -> Any:
    def make(who: str) -> APIClient:
        client = APIClient()
        token, _ = Token.objects.get_or_create(user=users[who])
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return client

    return make

