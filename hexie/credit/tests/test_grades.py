"""The yearly compliance grade: criteria near their thresholds, what decided it, scope, recompute,
the objection window and the leader's decision."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from hexie.cases.models import ClosureConclusion, Track
from hexie.core import clock
from hexie.core.errors import DomainError, NotPermitted
from hexie.core.models import AuditEvent
from hexie.credit import selectors, services
from hexie.credit.models import CreditGrade, GradeCriterion, RecordKind
from hexie.credit.rules import grade_for
from hexie.credit.tests.factories import CreditRecordFactory, signed_assessment

pytestmark = pytest.mark.django_db


def _grades(year: int = 2025) -> dict[str, str]:
    return {g.employer.name: g.grade for g in CreditGrade.objects.filter(year=year).select_related("employer")}


def test_sanctions_two_is_b_three_is_c_none_is_a(users: Any, employers: Any, sanction: Any) -> None:
    sanction(employers["once"])
    sanction(employers["once"])
    for _ in range(3):
        sanction(employers["thrice"])
    result = services.compute_grades(actor=users["city_leader"], year=2025)
    grades = _grades()
    assert grades == {"岳麓守法公司": "A", "岳麓一次公司": "B", "岳麓三次公司": "C", "芙蓉公司": "A"}
    assert result == {"A": 2, "B": 1, "C": 1}


def test_only_the_record_year_and_orders_in_inspection_count(users: Any, employers: Any, sanction: Any) -> None:
    sanction(employers["once"], on=date(2024, 12, 31))  # the year before
    sanction(employers["once"], on=date(2026, 1, 1))  # the year after
    sanction(employers["once"], conclusion=ClosureConclusion.PAID_IN_FULL)  # no order
    sanction(employers["once"], track=Track.MEDIATION)  # not inspection
    services.compute_grades(actor=users["city_leader"], year=2025)
    assert _grades()["岳麓一次公司"] == "A"
    sanction(employers["once"], on=date(2025, 12, 31))
    services.compute_grades(actor=users["city_leader"], year=2025)
    assert _grades()["岳麓一次公司"] == "B"


@pytest.mark.parametrize("kind", [RecordKind.CHILD_LABOUR, RecordKind.FORCED_LABOUR, RecordKind.MASS_INCIDENT,
                                  RecordKind.IGNORED_ORDER, RecordKind.OBSTRUCTION, RecordKind.CRIMINAL])
def test_one_serious_record_is_c(users: Any, employers: Any, kind: str) -> None:
    CreditRecordFactory(employer=employers["clean"], kind=kind, occurred_on=date(2025, 3, 1))
    CreditRecordFactory(employer=employers["once"], kind=kind, occurred_on=date(2024, 12, 31))
    services.compute_grades(actor=users["city_leader"], year=2025)
    assert _grades()["岳麓守法公司"] == "C"
    assert _grades()["岳麓一次公司"] == "A"


def test_grade_keeps_the_cases_and_records_behind_it(users: Any, employers: Any, sanction: Any) -> None:
    cases = [sanction(employers["thrice"]) for _ in range(3)]
    other = sanction(employers["once"])
    record = CreditRecordFactory(employer=employers["thrice"], kind=RecordKind.CHILD_LABOUR)
    services.compute_grades(actor=users["city_leader"], year=2025)
    grade = CreditGrade.objects.get(employer=employers["thrice"], year=2025)
    assert set(grade.cases().values_list("pk", flat=True)) == {c.pk for c in cases}
    assert other.pk not in set(grade.cases().values_list("pk", flat=True))
    assert list(grade.records()) == [record]
    assert grade.sanctions == 3 and grade.child_labour == 1
    explained = {c["code"] for c in selectors.explain(grade)}
    assert explained == {"c_sanctions", "c_child_labour"}


def test_sql_and_rules_agree(users: Any, employers: Any, sanction: Any) -> None:
    sanction(employers["once"])
    CreditRecordFactory(employer=employers["clean"], kind=RecordKind.EVALUATION_PASSED)
    GradeCriterion.objects.filter(code="a_evaluation").update(is_active=True)
    CreditRecordFactory(employer=employers["once"], kind=RecordKind.EVALUATION_PASSED)
    services.compute_grades(actor=users["city_leader"], year=2025)
    for g in CreditGrade.objects.all():
        assert grade_for(g.counts(), selectors.criteria_for(2025)).grade == g.grade


def test_passed_evaluation_raises_b_to_a_only_where_configured(users: Any, employers: Any, sanction: Any) -> None:
    sanction(employers["once"])
    for _ in range(3):
        sanction(employers["thrice"])
    for e in ("once", "thrice"):
        CreditRecordFactory(employer=employers[e], kind=RecordKind.EVALUATION_PASSED)
    services.compute_grades(actor=users["city_leader"], year=2025)
    assert _grades()["岳麓一次公司"] == "B"  # seeded inactive
    GradeCriterion.objects.filter(code="a_evaluation").update(is_active=True)
    services.compute_grades(actor=users["city_leader"], year=2025)
    assert _grades()["岳麓一次公司"] == "A"
    assert _grades()["岳麓三次公司"] == "C"  # never lifts a C


def test_a_district_leader_grades_only_the_district(users: Any, employers: Any) -> None:
    services.compute_grades(actor=users["leader"], year=2025)
    assert set(_grades()) == {"岳麓守法公司", "岳麓一次公司", "岳麓三次公司"}
    assert AuditEvent.objects.filter(object_type="credit.graderun").count() == 1


def test_only_leaders_compute(users: Any, employers: Any) -> None:
    with pytest.raises(NotPermitted):
        services.compute_grades(actor=users["handler"], year=2025)
    with pytest.raises(DomainError, match="已开始"):
        services.compute_grades(actor=users["leader"], year=clock.today().year + 1)


def test_recompute_replaces_computed_and_keeps_notified(users: Any, employers: Any, sanction: Any,
                                                        calendar: None) -> None:
    services.compute_grades(actor=users["leader"], year=2025)
    services.notify_grades(actor=users["leader"], year=2025)
    sanction(employers["once"])
    new = services.compute_grades(actor=users["city_leader"], year=2025)
    assert _grades()["岳麓一次公司"] == "A"  # notified grades keep their own procedure
    assert new == {"A": 1, "B": 0, "C": 0}  # only Furong's was new
    assert CreditGrade.objects.filter(year=2025).count() == 4


def test_objection_inside_the_window_and_refused_after(users: Any, employers: Any, sanction: Any,
                                                     calendar: None) -> None:
    sanction(employers["once"])
    services.compute_grades(actor=users["leader"], year=2025)
    assert services.notify_grades(actor=users["leader"], year=2025) == 3
    grade = CreditGrade.objects.get(employer=employers["once"])
    assert grade.objection_due_on is None  # issued, not yet delivered: the window has not started
    # Delivered in person ten days after it was issued: the 15 days run from delivery.
    delivered = grade.notified_on + timedelta(days=10)
    with clock.at(clock.now() + timedelta(days=10)):
        grade = services.record_grade_delivery(actor=users["handler"], grade_id=grade.pk, delivered_on=delivered,
                                               method="in_person")
    assert grade.delivered_on == delivered and grade.delivery_method == "in_person"
    assert grade.objection_due_on is not None and grade.objection_due_on >= delivered + timedelta(days=15)
    assert grade.objection_due_on <= delivered + timedelta(days=15 + 7)  # a rest day moves it, no further
    late = grade.objection_due_on + timedelta(days=1)
    with clock.at(clock.now() + (late - clock.today())), pytest.raises(DomainError, match="届满") as exc:
        services.object_to_grade(actor=users["handler"], grade_id=grade.pk, reason="案件已撤销", received_on=late)
    assert exc.value.field == "received_on" and f"自{delivered.isoformat()}送达之日起计算" in str(exc.value)
    on_time = grade.objection_due_on
    with clock.at(clock.now() + (on_time - clock.today())):
        services.object_to_grade(actor=users["handler"], grade_id=grade.pk, reason="案件已撤销", received_on=on_time)
    with pytest.raises(NotPermitted):
        services.decide_objection(actor=users["handler"], grade_id=grade.pk, grade="A", reason="复核")
    done = services.decide_objection(actor=users["leader"], grade_id=grade.pk, grade="A", reason="处理决定已撤销")
    assert (done.grade, done.computed_grade, done.state) == ("A", "B", CreditGrade.State.FINAL)
    assert [e.message for e in AuditEvent.objects.filter(object_type="credit.creditgrade").order_by("id")][-2:] == [
        "岳麓一次公司 对2025年度B级提出异议", "复核异议：由B级调整为A级"][-2:]
    delivery_note = AuditEvent.objects.filter(object_type="credit.creditgrade").order_by("id").first()
    assert delivery_note is not None
    assert delivery_note.message.startswith(f"直接送达，{delivered.isoformat()}送达，异议截止{grade.objection_due_on.isoformat()}")


def test_outside_the_jurisdiction_is_not_found(users: Any, employers: Any, calendar: None) -> None:
    services.compute_grades(actor=users["city_leader"], year=2025)
    services.notify_grades(actor=users["city_leader"], year=2025)
    grade = CreditGrade.objects.get(employer=employers["furong"])
    with pytest.raises(DomainError) as exc:
        services.object_to_grade(actor=users["handler"], grade_id=grade.pk, reason="x", received_on=clock.today())
    assert exc.value.code == "not_found"


def test_unobjected_grades_become_final_after_the_window(users: Any, employers: Any, calendar: None) -> None:
    services.compute_grades(actor=users["leader"], year=2025)
    services.notify_grades(actor=users["leader"], year=2025)
    assert services.finalise_grades(today=clock.today() + timedelta(days=365)) == 0  # none delivered yet
    for g in CreditGrade.objects.all():
        services.record_grade_delivery(actor=users["leader"], grade_id=g.pk, delivered_on=clock.today(), method="post")
    due = CreditGrade.objects.first().objection_due_on  # type: ignore[union-attr]
    assert services.finalise_grades(today=due) == 0
    assert services.finalise_grades(today=due + timedelta(days=1)) == 3


def test_a_complaint_against_a_c_employer_is_orange(users: Any, employers: Any, sanction: Any, intake: Any,
                                                   calendar: None) -> None:
    from decimal import Decimal

    from hexie.cases.services import register_case

    for _ in range(3):
        sanction(employers["thrice"])
    sanction(employers["once"])
    services.compute_grades(actor=users["leader"], year=2025)

    def complaint(e: Any) -> Any:
        return register_case(data=intake(employer_credit_code=e.credit_code, employer_name=e.name, workers_count=1,
                                         amount_claimed=Decimal("1000"), description="拖欠工资"), actor=users["desk"])

    def rules(case: Any) -> set[str]:
        return {r["rule"] for r in case.triage_reasons}

    # The sanction cases above already cluster on the employers: read the credit reason itself.
    assert "credit_grade_c" not in rules(complaint(employers["thrice"]))  # computed, not yet notified
    services.notify_grades(actor=users["leader"], year=2025)
    case = complaint(employers["thrice"])
    assert "credit_grade_c" in rules(case) and case.attention_level in ("key", "special")
    assert case.risk_level in ("orange", "red")
    reason = next(r for r in case.triage_reasons if r["rule"] == "credit_grade_c")
    assert "2025年度劳动保障守法诚信等级为C级" in reason["why"] and reason["risk_level"] == "orange"
    assert "credit_grade_c" not in rules(complaint(employers["once"]))  # B changes nothing


def test_prevention_feeds_the_grade(users: Any, employers: Any, sanction: Any) -> None:
    """An order escalated after its deadline in the year is an ignored order (C); a passed
    evaluation signed off in the year lifts B to A where configured."""
    from hexie.prevention.models import OrderState, RectificationOrder, SheetKind

    checkup = signed_assessment(employers["clean"], SheetKind.CHECKUP, False, date(2025, 3, 1))

    def order(n: str, deadline: date, state: str) -> RectificationOrder:
        return RectificationOrder.objects.create(
            number=n, assessment=checkup, employer=employers["clean"], requirements="补签劳动合同", legal_basis="x",
            state=state, issued_on=deadline - timedelta(days=20), working_days=15, deadline=deadline)

    order("Z1", date(2024, 12, 31), OrderState.ESCALATED)  # the year before
    order("Z2", date(2025, 6, 1), OrderState.COMPLIED)
    services.compute_grades(actor=users["leader"], year=2025)
    assert _grades()["岳麓守法公司"] == "A"
    escalated = order("Z3", date(2025, 12, 31), OrderState.ESCALATED)
    services.compute_grades(actor=users["leader"], year=2025)
    grade = CreditGrade.objects.get(employer=employers["clean"], year=2025)
    assert (grade.grade, grade.ignored_orders) == ("C", 1)
    assert list(grade.orders()) == [escalated]

    GradeCriterion.objects.filter(code="a_evaluation").update(is_active=True)
    sanction(employers["once"])
    signed_assessment(employers["once"], SheetKind.EVALUATION, False, date(2025, 7, 1))
    services.compute_grades(actor=users["leader"], year=2025)
    assert _grades()["岳麓一次公司"] == "B"  # failed evaluation
    signed_assessment(employers["once"], SheetKind.EVALUATION, True, date(2026, 1, 2))
    services.compute_grades(actor=users["leader"], year=2025)
    assert _grades()["岳麓一次公司"] == "B"  # passed, but the next year
    signed_assessment(employers["once"], SheetKind.EVALUATION, True, date(2025, 12, 30))
    services.compute_grades(actor=users["leader"], year=2025)
    assert _grades()["岳麓一次公司"] == "A"


def test_the_employer_is_told_and_objects_from_its_account(users: Any, employers: Any, sanction: Any, client: Any,
                                                           calendar: None) -> None:
    from hexie.cases.models import Notification
    from hexie.prevention import services as prevention

    issued = prevention.issue_account(actor=users["admin"], employer_id=employers["once"].pk, username="firm_once",
                                      phone="13800138000")
    other = prevention.issue_account(actor=users["admin"], employer_id=employers["clean"].pk, username="firm_clean",
                                     phone="13900139000")
    sanction(employers["once"])
    services.compute_grades(actor=users["leader"], year=2025)
    services.notify_grades(actor=users["leader"], year=2025)
    sms = list(Notification.objects.filter(body__contains="守法诚信等级").values_list("recipient", flat=True))
    assert sorted(sms) == ["13800138000", "13900139000"]
    grade = CreditGrade.objects.get(employer=employers["once"])
    with pytest.raises(DomainError) as exc:  # another employer's grade is not found
        services.object_as_employer(user=other.account.user, grade_id=grade.pk, reason="不服")
    assert exc.value.code == "not_found"
    client.force_login(issued.account.user)
    page = client.get("/employer/credit/").content.decode()
    assert "2025 · B级" in page and "因劳动保障违法行为被查处" in page and "提出异议" in page
    assert client.get(f"/credit/grades/{grade.pk}/").status_code == 404  # staff pages stay closed
    grade = services.record_grade_delivery(actor=users["handler"], grade_id=grade.pk, delivered_on=clock.today(),
                                           method="electronic")
    due = grade.objection_due_on
    assert due is not None
    with clock.at(clock.now() + (due + timedelta(days=1) - clock.today())), pytest.raises(DomainError, match="届满"):
        services.object_as_employer(user=issued.account.user, grade_id=grade.pk, reason="不服")
    client.post("/employer/credit/", {"grade": grade.pk, "reason": "处理决定已撤销"})
    grade.refresh_from_db()
    assert (grade.state, grade.objection) == (CreditGrade.State.OBJECTED, "处理决定已撤销")
