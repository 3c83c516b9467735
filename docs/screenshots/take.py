"""Screenshots of Hexie's main pages for each role, at a desktop's 1366×768 and a phone's 390×844,
in Chinese and in English, saved next to this file.

Run by hand against a running demo (not part of the test suite):

    make run                                   # or: manage.py load_demo && manage.py serve
    .venv/bin/python docs/screenshots/take.py  # HEXIE_URL=http://127.0.0.1:8000 by default

It logs in through the log-in page with the demo accounts (password ``hexie-demo-2026``) and
drives Debian's Chromium (/usr/bin/chromium) through Playwright; nothing is downloaded.
Files are named ``<role>-<page>-<width>-<language>.png``.
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

BASE = os.environ.get("HEXIE_URL", "http://127.0.0.1:8000").rstrip("/")
PASSWORD = os.environ.get("HEXIE_DEMO_PASSWORD", "hexie-demo-2026")
OUT = Path(__file__).resolve().parent
CHROMIUM = "/usr/bin/chromium"
SIZES = {"desktop": (1366, 768), "phone": (390, 844)}
LANGUAGES = {"zh": "zh-hans", "en": "en"}

# The pages each role works in. "{case}" is the first case of the role's queue.
ROLES: dict[str, list[tuple[str, str]]] = {
    "desk_yuelu": [("queue", "/cases/"), ("register", "/cases/new/"), ("case", "{case}")],
    "inspector_yuelu": [("queue", "/cases/?mine=true"), ("case", "{case}")],
    "leader_yuelu": [("queue", "/cases/"), ("supervision", "/cases/supervision/"), ("case", "{case}"),
                     ("dashboard", "/insights/")],
    "city_leader": [("dashboard", "/insights/"), ("warnings", "/monitoring/warnings/"), ("warning", "{warning}"),
                    ("bulletins", "/insights/bulletins/")],
    "admin_yuelu": [("registry", "/registry/"), ("projects", "/registry/projects/"), ("imports", "/monitoring/imports/"),
                    ("audit", "/audit/")],
    "court_partner": [("queue", "/cases/"), ("case", "{case}")],
}
PUBLIC = [("portal", "/portal/"), ("portal-file", "/portal/file/"), ("portal-track", "/portal/track/")]


def log_in(page: Page, username: str) -> None:
    page.goto(f"{BASE}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.locator("form button[type=submit], form input[type=submit]").first.click()
    page.wait_for_load_state("networkidle")
    if "/accounts/login/" in page.url:
        sys.exit(f"log-in as {username} failed: is the demo loaded (manage.py load_demo)?")


def first_link(page: Page, path: str, pattern: str) -> str:
    """The first link on ``path`` matching ``pattern`` (a case in the queue, a warning in the list)."""
    page.goto(f"{BASE}{path}")
    for href in page.eval_on_selector_all("a[href]", "links => links.map(a => a.getAttribute('href'))"):
        if href and re.fullmatch(pattern, href):
            return href
    return path


def set_language(page: Page, language: str) -> None:
    """Switch through the language form, as a user would; the choice is kept in a cookie."""
    page.context.add_cookies([{"name": "django_language", "value": language, "url": BASE}])


def save(page: Page, path: Path) -> None:
    """A screenshot in 256 colours: the pages are flat colours and text, and the repository keeps
    a hundred of them (a quarter of the size of the full-colour file)."""
    page.screenshot(path=str(path), full_page=False)
    try:
        from PIL import Image
    except ImportError:  # Pillow is optional: the full-colour file is kept
        return
    with Image.open(path) as image:
        image.convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT).save(path, optimize=True)


def shoot(page: Page, name: str, url: str) -> None:
    page.goto(f"{BASE}{url}")
    page.wait_for_load_state("networkidle")
    path = OUT / f"{name}.png"
    save(page, path)
    print(path.relative_to(OUT.parent.parent))


def main() -> None:
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            for size, (width, height) in SIZES.items():
                phone = size == "phone"
                for lang, code in LANGUAGES.items():
                    for role, pages in ROLES.items():
                        context = browser.new_context(viewport={"width": width, "height": height}, is_mobile=phone,
                                                      has_touch=phone, device_scale_factor=2 if phone else 1)
                        page = context.new_page()
                        log_in(page, role)
                        set_language(page, code)
                        links = {"{case}": first_link(page, "/cases/", r"/cases/\d+/"),
                                 "{warning}": first_link(page, "/monitoring/warnings/", r"/monitoring/warnings/\d+/")}
                        for name, url in pages:
                            shoot(page, f"{role}-{name}-{width}-{lang}", links.get(url, url))
                        if phone:  # the menu folded into its button, opened
                            page.goto(f"{BASE}/cases/")
                            page.locator("button.navbar-toggler").click()
                            page.wait_for_timeout(400)
                            save(page, OUT / f"{role}-menu-{width}-{lang}.png")
                        context.close()
                    context = browser.new_context(viewport={"width": width, "height": height}, is_mobile=phone,
                                                  has_touch=phone, device_scale_factor=2 if phone else 1)
                    page = context.new_page()
                    set_language(page, code)
                    for name, url in PUBLIC:
                        shoot(page, f"worker-{name}-{width}-{lang}", url)
                    context.close()
        finally:
            browser.close()


if __name__ == "__main__":
    main()
