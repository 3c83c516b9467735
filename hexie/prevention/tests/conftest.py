"""The scene of the prevention tests: two districts' employers, an employer account, seeded sheets."""

from __future__ import annotations

from typing import Any

import pytest

from hexie.employers.tests.factories import EmployerFactory
from hexie.orgs.models import HandlerKind, Role
from hexie.orgs.tests.factories import UserFactory
from hexie.prevention import services
from hexie.prevention.models import ScoreSheet


@pytest.fixture
def employers(city: dict[str, Any]) -> dict[str, Any]:
    return {"yuelu": EmployerFactory(org_unit=city["yuelu_street"]), "yuelu2": EmployerFactory(org_unit=city["yuelu"]),
            "furong": EmployerFactory(org_unit=city["furong"])}


@pytest.fixture
def inspector(city: dict[str, Any]) -> Any:
    return UserFactory(username="inspector", role=Role.HANDLER, org_unit=city["yuelu"],
                       handler_kind=HandlerKind.INSPECTOR)


@pytest.fixture
def checkup() -> ScoreSheet:
    return ScoreSheet.objects.get(code="checkup", version=1, owner_unit=None)


@pytest.fixture
def accounts(users: dict[str, Any], employers: dict[str, Any]) -> dict[str, Any]:
    """An employer account for the Yuelu employer and one for the Furong employer."""
    a = services.issue_account(actor=users["admin"], employer_id=employers["yuelu"].pk, username="firm_yl",
                               phone="13800138000")
    b = services.issue_account(actor=users["admin"], employer_id=employers["furong"].pk, username="firm_fr",
                               phone="13900139000")
    return {"yuelu": a.account.user, "furong": b.account.user, "yuelu_password": a.password}
