"""A worker on a phone: file a wage-arrears complaint, keep the code, track the case.

Drives Debian's Chromium (/usr/bin/chromium) through Playwright against the live server; nothing
is downloaded.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from hexie.cases.models import Case
from hexie.orgs.models import OrgLevel, OrgUnit

CHROMIUM = Path("/usr/bin/chromium")

# Playwright's sync API runs an event loop in this thread; Django refuses ORM calls from a thread
# with a running loop unless told that this is intended.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_worker_files_on_a_phone_and_tracks_the_case(live_server):
    if not CHROMIUM.exists():
        pytest.skip("Debian's Chromium is not installed at /usr/bin/chromium")
    from playwright.sync_api import expect, sync_playwright

    city = OrgUnit.objects.create(code="430100", name="长沙市", level=OrgLevel.CITY)
    yuelu = OrgUnit.objects.create(code="430104", name="岳麓区", level=OrgLevel.DISTRICT, parent=city)
    OrgUnit.objects.create(code="430104001", name="望岳街道", level=OrgLevel.STREET, parent=yuelu)
    furong = OrgUnit.objects.create(code="430102", name="芙蓉区", level=OrgLevel.DISTRICT, parent=city)
    OrgUnit.objects.create(code="430102001", name="文艺路街道", level=OrgLevel.STREET, parent=furong)

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        try:
            context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True,
                                          device_scale_factor=3, locale="zh-CN")
            page = context.new_page()
            page.goto(f"{live_server.url}/portal/")
            page.get_by_role("link", name=re.compile("我要投诉欠薪")).click()
            expect(page.locator("#id_case_type_0")).to_be_checked()  # wage arrears, chosen on the landing page

            page.select_option("#id_district", "430104")
            # Only the chosen district's streets are offered.
            expect(page.locator('#id_street optgroup[data-district="430102"]')).to_be_hidden()
            page.select_option("#id_street", "430104001")
            page.fill("#id_complainant_name", "王五")
            page.fill("#id_complainant_phone", "13700001111")
            page.fill("#id_employer_name", "长沙某建筑劳务有限公司")
            page.fill("#id_project_name", "梅溪湖安置房项目一标段")
            page.fill("#id_workers_count", "3")
            page.fill("#id_amount_claimed", "24000")
            page.fill("#id_description", "项目完工三个月，工资一直未发。")
            page.get_by_role("button", name=re.compile("提交")).click()

            code_box = page.locator("#tracking-code")
            expect(code_box).to_be_visible()
            code = code_box.inner_text().strip()
            number = page.locator("#case-number").inner_text().strip()
            assert re.fullmatch(r"[2-9A-Z]{8}", code) and number

            page.goto(f"{live_server.url}/portal/")
            page.fill("#id_tracking_code", code)
            page.fill("#id_phone_last4", "1111")
            page.get_by_role("button", name=re.compile("查询")).click()
            expect(page.locator("#case-number")).to_have_text(number)
            expect(page.locator("#timeline")).to_contain_text("已登记，等待受理")
            expect(page.locator("#case-status")).to_contain_text("已登记")
            # Laid out for the phone: nothing wider than the screen.
            assert page.evaluate("document.documentElement.scrollWidth") <= 390
        finally:
            browser.close()

    # The database is read only here, outside Playwright: while its event loop runs, Django keeps
    # connections per asyncio context, and one opened there would be left open.
    case = Case.objects.get()
    assert (code, number) == (case.tracking_code, case.number)
    assert case.channel == "web" and case.registered_by is None and case.org_unit.code == "430104001"
