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
# due date. A step's timeline entry, messages and new clocks are written with its case row
# (``services.rows``): on PostgreSQL in the same statement (a data-modifying WITH), elsewhere one
# INSERT per table after it; registration's with the statement that numbers the case. What a step
# needs to know of the clocks is read with the case. The counts include the savepoint each service
# opens inside the test's transaction (bench/run.py prints them per step without it, for a wage
# complaint on PostgreSQL: 5, 3, 3, 2, 3, 2, 2).
LIFECYCLE_STATEMENTS = {
    "postgresql": [
        # unit, registry, the cluster key's lock (+ the case's id), history (+ tracking code, + the
        # cluster key's window), number + case row + clock + entry + SMS
        ("register_case", 7),
        ("accept", 5),  # case, decision clocks met, case row + its track's and acceptance clocks + entry + SMS
        ("assign", 5),  # case, the two people, case row + entry + mail
        ("start_handling", 4),  # case (+ whether its track's clocks run), case row + entry + SMS
        ("resolve", 5),  # case, clocks met, case row + the agreement's window + entry + SMS
        ("start_follow_up", 4),
        ("close", 5),  # case, clocks cancelled (the case row reads them: its late-after date), case row + entry + SMS
    ],
    # Without data-modifying WITH: the rows one INSERT per table after the case row.
    "sqlite": [
        ("register_case", 11),  # no lock (one writer at a time): the history reads the cluster's window
        ("accept", 8),  # this case type starts an acceptance clock and its track's: one INSERT
        ("assign", 7),
        ("start_handling", 6),
        ("resolve", 8),
        ("start_follow_up", 6),
        ("close", 7),
    ],
}


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
    assert seen == LIFECYCLE_STATEMENTS[connection.vendor]
    case.refresh_from_db()
    assert case.status == "closed" and case.next_due_on is None
    assert [e.kind for e in case.events.order_by("id")] == ["registered", *[name for name, _w, _p in steps]]


def test_the_rows_written_with_the_case_row_are_all_there(calendar, users, intake):
    """What a step holds back and writes with the case row (one statement on PostgreSQL): every
    timeline entry in order, the clocks, and each message, the SMS quoting the number issued."""
    from hexie.cases import services
    from hexie.cases.models import Deadline, Notification

    desk, leader, handler = users["desk"], users["leader"], users["handler"]
    case = services.register_case(data=intake(complainant_phone="13900007777"), actor=desk)
    assert case.number.startswith("430100-")
    services.transition(case_id=case.pk, actor=desk, name="accept", track="mediation")
    services.transition(case_id=case.pk, actor=leader, name="assign", handler=handler.pk, responsible_leader=leader.pk)
    services.transition(case_id=case.pk, actor=handler, name="start_handling")
    services.transition(case_id=case.pk, actor=handler, name="resolve", conclusion="mediated",
                        amount_recovered="12000", workers_benefited=2)
    services.transition(case_id=case.pk, actor=desk, name="start_follow_up")
    services.transition(case_id=case.pk, actor=desk, name="close", satisfaction=5)
    case.refresh_from_db()
    events = list(case.events.order_by("id"))
    assert [(e.kind, e.from_status, e.to_status, e.actor_id) for e in events] == [
        ("registered", "", "registered", desk.pk), ("accept", "registered", "accepted", desk.pk),
        ("assign", "accepted", "assigned", leader.pk), ("start_handling", "assigned", "in_handling", handler.pk),
        ("resolve", "in_handling", "resolved", handler.pk), ("start_follow_up", "resolved", "follow_up", desk.pk),
        ("close", "follow_up", "closed", desk.pk)]
    assert events[0].data == {"triage": case.triage_reasons} and events[0].message == "经来访登记"
    assert events[1].data == {"track": "mediation"} and events[1].is_public and events[1].public_message
    assert events[4].data == {"conclusion": "mediated", "amount_recovered": "12000", "workers_benefited": "2"}
    sms = list(case.notifications.filter(channel=Notification.Channel.SMS).order_by("id"))
    assert [n.body for n in sms] == [
        f"【和谐劳动维权】案件{case.number}：{text} 查询码{case.tracking_code}。" for text in (
            "您的诉求已登记，我们将在法定期限内决定是否受理。", "您的诉求已受理", "正在办理",
            "已办结，请对办理结果进行评价", "正在回访", "已结案")]
    assert {n.recipient for n in sms} == {"13900007777"} and {n.state for n in sms} == {"pending"}
    assert all(n.created_at and n.next_attempt_at for n in sms)
    mail = case.notifications.get(channel=Notification.Channel.EMAIL)
    assert (mail.recipient, mail.subject) == (handler.email, f"新交办案件 {case.number}")
    clocks = list(case.deadlines.order_by("id").values_list("rule__code", "state"))
    assert clocks[0][1] == Deadline.State.MET and len(clocks) >= 3
    assert {state for _code, state in clocks[1:]} <= {Deadline.State.MET, Deadline.State.CANCELLED}
    assert case.status == "closed" and case.next_due_on is None and case.version == 6


def test_a_step_that_loses_its_race_writes_nothing(make_case, users):
    """The rows go with the conditional UPDATE: when it matches nothing, the step's transaction
    rolls back, its timeline entry and SMS with it."""
    from django.db import transaction

    from hexie.cases.models import Notification
    from hexie.cases.services import transitions
    from hexie.cases.workflow import TRANSITIONS
    from hexie.core.errors import StaleState

    case = make_case()
    stale = Case.objects.get(pk=case.pk)
    services_transition = transitions.transition
    services_transition(case_id=case.pk, actor=users["desk"], name="accept")
    messages = Notification.objects.count()
    with pytest.raises(StaleState), transaction.atomic():
        transitions._apply_transition(case=stale, t=TRANSITIONS["refuse"], actor=users["desk"], params={"reason": "x"})
    assert not case.events.filter(kind="refuse").exists()
    assert Notification.objects.count() == messages
    assert Case.objects.get(pk=case.pk).status == "accepted"


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
