"""The assessment engine: sheets add up, answers are scored, sign-off issues orders on the calendar,
an ignored order opens a case, a draw can be re-checked, an employer sees only its own rows."""

from __future__ import annotations

import io
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404

from hexie.cases.models import Case, Channel
from hexie.core.errors import DomainError
from hexie.prevention import services
from hexie.prevention.models import (
    Assessment,
    AssessmentState,
    OrderState,
    Plan,
    PlanMethod,
    RectificationOrder,
    ScoreSheet,
    SheetItem,
)
from hexie.prevention.rules import points_problems, sheet_problems
from hexie.workcal.rules import add_working_days
from hexie.workcal.selectors import get_calendar

PNG = b"\x89PNG\r\n\x1a\n" + b"0" * 32


def png(name: str = "photo.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PNG, content_type="image/png")


@pytest.mark.django_db
def test_every_seeded_sheet_adds_up_and_is_flagged_unverified() -> None:
    sheets = list(ScoreSheet.objects.filter(owner_unit=None))
    assert {s.code for s in sheets} == {"checkup", "annual-verification", "harmonious-enterprise", "harmonious-park"}
    for s in sheets:
        assert sheet_problems(s) == [], s.code
        assert not s.verified
    checkup = next(s for s in sheets if s.code == "checkup")
    assert checkup.sections.count() == 9  # the nine items of 劳动保障监察条例 第十一条
    evaluation = next(s for s in sheets if s.code == "harmonious-enterprise")
    assert [(x.code, x.max_points, x.pass_points) for x in evaluation.sections.all()] == [
        ("BASIC", 45, 42), ("SYSTEM", 25, None), ("ACTIVITY", 30, None)]


def test_points_that_do_not_add_up_are_named() -> None:
    problems = points_problems(total=Decimal(100), pass_total=Decimal(101), sections=[
        ("A", "合同", Decimal(60), None, [("A.1", Decimal(30)), ("A.2", Decimal(29))]),
        ("B", "工资", Decimal(40), Decimal(41), [("B.1", Decimal(40))])])
    text = "\n".join(problems)
    assert "合格总分 101 分高于满分 100 分" in text
    assert "“A 合同”的项目分值合计 59 分" in text
    assert "“B 工资”的合格分 41 分高于" in text
    assert points_problems(total=Decimal(100), pass_total=Decimal(90), sections=[
        ("A", "合同", Decimal(100), None, [("A.1", Decimal(100))])]) == []


def _plan(actor: Any, sheet: ScoreSheet, employers: list[Any], inspector: Any) -> Plan:
    return services.create_plan(actor=actor, name="2026年用工体检", sheet_id=sheet.pk, method=PlanMethod.LIST,
                                starts_on=date(2026, 3, 1), due_on=date(2026, 6, 30),
                                employer_ids=[e.pk for e in employers], inspector_ids=[inspector.pk])


def _answer_all(a: Assessment, actor: Any, *, fail: set[str] = frozenset()) -> None:  # type: ignore[assignment]
    for item in SheetItem.objects.filter(section__sheet=a.sheet):
        if item.code in fail:
            services.record_answer(actor=actor, assessment_id=a.pk, item_id=item.pk, result="fails",
                                   note="未签订书面劳动合同3人", files=[png()])
        else:
            services.record_answer(actor=actor, assessment_id=a.pk, item_id=item.pk, result="complies")


@pytest.mark.django_db
def test_a_check_up_is_scored_signed_off_and_its_failed_item_becomes_an_order_on_the_calendar(
        users: dict[str, Any], employers: dict[str, Any], inspector: Any, checkup: ScoreSheet, calendar: None) -> None:
    plan = _plan(users["leader"], checkup, [employers["yuelu"]], inspector)
    a = plan.assessments.get()
    assert a.inspector == inspector and a.sheet == checkup
    _answer_all(a, inspector, fail={"2.1"})
    # Answering again replaces the answer (a phone resending its queue changes nothing).
    item = SheetItem.objects.get(section__sheet=checkup, code="1.1")
    services.record_answer(actor=inspector, assessment_id=a.pk, item_id=item.pk, result="complies")
    assert a.answers.count() == SheetItem.objects.filter(section__sheet=checkup).count()
    a = services.submit_assessment(actor=inspector, assessment_id=a.pk)
    assert a.score == Decimal(92) and a.passed  # 100 less the 8 points of 2.1; pass mark 80
    a = services.sign_off(actor=users["leader"], assessment_id=a.pk, note="同意")
    assert a.state == AssessmentState.SIGNED_OFF
    order = RectificationOrder.objects.get(assessment=a)
    assert order.state == OrderState.ISSUED and "未签订书面劳动合同3人" in order.requirements
    assert order.deadline == add_working_days(get_calendar(), order.issued_on, 15).due_on
    assert order.number.startswith("劳监整〔")


@pytest.mark.django_db
def test_partly_complying_needs_a_deduction_below_the_item_points_and_a_finding(
        users: dict[str, Any], employers: dict[str, Any], inspector: Any, checkup: ScoreSheet) -> None:
    a = _plan(users["leader"], checkup, [employers["yuelu"]], inspector).assessments.get()
    item = SheetItem.objects.get(section__sheet=checkup, code="2.1")  # 8 points
    with pytest.raises(ValidationError, match="扣分应大于0且小于该项分值8分"):
        services.record_answer(actor=inspector, assessment_id=a.pk, item_id=item.pk, result="partly",
                               deduction="8", note="x")
    with pytest.raises(ValidationError, match="写明发现的问题"):
        services.record_answer(actor=inspector, assessment_id=a.pk, item_id=item.pk, result="partly", deduction="2")
    ans = services.record_answer(actor=inspector, assessment_id=a.pk, item_id=item.pk, result="partly",
                                 deduction="7.5", note="2人未签")
    assert ans.points == Decimal("0.5")


@pytest.mark.django_db
def test_evidence_of_the_wrong_type_is_refused_by_name(
        users: dict[str, Any], employers: dict[str, Any], inspector: Any, checkup: ScoreSheet) -> None:
    a = _plan(users["leader"], checkup, [employers["yuelu"]], inspector).assessments.get()
    item = SheetItem.objects.get(section__sheet=checkup, code="2.1")
    bad = SimpleUploadedFile("合同.png", b"MZ\x90\x00 not a picture", content_type="image/png")
    with pytest.raises(ValidationError, match="合同.png"):
        services.record_answer(actor=inspector, assessment_id=a.pk, item_id=item.pk, result="fails", note="x",
                               files=[bad])
    assert not a.answers.exists()


@pytest.mark.django_db
def test_only_the_assigned_inspector_fills_and_incomplete_assessments_are_not_submitted(
        users: dict[str, Any], employers: dict[str, Any], inspector: Any, checkup: ScoreSheet) -> None:
    a = _plan(users["leader"], checkup, [employers["yuelu"]], inspector).assessments.get()
    item = SheetItem.objects.filter(section__sheet=checkup).first()
    with pytest.raises(DomainError):
        services.record_answer(actor=users["handler"], assessment_id=a.pk, item_id=item.pk, result="complies")
    with pytest.raises(Http404):  # another district's inspector: as if it did not exist
        services.record_answer(actor=users["outsider"], assessment_id=a.pk, item_id=item.pk, result="complies")
    services.record_answer(actor=inspector, assessment_id=a.pk, item_id=item.pk, result="complies")
    with pytest.raises(ValidationError, match="还有16项未填写"):
        services.submit_assessment(actor=inspector, assessment_id=a.pk)


@pytest.mark.django_db
def test_evaluation_pass_needs_the_basic_section_mark_as_well_as_the_total(
        users: dict[str, Any], employers: dict[str, Any], inspector: Any) -> None:
    sheet = ScoreSheet.objects.get(code="harmonious-enterprise")
    a = _plan(users["leader"], sheet, [employers["yuelu"]], inspector).assessments.get()
    items = {i.code: i for i in SheetItem.objects.filter(section__sheet=sheet)}
    for code, item in items.items():
        # BASIC.2 (10 points) partly: 45 − 4 = 41 < 42 although the total is 96 + 4 bonus = 100.
        if code == "BASIC.2":
            services.record_answer(actor=inspector, assessment_id=a.pk, item_id=item.pk, result="partly",
                                   deduction="4", note="两个月延迟发放")
        else:
            services.record_answer(actor=inspector, assessment_id=a.pk, item_id=item.pk, result="complies")
    with pytest.raises(ValidationError, match="加分不能超过4分"):
        services.submit_assessment(actor=inspector, assessment_id=a.pk, bonus="5")
    a = services.submit_assessment(actor=inspector, assessment_id=a.pk, bonus="4")
    assert a.score == Decimal(100) and a.passed is False
    assert a.section_scores["BASIC"]["passed"] is False
    a = services.sign_off(actor=users["leader"], assessment_id=a.pk)
    assert not RectificationOrder.objects.exists()  # an evaluation is voluntary: no order


@pytest.mark.django_db
def test_an_order_not_complied_with_by_its_deadline_opens_an_inspection_case(
        users: dict[str, Any], employers: dict[str, Any], inspector: Any, checkup: ScoreSheet, calendar: None) -> None:
    a = _plan(users["leader"], checkup, [employers["yuelu"]], inspector).assessments.get()
    _answer_all(a, inspector, fail={"6.1"})
    services.submit_assessment(actor=inspector, assessment_id=a.pk)
    services.sign_off(actor=users["leader"], assessment_id=a.pk)
    order = RectificationOrder.objects.get()
    assert services.escalate_overdue_orders(today=order.deadline) == []  # the last day is still in time
    done = services.escalate_overdue_orders(today=order.deadline + timedelta(days=1))
    assert [o.pk for o in done] == [order.pk]
    order.refresh_from_db()
    case = Case.objects.get(pk=order.case_id)
    assert order.state == OrderState.ESCALATED and case.channel == Channel.RECTIFICATION
    assert case.employer_id == employers["yuelu"].pk and case.deadlines.exists()
    assert services.escalate_overdue_orders(today=order.deadline + timedelta(days=2)) == []  # only once


@pytest.mark.django_db
def test_a_recheck_that_finds_it_put_right_closes_the_order(
        users: dict[str, Any], employers: dict[str, Any], inspector: Any, checkup: ScoreSheet, calendar: None,
        accounts: dict[str, Any]) -> None:
    a = _plan(users["leader"], checkup, [employers["yuelu"]], inspector).assessments.get()
    _answer_all(a, inspector, fail={"6.1"})
    services.submit_assessment(actor=inspector, assessment_id=a.pk)
    services.sign_off(actor=users["leader"], assessment_id=a.pk)
    order = RectificationOrder.objects.get()
    with pytest.raises(Http404):  # another employer's order is as if it did not exist
        services.answer_order(actor=accounts["furong"], order_id=order.pk, response="已整改")
    services.answer_order(actor=accounts["yuelu"], order_id=order.pk, response="已补发工资", files=[png("回单.png")])
    order = services.recheck_order(actor=inspector, order_id=order.pk, complied=True, note="已补发")
    assert order.state == OrderState.COMPLIED and order.evidence.count() == 1
    assert services.escalate_overdue_orders(today=order.deadline + timedelta(days=5)) == []


@pytest.mark.django_db
def test_a_random_draw_is_reproduced_from_its_seed(
        users: dict[str, Any], employers: dict[str, Any], inspector: Any, checkup: ScoreSheet, city: dict[str, Any]
) -> None:
    from hexie.employers.tests.factories import EmployerFactory

    for _n in range(8):
        EmployerFactory(org_unit=city["yuelu_street"])
    plan = services.create_plan(actor=users["leader"], name="双随机", sheet_id=checkup.pk, method=PlanMethod.RANDOM,
                                starts_on=date(2026, 3, 1), due_on=date(2026, 4, 1), draw_employers=3,
                                draw_inspectors=1, seed="2026-03-01-yuelu")
    assert plan.assessments.count() == 3
    assert all(e.org_unit.path.startswith(city["yuelu"].path)
               for e in [x.employer for x in plan.assessments.select_related("employer__org_unit")])
    check = services.recheck_draw(actor=users["leader"], plan_id=plan.pk)
    assert check.matches and check.assessments_match
    again = services.create_plan(actor=users["leader"], name="同一种子", sheet_id=checkup.pk, method=PlanMethod.RANDOM,
                                 starts_on=date(2026, 3, 1), due_on=date(2026, 4, 1), draw_employers=3,
                                 draw_inspectors=1, seed="2026-03-01-yuelu")
    assert again.draw_record["employers"] == plan.draw_record["employers"]
    with pytest.raises(Http404):
        services.recheck_draw(actor=users["outside_leader"], plan_id=plan.pk)


@pytest.mark.django_db
def test_an_employer_account_sees_only_its_own_rows(
        users: dict[str, Any], employers: dict[str, Any], accounts: dict[str, Any]) -> None:
    from hexie.orgs.scoping import restrict

    own = services.start_assessment(actor=accounts["yuelu"], sheet_code="annual-verification")
    other = services.start_assessment(actor=accounts["furong"], sheet_code="annual-verification")
    assert own.employer == employers["yuelu"] and own.kind == "annual_verification"
    assert list(restrict(Assessment.objects.all(), accounts["yuelu"])) == [own]
    assert list(restrict(Assessment.objects.all(), accounts["furong"])) == [other]
    from hexie.employers.models import Employer

    assert not restrict(Employer.objects.all(), accounts["yuelu"]).exists()
    assert not restrict(Case.objects.all(), accounts["yuelu"]).exists()
    item = SheetItem.objects.filter(section__sheet=own.sheet).first()
    with pytest.raises(Http404):
        services.record_answer(actor=accounts["yuelu"], assessment_id=other.pk, item_id=item.pk, result="complies")
    # Staff do not fill in an employer's own verification.
    with pytest.raises(DomainError):
        services.record_answer(actor=users["leader"], assessment_id=own.pk, item_id=item.pk, result="complies")


@pytest.mark.django_db
def test_a_bureau_version_overrides_the_default_for_its_units_only(city: dict[str, Any], checkup: ScoreSheet) -> None:
    own = ScoreSheet.objects.create(code="checkup", version=1, kind="checkup", name="岳麓区体检表",
                                    owner_unit=city["yuelu"], effective_from=date(2025, 1, 1),
                                    total_points=Decimal(100), legal_basis="x")
    assert services.sheet_in_force(code="checkup", unit=city["yuelu_street"], on=date(2026, 1, 1)) == own
    assert services.sheet_in_force(code="checkup", unit=city["furong"], on=date(2026, 1, 1)) == checkup
    assert services.sheet_in_force(code="checkup", unit=city["yuelu"], on=date(2024, 1, 1)) == checkup


def _workbook(rows_sheet: list[list[Any]], rows_items: list[list[Any]]) -> SimpleUploadedFile:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "量表"
    for r in rows_sheet:
        ws.append(r)
    ws2 = wb.create_sheet("项目")
    for r in rows_items:
        ws2.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return SimpleUploadedFile("量表.xlsx", buf.getvalue())


HEAD = ["代码", "名称", "类别", "生效日期", "满分", "合格总分", "加分上限", "扣分上限", "依据", "整改期限（工作日）"]
ITEMS = ["部分代码", "部分名称", "部分分值", "部分合格分", "项目代码", "检查内容", "分值", "扣分规则", "所需材料", "依据"]


@pytest.mark.django_db
def test_a_sheet_imports_from_xlsx_as_a_new_version(users: dict[str, Any]) -> None:
    f = _workbook([HEAD, ["checkup", "本市体检表", "用工体检", "2026-01-01", 100, 80, 0, 0, "监察条例第十一条", 10]],
                  [ITEMS, ["1", "合同", 60, None, "1.1", "书面合同", 60, "", "合同", ""],
                   ["2", "工资", 40, None, "2.1", "按时支付", 40, "", "工资表", ""]])
    sheet = services.import_sheet_xlsx(actor=users["admin"], uploaded=f, owner_unit_id=users["admin"].org_unit_id)
    assert sheet.version == 1 and sheet.owner_unit == users["admin"].org_unit and sheet.rectify_working_days == 10
    assert sheet_problems(sheet) == [] and sheet.sections.count() == 2


@pytest.mark.django_db
def test_a_bad_xlsx_sheet_imports_nothing_and_names_the_rows(users: dict[str, Any]) -> None:
    before = ScoreSheet.objects.count()
    f = _workbook([HEAD, ["checkup", "本市体检表", "用工体检", "2026-01-01", 100, 80, 0, 0, "依据", 10]],
                  [ITEMS, ["1", "合同", 60, None, "1.1", "书面合同", "六十", "", "", ""],
                   ["2", "工资", 40, None, "", "按时支付", 40, "", "", ""]])
    with pytest.raises(ValidationError) as exc:
        services.import_sheet_xlsx(actor=users["admin"], uploaded=f, owner_unit_id=users["admin"].org_unit_id)
    text = "\n".join(exc.value.messages)
    assert "项目 第2行“分值”：应为数字" in text and "项目 第3行“项目代码”：不能为空" in text
    f = _workbook([HEAD, ["checkup", "本市体检表", "用工体检", "2026-01-01", 100, 80, 0, 0, "依据", 10]],
                  [ITEMS, ["1", "合同", 60, None, "1.1", "书面合同", 50, "", "", ""],
                   ["2", "工资", 40, None, "2.1", "按时支付", 40, "", "", ""]])
    with pytest.raises(ValidationError, match="“1 合同”的项目分值合计 50 分"):
        services.import_sheet_xlsx(actor=users["admin"], uploaded=f, owner_unit_id=users["admin"].org_unit_id)
    with pytest.raises(ValidationError, match="不是有效的 .xlsx"):
        services.import_sheet_xlsx(actor=users["admin"], uploaded=SimpleUploadedFile("x.xlsx", b"not a zip"),
                                   owner_unit_id=users["admin"].org_unit_id)
    assert ScoreSheet.objects.count() == before


@pytest.mark.django_db
def test_moves_from_the_wrong_state_are_refused_by_the_state_table(
        users: dict[str, Any], employers: dict[str, Any], inspector: Any, checkup: ScoreSheet, calendar: None) -> None:
    from hexie.core.errors import TransitionNotAllowed

    a = _plan(users["leader"], checkup, [employers["yuelu"]], inspector).assessments.get()
    with pytest.raises(TransitionNotAllowed, match="只能签发待审核的检查"):
        services.sign_off(actor=users["leader"], assessment_id=a.pk)
    _answer_all(a, inspector)
    services.submit_assessment(actor=inspector, assessment_id=a.pk)
    item = SheetItem.objects.filter(section__sheet=checkup).first()
    with pytest.raises(TransitionNotAllowed, match="已提交的检查不能再修改"):
        services.record_answer(actor=inspector, assessment_id=a.pk, item_id=item.pk, result="fails", note="x")
    services.return_assessment(actor=users["leader"], assessment_id=a.pk, note="请补充照片")
    services.record_answer(actor=inspector, assessment_id=a.pk, item_id=item.pk, result="partly", deduction="1",
                           note="补充说明")
    services.submit_assessment(actor=inspector, assessment_id=a.pk)
    services.sign_off(actor=users["leader"], assessment_id=a.pk)
    with pytest.raises(TransitionNotAllowed):
        services.sign_off(actor=users["leader"], assessment_id=a.pk)


@pytest.mark.django_db
def test_an_answer_keeps_the_phones_time_within_the_offline_window(
        users: dict[str, Any], employers: dict[str, Any], inspector: Any, checkup: ScoreSheet) -> None:
    from datetime import datetime

    from django.utils import timezone

    a = _plan(users["leader"], checkup, [employers["yuelu"]], inspector).assessments.get()
    item = SheetItem.objects.filter(section__sheet=checkup).first()
    earlier = timezone.now() - timedelta(hours=2)
    ans = services.record_answer(actor=inspector, assessment_id=a.pk, item_id=item.pk, result="complies",
                                 answered_at=earlier)
    assert ans.answered_at == earlier and ans.recorded_at > earlier
    # A phone whose clock runs a day fast, or a naive time: the answer is kept, at a sane time.
    ans = services.record_answer(actor=inspector, assessment_id=a.pk, item_id=item.pk, result="complies",
                                 answered_at=timezone.now() + timedelta(days=1))
    assert ans.answered_at <= timezone.now()
    ans = services.record_answer(actor=inspector, assessment_id=a.pk, item_id=item.pk, result="complies",
                                 answered_at=datetime(2020, 1, 1))
    assert ans.answered_at >= timezone.now() - timedelta(days=8)
