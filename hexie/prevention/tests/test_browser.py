"""An inspector fills a check-up on a phone and loses the connection half-way; then the employer
answers the rectification order. Drives Debian's Chromium (/usr/bin/chromium) through Playwright
against the live server; nothing is downloaded."""

from __future__ import annotations

import os
import re
from datetime import date
from pathlib import Path

import pytest
from django.test import Client

from hexie.employers.tests.factories import EmployerFactory
from hexie.orgs.models import HandlerKind, OrgLevel, OrgUnit, Role
from hexie.orgs.tests.factories import UserFactory
from hexie.prevention import services
from hexie.prevention.models import (
    Assessment,
    AssessmentState,
    OrderState,
    PlanMethod,
    RectificationOrder,
    ScoreSheet,
    SheetItem,
    SheetSection,
)
from hexie.prevention.seed import seed_sheets

CHROMIUM = Path("/usr/bin/chromium")
PNG = b"\x89PNG\r\n\x1a\n" + b"0" * 32
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_an_inspector_fills_a_check_up_offline_and_the_employer_answers_the_order(live_server):
    if not CHROMIUM.exists():
        pytest.skip("Debian's Chromium is not installed at /usr/bin/chromium")
    from playwright.sync_api import expect, sync_playwright

    seed_sheets(ScoreSheet, SheetSection, SheetItem)  # a transactional test before this one flushed them
    city = OrgUnit.objects.create(code="430100", name="长沙市", level=OrgLevel.CITY)
    yuelu = OrgUnit.objects.create(code="430104", name="岳麓区", level=OrgLevel.DISTRICT, parent=city)
    employer = EmployerFactory(org_unit=yuelu, name="岳麓示范制造有限公司")
    inspector = UserFactory(username="insp", role=Role.HANDLER, org_unit=yuelu, handler_kind=HandlerKind.INSPECTOR)
    inspector.set_password("pw-insp-2026")
    inspector.save()
    leader = UserFactory(username="lead", role=Role.LEADER, org_unit=yuelu)
    admin = UserFactory(username="adm", role=Role.ADMIN, org_unit=city)
    sheet = ScoreSheet.objects.get(code="checkup", owner_unit=None)
    plan = services.create_plan(actor=leader, name="体检", sheet_id=sheet.pk, method=PlanMethod.LIST,
                                starts_on=date(2026, 3, 1), due_on=date(2026, 6, 30), employer_ids=[employer.pk],
                                inspector_ids=[inspector.pk])
    a = plan.assessments.get()
    items = list(SheetItem.objects.filter(section__sheet=sheet).order_by("section__order", "order"))
    account = services.issue_account(actor=admin, employer_id=employer.pk, username="firm", phone="13800138000")
    firm = Client()
    firm.force_login(account.account.user, backend="hexie.orgs.backends.HexieBackend")
    firm_session = firm.cookies["sessionid"].value

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        try:
            context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True,
                                          device_scale_factor=3, locale="zh-CN")
            page = context.new_page()
            page.goto(f"{live_server.url}/accounts/login/")
            page.fill("#id_username", "insp")
            page.fill("#id_password", "pw-insp-2026")
            page.locator("form button[type=submit], form input[type=submit]").last.click()
            page.goto(f"{live_server.url}/prevention/assessments/{a.pk}/")
            status = page.locator("#sync-status")
            for item in items[:4]:  # online: each answer is saved as it is given
                page.locator(f"label[for=r{item.pk}c]").click()
                expect(page.locator(f"form[data-item='{item.pk}'] .item-status")).to_contain_text("✓")
            context.set_offline(True)  # the connection drops in the basement
            for item in items[4:]:
                if item.code == "6.1":
                    page.locator(f"label[for=r{item.pk}f]").click()
                    page.locator(f"form[data-item='{item.pk}'] textarea[name=note]").fill("3月工资延迟发放")
                else:
                    page.locator(f"label[for=r{item.pk}c]").click()
            expect(status).to_contain_text("待上传")
            expect(page.locator("#submit-button")).to_be_disabled()
            context.set_offline(False)  # back upstairs: the queue is sent by itself
            expect(status).to_contain_text("全部已保存", timeout=20000)
            page.locator("#submit-button").click()
            expect(page.locator(".alert-success")).to_contain_text("已提交审核")
            assert page.evaluate("document.documentElement.scrollWidth") <= 390
        finally:
            browser.close()

    a = Assessment.objects.get(pk=a.pk)
    assert a.state == AssessmentState.SUBMITTED and a.answers.count() == len(items) and a.score == 90
    assert a.answers.get(item__code="6.1").note == "3月工资延迟发放"
    services.sign_off(actor=leader, assessment_id=a.pk)
    order = RectificationOrder.objects.get(assessment=a)

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        try:
            context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True,
                                          locale="zh-CN")
            context.add_cookies([{"name": "sessionid", "value": firm_session, "url": live_server.url}])
            page = context.new_page()
            page.goto(f"{live_server.url}/employer/")
            page.get_by_role("link", name=re.compile(re.escape(order.number))).click()
            expect(page.locator("pre")).to_contain_text("3月工资延迟发放")
            page.fill("#id_response", "已于4月10日补发全部工资")
            page.set_input_files("#id_files", files=[{"name": "回单.png", "mimeType": "image/png", "buffer": PNG}])
            page.get_by_role("button", name=re.compile("提交整改情况")).click()
            expect(page.locator(".alert-success")).to_contain_text("整改情况已提交")
        finally:
            browser.close()

    order.refresh_from_db()
    assert order.state == OrderState.ANSWERED and order.evidence.count() == 1
