"""Under the strict Content-Security-Policy the main staff and portal pages load without a single
violation: every script and style is one of our static files.

Drives Debian's Chromium (/usr/bin/chromium) through Playwright against the live server."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from django.test import Client

CHROMIUM = Path("/usr/bin/chromium")
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

STAFF_PAGES = ["/cases/", "/cases/new/", "/cases/{case}/", "/cases/supervision/", "/registry/", "/registry/projects/",
               "/registry/projects/{project}/", "/registry/projects/{project}/edit/", "/monitoring/imports/",
               "/monitoring/imports/{batch}/", "/monitoring/warnings/", "/insights/", "/audit/", "/api/docs/",
               "/admin/", "/bridge/orders/", "/reception/"]
PORTAL_PAGES = ["/portal/", "/portal/file/", "/portal/track/", "/portal/posters/430104/",
                "/portal/posters/project/{project}/"]
COLLECT = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__csp.push(e.violatedDirective + " " + (e.blockedURI || "inline") + " " + (e.sourceFile || ""));
});
"""


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_main_pages_load_without_a_csp_violation(live_server, users, make_case, city):
    if not CHROMIUM.exists():
        pytest.skip("Debian's Chromium is not installed at /usr/bin/chromium")
    from playwright.sync_api import sync_playwright

    from hexie.employers.tests.factories import EmployerFactory, ProjectFactory
    from hexie.monitoring.services import imports

    case = make_case()
    employer = EmployerFactory(org_unit=city["yuelu"])
    project = ProjectFactory(org_unit=city["yuelu_street"], general_contractor=employer)
    batch = imports.import_file(feed="attendance", path_or_uploaded=io.BytesIO(b"projectCode\nX\n"),
                                original_name="att.csv", actor=users["admin"], run_now=True)
    values = {"case": case.pk, "project": project.pk, "batch": batch.pk}
    client = Client()
    client.force_login(users["admin"])
    session = client.cookies["sessionid"].value
    failures: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        try:
            for pages, logged_in in ((PORTAL_PAGES, False), (STAFF_PAGES, True)):
                context = browser.new_context(locale="zh-CN")
                if logged_in:
                    context.add_cookies([{"name": "sessionid", "value": session, "url": live_server.url}])
                context.add_init_script(COLLECT)
                page = context.new_page()
                console: list[str] = []
                page.on("console", lambda m, sink=console: sink.append(m.text)
                        if "Content Security Policy" in m.text else None)
                for path in pages:
                    url = live_server.url + path.format(**values)
                    response = page.goto(url)
                    assert response is not None and response.status == 200, (path, response and response.status)
                    assert "default-src 'self'" in (response.headers.get("content-security-policy") or "")
                    page.wait_for_load_state("networkidle")
                    seen = page.evaluate("window.__csp") + console
                    failures += [f"{path}: {v}" for v in seen]
                    console.clear()
                context.close()
        finally:
            browser.close()
    assert failures == []
