"""The main staff pages and the worker's portal pass axe-core's checks in Chromium with no
serious or critical violation: labels tied to inputs, contrast of text and risk badges, names
for links and buttons, landmarks. axe-core comes inside the axe-playwright-python wheel and is
injected into the page: the test reaches nothing outside the live server (checked).

This app's tests hold it because insights sits above every page it opens (queue, case page,
supervision, registry, monitoring, dashboard, portal)."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.test import Client

from hexie.cases.models import ReceptionDay

CHROMIUM = Path("/usr/bin/chromium")
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's loop runs in this thread

SERIOUS = {"serious", "critical"}


def _violations(page: Any) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
            for v in results.response["violations"] if v.get("impact") in SERIOUS]


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_main_pages_have_no_serious_accessibility_violation(live_server, users, make_case):
    if not CHROMIUM.exists():
        pytest.skip("Debian's Chromium is not installed at /usr/bin/chromium")
    from playwright.sync_api import sync_playwright

    case = make_case("in_handling")
    make_case("closed", complainant_phone="13900000701")
    day = ReceptionDay.objects.create(org_unit=users["leader"].org_unit, leader=users["leader"], on=date.today(),
                                      place="接待大厅")
    pages = {
        "leader": ["/cases/", f"/cases/{case.pk}/", "/cases/supervision/", "/insights/", "/monitoring/warnings/",
                   "/registry/", "/registry/projects/", "/bridge/orders/", "/reception/", f"/reception/{day.pk}/"],
        "handler": ["/cases/", f"/cases/{case.pk}/"],
        "partner": ["/cases/"],
        None: ["/portal/", "/portal/file/", "/portal/track/", "/accounts/login/"],
    }
    found: dict[str, list[str]] = {}
    outside: list[str] = []
    host = urlsplit(live_server.url).netloc
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        try:
            for role, paths in pages.items():
                for viewport in ({"width": 1366, "height": 768}, {"width": 390, "height": 844}):
                    context = browser.new_context(viewport=viewport, locale="zh-CN")

                    def guard(route: Any, outside: list[str] = outside) -> None:
                        if urlsplit(route.request.url).netloc == host:
                            route.continue_()
                        else:  # nothing may be fetched from outside: axe-core is bundled
                            outside.append(route.request.url)
                            route.abort()

                    context.route("**/*", guard)
                    if role is not None:
                        client = Client()
                        client.force_login(users[role])
                        context.add_cookies([{"name": settings.SESSION_COOKIE_NAME,
                                              "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                                              "url": live_server.url}])
                    page = context.new_page()
                    for path in paths:
                        response = page.goto(f"{live_server.url}{path}")
                        assert response is not None and response.status == 200, (role, path)
                        problems = _violations(page)
                        if problems:
                            found[f"{role} {viewport['width']} {path}"] = problems
                    context.close()
        finally:
            browser.close()
    assert outside == []
    assert found == {}, "\n".join(f"{k}: {v}" for k, v in found.items())


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_menu_folds_into_a_button_on_a_phone_and_marks_the_current_page(live_server, users):
    if not CHROMIUM.exists():
        pytest.skip("Debian's Chromium is not installed at /usr/bin/chromium")
    from playwright.sync_api import expect, sync_playwright

    client = Client()
    client.force_login(users["leader"])
    cookie = {"name": settings.SESSION_COOKIE_NAME, "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
              "url": live_server.url}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        try:
            desk = browser.new_context(viewport={"width": 1366, "height": 768}, locale="zh-CN")
            desk.add_cookies([cookie])
            page = desk.new_page()
            page.goto(f"{live_server.url}/cases/supervision/")
            expect(page.locator("#hx-sidebar")).to_be_visible()
            expect(page.locator('#hx-sidebar a[aria-current="page"]')).to_have_text("督办案件")
            expect(page.get_by_role("button", name="打开菜单")).to_be_hidden()
            # Keyboard: the first Tab reaches the skip link, which is then shown.
            page.keyboard.press("Tab")
            expect(page.get_by_role("link", name="跳到正文")).to_be_visible()

            phone = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN", is_mobile=True,
                                        has_touch=True)
            phone.add_cookies([cookie])
            page = phone.new_page()
            page.goto(f"{live_server.url}/cases/")
            queue_link = page.locator("#hx-sidebar").get_by_role("link", name="案件队列")
            expect(queue_link).to_be_hidden()
            page.get_by_role("button", name="打开菜单").click()
            expect(queue_link).to_be_visible()
            page.locator("#hx-sidebar").get_by_role("link", name="督办案件").click()
            page.wait_for_url("**/cases/supervision/")
        finally:
            browser.close()
