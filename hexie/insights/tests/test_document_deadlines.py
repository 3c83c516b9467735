"""No official document prints a provisional due date as firm: the period in words always, the date
beside it marked 暂定 while its year's holidays are unknown, and firm once the year is entered."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from docx import Document

from hexie.cases import services
from hexie.cases.models import Deadline, Supervision
from hexie.core import clock
from hexie.insights.models import CaseDocument, DocumentKind
from hexie.insights.services.documents import generate_case_document
from hexie.workcal.models import CalendarYear, SpecialDay
from hexie.workcal.services import set_year_complete

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")
PROVISIONAL = "暂定"


def text_of(doc: CaseDocument) -> str:
    with doc.file.open("rb") as f:
        return "\n".join(p.text for p in Document(io.BytesIO(f.read())).paragraphs)


def at(y: int, m: int, d: int) -> datetime:
    return datetime(y, m, d, 10, tzinfo=TZ)


def accepted_on(make_case: Callable[..., Any], when: datetime, **kw: Any) -> Any:
    with clock.at(when):
        return make_case("accepted", received_at=when, **kw)


def notice(case: Any, users: dict[str, Any], when: datetime) -> str:
    with clock.at(when):
        return text_of(generate_case_document(case_id=case.pk, kind=DocumentKind.ACCEPTANCE_NOTICE,
                                              actor=users["desk"]))


def test_a_firm_due_date_is_printed_with_the_period_in_words(calendar: None, make_case: Callable[..., Any],
                                                             users: dict[str, Any]) -> None:
    case = accepted_on(make_case, at(2026, 3, 2), amount_claimed=Decimal("30000"))
    d = Deadline.objects.get(case=case, rule__code="inspection.investigate")
    assert not d.is_provisional
    text = notice(case, users, at(2026, 3, 3))
    assert f"自立案之日起六十个工作日内，届满日为{d.due_on.year}年{d.due_on.month}月{d.due_on.day}日。" in text
    assert PROVISIONAL not in text


def test_a_provisional_due_date_is_marked_and_firm_once_the_year_is_entered(
        calendar: None, make_case: Callable[..., Any], users: dict[str, Any]) -> None:
    # 2027's holidays are not in the calendar: a clock counted into 2027 is provisional.
    CalendarYear.objects.filter(year=2027).delete()
    case = accepted_on(make_case, at(2027, 3, 1), amount_claimed=Decimal("30000"))
    d = Deadline.objects.get(case=case, rule__code="inspection.investigate")
    assert d.is_provisional
    before = notice(case, users, at(2027, 3, 2))
    assert "自立案之日起六十个工作日内" in before
    assert (f"届满日为{d.due_on.year}年{d.due_on.month}月{d.due_on.day}日（暂定，以国家公布的节假日安排为准）"
            in before)

    # The year is entered (one more holiday before the due date): the clock is recomputed.
    SpecialDay.objects.create(date=date(2027, 4, 5), kind="holiday", name="清明节")
    set_year_complete(year=2027)
    d.refresh_from_db()
    assert not d.is_provisional
    after = notice(case, users, at(2027, 3, 3))
    assert f"届满日为{d.due_on.year}年{d.due_on.month}月{d.due_on.day}日。" in after
    assert PROVISIONAL not in after


def test_a_labour_dispute_is_counted_from_the_acceptance_of_the_application(
        calendar: None, make_case: Callable[..., Any], users: dict[str, Any]) -> None:
    case = accepted_on(make_case, at(2026, 3, 4), case_type="labour_dispute", track="arbitration")
    assert "自受理仲裁申请之日起四十五日内，届满日为2026年4月20日。" in notice(case, users, at(2026, 3, 5))


def test_a_changed_track_is_counted_from_the_day_of_the_change(
        calendar: None, make_case: Callable[..., Any], users: dict[str, Any]) -> None:
    case = accepted_on(make_case, at(2026, 3, 2), case_type="labour_dispute", track="mediation")
    with clock.at(at(2026, 3, 6)):
        services.transition(case_id=case.pk, actor=users["leader"], name="assign", handler=users["handler"].pk,
                            responsible_leader=users["leader"].pk)
        services.transition(case_id=case.pk, actor=users["handler"], name="start_handling", track="arbitration")
    assert "自2026年3月6日起四十五日内，届满日为2026年4月20日。" in notice(case, users, at(2026, 3, 7))


def test_a_supervision_letter_marks_a_provisional_due_date(calendar: None, make_case: Callable[..., Any],
                                                           users: dict[str, Any]) -> None:
    CalendarYear.objects.filter(year=2027).delete()
    with clock.at(at(2026, 12, 28)):
        case = make_case("registered", received_at=at(2026, 12, 28), case_type="petition")
    d = Deadline.objects.get(case=case, rule__code="petition.register")
    assert d.is_provisional
    Supervision.objects.create(case=case, deadline=d, kind=Supervision.Kind.DUE_SOON, created_at=clock.now(),
                               leader=users["leader"])
    with clock.at(at(2027, 1, 8)):
        text = text_of(generate_case_document(case_id=case.pk, kind=DocumentKind.SUPERVISION_LETTER,
                                               actor=users["leader"]))
    assert "自收到信访事项之日起十五日内，届满日为2027年1月12日（暂定" in text
    assert "（按暂定届满日计算）" in text


def test_a_consultation_notice_cites_the_consultation_rule_not_the_inspection_law(
        calendar: None, make_case: Callable[..., Any], users: dict[str, Any]) -> None:
    consultation = accepted_on(make_case, at(2026, 3, 2), case_type="consultation", track="consultation")
    text = notice(consultation, users, at(2026, 3, 3))
    assert "咨询服务规定" in text and "劳动保障政策咨询" in text
    assert "劳动保障监察" not in text
    wage = accepted_on(make_case, at(2026, 3, 2))
    assert "《关于实施〈劳动保障监察条例〉若干规定》第十八条" in notice(wage, users, at(2026, 3, 3))
