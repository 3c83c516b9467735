"""The queue's text searches find their page and count the same way whichever index serves them.

On PostgreSQL a search is found either by reading the queue in its order (``case_queue_search``)
or by looking the term up (the pieces, ``case_scope_grams``, for one or two characters; the
trigram indexes for more), chosen per search (hexie.cases.search). Both must list exactly the cases that "contains, ignoring case" finds
in the number, employer and project (or the complainant's exact name), in the queue's order, with
the same count; SQLite lists the same with icontains. Each shape is forced here by the size of
read the chooser allows."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from hexie.cases import search, views
from hexie.cases.models import Case

pytestmark = pytest.mark.django_db

POSTGRESQL = connection.vendor == "postgresql"
# walk: read the queue in order whenever it is in the queue's order and more than the limit match;
# pieces: never; plain: SQLite, where the filter applies icontains and no shape is chosen.
SHAPES = ["walk", "pieces"] if POSTGRESQL else ["plain"]


@pytest.fixture(params=SHAPES)
def shape(request: Any, monkeypatch: Any) -> str:
    if request.param == "walk":
        monkeypatch.setattr(search, "WALK_ENTRIES", 10**12)
    elif request.param == "pieces":
        monkeypatch.setattr(search, "WALK_ENTRIES", 0)
    return str(request.param)


@pytest.fixture
def cases(make_case: Any) -> dict[str, Case]:
    made = {
        "start": make_case(employer_name="楼宇物业管理公司", complainant_phone="13900000701"),
        "end": make_case(employer_name="长沙某某大楼", complainant_phone="13900000702"),
        "project": make_case(employer_name="长沙市建设公司", project_name="梅溪湖楼盘二期",
                             complainant_phone="13900000703"),
        "none": make_case(employer_name="湖南餐饮公司", complainant_name="韩梅梅", complainant_phone="13900000704"),
        "latin": make_case(employer_name="湖南科技公司", complainant_phone="13900000705"),
        "renamed": make_case(employer_name="原名商贸公司", complainant_phone="13900000706"),
        "name": make_case(employer_name="湖南百货公司", complainant_name="楼", complainant_phone="13900000707"),
    }
    # Case numbers with Latin letters in both cases (written with a bulk update, as an import would).
    Case.objects.filter(pk=made["latin"].pk).update(number="HX-2026-Ab7x")
    # Due dates and receipt times in an order of their own: some due, some with no running clock.
    now = timezone.now()
    for i, (key, due) in enumerate([("start", 9), ("end", None), ("project", 3), ("none", 3), ("latin", None),
                                    ("renamed", 3), ("name", None)]):
        Case.objects.filter(pk=made[key].pk).update(
            next_due_on=None if due is None else now.date() + timedelta(days=due),
            received_at=now - timedelta(hours=i if key != "renamed" else 1))
    return {key: Case.objects.get(pk=c.pk) for key, c in made.items()}


def _queue_order(rows: list[Case], descending: bool = False) -> list[int]:
    """The queue's order ("due" sort): earliest due first, no running clock last, then newest, then
    highest id; the "-due" sort turns each key round and keeps the empty due dates last."""
    dated = [c for c in rows if c.next_due_on is not None]
    undated = [c for c in rows if c.next_due_on is None]
    def key(c: Case) -> tuple[Any, ...]:
        return (c.next_due_on, -c.received_at.timestamp(), -c.pk)
    out = sorted(dated, key=key, reverse=descending) + sorted(
        undated, key=lambda c: (-c.received_at.timestamp(), -c.pk), reverse=descending)
    return [c.pk for c in out]


def _matching(term: str) -> list[Case]:
    """What icontains means, computed here: the term inside the number, employer or project,
    ignoring case, or the complainant's exact name."""
    t = term.upper()
    return [c for c in Case.objects.all()
            if any(t in col.upper() for col in (c.number, c.employer_name, c.project_name))
            or c.complainant_name == term]


def _listed(client: Any, **params: str) -> tuple[list[int], str]:
    response = client.get("/cases/", params)
    assert response.status_code == 200
    html = response.content.decode()
    return [c.pk for c in response.context["page"]], html.split('table-pager">', 1)[-1].split("</span>", 1)[0]


@pytest.mark.parametrize("term", ["楼", "楼宇", "大楼", "楼盘", "ab", "AB", "7X", "x", "h", "餐", "无此", "%",
                                  # Longer terms: the trigram indexes or the queue read in order.
                                  "楼宇物", "某某大楼", "hx-2026-aB7X", "梅溪湖楼盘", "韩梅梅", "梅梅", "2026-", "公司"])
def test_a_short_search_lists_what_contains_finds_in_the_queues_order(client, users, cases, shape, term):
    client.force_login(users["desk"])
    expected = _queue_order(_matching(term))
    listed, shown = _listed(client, q=term)
    assert listed == expected
    assert f"共 {len(expected)} 条" in shown


@pytest.mark.parametrize("term", ["楼", "公司"])
def test_a_capped_search_lists_the_first_matches_on_each_page(client, users, cases, shape, monkeypatch, term):
    """More matches than the count's limit: the page is read in order (walk) or looked up."""
    monkeypatch.setattr(views, "SEARCH_COUNT_LIMIT", 2)
    client.force_login(users["desk"])
    expected = _queue_order(_matching(term))
    assert len(expected) > 3
    listed, shown = _listed(client, q=term)
    assert listed == expected[:3]  # the limit and one more: what a capped count shows on its page
    assert "超过 2 条" in shown


def test_pages_of_a_capped_search_follow_each_other(client, users, make_case, shape, monkeypatch):
    monkeypatch.setattr(views, "SEARCH_COUNT_LIMIT", 21)
    for i in range(23):
        make_case(employer_name=f"第{i}楼宇公司", complainant_phone=f"139000008{i:02d}")
    client.force_login(users["desk"])
    expected = _queue_order(_matching("楼宇"))
    first, shown = _listed(client, q="楼宇", size="20")
    second, _ = _listed(client, q="楼宇", size="20", page="2")
    assert "超过 21 条" in shown
    assert first == expected[:20] and second == expected[20:22]


def test_other_sorts_list_the_same_matches(client, users, cases, shape):
    client.force_login(users["desk"])
    listed, _ = _listed(client, q="楼", sort="-due")
    assert listed == _queue_order(_matching("楼"), descending=True)
    by_number, _ = _listed(client, q="楼", sort="number")
    assert by_number == [c.pk for c in sorted(_matching("楼"), key=lambda c: c.number)]


def test_a_renamed_employer_is_found_by_its_new_name_only(client, users, cases, shape):
    """Nothing is stored for the search: a name changed after registration, by save or by a bulk
    update, is found at once by its new name and no longer by the old one."""
    client.force_login(users["desk"])
    renamed = cases["renamed"]
    renamed.employer_name = "新名楼宇公司"
    renamed.save(update_fields=["employer_name"])
    assert renamed.pk in _listed(client, q="新名")[0]
    assert renamed.pk not in _listed(client, q="原名")[0]
    Case.objects.filter(pk=renamed.pk).update(employer_name="第三名称公司", project_name="")
    assert renamed.pk in _listed(client, q="三名")[0]
    assert renamed.pk not in _listed(client, q="新名")[0]
    assert _listed(client, q="楼")[0] == _queue_order(_matching("楼"))


def test_a_search_lists_only_the_users_jurisdiction(client, users, cases, make_case, city, shape):
    """A Furong case about a "楼" is listed to the city's leader and to Furong's, never to Yuelu's."""
    furong = make_case(employer_name="芙蓉楼宇公司", complainant_phone="13900000799",
                       org_unit_id=city["furong_street"].pk, actor=users["city_leader"])
    client.force_login(users["outside_leader"])
    assert _listed(client, q="楼")[0] == [furong.pk]
    client.force_login(users["desk"])
    assert _listed(client, q="楼")[0] == _queue_order([c for c in _matching("楼") if c.pk != furong.pk])
    client.force_login(users["city_leader"])
    assert _listed(client, q="楼")[0] == _queue_order(_matching("楼"))


@pytest.mark.parametrize("term", ["楼", "无此"])
def test_a_short_search_reads_a_fixed_number_of_statements(client, users, make_case, shape, monkeypatch, term):
    monkeypatch.setattr(views, "SEARCH_COUNT_LIMIT", 3)
    client.force_login(users["desk"])
    make_case(employer_name="楼宇公司", complainant_phone="13900000901")
    with CaptureQueriesContext(connection) as few:
        client.get("/cases/", {"q": term})
    for i in range(6):
        make_case(employer_name=f"楼宇{i}公司", complainant_phone=f"1390000091{i}")
    with CaptureQueriesContext(connection) as many:
        client.get("/cases/", {"q": term})
    assert len(many) == len(few)
    # PostgreSQL asks the planner for its estimate once (one EXPLAIN) before counting.
    estimates = [q["sql"] for q in many.captured_queries if q["sql"].startswith("EXPLAIN")]
    assert len(estimates) == (1 if POSTGRESQL else 0)
    # The queue's statements, with one count and one page statement (none when nothing matches, and
    # then no calendar either: no line is due soon); on PostgreSQL the planner's estimate on top.
    assert len(many) == (7 if term == "楼" else 5) + (1 if POSTGRESQL else 0)
