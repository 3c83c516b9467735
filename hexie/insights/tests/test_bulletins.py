"""Bulletins: periods, the document's content (figures, charts, rankings), regeneration, PDF,
scope and permissions, the schedule and the command."""

from __future__ import annotations

import io
import stat
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from docx import Document

from hexie.core import audit, clock
from hexie.core.errors import DomainError, NotPermitted
from hexie.core.models import AuditEvent
from hexie.employers.models import Employer, Project
from hexie.insights import bulletins, pdf, periods
from hexie.insights.models import Bulletin
from hexie.insights.services.bulletins import generate_bulletin
from hexie.monitoring.models import Warning, WarningRule

pytestmark = pytest.mark.django_db

OTHER_CREDIT_CODE = "91430100MA4L16JQ9D"


def at(y: int, m: int, d: int, h: int = 10) -> datetime:
    return timezone.make_aware(datetime(y, m, d, h))


def text_of(data: bytes) -> tuple[str, Any]:
    doc = Document(io.BytesIO(data))
    lines = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            lines.append(" | ".join(cell.text for cell in row.cells))
    return "\n".join(lines), doc


def read(f: Any) -> bytes:
    with f.open("rb") as fh:
        return fh.read()


@pytest.fixture
def october(make_case: Callable[..., Any], users: dict[str, Any], city: dict[str, Any]) -> dict[str, Any]:
    """October 2026: four Yuelu cases (one resolved by mediation), one in Furong, warnings on one employer."""
    made = {}
    with clock.at(at(2026, 10, 12)):
        made["resolved"] = make_case("resolved", track="mediation", received_at=at(2026, 10, 12, 9))
        made["a"] = make_case("accepted", received_at=at(2026, 10, 12, 9))
        made["b"] = make_case("registered", received_at=at(2026, 10, 12, 9), employer_name="岳麓某餐饮店",
                              employer_credit_code="")
        made["c"] = make_case("registered", received_at=at(2026, 10, 12, 9), channel="hotline_12345")
        made["furong"] = make_case("registered", actor=users["outsider"], received_at=at(2026, 10, 12, 9),
                                   org_unit_id=city["furong_street"].pk, employer_name="芙蓉某物业公司",
                                   employer_credit_code="")
    with clock.at(at(2026, 9, 15)):
        make_case("registered", received_at=at(2026, 9, 15, 9))  # outside the period
    employer = Employer.objects.create(credit_code=OTHER_CREDIT_CODE, name="长沙某建筑劳务有限公司",
                                       org_unit=city["yuelu"])
    project = Project.objects.create(code="P-001", name="某小区二期", org_unit=city["yuelu"],
                                     general_contractor=employer)
    rule, _ = WarningRule.objects.get_or_create(code="test.unpaid", defaults={
        "name": "未按月足额发放工资", "description": "测试", "grade": "red"})
    for month, grade, resolved in ((202609, "red", None), (202608, "orange", at(2026, 10, 20))):
        Warning.objects.create(rule=rule, grade=grade, project=project, employer=employer, org_unit=city["yuelu"],
                               month=month, summary="欠薪", first_detected_at=at(2026, 10, 5),
                               last_detected_at=at(2026, 10, 5), resolved_at=resolved,
                               state="resolved" if resolved else "open")
    return made


def generate(unit: Any, actor: Any = None, day: date = date(2026, 10, 1), kind: str = "monthly") -> Bulletin:
    with clock.at(at(2026, 11, 2)):
        return generate_bulletin(kind=kind, period_start=day, org_unit=unit, actor=actor)


# --- periods -----------------------------------------------------------------------------------


def test_periods() -> None:
    w = periods.period_containing("weekly", date(2026, 10, 21))
    assert (w.start, w.end) == (date(2026, 10, 19), date(2026, 10, 25))
    m = periods.period_containing("monthly", date(2026, 2, 14))
    assert (m.start, m.end) == (date(2026, 2, 1), date(2026, 2, 28))
    q = periods.period_containing("quarterly", date(2026, 11, 30))
    assert (q.start, q.end) == (date(2026, 10, 1), date(2026, 12, 31))
    assert periods.last_complete_period("weekly", date(2026, 10, 26)).start == date(2026, 10, 19)
    assert periods.last_complete_period("monthly", date(2026, 1, 1)).start == date(2025, 12, 1)
    assert periods.last_complete_period("quarterly", date(2026, 4, 1)).end == date(2026, 3, 31)
    assert periods.parse_period("monthly", "2026-10").start == date(2026, 10, 1)
    assert periods.parse_period("quarterly", "2026-q4").start == date(2026, 10, 1)
    assert periods.parse_period("weekly", "2026-W43").start == date(2026, 10, 19)
    assert periods.parse_period("weekly", "2026-10-21").start == date(2026, 10, 19)
    assert m.label == "2026年2月" and q.label == "2026年第4季度" and w.label == "2026年第43周"
    for kind, bad in (("monthly", "2026-13"), ("quarterly", "2026-Q5"), ("weekly", "last week")):
        with pytest.raises(ValidationError, match="无法识别"):
            periods.parse_period(kind, bad)


# --- content -----------------------------------------------------------------------------------


@pytest.mark.slow
def test_monthly_bulletin_has_figures_charts_rankings_and_warnings(october: dict[str, Any],
                                                                    city: dict[str, Any]) -> None:
    b = generate(city["city"])

    assert b.title == "劳动关系工作月度通报（2026年10月）"
    assert (b.period_start, b.period_end) == (date(2026, 10, 1), date(2026, 10, 31))
    assert b.generated_by is None
    text, doc = text_of(read(b.docx))
    # Headline figures with their values and definitions.
    assert "案件量 | 5 |" in text
    assert "办结量 | 1 |" in text
    assert "调解结案率 | 0.0% |" in text
    assert "法定期限内结案率" in text and "满意率" in text and "追回金额 | 8,000.00 |" in text
    assert "统计期内收到的全部案件" in text  # a definition, from the KPI module
    # Three charts as pictures.
    assert len(doc.inline_shapes) == 3
    # District ranking: Yuelu first with 4, then Furong with 1.
    assert "1 | 岳麓区 | 4 | 1 |" in text
    assert "2 | 芙蓉区 | 1 | 0 |" in text
    # Employers with the most complaints, and with the most warnings.
    assert "1 | 长沙某建筑劳务有限公司 | 91430100MA4L16JQ9D | 3 |" in text
    assert "岳麓某餐饮店" in text and "芙蓉某物业公司" in text
    assert "1 | 长沙某建筑劳务有限公司 | 91430100MA4L16JQ9D | 2 | 1 | 1" in text
    # Warnings by grade: detected in the period, about its wages (of which open), resolved, open at the end.
    assert "红 | 1 | 0 | 0 | 0 | 1" in text and "橙 | 1 | 0 | 0 | 1 | 0" in text
    assert "本期发现工资支付监测预警2条；工资所属月份在本期的预警0条" in text and "本期消除1条" in text
    assert "（盖章）" in text and "{{" not in text
    assert b.figures["values"]["volume"] == 5
    # The warnings table and the KPI module count the same warnings.
    assert b.figures["warnings"]["raised"] == b.figures["values"]["warnings_raised"] == 2
    assert b.figures["warnings"]["resolved"] == b.figures["values"]["warnings_resolved"] == 1
    assert b.figures["ranking"][0]["name"] == "岳麓区"


def _warning(project: Project, month: int, detected: datetime, grade: str = "red",
             resolved: datetime | None = None) -> Warning:
    rule, _ = WarningRule.objects.get_or_create(code=f"test.{grade}", defaults={
        "name": "未按月足额发放工资", "description": "测试", "grade": grade})
    return Warning.objects.create(rule=rule, grade=grade, project=project, employer=project.general_contractor,
                                  org_unit=project.org_unit, month=month, summary="欠薪", first_detected_at=detected,
                                  last_detected_at=detected, resolved_at=resolved,
                                  state="resolved" if resolved else "open")


@pytest.mark.slow
def test_a_month_s_bulletin_counts_the_warnings_about_that_month_found_after_it_ended(
        october: dict[str, Any], city: dict[str, Any]) -> None:
    project = Project.objects.get(code="P-001")
    # October's wages: found in November (after the month ended), one of them already settled.
    _warning(project, 202610, at(2026, 11, 1), grade="red")
    _warning(project, 202610, at(2026, 11, 1), grade="yellow", resolved=at(2026, 11, 1, 15))
    # November's wages are not October's business, whenever found.
    _warning(project, 202611, at(2026, 11, 1), grade="orange")
    b = generate(city["city"])
    w = b.figures["warnings"]
    assert (w["about"], w["about_open"]) == (2, 1)
    assert w["raised"] == 2  # the two about August and September, found in October
    text, _doc = text_of(read(b.docx))
    assert "工资所属月份在本期的预警2条（含本期结束后发现的），截至11月2日尚未消除1条" in text
    assert "红 | 1 | 1 | 1 | 0 | 1" in text and "黄 | 0 | 1 | 0 | 0 | 0" in text
    assert "本期工资预警" in text and "不论何时发现" in text  # its definition is printed
    # The employer with October's warnings is among those with the most warnings.
    assert "1 | 长沙某建筑劳务有限公司 | 91430100MA4L16JQ9D | 4 |" in text


def test_a_weekly_bulletin_holds_no_whole_month_and_says_so(october: dict[str, Any], city: dict[str, Any]) -> None:
    _warning(Project.objects.get(code="P-001"), 202610, at(2026, 10, 12))
    data = bulletins.build_bulletin_data(period=periods.period_containing("weekly", date(2026, 10, 12)),
                                         unit=city["city"], today=date(2026, 11, 2))
    assert data["warnings"]["about"] is None and data["warnings"]["raised"] == 1
    assert "工资所属月份" not in data["warnings"]["summary"]


@pytest.mark.parametrize(("start", "end", "months"), [
    (date(2026, 10, 1), date(2026, 10, 31), (202610, 202610)),
    (date(2026, 10, 1), date(2026, 12, 31), (202610, 202612)),
    (date(2026, 12, 1), date(2026, 12, 31), (202612, 202612)),
    (date(2026, 10, 2), date(2026, 11, 30), (202611, 202611)),
    (date(2026, 10, 1), date(2026, 10, 30), None),
    (date(2026, 10, 12), date(2026, 10, 18), None),
])
def test_whole_months_of_a_period(start: date, end: date, months: Any) -> None:
    assert periods.whole_months(start, end) == months


def test_a_district_bulletin_ranks_its_streets_and_counts_only_its_cases(october: dict[str, Any],
                                                                          city: dict[str, Any]) -> None:
    b = generate(city["yuelu"])
    text, _doc = text_of(read(b.docx))
    assert "案件量 | 4 |" in text
    assert "街道排名" in text and "望岳街道" in text
    assert "芙蓉某物业公司" not in text
    assert "长沙市岳麓区人力资源和社会保障局" in text


@pytest.mark.slow
def test_regenerating_replaces_the_files_and_keeps_one_row(october: dict[str, Any], city: dict[str, Any],
                                                           django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        first = generate(city["city"])
    old_path = Path(first.docx.path)
    with django_capture_on_commit_callbacks(execute=True):
        second = generate(city["city"])
    assert second.pk == first.pk
    assert Bulletin.objects.count() == 1
    assert Path(second.docx.path).is_file()
    assert not old_path.exists() or old_path == Path(second.docx.path)


@pytest.mark.slow
def test_each_generation_is_audited_in_the_unit_it_is_for(october: dict[str, Any], city: dict[str, Any],
                                                          users: dict[str, Any]) -> None:
    with pytest.raises(NotPermitted):
        generate(city["yuelu"], actor=users["handler"])
    assert not AuditEvent.objects.exists()
    first = generate(city["yuelu"], actor=users["leader"])
    generate(city["yuelu"])  # the schedule makes it again
    entries = list(audit.entries_for(first).order_by("id"))
    assert [e.action for e in entries] == [AuditEvent.Action.GENERATE] * 2
    assert entries[0].actor == users["leader"] and entries[1].actor is None
    assert {e.org_unit_id for e in entries} == {city["yuelu"].pk}
    assert entries[0].message.startswith("生成") and entries[1].message.startswith("重新生成")


def test_no_libreoffice_gives_a_note_instead_of_a_pdf(october: dict[str, Any], city: dict[str, Any],
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pdf.shutil, "which", lambda name: None)
    b = generate(city["city"])
    assert not b.pdf
    assert b.pdf_note == "未安装LibreOffice，未生成PDF"


def test_with_libreoffice_the_pdf_is_stored(october: dict[str, Any], city: dict[str, Any], tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    # A stand-in for soffice: writes <outdir>/<stem>.pdf as the real one does.
    fake = tmp_path / "soffice"
    fake.write_text('#!/bin/sh\nwhile [ "$1" != "--outdir" ]; do shift; done\nout="$2"; src="$3"\n'
                    'name=$(basename "$src" .docx)\nprintf "%%PDF-1.4 fake" > "$out/$name.pdf"\n')
    fake.chmod(fake.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setattr(pdf.shutil, "which", lambda name: str(fake) if name == "soffice" else None)
    b = generate(city["city"])
    assert b.pdf_note == ""
    assert read(b.pdf).startswith(b"%PDF")


def test_a_failing_conversion_says_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fake = tmp_path / "soffice"
    fake.write_text("#!/bin/sh\nexit 3\n")
    fake.chmod(fake.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setattr(pdf.shutil, "which", lambda name: str(fake))
    data, note = pdf.convert_to_pdf(b"not really a docx")
    assert data is None and "退出码3" in note


@pytest.mark.slow
def test_the_weekly_and_quarterly_bulletins(october: dict[str, Any], city: dict[str, Any]) -> None:
    week = generate(city["city"], day=date(2026, 10, 12), kind="weekly")
    assert (week.period_start, week.period_end) == (date(2026, 10, 12), date(2026, 10, 18))
    assert "周调度" in week.title
    text, doc = text_of(read(week.docx))
    assert "案件量 | 5 |" in text and len(doc.inline_shapes) == 3
    quarter = generate(city["city"], day=date(2026, 8, 1), kind="quarterly")
    assert (quarter.period_start, quarter.period_end) == (date(2026, 7, 1), date(2026, 9, 30))
    assert "案件量 | 1 |" in text_of(read(quarter.docx))[0]


def test_a_period_in_progress_is_noted_and_a_future_one_refused(october: dict[str, Any],
                                                                city: dict[str, Any]) -> None:
    with clock.at(at(2026, 10, 20)):
        b = generate_bulletin(kind="monthly", period_start=date(2026, 10, 1), org_unit=city["city"],
                              actor=None)
        assert "统计期间尚未结束" in b.note
        with pytest.raises(DomainError, match="尚未开始"):
            generate_bulletin(kind="monthly", period_start=date(2026, 11, 1), org_unit=city["city"],
                              actor=None)


def test_no_cjk_font_is_said_in_the_document(october: dict[str, Any], city: dict[str, Any],
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    from hexie.insights import charts

    monkeypatch.setattr(charts, "cjk_font", lambda: None)
    b = generate(city["city"])
    assert charts.NO_CJK_NOTE in b.note
    assert "本机未安装中文字体" in text_of(read(b.docx))[0]


# --- who may generate and read -------------------------------------------------------------------


def test_only_leaders_in_their_jurisdiction_generate(october: dict[str, Any], city: dict[str, Any],
                                                     users: dict[str, Any]) -> None:
    with pytest.raises(NotPermitted):
        generate(city["yuelu"], actor=users["handler"])
    with pytest.raises(Http404):
        generate(city["yuelu"], actor=users["outside_leader"])
    with pytest.raises(Http404):
        generate(city["city"], actor=users["leader"])  # a district leader cannot issue the city's
    b = generate(city["yuelu"], actor=users["leader"])
    assert b.generated_by == users["leader"]


@pytest.mark.slow
def test_visibility_follows_the_hierarchy(october: dict[str, Any], city: dict[str, Any],
                                          users: dict[str, Any]) -> None:
    city_b = generate(city["city"])
    yuelu_b = generate(city["yuelu"])
    furong_b = generate(city["furong"])
    assert set(bulletins.bulletins_visible_to(users["city_leader"])) == {city_b, yuelu_b, furong_b}
    assert set(bulletins.bulletins_visible_to(users["leader"])) == {city_b, yuelu_b}
    assert set(bulletins.bulletins_visible_to(users["outside_leader"])) == {city_b, furong_b}
    assert not bulletins.bulletins_visible_to(users["partner"]).exists()


def test_pages(client: Any, october: dict[str, Any], city: dict[str, Any], users: dict[str, Any]) -> None:
    client.force_login(users["leader"])
    page = client.get(reverse("insights:bulletins")).content.decode()
    assert "生成通报" in page
    with clock.at(at(2026, 11, 2)):
        response = client.post(reverse("insights:bulletin_generate"),
                               {"kind": "monthly", "period": "2026-10", "unit": "430104"}, follow=True)
    page = response.content.decode()
    b = Bulletin.objects.get()
    assert b.title in page and "LibreOffice" in page
    download = client.get(reverse("insights:bulletin_download", args=[b.pk, "docx"]))
    assert download.status_code == 200
    assert client.get(reverse("insights:bulletin_download", args=[b.pk, "pdf"])).status_code == 404

    bad = client.post(reverse("insights:bulletin_generate"), {"kind": "monthly", "period": "2026-13",
                                                               "unit": "430104"}, follow=True)
    assert "无法识别" in bad.content.decode()
    other = client.post(reverse("insights:bulletin_generate"), {"kind": "monthly", "period": "2026-10",
                                                                 "unit": "430102"}, follow=True)
    assert "请选择您辖区内的单位" in other.content.decode()

    client.force_login(users["outsider"])
    assert client.get(reverse("insights:bulletin_download", args=[b.pk, "docx"])).status_code == 404
    assert b.title not in client.get(reverse("insights:bulletins")).content.decode()
    client.force_login(users["handler"])
    assert "生成通报" not in client.get(reverse("insights:bulletins")).content.decode()


# --- the schedule and the command ----------------------------------------------------------------


@pytest.mark.slow
def test_scheduled_tasks_make_last_period_for_city_and_districts(october: dict[str, Any],
                                                                 city: dict[str, Any]) -> None:
    from hexie.insights import tasks

    with clock.at(at(2026, 11, 1, 7)):
        result = tasks.monthly_bulletins.call_local()
    assert sorted(result["generated"]) == ["430100", "430102", "430104"]
    assert result["failed"] == []
    assert set(Bulletin.objects.values_list("period_start", flat=True)) == {date(2026, 10, 1)}
    assert not Bulletin.objects.exclude(generated_by=None).exists()
    with clock.at(at(2026, 11, 2, 7)):
        assert tasks.weekly_bulletins.call_local()["period_start"] == "2026-10-26"
    with clock.at(at(2026, 10, 1, 7)):
        assert tasks.quarterly_bulletins.call_local()["period_start"] == "2026-07-01"


def test_management_command(october: dict[str, Any], city: dict[str, Any]) -> None:
    out = io.StringIO()
    with clock.at(at(2026, 11, 2)):
        call_command("bulletin", kind="monthly", period="2026-10", unit="430104", stdout=out)
    assert "劳动关系工作月度通报（2026年10月）" in out.getvalue()
    assert "LibreOffice" in out.getvalue()
    assert Bulletin.objects.get().org_unit == city["yuelu"]
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="不存在"):
        call_command("bulletin", kind="monthly", period="2026-10", unit="999999")


def test_amount_formatting_in_figures() -> None:
    assert bulletins._fmt("amount_recovered", 1234.5, "yuan") == "1,234.50"
    assert bulletins._fmt("volume_yoy", 12.34, "percent") == "+12.3%"
    assert bulletins._fmt("closure_rate", None, "percent") == "—"


# --- year on year on a small base ---------------------------------------------------------------


def _row(values: dict[str, Any], last_year: dict[str, Any], code: str) -> dict[str, Any]:
    return next(r for r in bulletins._headline(values, last_year) if r["key"] == code)


@pytest.mark.parametrize(("base", "printed"), [(29, "基数过小（上年同期29件）"), (30, "+100.0%")])
def test_the_volume_change_needs_a_base_of_30_cases(base: int, printed: str) -> None:
    now = {"volume": base * 2, "volume_yoy": 100.0, "bases": {"volume": base * 2}}
    before = {"volume": base, "bases": {"volume": base}}
    assert _row(now, before, "volume")["yoy"] == printed


@pytest.mark.parametrize(("cases", "printed"), [(29, "基数过小（上年同期29件）"), (30, "+50.0%")])
def test_an_amount_change_needs_30_cases_behind_the_amount_a_year_earlier(cases: int, printed: str) -> None:
    now = {"amount_recovered": 6000.0, "bases": {"amount_recovered": 40}}
    before = {"amount_recovered": 4000.0, "bases": {"amount_recovered": cases}}
    assert _row(now, before, "amount_recovered")["yoy"] == printed


@pytest.mark.parametrize(("rated", "printed"), [(29, "基数过小（上年同期29件）"), (30, "+10.0个百分点")])
def test_a_rate_change_needs_30_cases_in_its_denominator_a_year_earlier(rated: int, printed: str) -> None:
    now = {"satisfaction_rate": 90.0, "bases": {"satisfaction_rate": 40}}
    before = {"satisfaction_rate": 80.0, "bases": {"satisfaction_rate": rated}}
    assert _row(now, before, "satisfaction_rate")["yoy"] == printed


@pytest.mark.slow
def test_one_case_a_year_earlier_is_not_compared(october: dict[str, Any], city: dict[str, Any],
                                                 make_case: Callable[..., Any]) -> None:
    with clock.at(at(2025, 10, 14)):
        make_case("registered", received_at=at(2025, 10, 14, 9))
    b = generate(city["city"])
    text, _doc = text_of(read(b.docx))
    assert "案件量 | 5 | 1 | 基数过小（上年同期1件）" in text
    assert "+400.0%" not in text and "上年同期仅1件，基数过小，不作同比" in text
    assert "上年同期少于30件时基数过小" in text  # the definition says so
