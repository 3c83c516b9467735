"""The dashboards count the wage warnings about a period's months as the bulletins do."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import pytest
from django.utils import timezone

from hexie.employers.models import Employer, Project
from hexie.insights.selectors import compute_dashboard
from hexie.monitoring.models import Warning, WarningRule

pytestmark = pytest.mark.django_db


def at(y: int, m: int, d: int) -> datetime:
    return timezone.make_aware(datetime(y, m, d, 10))


@pytest.fixture
def warnings(city: dict[str, Any]) -> None:
    employer = Employer.objects.create(credit_code="91430100MA4L16JQ9D", name="长沙某建筑劳务有限公司",
                                       org_unit=city["yuelu"])
    project = Project.objects.create(code="P-001", name="某小区二期", org_unit=city["yuelu"],
                                     general_contractor=employer)
    for i, (month, detected, state) in enumerate(((202611, at(2026, 12, 31), "open"),
                                                  (202611, at(2026, 12, 5), "resolved"),
                                                  (202610, at(2026, 11, 3), "open"))):
        rule, _ = WarningRule.objects.get_or_create(code=f"test.rule{i}", defaults={
            "name": "未按月足额发放工资", "description": "测试", "grade": "red"})
        Warning.objects.create(rule=rule, grade="red", project=project, employer=employer, org_unit=city["yuelu"],
                               month=month, summary="欠薪", first_detected_at=detected, last_detected_at=detected,
                               state=state, resolved_at=at(2026, 12, 6) if state == "resolved" else None)


def test_november_counts_its_warnings_found_in_december(warnings: None, city: dict[str, Any]) -> None:
    d = compute_dashboard(user_or_scope=city["city"], start=date(2026, 11, 1), end=date(2026, 11, 30),
                          today=date(2027, 1, 2))
    about = d["kpis"]["warnings_about"]
    assert (about["value"], about["open"]) == (2, 1)
    assert d["kpis"]["warnings_raised"]["value"] == 1  # October's, found in November
    assert "不论何时发现" in about["definition"]["definition_zh"]
    assert "month=2026-11" in about["link"]


def test_a_period_without_a_whole_month_has_no_such_figure(warnings: None, city: dict[str, Any]) -> None:
    d = compute_dashboard(user_or_scope=city["city"], start=date(2026, 11, 2), end=date(2026, 11, 30),
                          today=date(2027, 1, 2))
    assert d["kpis"]["warnings_about"]["value"] is None and d["kpis"]["warnings_about"]["link"] == ""
