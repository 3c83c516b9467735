"""The scene the credit tests share: employers in two districts and a way to give them sanctions
(closed inspection cases that ended in an order) resolved on a given day."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time
from typing import Any

import pytest
from django.utils import timezone

from hexie.cases.models import Case, ClosureConclusion, Status, Track
from hexie.employers.models import Employer
from hexie.employers.tests.factories import EmployerFactory
from hexie.orgs.models import OrgUnit


@pytest.fixture
def employers(city: dict[str, OrgUnit]) -> dict[str, Employer]:
    return {
        "clean": EmployerFactory(org_unit=city["yuelu_street"], name="岳麓守法公司"),
        "once": EmployerFactory(org_unit=city["yuelu_street"], name="岳麓一次公司"),
        "thrice": EmployerFactory(org_unit=city["yuelu"], name="岳麓三次公司"),
        "furong": EmployerFactory(org_unit=city["furong"], name="芙蓉公司"),
    }


@pytest.fixture
def sanction(make_case: Callable[..., Any]) -> Callable[..., Case]:
    """A closed inspection case against the employer, resolved with an order on ``on``."""

    def make(employer: Employer, on: date = date(2025, 5, 10), conclusion: str = ClosureConclusion.ORDER_ISSUED,
             track: str = Track.INSPECTION, **overrides: Any) -> Case:
        case = make_case("closed", track=track, **overrides)
        at = timezone.make_aware(datetime.combine(on, time(10)))
        Case.objects.filter(pk=case.pk).update(employer=employer, closure_conclusion=conclusion, resolved_at=at,
                                               status=Status.CLOSED, org_unit=employer.org_unit)
        case.refresh_from_db()
        return case

    return make
