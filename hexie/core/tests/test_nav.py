"""The staff menu shows each role exactly the pages it can open, marks the current one, and the
pages themselves refuse the roles the menu leaves out."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from hexie.core import nav

ROLES = ["desk", "handler", "leader", "admin", "partner"]


def _labels(user: Any, path: str = "/") -> set[str]:
    return {str(i.label) for g in nav.menu(user, path) for i in g.items}


@pytest.mark.parametrize("name", ROLES)
def test_every_entry_in_the_menu_opens_and_every_entry_left_out_is_refused(name, users, client: Client):
    user = users[name]
    client.force_login(user)
    shown = _labels(user)
    for entry in nav.entries():
        if entry.django_staff:
            continue  # Django's admin decides on is_staff itself
        status = client.get(entry.url()).status_code
        if str(entry.label) in shown:
            assert status == 200, (name, entry.url_name, status)
        else:
            assert status in (403, 404), (name, entry.url_name, status)


def test_a_court_partner_sees_neither_analysis_nor_registration(users):
    groups = {str(g.label) for g in nav.menu(users["partner"], "/cases/")}
    assert groups == {"案件办理", "系统管理"}
    labels = _labels(users["partner"])
    assert "登记案件" not in labels and "分析看板" not in labels and "操作日志" not in labels


def test_the_registration_form_is_refused_to_a_partner_before_it_is_filled(users, client: Client):
    client.force_login(users["partner"])
    page = client.get("/cases/new/")
    assert page.status_code == 403
    assert "name=\"complainant_name\"" not in page.content.decode()
    assert client.post("/cases/new/", {"complainant_name": "张三"}).status_code == 403


def test_the_groups_follow_the_bureaus_work(users):
    groups = [str(g.label) for g in nav.menu(users["admin"], "/")]
    assert groups == ["案件办理", "督办", "监测预警", "名册", "分析与通报", "系统管理"]
    assert "操作日志" in _labels(users["leader"]) and "操作日志" not in _labels(users["handler"])


@pytest.mark.parametrize(("path", "active"), [
    ("/cases/", "案件队列"), ("/cases/123/", "案件队列"), ("/cases/supervision/", "督办案件"),
    ("/cases/new/", "登记案件"), ("/registry/projects/4/", "工程项目"), ("/monitoring/warnings/9/", "预警信息"),
])
def test_the_current_page_is_marked_once(users, path, active):
    marked = [str(i.label) for g in nav.menu(users["leader"], path) for i in g.items if i.active]
    assert marked == [active]
def test_the_frame_shows_the_menu_the_unit_and_the_role(users, client: Client):
    client.force_login(users["leader"])
    body = client.get("/cases/supervision/").content.decode()
    assert "岳麓区" in body and users["leader"].get_role_display() in body
    assert 'aria-current="page"' in body and "督办案件" in body
    client.force_login(users["partner"])
    body = client.get("/cases/").content.decode()
    assert "/insights/" not in body and "/cases/new/" not in body
