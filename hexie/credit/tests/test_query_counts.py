"""The credit lists cost a fixed number of statements however many rows they show."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hexie.credit import services
from hexie.credit.models import Listing, RecordKind
from hexie.credit.tests.factories import CreditRecordFactory
from hexie.employers.tests.factories import EmployerFactory

pytestmark = pytest.mark.django_db


def _statements(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def _grow(city: Any, users: Any, n: int) -> None:
    for _ in range(n):
        e = EmployerFactory(org_unit=city["yuelu"])
        order = CreditRecordFactory(employer=e, kind=RecordKind.IGNORED_ORDER)
        Listing.objects.create(employer=e, org_unit=e.org_unit, order_record=order, reasons="x", basis="x",
                               proposed_by=users["handler"], proposed_at=order.created_at)


@pytest.mark.parametrize("name", ["credit:grades", "credit:listings", "credit:publications"])
def test_lists_have_a_fixed_statement_count(client: Any, users: Any, city: Any, name: str) -> None:
    client.force_login(users["leader"])
    _grow(city, users, 2)
    services.compute_grades(actor=users["leader"], year=2025)
    url = reverse(name) + ("?year=2025" if name == "credit:grades" else "")
    few = _statements(client, url)
    _grow(city, users, 5)
    services.compute_grades(actor=users["leader"], year=2025)
    assert _statements(client, url) == few


def test_the_employer_file_costs_the_same_however_full(client: Any, users: Any, city: Any, sanction: Any) -> None:
    """The staff view of one employer's file (grade, orders, assessments, cases: bench/employer_file.py)."""
    from datetime import date

    from hexie.credit.tests.factories import signed_assessment
    from hexie.prevention.models import RectificationOrder, SheetKind

    employer = EmployerFactory(org_unit=city["yuelu"])

    def grow(n: int) -> None:
        for _ in range(n):
            sanction(employer, on=date(2025, 5, 10))
            a = signed_assessment(employer, SheetKind.CHECKUP, False, date(2025, 4, 1))
            RectificationOrder.objects.create(
                number=f"Z{a.pk}", assessment=a, employer=employer, requirements="x", legal_basis="x",
                state="escalated", issued_on=date(2025, 4, 2), working_days=15, deadline=date(2025, 4, 23))
        CreditRecordFactory(employer=employer, kind=RecordKind.CHILD_LABOUR)
        services.compute_grades(actor=users["leader"], year=2025)

    client.force_login(users["leader"])
    url = reverse("employers:detail", args=[employer.pk])
    grow(1)
    few = _statements(client, url)
    grow(4)
    assert _statements(client, url) == few <= 20
    page = client.get(url).content.decode()
    latest = RectificationOrder.objects.filter(employer=employer).order_by("-issued_on", "-pk").first()
    assert latest is not None and latest.number in page and "C级" in page
