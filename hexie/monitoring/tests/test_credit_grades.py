"""An employer's risk grade reads its compliance credit: orange for a grade C it has been told of,
red while it is on the joint-punishment list; a B or a C not yet notified changes nothing."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from hexie.core import clock
from hexie.credit.models import CreditGrade, Listing
from hexie.credit.tests.factories import CreditRecordFactory
from hexie.employers.tests.factories import EmployerFactory
from hexie.monitoring.services.grades import recompute_grades

pytestmark = pytest.mark.django_db


def _grade(employer: Any, grade: str, state: str = CreditGrade.State.NOTIFIED) -> CreditGrade:
    return CreditGrade.objects.create(employer=employer, org_unit=employer.org_unit, year=2025, grade=grade,
                                      computed_grade=grade, state=state, computed_at=clock.now())


def test_credit_feeds_the_employer_risk_grade(city: Any) -> None:
    c, b, quiet, listed = (EmployerFactory(org_unit=city["yuelu"]) for _ in range(4))
    _grade(c, "C")
    _grade(b, "B")
    _grade(quiet, "C", state=CreditGrade.State.COMPUTED)
    order = CreditRecordFactory(employer=listed, kind="ignored_order")
    Listing.objects.create(employer=listed, org_unit=listed.org_unit, state=Listing.State.PUBLISHED,
                           order_record=order, reasons="拖欠", basis="45号令", proposed_by=_user(city),
                           proposed_at=clock.now(), expires_on=clock.today() + timedelta(days=1))
    recompute_grades(as_of=date.today(), now=clock.now())
    for e in (c, b, quiet, listed):
        e.refresh_from_db()
    assert (c.risk_grade, b.risk_grade, quiet.risk_grade, listed.risk_grade) == ("orange", "green", "green", "red")
    assert c.risk_reasons[0]["source"] == "credit" and "C级" in c.risk_reasons[0]["text"]


def _user(city: Any) -> Any:
    from hexie.orgs.tests.factories import UserFactory

    return UserFactory(username="inspector", role="handler", org_unit=city["yuelu"])
