"""The prevention and credit figures in the KPI catalogue: each equals the count of the list its
link opens, at and either side of each threshold (a deadline met on its last day or a day late,
an order due yesterday or today, an evaluation passed or not), and they are on the dashboard."""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from hexie.core import clock
from hexie.employers.tests.factories import EmployerFactory
from hexie.insights.kpi_catalogue import ALL_KPIS, CATALOGUE
from hexie.insights.prevention_kpis import figures
from hexie.insights.tests.test_order_documents import order  # noqa: F401  (the fixture)
from hexie.prevention.models import Assessment, AssessmentState, OrderState, RectificationOrder

pytestmark = pytest.mark.django_db


def _count(client: Client, link: str) -> int:
    page = client.get(link)
    assert page.status_code == 200
    found = re.search(r"共 (\d+) 条", page.content.decode())
    assert found, link
    return int(found.group(1))


def _clone_order(o: RectificationOrder, n: int, **fields: Any) -> RectificationOrder:
    return RectificationOrder.objects.create(
        number=f"{o.number}-{n}", assessment=o.assessment, employer=o.employer, requirements="x", legal_basis="x",
        issued_on=o.issued_on, working_days=o.working_days, issued_by=o.issued_by, **fields)


def test_each_prevention_figure_counts_its_list(client: Client, users: dict[str, Any],
                                                order: RectificationOrder) -> None:  # noqa: F811
    today = clock.today()
    year = today.year
    yesterday = today - timedelta(days=1)
    # The fixture's order is due later this year or next: pin it to yesterday, still open (overdue).
    RectificationOrder.objects.filter(pk=order.pk).update(deadline=yesterday)
    Assessment.objects.filter(pk=order.assessment_id).update(year=year)
    _clone_order(order, 1, deadline=yesterday, state=OrderState.COMPLIED, closed_on=yesterday)  # on its last day
    _clone_order(order, 2, deadline=yesterday - timedelta(days=1), state=OrderState.COMPLIED,
                 closed_on=yesterday)  # a day late
    _clone_order(order, 3, deadline=today, state=OrderState.ISSUED)  # due today: neither due nor overdue
    a = order.assessment
    # A second signed-off check-up of the same employer: coverage counts the employer once.
    Assessment.objects.create(sheet=a.sheet, kind="checkup", employer=a.employer, origin=a.origin, year=year,
                              state=AssessmentState.SIGNED_OFF, started_at=a.started_at)
    for score, passed in ((Decimal("60.0"), True), (Decimal("59.9"), False)):
        Assessment.objects.create(sheet=a.sheet, kind="evaluation", employer=a.employer, origin=a.origin, year=year,
                                  state=AssessmentState.SIGNED_OFF, started_at=a.started_at, score=score,
                                  passed=passed)
    EmployerFactory(org_unit=a.employer.org_unit)  # registered, never checked

    figs = {f.kpi.code: f for f in figures(users["leader"], year=year)}
    assert (figs["checkup_coverage"].numerator, figs["checkup_coverage"].denominator) == (1, 2)
    assert figs["checkup_coverage"].value == 50.0
    assert (figs["rectification_on_time"].numerator, figs["rectification_on_time"].denominator) == (1, 3)
    assert figs["overdue_orders"].value == 1
    assert (figs["evaluation_pass_rate"].numerator, figs["evaluation_pass_rate"].denominator) == (1, 2)

    client.force_login(users["leader"])
    for f in figs.values():
        assert _count(client, f.link) == f.numerator, f.kpi.code
        if f.denominator_link:
            assert _count(client, f.denominator_link) == f.denominator, f.kpi.code
    page = client.get(reverse("insights:prevention"), {"year": year}).content.decode()
    assert figs["overdue_orders"].link.replace("&", "&amp;") in page

    # Another district's leader sees none of it, in the figures and in the lists.
    outside = {f.kpi.code: f for f in figures(users["outside_leader"], year=year)}
    assert outside["overdue_orders"].value == 0
    client.force_login(users["outside_leader"])
    assert _count(client, figs["overdue_orders"].link) == 0


def test_the_catalogue_lists_every_figure_once_with_its_definition(client: Client, users: dict[str, Any]) -> None:
    codes = [k.code for g in CATALOGUE for k in g.kpis]
    assert len(codes) == len(set(codes)) == len(ALL_KPIS)
    for code in ("checkup_coverage", "rectification_on_time", "evaluation_pass_rate", "grade_distribution",
                 "listings", "removals", "harmonious", "closure_rate"):
        assert code in ALL_KPIS
    client.force_login(users["leader"])
    page = client.get(reverse("insights:catalogue")).content.decode()
    assert 'id="kpi-checkup_coverage"' in page and "按期整改率" in page and "守法诚信等级分布" in page
    assert ALL_KPIS["rectification_on_time"].definition_zh in page


def test_the_dashboard_shows_the_prevention_and_credit_figures(client: Client, users: dict[str, Any],
                                                               calendar: None) -> None:
    client.force_login(users["leader"])
    page = client.get(reverse("insights:dashboard")).content.decode()
    assert 'id="source-figures"' in page and 'id="dash-checkup_coverage"' in page and 'id="dash-listings"' in page
    assert reverse("prevention:orders") in page and reverse("credit:listings") in page


def test_the_catalogue_and_the_lists_are_staff_only(client: Client) -> None:
    client.logout()
    for name in ("insights:catalogue", "prevention:assessments", "prevention:orders"):
        assert client.get(reverse(name)).status_code == 302  # to the log-in page


def test_the_order_list_sorts_keeps_its_filters_and_names_a_bad_sort(client: Client, users: dict[str, Any],
                                                                     order: RectificationOrder) -> None:  # noqa: F811
    today = clock.today()
    for n in range(1, 4):
        _clone_order(order, n, deadline=today - timedelta(days=n), state=OrderState.ISSUED)
    _clone_order(order, 9, deadline=today - timedelta(days=9), state=OrderState.COMPLIED, closed_on=today)
    client.force_login(users["leader"])
    url = reverse("prevention:orders")
    numbers = [f"{order.number}-{n}" for n in (1, 2, 3)]

    def listed(html: str) -> list[str]:
        return [n for n in re.findall(r'href="/prevention/orders/\d+/">([^<]+)</a>', html) if n in numbers]

    up = client.get(url, {"overdue": "true", "sort": "deadline"}).content.decode()
    down = client.get(url, {"overdue": "true", "sort": "-deadline"}).content.decode()
    assert listed(up) == numbers[::-1] and listed(down) == numbers  # earliest deadline first, then turned
    assert f"{order.number}-9" not in up  # the filter holds: a complied order is not overdue
    assert "overdue=true" in re.search(r'href="\?([^"]*sort=-?deadline[^"]*)"', up).group(1)  # kept in the sort link
    bad = client.get(url, {"sort": "colour"})
    assert bad.status_code == 400 and "colour" in bad.content.decode()
