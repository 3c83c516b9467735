"""The detection job end to end on the database: registry + lake files → warnings, cases, grades,
pages and API. Month under test: October 2026, evaluated as of 2026-12-05 (pay due by 11-30)."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from hexie.cases.models import Case, Channel, TimelineEvent
from hexie.monitoring import detect, evidence, schedule, services
from hexie.monitoring import rules as R
from hexie.monitoring.models import MinimumWage, MonitoringCase, MonitorRun, Warning, WarningRule
from hexie.monitoring.services.cases import MONITORING_COMPLAINANT
from hexie.monitoring.tests import registry_for_detect as reg
from hexie.monitoring.tests.registry_for_detect import AS_OF, NOW, M

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("detect_clock"),
              pytest.mark.filterwarnings("ignore:fetch_arrow_table:DeprecationWarning")]



def _warnings() -> dict[tuple[str, str], Warning]:
    return {(w.rule.code, w.project.code): w for w in Warning.objects.select_related("rule", "project")}


def _events(case: Case) -> list[TimelineEvent]:
    return list(case.events.order_by("at", "pk"))


def test_each_rule_produces_a_warning_with_evidence(scene: dict[str, reg.Site]) -> None:
    run = services.run_monitor(month=M, as_of=AS_OF)
    assert run.ok, run.message
    ws = _warnings()
    expected = {
        ("no_payment", "P-NOPAY"), ("no_deposit", "P-NOPAY"), ("unpaid_share", "P-SHARE"),
        ("fewer_paid", "P-SHARE"), ("fewer_paid", "P-FEW"), ("below_minimum", "P-LOW"),
        ("pay_over_month", "P-FOREMAN"), ("pay_over_year", "P-FOREMAN"), ("exit_unsettled", "P-EXIT"),
        ("fewer_paid", "P-EXIT"), ("open_complaint", "P-CLEAN"),
        # A month with no payroll rows at all counts every attending worker as unpaid.
        ("unpaid_share", "P-NOPAY"), ("fewer_paid", "P-NOPAY"),
    }
    assert set(ws) == expected
    assert all(w.state == "open" and w.month == M for w in ws.values())

    share = ws[("unpaid_share", "P-SHARE")]
    assert share.grade == "red"
    assert share.summary == "2026年10月：有考勤的10人中2人无任何工资记录（20.0%）"
    assert share.evidence["workers"] == 2
    assert share.evidence["worker_ids"] == scene["share"].workers[8:]
    listed = share.evidence["worker_list"]
    assert [p["id"] for p in listed] == scene["share"].workers[8:]
    assert listed[0]["name"].startswith("梅溪") and "*" in listed[0]["id_number"]
    assert share.evidence["detail"] == {"attending": 10, "recorded": 8, "unpaid": 2, "share_pct": 20}
    assert share.employer.name == "湖南岳麓建工集团有限公司"
    assert share.org_unit == scene["share"].project.org_unit

    nopay = ws[("no_payment", "P-NOPAY")]
    assert nopay.evidence["workers"] == 6 and nopay.evidence["detail"]["attendance_days"] == 120
    low = ws[("below_minimum", "P-LOW")]
    assert low.evidence["detail"]["min_wage_fen"] == 210000  # Yuelu's seeded default
    assert low.evidence["amount_fen"] == (2100 - 1000) * 100 * 5
    assert low.evidence["amount_yuan"] == "5500.00"
    over = ws[("pay_over_month", "P-FOREMAN")]
    assert over.evidence["worker_ids"] == [scene["foreman"].workers[0]]
    assert over.evidence["amount_fen"] == 60000 * 100
    assert ws[("pay_over_year", "P-FOREMAN")].evidence["amount_fen"] == 310000 * 100
    assert ws[("exit_unsettled", "P-EXIT")].evidence["worker_ids"] == [scene["exit"].workers[0]]
    complaint = ws[("open_complaint", "P-CLEAN")]
    assert complaint.grade == "yellow" and complaint.evidence["cases"][0]["number"]
    assert ws[("no_deposit", "P-NOPAY")].grade == "orange"

    assert run.stats["findings"]["fewer_paid"] == 4
    assert run.stats["warnings"]["opened"] == len(expected)
    assert MonitorRun.objects.get().ok


def test_red_warnings_open_one_case_per_project_and_rerun_changes_nothing(scene: dict[str, reg.Site]) -> None:
    services.run_monitor(month=M, as_of=AS_OF)
    links = {mc.project.code: mc for mc in MonitoringCase.objects.select_related("project", "case")}
    assert set(links) == {"P-NOPAY", "P-SHARE", "P-LOW", "P-FOREMAN", "P-EXIT"}
    foreman = links["P-FOREMAN"].case
    assert foreman.channel == Channel.MONITORING
    assert foreman.case_type == "wage_arrears"
    assert foreman.complainant_name == MONITORING_COMPLAINANT
    assert foreman.project_name == "洋湖综合体"
    assert foreman.employer_name == "湖南岳麓建工集团有限公司"
    assert foreman.org_unit == scene["foreman"].project.org_unit
    assert set(Warning.objects.filter(case=foreman).values_list("rule__code", flat=True)) == {
        "pay_over_month", "pay_over_year"}
    share_case = links["P-SHARE"].case
    assert share_case.workers_count == 2
    assert share_case.amount_claimed == Decimal("4200.00")  # 2 unpaid × 2,100 yuan (an estimate)
    assert "有考勤的10人中2人无任何工资记录" in share_case.description
    # Yellow and orange warnings do not open cases.
    assert Warning.objects.get(rule__code="fewer_paid", project__code="P-FEW").case is None
    assert [e.kind for e in _events(share_case)] == ["registered", "warning_raised"]

    cases, events = Case.objects.count(), TimelineEvent.objects.count()
    run = services.run_monitor(month=M, as_of=AS_OF)
    assert Case.objects.count() == cases and TimelineEvent.objects.count() == events
    assert run.stats["warnings"] == {"opened": 0, "reopened": 0, "updated": 0, "resolved": 0, "unchanged": 13,
                                      "kept": 0}
    assert run.stats["cases"] == {"opened": 0, "updated": 0}


def test_changed_findings_update_the_case_instead_of_a_new_one(scene: dict[str, reg.Site]) -> None:
    services.run_monitor(month=M, as_of=AS_OF)
    case = MonitoringCase.objects.get(project__code="P-SHARE").case
    # One more of the unpaid workers is paid, and the bureau lowers the threshold to 5 %: the
    # warning stays, with different evidence.
    reg.write("payroll", reg.payroll_rows(scene["share"], M, workers=[scene["share"].workers[8]]))
    WarningRule.objects.filter(code="unpaid_share").update(threshold=Decimal(5))
    run = services.run_monitor(month=M, as_of=AS_OF)
    assert run.stats["cases"]["opened"] == 0
    assert MonitoringCase.objects.filter(project__code="P-SHARE").count() == 1
    kinds = [e.kind for e in _events(case)]
    assert kinds == ["registered", "warning_raised", "warning_updated"]
    assert "监测预警更新" in _events(case)[-1].message
    assert "10人中1人" in _events(case)[-1].message


def test_payroll_arriving_resolves_the_warning_and_the_case_says_so(scene: dict[str, reg.Site]) -> None:
    services.run_monitor(month=M, as_of=AS_OF)
    case = MonitoringCase.objects.get(project__code="P-NOPAY").case
    reg.write("payroll", reg.payroll_rows(scene["nopay"], M, paid_on=date(2026, 11, 20)))
    run = services.run_monitor(month=M, as_of=AS_OF)
    w = Warning.objects.get(rule__code="no_payment", project__code="P-NOPAY")
    assert w.state == "resolved" and w.resolved_at is not None
    assert w.resolution.startswith("已收到工资发放记录，预警自动消除")
    assert "截至2026-12-05" in w.resolution
    # The pay, the pay records and the paid count all arrived with the same rows.
    assert run.stats["warnings"]["resolved"] == 3
    events = _events(case)
    # The case hears of its two red warnings clearing, then that all of them have.
    assert [e.kind for e in events[-3:]] == ["warning_resolved"] * 3
    assert "考勤无工资发放" in events[-3].message and "已收到工资发放记录" in events[-3].message
    assert events[-1].data["all_cleared"] is True and "全部消除" in events[-1].message
    case.refresh_from_db()
    assert case.status == "registered"  # the handler decides; monitoring never closes a case
    # The deposit is still missing: that warning stays open.
    assert Warning.objects.get(rule__code="no_deposit", project__code="P-NOPAY").state == "open"
    # Re-running again adds nothing.
    n = TimelineEvent.objects.count()
    services.run_monitor(month=M, as_of=AS_OF)
    assert TimelineEvent.objects.count() == n


def test_a_resolved_warning_that_comes_back_is_reopened(scene: dict[str, reg.Site]) -> None:
    services.run_monitor(month=M, as_of=AS_OF)
    WarningRule.objects.filter(code="pay_over_month").update(threshold=Decimal(70000))
    services.run_monitor(month=M, as_of=AS_OF)
    w = Warning.objects.get(rule__code="pay_over_month")
    assert w.state == "resolved"
    WarningRule.objects.filter(code="pay_over_month").update(threshold=Decimal(50000))
    run = services.run_monitor(month=M, as_of=AS_OF)
    w.refresh_from_db()
    assert w.state == "open" and w.resolution == "" and run.stats["warnings"]["reopened"] == 1
    assert _events(w.case)[-1].kind == "warning_updated"  # type: ignore[arg-type]


def test_rule_switched_off_gives_no_warning(scene: dict[str, reg.Site]) -> None:
    WarningRule.objects.filter(code="fewer_paid").update(is_active=False)
    run = services.run_monitor(month=M, as_of=AS_OF)
    assert not Warning.objects.filter(rule__code="fewer_paid").exists()
    assert "fewer_paid" not in run.stats["findings"]
    # Switched off after it fired: its open warnings clear, saying why.
    WarningRule.objects.filter(code="fewer_paid").update(is_active=True)
    services.run_monitor(month=M, as_of=AS_OF)
    assert Warning.objects.filter(rule__code="fewer_paid", state="open").count() == 4
    WarningRule.objects.filter(code="fewer_paid").update(is_active=False)
    services.run_monitor(month=M, as_of=AS_OF)
    assert set(Warning.objects.filter(rule__code="fewer_paid").values_list("resolution", flat=True)) == {
        evidence.RULE_OFF}


def test_threshold_changes_behaviour(scene: dict[str, reg.Site]) -> None:
    WarningRule.objects.filter(code="unpaid_share").update(threshold=Decimal(25))
    WarningRule.objects.filter(code="fewer_paid").update(threshold=Decimal(1))
    services.run_monitor(month=M, as_of=AS_OF)
    ws = _warnings()
    assert ("unpaid_share", "P-SHARE") not in ws  # 20 % is not above 25 %
    assert ("fewer_paid", "P-SHARE") in ws  # 2 short is above 1
    assert ("fewer_paid", "P-FEW") not in ws  # 1 short is not
    assert ws[("fewer_paid", "P-SHARE")].evidence["threshold"] == 1


def test_minimum_wage_rows_override_the_default(scene: dict[str, reg.Site], city: dict[str, Any]) -> None:
    assert services.seed_minimum_wages() == 3  # the three units of the test city with a figure
    assert services.seed_minimum_wages() == 0
    MinimumWage.objects.create(org_unit=city["yuelu"], monthly_amount=Decimal("900.00"),
                               effective_from=date(2026, 9, 1), basis="test")
    assert detect.project_min_wages(M)[scene["low"].project.pk] == 90000
    assert detect.project_min_wages(202608)[scene["low"].project.pk] == 210000
    services.run_monitor(month=M, as_of=AS_OF)
    assert not Warning.objects.filter(rule__code="below_minimum").exists()
    assert R.default_min_wage_fen("430181001") == 190000


def test_grades_with_reasons(scene: dict[str, reg.Site]) -> None:
    services.run_monitor(month=M, as_of=AS_OF)
    projects = {s.project.code: s.project for s in scene.values()}
    for p in projects.values():
        p.refresh_from_db()
    share = projects["P-SHARE"]
    assert share.risk_grade == "red" and share.graded_at is not None
    sources = {r["source"] for r in share.risk_reasons}
    assert {"warning", "complaint"} <= sources  # its warnings, and the monitoring case it opened
    assert any("无工资记录人数占比过高" in r["text"] for r in share.risk_reasons)
    assert projects["P-FEW"].risk_grade == "yellow"
    assert projects["P-CLEAN"].risk_grade == "yellow"
    assert {r["source"] for r in projects["P-CLEAN"].risk_reasons} == {"warning", "complaint"}
    gc = share.general_contractor
    gc.refresh_from_db()
    assert gc.risk_grade == "red"
    assert any(r["source"] == "project" and r["ref"] == share.pk for r in gc.risk_reasons)


def test_grades_history_and_green(scene: dict[str, reg.Site]) -> None:
    services.run_monitor(month=M, as_of=AS_OF)
    low = scene["low"].project
    Warning.objects.filter(project=low).update(state="resolved", resolved_at=NOW)
    Warning.objects.create(rule=WarningRule.objects.get(code="no_payment"), grade="red", project=low,
                           employer=low.general_contractor, org_unit=low.org_unit, month=202608, state="resolved",
                           summary="x", first_detected_at=NOW, last_detected_at=NOW, resolved_at=NOW)
    Case.objects.filter(monitoring__project=low).delete()
    services.recompute_grades(as_of=AS_OF, now=NOW)
    low.refresh_from_db()
    assert low.risk_grade == "yellow"
    assert [r["source"] for r in low.risk_reasons] == ["history"]
    Warning.objects.filter(project=low, month=202608).delete()
    services.recompute_grades(as_of=AS_OF, now=NOW)
    low.refresh_from_db()
    assert low.risk_grade == "green" and low.risk_reasons == []


def test_monitor_command_prints_the_summary(scene: dict[str, reg.Site]) -> None:
    out = StringIO()
    call_command("monitor", "--month", "2026-10", "--as-of", "2026-12-05", stdout=out)
    text = out.getvalue()
    assert "2026-10" in text and "unpaid_share" in text and "新增：" in text
    assert "新立案：" in text and " opened" not in text  # one language, not both
    out = StringIO()
    call_command("monitor", "--month", "2026-10", "--as-of", "2026-12-05", stdout=out)
    assert "无变化" in out.getvalue()


@pytest.mark.parametrize("args", [["--month", "2026-13"], ["--month", "oct"],
                                  ["--month", "2026-10", "--as-of", "2026-02-30"],
                                  ["--month", "2026-10", "--engine", "hadoop"]])
def test_monitor_command_refuses_bad_input(db: Any, args: list[str]) -> None:
    with pytest.raises(CommandError) as info:
        call_command("monitor", *args, stdout=StringIO())
    assert info.value.returncode == 2
    assert re.search("[\u4e00-\u9fff]", str(info.value))  # in the bureau's language


def test_spark_without_pyspark_says_so(monkeypatch: Any) -> None:
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "pyspark" else real(name, *a))
    with pytest.raises(detect.MonitorError, match="pyspark"):
        detect.check_engine("spark")


def test_warning_pages_are_scoped(scene: dict[str, reg.Site], client: Any, users: dict[str, Any]) -> None:
    services.run_monitor(month=M, as_of=AS_OF)
    share = Warning.objects.get(rule__code="unpaid_share", project__code="P-SHARE")
    few = Warning.objects.get(rule__code="fewer_paid", project__code="P-FEW")
    client.force_login(users["handler"])
    page = client.get("/monitoring/warnings/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "梅溪湖学校" in body and "芙蓉路桥" not in body
    assert client.get("/monitoring/warnings/", {"grade": "red", "month": "2026-10"}).status_code == 200
    bad = client.get("/monitoring/warnings/", {"month": "2026-13"})
    assert bad.status_code == 400 and "2026-13" in bad.content.decode()
    detail = client.get(f"/monitoring/warnings/{share.pk}/")
    assert detail.status_code == 200
    text = detail.content.decode()
    assert "梅溪工人9" in text and f"/registry/projects/{share.project_id}/" in text
    assert f"/cases/{share.case_id}/" in text and "第十五条" in text
    assert client.get("/monitoring/runs/").status_code == 200
    grades_page = client.get("/monitoring/grades/")
    assert grades_page.status_code == 200 and "梅溪湖学校" in grades_page.content.decode()

    client.force_login(users["outsider"])
    assert client.get(f"/monitoring/warnings/{share.pk}/").status_code == 404
    assert client.get(f"/monitoring/warnings/{few.pk}/").status_code == 200
    assert "梅溪湖学校" not in client.get("/monitoring/warnings/").content.decode()
    client.force_login(users["partner"])
    assert client.get(f"/monitoring/warnings/{few.pk}/").status_code == 404


def test_api_lists_warnings_in_scope(scene: dict[str, reg.Site], client: Any, users: dict[str, Any]) -> None:
    services.run_monitor(month=M, as_of=AS_OF)
    client.force_login(users["handler"])
    r = client.get("/api/v1/monitoring/warnings/", {"grade": "red", "month": "2026-10"})
    assert r.status_code == 200, r.content
    rows = r.json()["results"]
    assert {row["rule"] for row in rows} == {"no_payment", "unpaid_share", "below_minimum", "pay_over_month",
                                             "pay_over_year", "exit_unsettled"}
    assert all(row["case_number"] for row in rows)
    one = next(row for row in rows if row["rule"] == "unpaid_share" and row["project_name"] == "梅溪湖学校")
    detail = client.get(f"/api/v1/monitoring/warnings/{one['id']}/").json()
    assert detail["evidence"]["worker_list"][0]["id_number"].count("*") >= 8
    assert detail["rule_detail"]["basis"]
    assert client.get("/api/v1/monitoring/warnings/", {"district": "430102"}).json()["count"] == 0
    bad = client.get("/api/v1/monitoring/warnings/", {"state": "gone", "colour": "red"})
    assert bad.status_code == 400 and set(bad.json()) == {"colour"}
    assert client.get("/api/v1/monitoring/warnings/", {"state": "gone"}).json()["state"]
    rules = client.get("/api/v1/monitoring/rules/").json()
    assert [r["code"] for r in rules][:3] == ["no_payment", "paid_late", "unpaid_share"] and len(rules) == 10

    client.force_login(users["outsider"])
    assert client.get(f"/api/v1/monitoring/warnings/{one['id']}/").status_code == 404
    assert client.get("/api/v1/monitoring/warnings/").json()["count"] == 1
    client.logout()
    assert client.get("/api/v1/monitoring/warnings/").status_code in (401, 403)


def test_daily_task_runs_the_nightly_job(scene: dict[str, reg.Site]) -> None:
    from hexie.monitoring.tasks_warnings import monitor_daily

    assert schedule.latest_months(date(2026, 1, 10)) == [202512, 202601]
    result = monitor_daily.call_local()
    # On 5 December, October (whose pay fell due on 30 November) is evaluated as well.
    assert [r["month"] for r in result] == [202610, 202611, 202612]
    assert all(r["ok"] for r in result)


def test_rule_switched_off_in_the_admin(scene: dict[str, reg.Site], client: Any) -> None:
    from hexie.orgs.models import User

    root = User.objects.create_superuser(username="root", password="pw-hexie-123", email="root@bureau.example")
    client.force_login(root)
    assert client.get("/admin/monitoring/warningrule/").status_code == 200
    rule = WarningRule.objects.get(code="fewer_paid")
    form = {"name": rule.name, "description": rule.description, "grade": rule.grade, "threshold": "0",
            "threshold_label": rule.threshold_label, "basis": rule.basis, "sort": rule.sort}  # is_active unticked
    r = client.post(f"/admin/monitoring/warningrule/{rule.pk}/change/", form)
    assert r.status_code == 302, r.content.decode()[:2000]
    rule.refresh_from_db()
    assert not rule.is_active
    services.run_monitor(month=M, as_of=AS_OF)
    assert not Warning.objects.filter(rule__code="fewer_paid").exists()
    for path in ("/admin/monitoring/warning/", "/admin/monitoring/monitorrun/", "/admin/monitoring/minimumwage/",
                 "/admin/monitoring/monitoringcase/"):
        assert client.get(path).status_code == 200, path


def test_run_monitor_refuses_a_bad_month(db: Any) -> None:
    with pytest.raises(detect.MonitorError):
        services.run_monitor(month=202613)
    assert not MonitorRun.objects.exists()
