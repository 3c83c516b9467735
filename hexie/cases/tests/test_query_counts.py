"""The hot paths send a fixed number of statements, however many cases there are (no query per
row): the queue, a case's page, the supervision list, and the case API's list, file and timeline.
The ceilings are today's counts, session and user look-ups included."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from hexie.cases.models import Case
from hexie.cases.sweeps import run_supervision_sweep
from hexie.core.tests.queries import statements

pytestmark = pytest.mark.django_db


@pytest.fixture
def grow(make_case: Any, calendar: Any) -> Any:
    """Add cases in several states (each with its own complainant), so a second count sees more rows."""
    counter = iter(range(1000))

    def add(n: int) -> Case:
        last = None
        for state in ["registered", "in_handling", "assigned", "closed", "resolved"][:n]:
            last = make_case(state, complainant_phone=f"1390000{next(counter):04d}")
        assert last is not None
        return last

    return add


@pytest.fixture
def referred(make_case: Any, users: dict[str, Any], agency: Any) -> Any:
    """Add cases referred to the partner agency's court (in handling on the referral track)."""
    from hexie.cases import services

    counter = iter(range(1000))

    def add(n: int) -> None:
        for _ in range(n):
            case = make_case("assigned", complainant_phone=f"1390002{next(counter):04d}")
            services.transition(case_id=case.pk, actor=users["handler"], name="start_handling", track="referral",
                                agency=agency.pk)

    return add


@pytest.fixture
def api(users: dict[str, Any]) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=users['leader']).key}")
    return client


# The supervision list: session, user, unit, jurisdiction, count, page, and the districts to filter by.
@pytest.mark.parametrize(("path", "ceiling"), [
    ("cases:queue", 9), ("cases:supervision", 7),
])
def test_staff_lists(client, users, grow, path, ceiling, django_assert_max_num_queries):
    client.force_login(users["leader"])
    grow(2)
    run_supervision_sweep()
    few = statements(lambda: client.get(reverse(path)))
    grow(5)
    run_supervision_sweep()
    assert statements(lambda: client.get(reverse(path))) == few
    with django_assert_max_num_queries(ceiling):
        client.get(reverse(path), {"overdue": "true"} if path == "cases:queue" else {})


def test_the_case_page(client, users, grow, django_assert_max_num_queries):
    client.force_login(users["leader"])
    case = grow(5)  # enough complaints about the employer to form a cluster: every panel has rows
    few = statements(lambda: client.get(reverse("cases:detail", args=[case.pk])))
    grow(5)
    assert statements(lambda: client.get(reverse("cases:detail", args=[case.pk]))) == few
    # 15, and three for the registry suggestions of an unlinked case (its district, employers, projects).
    with django_assert_max_num_queries(18):
        client.get(reverse("cases:detail", args=[case.pk]))


@pytest.mark.parametrize(("path", "ceiling"), [
    ("/api/v1/cases/", 5), ("/api/v1/cases/{pk}/", 6), ("/api/v1/cases/{pk}/timeline/", 5),
    ("/api/v1/supervisions/", 4),
])
def test_the_case_api(api, grow, path, ceiling, django_assert_max_num_queries):
    case = grow(2)
    url = path.format(pk=case.pk)
    few = statements(lambda: api.get(url))
    grow(5)
    assert statements(lambda: api.get(url)) == few
    with django_assert_max_num_queries(ceiling):
        api.get(url)


# --- a case's lifecycle: each step's statements, pinned ------------------------------------------
# The rules (deadline, triage, chain) and the calendar are read once per process, the next due
# date is read by the UPDATE that writes it, and a new case is saved once with its first clocks'
# due date. The counts include the savepoint each service opens inside the test's transaction; on
# PostgreSQL registration takes the cluster key's advisory lock and numbers the case in one
# statement (here two), so it sends the same 11 there (bench/run.py prints them per step, for a
# wage complaint: 11, 6, 5, 5, 6, 4, 5 without the savepoints).
LIFECYCLE_STATEMENTS = [
    ("register_case", 13),
    ("accept", 9),  # this case type starts an acceptance clock and its track's: two INSERTs
    ("assign", 7),
    ("start_handling", 7),
    ("resolve", 8),
    ("start_follow_up", 6),
    ("close", 7),
]


def test_each_step_of_a_lifecycle_sends_a_fixed_number_of_statements(
        calendar, users, intake):
    from hexie.cases import services

    desk, leader, handler = users["desk"], users["leader"], users["handler"]
    services.register_case(data=intake(complainant_phone="13900009999"), actor=desk)  # rules and calendar read once
    steps = [
        ("accept", desk, {"track": "mediation"}),
        ("assign", leader, {"handler": handler.pk, "responsible_leader": leader.pk}),
        ("start_handling", handler, {}),
        ("resolve", handler, {"conclusion": "mediated", "amount_recovered": "12000", "workers_benefited": 2}),
        ("start_follow_up", desk, {}),
        ("close", desk, {"satisfaction": 5}),
    ]
    seen = []
    with CaptureQueriesContext(connection) as captured:
        case = services.register_case(data=intake(complainant_phone="13900008888"), actor=desk)
    seen.append(("register_case", len(captured)))
    for name, who, params in steps:
        with CaptureQueriesContext(connection) as captured:
            case = services.transition(case_id=case.pk, actor=who, name=name, **params)
        seen.append((name, len(captured)))
    assert seen == LIFECYCLE_STATEMENTS
    case.refresh_from_db()
    assert case.status == "closed" and case.next_due_on is None
    assert [e.kind for e in case.events.order_by("id")] == ["registered", *[name for name, _w, _p in steps]]


# --- the queue, per role ---------------------------------------------------------------------------
# What each statement is for: the session; the user with their unit and agency (one statement);
# the units of the jurisdiction (not for a partner agency, which sees what was referred to it);
# the count; the calendar check, only when a line is due from today on ("due soon"); the page's
# lines; the districts to filter by (none to ask for a partner agency). Nothing per line, nothing
# for the menu or the filter form.
QUEUE_STATEMENTS_BY_ROLE = {
    "desk": 7, "handler": 7, "leader": 7, "city_leader": 7, "admin": 7, "partner": 5,
}


@pytest.mark.parametrize("role", sorted(QUEUE_STATEMENTS_BY_ROLE))
def test_the_queue_sends_a_fixed_number_of_statements_for_each_role(client, users, grow, role, referred):
    client.force_login(users[role])
    grow(2)
    referred(1)
    url = reverse("cases:queue")
    client.get(url, {"status": "in_handling"})  # the calendar and the rules read once per process
    few = statements(lambda: client.get(url, {"status": "in_handling"}))
    grow(5)
    referred(3)
    assert statements(lambda: client.get(url, {"status": "in_handling"})) == few == QUEUE_STATEMENTS_BY_ROLE[role]


@pytest.mark.parametrize("role", ["leader", "city_leader"])
def test_a_page_of_cases_without_a_due_date_to_come_needs_no_calendar(client, users, grow, role):
    client.force_login(users[role])
    grow(5)
    url = reverse("cases:queue")
    client.get(url, {"status": "closed"})
    assert statements(lambda: client.get(url, {"status": "closed"})) == QUEUE_STATEMENTS_BY_ROLE[role] - 1
