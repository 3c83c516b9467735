"""An employer logs in to the portal (password, then the SMS code), sees its grade with the reasons
and objects within the window; a leader decides the objection on the staff credit pages. Drives
Debian's Chromium (/usr/bin/chromium) through Playwright against the live server."""

from __future__ import annotations

import importlib
import os
import re
from datetime import date
from pathlib import Path

import pytest
from django.apps import apps

from hexie.cases.models import Notification
from hexie.core import clock
from hexie.credit import services
from hexie.credit.models import CreditGrade, GradeCriterion, RecordKind
from hexie.credit.tests.factories import CreditRecordFactory
from hexie.employers.tests.factories import EmployerFactory
from hexie.orgs.models import OrgLevel, OrgUnit, Role
from hexie.orgs.tests.factories import UserFactory
from hexie.prevention import services as prevention

CHROMIUM = Path("/usr/bin/chromium")
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_an_employer_objects_to_its_grade_and_a_leader_decides(live_server):
    if not CHROMIUM.exists():
        pytest.skip("Debian's Chromium is not installed at /usr/bin/chromium")
    from playwright.sync_api import expect, sync_playwright

    from hexie.workcal.services import seed_from_chinesecalendar

    seed_from_chinesecalendar()
    if not GradeCriterion.objects.exists():  # a transactional test before this one flushed the seeded rules
        importlib.import_module("hexie.credit.migrations.0002_seed_rules").seed(apps, None)
    city = OrgUnit.objects.create(code="430100", name="长沙市", level=OrgLevel.CITY)
    yuelu = OrgUnit.objects.create(code="430104", name="岳麓区", level=OrgLevel.DISTRICT, parent=city)
    employer = EmployerFactory(org_unit=yuelu, name="岳麓示范建筑有限公司")
    leader = UserFactory(username="lead", role=Role.LEADER, org_unit=yuelu)
    leader.set_password("pw-lead-2026")
    leader.save()
    admin = UserFactory(username="adm", role=Role.ADMIN, org_unit=city)
    year = clock.today().year - 1
    CreditRecordFactory(employer=employer, kind=RecordKind.CHILD_LABOUR, occurred_on=date(year, 6, 10),
                        description="使用未满16周岁童工1名")
    services.compute_grades(actor=leader, year=year)
    services.notify_grades(actor=leader, year=year)
    grade = CreditGrade.objects.get(employer=employer)
    services.record_grade_delivery(actor=leader, grade_id=grade.pk, delivered_on=clock.today(), method="electronic")
    issued = prevention.issue_account(actor=admin, employer_id=employer.pk, username="firm", phone="13800138000")

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        try:
            firm = browser.new_context(locale="zh-CN").new_page()
            firm.goto(f"{live_server.url}/employer/login/")
            firm.fill("#id_username", "firm")
            firm.fill("#id_password", issued.password)
            firm.locator("form button").first.click()
            firm.wait_for_url(re.compile(r"/employer/login/code/$"))
            sms = Notification.objects.filter(channel="sms", case__isnull=True).latest("pk")
            firm.fill("#id_code", re.search(r"验证码为(\d{6})", sms.body).group(1))  # type: ignore[union-attr]
            firm.locator("form button").first.click()
            firm.wait_for_url(re.compile(r"/employer/$"))
            firm.goto(f"{live_server.url}/employer/credit/")
            expect(firm.locator("body")).to_contain_text(f"{year} · C级")
            expect(firm.locator("body")).to_contain_text("使用童工")  # the reason, with its basis
            firm.fill(f"#reason-{grade.pk}", "该人员持有伪造身份证件，已年满16周岁，请求复核")
            firm.get_by_role("button", name="提出异议").click()
            expect(firm.locator("body")).to_contain_text("已提交异议")
            grade.refresh_from_db()
            assert grade.state == CreditGrade.State.OBJECTED

            staff = browser.new_context(locale="zh-CN").new_page()
            staff.goto(f"{live_server.url}/accounts/login/")
            staff.fill("#id_username", "lead")
            staff.fill("#id_password", "pw-lead-2026")
            staff.locator("form button[type=submit], form input[type=submit]").last.click()
            staff.goto(f"{live_server.url}/credit/grades/{grade.pk}/")
            expect(staff.locator("body")).to_contain_text("该人员持有伪造身份证件")
            staff.select_option("#id_grade", "B")
            staff.fill("#id_reason", "经核实身份证件系伪造，不认定使用童工，调整为B级")
            staff.get_by_role("button", name="决定", exact=True).click()
            expect(staff.locator("body")).to_contain_text("已作出复核决定")
            grade.refresh_from_db()
            assert (grade.state, grade.grade) == (CreditGrade.State.FINAL, "B")
            firm.goto(f"{live_server.url}/employer/credit/")
            expect(firm.locator("body")).to_contain_text("经核实身份证件系伪造")
        finally:
            browser.close()
