"""Quarterly publications: generated from the quarter's file for a city or county, reviewed,
issued, then on the public portal; the white list of harmonious enterprises with its incentives."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse

from hexie.core.errors import DomainError, NotPermitted
from hexie.credit import services
from hexie.credit.models import Publication, RecordKind, ViolationCategory
from hexie.credit.tests.factories import CreditRecordFactory, signed_assessment
from hexie.prevention.models import SheetKind

pytestmark = pytest.mark.django_db


def test_major_violations_of_the_quarter(users: Any, employers: Any, sanction: Any, city: Any, client: Any) -> None:
    big = sanction(employers["once"], on=date(2025, 2, 10), amount_claimed=Decimal("100000"), workers_count=20)
    sanction(employers["once"], on=date(2025, 2, 11), amount_claimed=Decimal("99999.99"))  # not "数额较大"
    sanction(employers["thrice"], on=date(2025, 4, 1), amount_claimed=Decimal("500000"))  # next quarter
    sanction(employers["furong"], on=date(2025, 2, 1), amount_claimed=Decimal("500000"))  # other district
    CreditRecordFactory(employer=employers["clean"], kind=RecordKind.CHILD_LABOUR, occurred_on=date(2025, 3, 31),
                        description="使用童工2名")
    pub = services.generate_publication(actor=users["leader"], kind=Publication.Kind.MAJOR_VIOLATIONS,
                                        unit_id=city["yuelu"].pk, year=2025, quarter=1)
    entries = list(pub.entries.order_by("id"))
    assert [(e.employer.name, e.category) for e in entries] == [
        ("岳麓一次公司", ViolationCategory.WAGES), ("岳麓守法公司", ViolationCategory.CHILD_LABOUR)]
    assert entries[0].case == big
    assert client.get(reverse("portal:publication", args=[pub.pk])).status_code == 404  # not issued yet
    with pytest.raises(DomainError, match="审核后"):
        services.issue_publication(actor=users["leader"], publication_id=pub.pk)
    services.review_publication(actor=users["leader"], publication_id=pub.pk)
    with pytest.raises(DomainError, match="不能重新生成"):
        services.generate_publication(actor=users["leader"], kind=Publication.Kind.MAJOR_VIOLATIONS,
                                      unit_id=city["yuelu"].pk, year=2025, quarter=1)
    services.issue_publication(actor=users["leader"], publication_id=pub.pk)
    page = client.get(reverse("portal:publication", args=[pub.pk])).content.decode()
    assert "岳麓一次公司" in page and "使用童工2名" in page and "芙蓉公司" not in page
    assert "岳麓区" in client.get(reverse("portal:credit")).content.decode()


def test_only_city_or_county_in_jurisdiction_and_leaders(users: Any, city: Any, employers: Any) -> None:
    kind = Publication.Kind.MAJOR_VIOLATIONS
    with pytest.raises(NotPermitted):
        services.generate_publication(actor=users["handler"], kind=kind, unit_id=city["yuelu"].pk, year=2025,
                                      quarter=1)
    with pytest.raises(DomainError, match="市、县"):
        services.generate_publication(actor=users["leader"], kind=kind, unit_id=city["yuelu_street"].pk,
                                      year=2025, quarter=1)
    with pytest.raises(DomainError) as exc:
        services.generate_publication(actor=users["leader"], kind=kind, unit_id=city["furong"].pk, year=2025,
                                      quarter=1)
    assert exc.value.code == "not_found"
    with pytest.raises(DomainError, match="季度须为1至4"):
        services.generate_publication(actor=users["leader"], kind=kind, unit_id=city["yuelu"].pk, year=2025,
                                      quarter=5)


def test_harmonious_white_list_with_incentives(users: Any, city: Any, employers: Any) -> None:
    CreditRecordFactory(employer=employers["clean"], kind=RecordKind.EVALUATION_PASSED, occurred_on=date(2025, 5, 5),
                        description="劳动关系和谐企业评价96分，达标")
    with pytest.raises(DomainError, match="激励措施"):
        services.generate_publication(actor=users["leader"], kind=Publication.Kind.HARMONIOUS,
                                      unit_id=city["yuelu"].pk, year=2025, quarter=2)
    pub = services.generate_publication(actor=users["leader"], kind=Publication.Kind.HARMONIOUS,
                                        unit_id=city["yuelu"].pk, year=2025, quarter=2,
                                        incentives="信用等级视同A级；减少日常巡查频次")
    entry = pub.entries.get()
    assert (entry.employer, entry.handling) == (employers["clean"], "信用等级视同A级；减少日常巡查频次")
    passed = signed_assessment(employers["once"], SheetKind.EVALUATION, True, date(2025, 6, 30))
    passed.score = Decimal("95.0")
    passed.save()
    signed_assessment(employers["thrice"], SheetKind.EVALUATION, True, date(2025, 7, 1))  # next quarter
    signed_assessment(employers["furong"], SheetKind.EVALUATION, True, date(2025, 6, 1))  # other district
    pub = services.generate_publication(actor=users["leader"], kind=Publication.Kind.HARMONIOUS,
                                        unit_id=city["yuelu"].pk, year=2025, quarter=2, incentives="减少巡查")
    assert [(e.employer.name, e.facts.endswith("95.0分，评价合格")) for e in pub.entries.order_by("id")] == [
        ("岳麓一次公司", True), ("岳麓守法公司", False)]


def _escalated(employer: Any, case: Any, failed: list[str], n: int) -> None:
    """A check-up whose failed items (by code) went into an order that was ignored and opened ``case``."""
    from hexie.prevention.models import Answer, AnswerResult, RectificationOrder, SheetItem

    a = signed_assessment(employer, SheetKind.CHECKUP, False, date(2024, 11, 1))
    answers = [Answer.objects.create(assessment=a, item=SheetItem.objects.get(section__sheet=a.sheet, code=code),
                                     result=AnswerResult.FAILS, points=Decimal(0), recorded_at=a.started_at,
                                     answered_at=a.started_at) for code in failed]
    order = RectificationOrder.objects.create(
        number=f"整改-{n}", assessment=a, employer=employer, requirements="x", legal_basis="x", state="escalated",
        issued_on=date(2024, 11, 2), working_days=15, deadline=date(2024, 11, 25), case=case)
    order.answers.set(answers)


def test_categories_from_cases_opened_by_ignored_orders(users: Any, employers: Any, sanction: Any,
                                                         city: Any) -> None:
    hours = sanction(employers["once"], on=date(2025, 3, 31))  # last day of the quarter: in
    _escalated(employers["once"], hours, ["5.1", "5.2", "6.1"], 1)  # 6.1 (pay) is not one of these categories
    insurance = sanction(employers["thrice"], on=date(2025, 1, 1))  # first day: in
    _escalated(employers["thrice"], insurance, ["7.1", "4.2", "3.1"], 2)
    late = sanction(employers["clean"], on=date(2025, 4, 1))  # next quarter
    _escalated(employers["clean"], late, ["4.1"], 3)
    paid = sanction(employers["clean"], on=date(2025, 2, 1), conclusion="paid_in_full")  # no sanction
    _escalated(employers["clean"], paid, ["4.1"], 4)
    pub = services.generate_publication(actor=users["leader"], kind=Publication.Kind.MAJOR_VIOLATIONS,
                                        unit_id=city["yuelu"].pk, year=2025, quarter=1)
    got = sorted((e.case_id, e.category) for e in pub.entries.all())
    assert got == sorted([(hours.pk, ViolationCategory.HOURS), (insurance.pk, ViolationCategory.SOCIAL_INSURANCE),
                          (insurance.pk, ViolationCategory.WOMEN_MINORS),
                          (insurance.pk, ViolationCategory.CHILD_LABOUR)])
    facts = pub.entries.get(category=ViolationCategory.HOURS).facts
    assert facts.startswith("工作时间和休息休假：") and "逾期未改正" in facts
