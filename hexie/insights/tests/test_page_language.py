"""Each role's main pages in both languages: a Chinese page shows no English word other than names and
codes, an English page no Chinese other than the bureau's own data (names, addresses, rule texts).

What counts as data is read from the database itself: every text stored in a row of the scene is
removed from the page before it is checked, so a page may show a company's Chinese name in English
but not a label of Hexie's own.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any

import pytest
from django.apps import apps
from django.conf import settings
from django.db import models
from django.urls import reverse

from hexie.core.tests.factories import VALID_CREDIT_CODE
from hexie.employers.models import MonitoringPoint
from hexie.employers.tests.factories import (
    EmployerFactory,
    ProjectFactory,
    RosterEntryFactory,
    WorkTeamFactory,
)
from hexie.insights.tests.dataset import NOW
from hexie.monitoring.models import MonitoringCase, Warning, WarningRule

pytestmark = pytest.mark.django_db

CJK = re.compile(r"[\u4e00-\u9fff]+")
WORD = re.compile(r"[A-Za-z][A-Za-z'’]*")
URL = re.compile(r"https?://\S+")
# Proper names and codes a Chinese page may show: the product, formats, protocols, file types.
ALLOWED_ON_CHINESE = {
    "Hexie", "API", "ID", "SMS", "QR", "Excel", "Word", "PDF", "CSV", "GBK", "UTF", "MB", "KB", "JSON",
    "xlsx", "csv", "parquet", "docx", "pdf", "YYYY", "MM", "DD", "HH", "HX", "ISO", "SHA", "English",
    "snake_case", "true", "false", "v", "duckdb", "spark", "DuckDB", "Spark", "ECharts", "YYYYMM",
    # the national platform's field names a feed file may use, listed on the upload page
    "amount", "date", "days", "snake", "case",
}


class _Text(HTMLParser):
    """The text a reader sees: text nodes and the titles, placeholders and labels of elements, not
    scripts or styles; elements marked with another language (lang="…") are that language's."""

    def __init__(self, language: str) -> None:
        super().__init__(convert_charrefs=True)
        self.language, self.parts, self.skip = language, [], []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        other_language = values.get("lang") not in (None, self.language) and tag != "html"
        if tag in ("script", "style") or other_language:
            self.skip.append(tag)
        elif not self.skip:
            self.parts += [v for k, v in attrs if k in ("title", "placeholder", "aria-label", "alt") and v]

    def handle_endtag(self, tag: str) -> None:
        if self.skip and self.skip[-1] == tag:
            self.skip.pop()

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.parts.append(data)


def _strings_in(value: Any) -> list[str]:
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings_in(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings_in(v)]
    return [value] if isinstance(value, str) else []


def _stored_texts() -> list[str]:
    """Every text the scene stored: names, usernames, codes, addresses, descriptions, rule steps and
    bases, the reasons written into JSON columns…"""
    texts: set[str] = set()
    for model in apps.get_models():
        fields = [f.name for f in model._meta.concrete_fields
                  if isinstance(f, models.CharField | models.TextField | models.JSONField) and not f.choices]
        if not fields:
            continue
        for row in model._default_manager.values_list(*fields):
            texts.update(s for v in row for s in _strings_in(v) if len(s) > 1 or CJK.search(s))
    return sorted(texts, key=len, reverse=True)


def visible_text(html: str, language: str) -> str:
    parser = _Text(language)
    parser.feed(html)
    text = URL.sub(" ", "\n".join(parser.parts))  # a printed address is a code, whatever its words
    for stored in _stored_texts():
        if stored.isascii():  # a code or a username: whole words only ("project" inside "projectCode" stays)
            text = re.sub(rf"(?<![A-Za-z0-9]){re.escape(stored)}(?![A-Za-z0-9])", " ", text)
        else:
            text = text.replace(stored, " ")
    return text


def english_words(text: str) -> set[str]:
    words = set()
    for word in WORD.findall(text):
        if word in ALLOWED_ON_CHINESE or len(word) == 1:
            continue
        if "_" in word or re.search(r"[a-z][A-Z]", word):  # an identifier: a field name of the API or a feed
            continue
        words.add(word)
    return words


@pytest.fixture
def scene(city: dict[str, Any], users: dict[str, Any], make_case: Any, calendar: None) -> dict[str, Any]:
    contractor = EmployerFactory(credit_code=VALID_CREDIT_CODE, name="长沙某建筑劳务有限公司",
                                 org_unit=city["yuelu_street"])
    project = ProjectFactory(org_unit=city["yuelu_street"], general_contractor=contractor)
    team = WorkTeamFactory(project=project)
    RosterEntryFactory(project=project, team=team)
    point = MonitoringPoint.objects.create(employer=contractor, since="2026-01-01", contact_name="王五")
    rule = WarningRule.objects.create(code="no_deposit_test", name="未按月拨付人工费", description="…", grade="orange")
    warning = Warning.objects.create(rule=rule, grade="orange", project=project, employer=contractor,
                                     org_unit=project.org_unit, month=202608, summary="8月人工费未拨付",
                                     first_detected_at=NOW, last_detected_at=NOW)
    handled = make_case("in_handling")
    closed = make_case("closed", complainant_phone="13900000071", complainant_id_number="")
    make_case("registered", complainant_phone="13900000072", complainant_id_number="")
    MonitoringCase.objects.create(project=project, month=202608, case=handled)
    return {"employer": contractor, "project": project, "point": point, "warning": warning,
            "case": handled, "closed": closed}


def _pages(scene: dict[str, Any]) -> dict[str, list[str]]:
    case, project, employer = scene["case"], scene["project"], scene["employer"]
    return {
        "desk": [reverse("cases:queue"), reverse("cases:register"), reverse("cases:detail", args=[case.pk]),
                 reverse("portal:posters")],
        "handler": [reverse("cases:queue") + "?mine=true", reverse("cases:detail", args=[case.pk]),
                    reverse("employers:list"), reverse("employers:detail", args=[employer.pk]),
                    reverse("employers:project", args=[project.pk]), reverse("employers:roster", args=[project.pk]),
                    reverse("employers:points"), reverse("employers:point", args=[scene["point"].pk]),
                    reverse("monitoring:warnings"), reverse("monitoring:warning", args=[scene["warning"].pk]),
                    reverse("monitoring:imports"), reverse("monitoring:import_new")],
        "leader": [reverse("cases:supervision"), reverse("cases:detail", args=[scene["closed"].pk]),
                   reverse("insights:dashboard"), reverse("insights:bulletins"), reverse("monitoring:grades"),
                   reverse("monitoring:runs"), reverse("employers:projects")],
        "partner": [reverse("cases:queue")],
    }


PUBLIC = ["portal:home", "portal:file", "portal:track", "login"]


def _fetch(client: Any, url: str, language: str) -> str:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def test_chinese_pages_show_no_english_word(client: Any, scene: dict[str, Any], users: dict[str, Any]) -> None:
    found = {}
    for role, urls in _pages(scene).items():
        client.force_login(users[role])
        for url in urls:
            words = english_words(visible_text(_fetch(client, url, "zh-hans"), "zh-hans"))
            if words:
                found[f"{role} {url}"] = sorted(words)
    client.logout()
    for name in PUBLIC:
        words = english_words(visible_text(_fetch(client, reverse(name), "zh-hans"), "zh-hans"))
        if words:
            found[name] = sorted(words)
    assert found == {}, "\n".join(f"{page}: {words}" for page, words in found.items())


def test_english_pages_show_no_chinese_but_data(client: Any, scene: dict[str, Any], users: dict[str, Any]) -> None:
    found = {}
    for role, urls in _pages(scene).items():
        client.force_login(users[role])
        for url in urls:
            chinese = CJK.findall(visible_text(_fetch(client, url, "en"), "en"))
            if chinese:
                found[f"{role} {url}"] = sorted(set(chinese))
    client.logout()
    for name in PUBLIC:
        chinese = CJK.findall(visible_text(_fetch(client, reverse(name), "en"), "en"))
        if chinese:
            found[name] = sorted(set(chinese))
    assert found == {}, "\n".join(f"{page}: {words}" for page, words in found.items())


def test_the_switch_changes_a_label_and_a_choice(client: Any, scene: dict[str, Any], users: dict[str, Any]) -> None:
    client.force_login(users["handler"])
    url = reverse("cases:detail", args=[scene["case"].pk])
    chinese, english = _fetch(client, url, "zh-hans"), _fetch(client, url, "en")
    assert "基本情况" in chinese and "Facts" not in chinese
    assert "Facts" in english and "基本情况" not in english
    # a choice (the case's status) and the timeline's labels follow the language too
    assert "办理中" in chinese and "In handling" in english


def test_an_api_error_follows_accept_language_with_chinese_by_default(client: Any, users: dict[str, Any]) -> None:
    url = "/api/v1/cases/"
    default = client.get(url)
    english = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    chinese = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-CN,zh;q=0.9")
    assert default.status_code == english.status_code == chinese.status_code == 401
    assert CJK.search(default.json()["detail"]) and default["Content-Language"] == "zh-hans"
    assert not CJK.search(english.json()["detail"]) and english["Content-Language"] == "en"
    assert CJK.search(chinese.json()["detail"])
    assert "Accept-Language" in english["Vary"]


# --- Every role, every page its menu shows ------------------------------------------------------
# The pages are read from the navigation registry (hexie.core.nav), so a page added to the menu is
# checked without touching this test; each role also opens a case, an employer's file and a warning
# where its role may.

@pytest.fixture
def roles(users: dict[str, Any], city: dict[str, Any], scene: dict[str, Any]) -> dict[str, Any]:
    from django.utils import timezone

    from hexie.orgs.models import HandlerKind, OrgLevel, OrgUnit, Role
    from hexie.orgs.tests.factories import UserFactory
    from hexie.prevention.models import EmployerAccount

    station = OrgUnit.objects.create(code="430104001S9", name="望岳街道劳动关系服务站", level=OrgLevel.STATION,
                                     parent=city["yuelu_street"])
    employer = UserFactory(username="firm", role=Role.EMPLOYER, org_unit=None)
    EmployerAccount.objects.create(user=employer, employer=scene["employer"], issued_at=timezone.now())
    admin = users["admin"]
    admin.is_staff = True
    admin.save(update_fields=["is_staff"])
    return {
        "clerk": users["desk"],
        "handler": users["handler2"],
        "inspector": users["handler"],
        "district leader": users["leader"],
        "city leader": users["city_leader"],
        "court partner": users["partner"],
        "coordinator": UserFactory(username="coord", role=Role.COORDINATOR, org_unit=station),
        "administrator": admin,
        "arbitrator": UserFactory(username="arb", role=Role.HANDLER, org_unit=city["yuelu"],
                                  handler_kind=HandlerKind.ARBITRATOR),
        "employer": employer,
    }


def _role_pages(user: Any, scene: dict[str, Any]) -> tuple[list[str], list[str]]:
    """The pages the user's menu shows (each must open), and the detail pages to try (where the role
    may open them)."""
    from hexie.core import nav

    shown = [item.url for group in nav.menu(user, "/") for item in group.items
             if not item.url.startswith("/admin/")]  # Django's admin speaks Django's own catalogue
    details = [reverse("cases:detail", args=[scene["case"].pk]), reverse("employers:detail", args=[scene["employer"].pk]),
               reverse("monitoring:warning", args=[scene["warning"].pk])]
    if user.role == "employer":
        shown = [reverse("employer:home"), reverse("credit_employer:mine")]
        details = []
    return shown, details


def _check_role_pages(client: Any, roles: dict[str, Any], scene: dict[str, Any], language: str,
                      finds: Any) -> dict[str, Any]:
    found: dict[str, Any] = {}
    opened = 0
    for role, user in roles.items():
        client.force_login(user)
        shown, details = _role_pages(user, scene)
        assert shown, f"{role} has no page in its menu"
        for url in shown + details:
            client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
            response = client.get(url)
            if url in details and response.status_code in (403, 404):
                continue  # a role that may not open this kind of page
            assert response.status_code == 200, f"{role} {url}: {response.status_code}"
            opened += 1
            bad = finds(visible_text(response.content.decode(), language))
            if bad:
                found[f"{role} {url}"] = sorted(set(bad))
    client.logout()
    for name in [*PUBLIC, "employer:login"]:
        bad = finds(visible_text(_fetch(client, reverse(name), language), language))
        if bad:
            found[name] = sorted(set(bad))
    assert opened > 40  # every role opened its pages: the check cannot pass by opening nothing
    return found


def test_every_role_s_pages_in_chinese_show_no_english_word(client: Any, roles: dict[str, Any],
                                                           scene: dict[str, Any]) -> None:
    found = _check_role_pages(client, roles, scene, "zh-hans", english_words)
    assert found == {}, "\n".join(f"{page}: {words}" for page, words in found.items())


def test_every_role_s_pages_in_english_show_no_chinese_but_data(client: Any, roles: dict[str, Any],
                                                               scene: dict[str, Any]) -> None:
    found = _check_role_pages(client, roles, scene, "en", CJK.findall)
    assert found == {}, "\n".join(f"{page}: {words}" for page, words in found.items())
