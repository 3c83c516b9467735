"""The credit figures: each counts what its link lists, in the user's jurisdiction."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from hexie.cases.models import Case, ClosureConclusion, Status
from hexie.core import clock
from hexie.credit import services
from hexie.credit.models import Listing, Publication, RecordKind
from hexie.credit.tests.factories import CreditRecordFactory
from hexie.employers.tests.factories import EmployerFactory
from hexie.insights.credit_kpis import figures

pytestmark = pytest.mark.django_db


def test_figures_and_their_lists(client: Any, users: Any, city: Any, make_case: Any) -> None:
    yl = [EmployerFactory(org_unit=city["yuelu"]) for _ in range(3)]
    fr = EmployerFactory(org_unit=city["furong"])
    case = make_case("closed")
    Case.objects.filter(pk=case.pk).update(employer=yl[0], closure_conclusion=ClosureConclusion.ORDER_ISSUED,
                                           status=Status.CLOSED,
                                           resolved_at=timezone.make_aware(datetime.combine(date(2025, 4, 1), time(9))))
    CreditRecordFactory(employer=yl[1], kind=RecordKind.CHILD_LABOUR)
    services.compute_grades(actor=users["city_leader"], year=2025)
    order = CreditRecordFactory(employer=fr, kind=RecordKind.IGNORED_ORDER)
    Listing.objects.create(employer=fr, org_unit=fr.org_unit, state=Listing.State.EXPIRED, order_record=order,
                           reasons="x", basis="x", proposed_by=users["outside_leader"], proposed_at=clock.now(),
                           decided_on=date(2025, 1, 5), ended_on=date(2025, 12, 1))
    pub = Publication.objects.create(kind=Publication.Kind.HARMONIOUS, org_unit=city["yuelu"], year=2025, quarter=2,
                                     state=Publication.State.ISSUED, basis="x", created_by=users["leader"],
                                     created_at=clock.now())
    pub.entries.create(employer=yl[2], facts="96分", handling="减少巡查")

    city_figs = {f.kpi.code: f for f in figures(users["city_leader"], year=2025)}
    assert city_figs["grade_distribution"].value == 4
    yuelu_row = next(d for d in city_figs["grade_distribution"].parts if d["org_unit__name"] == "岳麓区")
    assert (yuelu_row["A"], yuelu_row["B"], yuelu_row["C"]) == (1, 1, 1)
    assert (city_figs["listings"].value, city_figs["removals"].value) == (1, 1)
    assert city_figs["harmonious"].parts == [{"label": "县级", "n": 1}]

    district = {f.kpi.code: f for f in figures(users["leader"], year=2025)}
    assert (district["grade_distribution"].value, district["listings"].value) == (3, 0)

    client.force_login(users["city_leader"])
    page = client.get(yuelu_row["link"]).content.decode()
    assert "共 3 条" in page  # the count of the list's pager
    listed = client.get(city_figs["listings"].link).content.decode()
    assert fr.name in listed
    assert client.get("/insights/credit/", {"year": 2025}).status_code == 200
    # The harmonious figure is the number of employers on the lists its link opens.
    lists = client.get(city_figs["harmonious"].link).content.decode()
    assert f"名单中共{city_figs['harmonious'].value}家单位" in lists
    other_year = client.get(reverse("credit:publications"), {"kind": "harmonious", "year": 2024,
                                                              "state": "issued"}).content.decode()
    assert "名单中共0家单位" in other_year
