"""A handler signs for a 12345 work order and replies to it through the staff pages, in Debian's
Chromium (/usr/bin/chromium) driven by Playwright against the live server; nothing is downloaded."""

from __future__ import annotations

import os
from datetime import timedelta
from importlib import import_module
from pathlib import Path

import pytest

from hexie.bridge import services
from hexie.bridge.models import OutboundMessage, WorkOrder
from hexie.core import clock
from hexie.orgs.models import HandlerKind, OrgLevel, OrgUnit, Role
from hexie.orgs.tests.factories import UserFactory

CHROMIUM = Path("/usr/bin/chromium")
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_handler_signs_for_and_replies_to_a_work_order(live_server, calendar):
    if not CHROMIUM.exists():
        pytest.skip("Debian's Chromium is not installed at /usr/bin/chromium")
    from django.apps import apps
    from playwright.sync_api import expect, sync_playwright

    # A transactional test before this one may have flushed the rows the migrations seed.
    import_module("hexie.bridge.migrations.0002_seed_order_rules").seed(apps, None)
    city = OrgUnit.objects.create(code="430100", name="长沙市", level=OrgLevel.CITY)
    yuelu = OrgUnit.objects.create(code="430104", name="岳麓区", level=OrgLevel.DISTRICT, parent=city)
    OrgUnit.objects.create(code="430104001", name="橘子洲街道", level=OrgLevel.STREET, parent=yuelu)
    handler = UserFactory(username="hdl", role=Role.HANDLER, org_unit=yuelu, handler_kind=HandlerKind.INSPECTOR)
    handler.set_password("pw-hdl-2026")
    handler.save()
    # Received an hour ago: the page's clocks run on today's calendar, whatever day the test runs.
    order, _ = services.receive_order(data=services.OrderData(
        source="12345", external_ref="SD-BROWSER-1", received_at=clock.now() - timedelta(hours=1),
        title="反映工资拖欠", content="某工地拖欠三个月工资", complainant_name="张三", complainant_phone="13800138000",
        employer_name="长沙某建筑公司", org_unit_code="430104001"), actor=handler)

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        try:
            page = browser.new_page(locale="zh-CN")
            page.goto(f"{live_server.url}/accounts/login/")
            page.fill("#id_username", "hdl")
            page.fill("#id_password", "pw-hdl-2026")
            page.locator("form button[type=submit], form input[type=submit]").last.click()
            page.goto(f"{live_server.url}/bridge/orders/?state=received")
            page.get_by_role("link", name="SD-BROWSER-1").click()
            expect(page.locator("#order-state")).to_have_text("待签收")
            page.locator("form[data-action=sign] button[type=submit]").click()
            expect(page.locator("#order-state")).to_have_text("已签收")
            expect(page.locator("#order-timeline")).to_contain_text("SD-BROWSER-1")
            reply = page.locator("form[data-action=reply]")
            reply.locator("select").select_option("resolved")
            reply.locator("textarea").fill("已督促企业足额支付")
            reply.locator("button[type=submit]").click()
            expect(page.locator("#order-state")).to_have_text("已办结答复")
            expect(page.locator("#order-reply")).to_have_text("已督促企业足额支付")
        finally:
            browser.close()
    order.refresh_from_db()
    assert (order.state, order.result) == (WorkOrder.State.REPLIED, "resolved")
    assert list(OutboundMessage.objects.filter(order=order).values_list("kind", flat=True)) == ["signed", "replied"]
