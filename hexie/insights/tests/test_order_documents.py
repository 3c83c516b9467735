"""The rectification order as a Word document: filled from the order, downloadable by whoever may
open the order (its district's staff, the employer's account) and nobody else."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from hexie.prevention.models import RectificationOrder
from hexie.prevention.tests.scenes import signed_off_order


@pytest.fixture
def order(users: dict[str, Any], city: dict[str, Any], calendar: None) -> RectificationOrder:
    return signed_off_order(users, city)


@pytest.mark.django_db
def test_the_order_docx_names_the_employer_the_findings_and_the_deadline(
        client: Client, users: dict[str, Any], order: RectificationOrder) -> None:
    from docx import Document

    client.force_login(users["leader"])
    page = client.get(reverse("prevention:order", args=[order.pk])).content.decode()
    assert reverse("insights:order_docx", args=[order.pk]) in page
    r = client.get(reverse("insights:order_docx", args=[order.pk]))
    assert r.status_code == 200
    text = "\n".join(p.text for p in Document(io.BytesIO(r.content)).paragraphs)
    assert "责令限期整改指令书" in text and order.number in text and "岳麓示范劳务有限公司" in text
    assert "3月工资延迟至4月20日发放" in text and "15个工作日" in text
    assert f"{order.deadline.year}年{order.deadline.month}月{order.deadline.day}日" in text
    assert "长沙市岳麓区人力资源和社会保障局" in text


@pytest.mark.django_db
def test_another_district_cannot_download_the_order(client: Client, users: dict[str, Any],
                                                    order: RectificationOrder) -> None:
    client.force_login(users["outsider"])
    assert client.get(reverse("insights:order_docx", args=[order.pk])).status_code == 404


@pytest.mark.django_db
def test_the_prevention_figures_count_the_jurisdiction_with_their_definitions(
        client: Client, users: dict[str, Any], order: RectificationOrder) -> None:
    from hexie.insights.prevention_kpis import figures

    year = order.assessment.year
    by_code = {f.kpi.code: f for f in figures(users["leader"], year=year, today=order.deadline)}
    assert by_code["checkup_coverage"].numerator == 1
    assert by_code["rectification_on_time"].denominator == 0  # the deadline has not passed yet
    after = {f.kpi.code: f for f in figures(users["leader"], year=year,
                                            today=date.fromordinal(order.deadline.toordinal() + 1))}
    assert after["overdue_orders"].value == 1 and after["rectification_on_time"].value == 0.0
    assert after["evaluation_pass_rate"].value is None  # no evaluation signed off: no rate
    outside = {f.kpi.code: f for f in figures(users["outside_leader"], year=year)}
    assert outside["checkup_coverage"].numerator == 0
    client.force_login(users["leader"])
    page = client.get(reverse("insights:prevention"), {"year": year}).content.decode()
    assert "用工体检覆盖率" in page and "辖区登记的用人单位" in page
