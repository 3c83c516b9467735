"""Registry fixtures: employers in two districts, a project with a team, API clients by role."""

from __future__ import annotations

import random
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from conftest import VALID_CREDIT_CODE
from hexie.core.identifiers import make_credit_code, make_id_number
from hexie.employers import services
from hexie.employers.models import Employer, Industry
from hexie.orgs.models import OrgUnit, User

_rng = random.Random("registry-tests")  # noqa: S311 - test identifiers, not secrets


def credit_code(division: str = "430104") -> str:
    """A fresh valid credit code."""
    return make_credit_code(_rng, division)


def id_number() -> str:
    return make_id_number(_rng, True)


def employer_data(unit: OrgUnit, **overrides: Any) -> services.EmployerData:
    values: dict[str, Any] = {"credit_code": credit_code(), "name": "长沙恒盛建设工程有限公司", "org_unit_id": unit.pk,
                              "industry": Industry.CONSTRUCTION, "contact_phone": "0731-88881234"}
    values.update(overrides)
    return services.EmployerData(**values)


def project_data(unit: OrgUnit, contractor: Employer, **overrides: Any) -> services.ProjectData:
    values: dict[str, Any] = {
        "code": "430104202600001", "name": "梅溪湖安置房项目一标段", "org_unit_id": unit.pk,
        "general_contractor_id": contractor.pk, "contract_value": Decimal("120000000"),
        "start_date": date(2026, 3, 1), "planned_end_date": date(2028, 3, 1),
        "guarantee_deposit": Decimal("2400000"), "has_notice_board": True,
    }
    values.update(overrides)
    return services.ProjectData(**values)


@pytest.fixture
def registry(city: dict[str, OrgUnit], users: dict[str, User]) -> dict[str, Any]:
    """A Yuelu contractor (the conftest's credit code, so the cases about it match), a Yuelu labour
    subcontractor, a Furong employer, a Yuelu project with one team, and a Furong project."""
    admin = users["admin"]
    contractor = services.create_employer(actor=admin, data=employer_data(
        city["yuelu_street"], credit_code=VALID_CREDIT_CODE, name="长沙某建筑劳务有限公司"))
    sub = services.create_employer(actor=admin, data=employer_data(
        city["yuelu"], name="湖南宏远建筑劳务有限公司", industry=Industry.LABOUR))
    furong = services.create_employer(actor=admin, data=employer_data(
        city["furong_street"], credit_code=credit_code("430102"), name="长沙市芙蓉区鑫达食品有限公司",
        industry=Industry.FOOD))
    project = services.create_project(actor=admin, data=project_data(
        city["yuelu_street"], contractor, subcontractor_ids=(sub.pk,)))
    team = services.create_work_team(actor=admin, project_id=project.pk, name="钢筋班组", employer_id=sub.pk,
                                     leader_name="刘强")
    furong_project = services.create_project(actor=admin, data=project_data(
        city["furong"], furong, code="430102202600001", name="东屯渡商业综合体工程"))
    return {"contractor": contractor, "sub": sub, "furong": furong, "project": project, "team": team,
            "furong_project": furong_project}


@pytest.fixture
def api(users: dict[str, User]) -> Any:
    def make(who: str) -> APIClient:
        client = APIClient()
        token, _ = Token.objects.get_or_create(user=users[who])
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return client

    return make

