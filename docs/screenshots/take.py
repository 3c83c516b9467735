"""Screenshots of Hexie's main pages for each role, at a desktop's 1366×768 and a phone's 390×844,
in Chinese and in English, saved next to this file.

Run by hand against a running demo (not part of the test suite):

    make run                                   # or: manage.py load_demo && manage.py serve
    .venv/bin/python docs/screenshots/take.py  # HEXIE_URL=http://127.0.0.1:8000 by default

It logs in through the log-in page with the demo accounts (password ``hexie-demo-2026``) and
drives Debian's Chromium (/usr/bin/chromium) through Playwright; nothing is downloaded.
Files are named ``<role>-<page>-<width>-<language>.png``.

The employer's own portal logs in with a password and an SMS code (the demo writes the code to
the server's log); the script opens a session for ``firm_demo`` through ``manage.py shell`` on the
demo's database instead (``HEXIE_MANAGE``, default ``.venv/bin/python manage.py``).

``--only ROLE[,ROLE…]``, ``--sizes desktop,phone`` and ``--languages zh,en`` take a part of the set
(to try the script on a few pages; ``HEXIE_SCREENSHOTS=/tmp/shots`` writes them elsewhere).
"""

from __future__ import annotations

import argparse
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

BASE = os.environ.get("HEXIE_URL", "http://127.0.0.1:8000").rstrip("/")
PASSWORD = os.environ.get("HEXIE_DEMO_PASSWORD", "hexie-demo-2026")
ROOT = Path(__file__).resolve().parent.parent.parent
OUT = Path(os.environ.get("HEXIE_SCREENSHOTS", Path(__file__).resolve().parent))  # elsewhere to try it out
CHROMIUM = "/usr/bin/chromium"
SIZES = {"desktop": (1366, 768), "phone": (390, 844)}
LANGUAGES = {"zh": "zh-hans", "en": "en"}

# The pages each role works in. "{case}" is the first case of the role's queue, "{warning}" the
# first warning of the list, "{employer}" the first employer of the registry.
ROLES: dict[str, list[tuple[str, str]]] = {
    "desk_yuelu": [("queue", "/cases/"), ("register", "/cases/new/"), ("case", "{case}"), ("posters", "/portal/posters/"),
                   ("work-orders", "/bridge/orders/")],
    "inspector_yuelu": [("queue", "/cases/?mine=true"), ("case", "{case}"), ("prevention", "/prevention/"),
                        ("employer", "{employer}"), ("warnings", "/monitoring/warnings/")],
    "mediator_yuelu": [("queue", "/cases/?mine=true"), ("case", "{case}")],
    "arbitrator_yuelu": [("queue", "/cases/?mine=true"), ("case", "{case}")],
    "leader_yuelu": [("queue", "/cases/"), ("supervision", "/cases/supervision/"), ("case", "{case}"),
                     ("dashboard", "/insights/"), ("credit-grades", "/credit/grades/"), ("listings", "/credit/listings/"),
                    ("reception", "/reception/")],
    "city_leader": [("dashboard", "/insights/"), ("warnings", "/monitoring/warnings/"), ("warning", "{warning}"),
                    ("grades", "/monitoring/grades/"), ("bulletins", "/insights/bulletins/"),
                    ("prevention-figures", "/insights/prevention/"), ("credit-figures", "/insights/credit/"),
                    ("network", "/insights/network/"), ("publications", "/credit/publications/"),
                    ("kpis", "/insights/kpis/")],
    "admin_yuelu": [("registry", "/registry/"), ("projects", "/registry/projects/"), ("points", "/registry/points/"),
                    ("imports", "/monitoring/imports/"), ("runs", "/monitoring/runs/"), ("sheets", "/prevention/sheets/"),
                    ("audit", "/audit/")],
    "admin": [("work-orders", "/admin/bridge/workorder/"), ("admin", "/admin/")],
    "court_partner": [("queue", "/cases/"), ("case", "{case}")],
    "coordinator_wangyue": [("queue", "/cases/"), ("case", "{case}")],
}
# The employer's own portal (a session opened on the demo's database, see above).
EMPLOYER = ("firm_demo", [("home", "/employer/"), ("credit", "/employer/credit/")])
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


def employer_session(username: str) -> str:
    """A logged-in session key for the employer's account, made on the demo's database."""
    manage = shlex.split(os.environ.get("HEXIE_MANAGE", f"{sys.executable} manage.py"))
    code = (
        "from importlib import import_module; from django.conf import settings; "
        "from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY; "
        "from hexie.orgs.models import User; "
        f"u = User.objects.get(username={username!r}); "
        "s = import_module(settings.SESSION_ENGINE).SessionStore(); "
        "s[SESSION_KEY] = str(u.pk); s[BACKEND_SESSION_KEY] = 'hexie.orgs.backends.HexieBackend'; "
        "s[HASH_SESSION_KEY] = u.get_session_auth_hash(); s.create(); print(s.session_key)"
    )
    out = subprocess.run([*manage, "shell", "-c", code], capture_output=True, text=True, check=True,  # noqa: S603  (our own manage.py)
                         cwd=ROOT)
    return out.stdout.strip().splitlines()[-1]


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
    print(path)


def _links(page: Page, pages: list[tuple[str, str]]) -> dict[str, str]:
    wanted = {url for _name, url in pages}
    found = {}
    if "{case}" in wanted:
        found["{case}"] = first_link(page, "/cases/", r"/cases/\d+/")
    if "{warning}" in wanted:
        found["{warning}"] = first_link(page, "/monitoring/warnings/", r"/monitoring/warnings/\d+/")
    if "{employer}" in wanted:
        found["{employer}"] = first_link(page, "/registry/", r"/registry/employers/\d+/")
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", default="", help="roles to take, comma-separated (firm_demo, worker included)")
    parser.add_argument("--sizes", default=",".join(SIZES))
    parser.add_argument("--languages", default=",".join(LANGUAGES))
    args = parser.parse_args()
    only = {r for r in args.only.split(",") if r}
    sizes = {k: v for k, v in SIZES.items() if k in args.sizes.split(",")}
    languages = {k: v for k, v in LANGUAGES.items() if k in args.languages.split(",")}
    roles = {r: pages for r, pages in ROLES.items() if not only or r in only}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            for size, (width, height) in sizes.items():
                phone = size == "phone"
                for lang, code in languages.items():
                    for role, pages in roles.items():
                        context = browser.new_context(viewport={"width": width, "height": height}, is_mobile=phone,
                                                      has_touch=phone, device_scale_factor=2 if phone else 1)
                        page = context.new_page()
                        log_in(page, role)
                        set_language(page, code)
                        links = _links(page, pages)
                        for name, url in pages:
                            shoot(page, f"{role}-{name}-{width}-{lang}", links.get(url, url))
                        if phone and not pages[0][1].startswith("/admin/"):  # the menu folded into its button, opened
                            page.goto(f"{BASE}/cases/")
                            page.locator("button.navbar-toggler").click()
                            page.wait_for_timeout(400)
                            save(page, OUT / f"{role}-menu-{width}-{lang}.png")
                        context.close()
                    if not only or EMPLOYER[0] in only:
                        context = browser.new_context(viewport={"width": width, "height": height}, is_mobile=phone,
                                                      has_touch=phone, device_scale_factor=2 if phone else 1)
                        context.add_cookies([{"name": "sessionid", "value": employer_session(EMPLOYER[0]), "url": BASE}])
                        page = context.new_page()
                        set_language(page, code)
                        for name, url in EMPLOYER[1]:
                            shoot(page, f"employer-{name}-{width}-{lang}", url)
                        context.close()
                    if not only or "worker" in only:
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
