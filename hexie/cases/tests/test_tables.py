"""The queue and the supervision list as people work with them: sortable columns from a whitelist,
numbered pages with a page size, a count, filters kept in the URL, an empty state that says why;
the supervision list one row per case with its days overdue and the level it reached; search by
phone number and tracking code."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from hexie.cases.models import Case, Supervision
from hexie.core import clock


def _numbers(html: str, cases: list[Case]) -> list[str]:
    """The case numbers in the order the page lists them."""
    return sorted((c.number for c in cases if c.number in html), key=html.index)


def test_queue_columns_sort_both_ways_from_the_url(client, users, make_case):
    few, many = make_case(workers_count=2, complainant_phone="13900000101"), \
        make_case(workers_count=30, complainant_phone="13900000102")
    client.force_login(users["desk"])
    up = client.get("/cases/", {"sort": "workers"}).content.decode()
    down = client.get("/cases/", {"sort": "-workers"}).content.decode()
    assert _numbers(up, [few, many]) == [few.number, many.number]
    assert _numbers(down, [few, many]) == [many.number, few.number]
    assert 'aria-sort="descending"' in down and "sort=workers" in down  # the header turns it back


def test_an_unknown_sort_key_is_refused_by_name(client, users, make_case):
    case = make_case()
    client.force_login(users["desk"])
    html = client.get("/cases/", {"sort": "complainant_phone"}).content.decode()
    assert "排序“complainant_phone”无效" in html and case.number not in html


def test_numbered_pages_keep_the_filters_and_the_page_size(client, users, make_case):
    for i in range(23):
        make_case(complainant_phone=f"139000002{i:02d}")
    client.force_login(users["desk"])
    html = client.get("/cases/", {"size": "20", "status": "registered"}).content.decode()
    assert "共 23 条" in html and "第 1 / 2 页" in html
    assert 'href="?size=20&amp;status=registered&amp;page=2"' in html
    second = client.get("/cases/", {"size": "20", "status": "registered", "page": "2"}).content.decode()
    assert "第 2 / 2 页" in second and 'aria-current="page">2<' in second
    bad = client.get("/cases/", {"size": "7"}).content.decode()
    assert "每页条数“7”无效" in bad


def test_the_empty_queue_says_why(client, users, make_case):
    client.force_login(users["desk"])
    assert "队列为空" in client.get("/cases/").content.decode()
    make_case()
    assert "没有符合筛选条件的案件" in client.get("/cases/", {"status": "closed"}).content.decode()


def test_queue_search_finds_a_phone_number_and_a_tracking_code(client, users, make_case):
    mine = make_case(complainant_phone="13912345678")
    other = make_case(complainant_phone="13987654321")
    client.force_login(users["desk"])
    by_phone = client.get("/cases/", {"q": "139 1234 5678"}).content.decode()
    assert mine.number in by_phone and other.number not in by_phone
    by_code = client.get("/cases/", {"q": mine.tracking_code.lower()}).content.decode()
    assert mine.number in by_code and other.number not in by_code
    # A near miss finds nothing: the phone is matched by its keyed hash, never by a part of it.
    assert mine.number not in client.get("/cases/", {"q": "1391234567"}).content.decode()
    # Another district's case is not found by its phone either.
    client.force_login(users["outsider"])
    assert mine.number not in client.get("/cases/", {"q": "13912345678"}).content.decode()


def _supervise(case: Case, kind: str, leader: Any, *, days_ago: int = 0, acknowledged: bool = False) -> Supervision:
    deadline = case.deadlines.order_by("pk").first()
    created = timezone.now() - timedelta(days=days_ago)
    return Supervision.objects.create(case=case, deadline=deadline, kind=kind, created_at=created, leader=leader,
                                      acknowledged_at=created if acknowledged else None)


@pytest.fixture
def supervised(make_case, users) -> dict[str, Case]:
    """Two late cases: one overdue then escalated (two records), one only due soon."""
    late = make_case("assigned", complainant_phone="13900000301")
    soon = make_case("assigned", complainant_phone="13900000302")
    today = clock.today()
    Case.objects.filter(pk=late.pk).update(next_due_on=today - timedelta(days=6))
    Case.objects.filter(pk=soon.pk).update(next_due_on=today + timedelta(days=1))
    _supervise(late, "overdue", users["leader"], days_ago=3)
    _supervise(late, "escalated", users["leader"], days_ago=1)
    _supervise(soon, "due_soon", users["leader"], days_ago=2)
    return {"late": Case.objects.get(pk=late.pk), "soon": Case.objects.get(pk=soon.pk)}


def test_the_supervision_list_shows_each_case_once_with_days_overdue_and_level(client, users, supervised):
    client.force_login(users["leader"])
    html = client.get("/cases/supervision/").content.decode()
    late, soon = supervised["late"], supervised["soon"]
    assert html.count(f'data-case="{late.number}"') == 1 and html.count(f'data-case="{soon.number}"') == 1
    assert "6 天" in html and "提级督办" in html and "临期提醒" in html
    assert _numbers(html, [late, soon]) == [late.number, soon.number]  # most overdue first
    assert "共 2 条" in html


@pytest.mark.parametrize(("params", "shown", "hidden"), [
    ({"level": "escalated"}, "late", "soon"), ({"level": "due_soon"}, "soon", "late"),
    ({"signed": "no"}, "late", None), ({"sort": "overdue"}, None, None),
])
def test_supervision_filters_are_kept_in_the_url(client, users, supervised, params, shown, hidden):
    client.force_login(users["leader"])
    response = client.get("/cases/supervision/", params)
    html = response.content.decode()
    assert response.status_code == 200
    if shown:
        assert supervised[shown].number in html
    if hidden:
        assert supervised[hidden].number not in html
    key, value = next(iter(params.items()))
    assert f"{key}={value}" in html  # the sort links and the pager carry the filter


def test_signing_for_a_case_signs_all_its_records(client, users, supervised):
    late = supervised["late"]
    pending = Supervision.objects.filter(case=late, acknowledged_at__isnull=True).order_by("-pk").first()
    client.force_login(users["leader"])
    client.post(f"/cases/supervision/{pending.pk}/ack/", {"note": "三日内办结"})
    assert not Supervision.objects.filter(case=late, acknowledged_at__isnull=True).exists()
    html = client.get("/cases/supervision/", {"signed": "no"}).content.decode()
    assert late.number not in html and supervised["soon"].number in html


def test_a_bad_supervision_filter_is_named(client, users, supervised):
    client.force_login(users["leader"])
    response = client.get("/cases/supervision/", {"level": "sometimes"})
    assert response.status_code == 400 and "督办层级" in response.content.decode()


def test_the_supervision_list_reads_a_fixed_number_of_statements(client, users, supervised, make_case):
    client.force_login(users["leader"])
    with CaptureQueriesContext(connection) as few:
        client.get("/cases/supervision/")
    for i in range(5):
        case = make_case("assigned", complainant_phone=f"1390000040{i}")
        Case.objects.filter(pk=case.pk).update(next_due_on=clock.today() - timedelta(days=i))
        _supervise(case, "overdue", users["leader"])
    with CaptureQueriesContext(connection) as many:
        client.get("/cases/supervision/")
    assert len(many) == len(few) <= 7


def test_the_queue_reads_a_fixed_number_of_statements_when_searching(client, users, make_case):
    client.force_login(users["desk"])
    make_case(complainant_phone="13900000501")
    with CaptureQueriesContext(connection) as few:
        client.get("/cases/", {"q": "13900000501", "sort": "-received"})
    for i in range(5):
        make_case(complainant_phone=f"1390000051{i}")
    with CaptureQueriesContext(connection) as many:
        client.get("/cases/", {"q": "13900000501", "sort": "-received"})
    assert len(many) == len(few) <= 9
