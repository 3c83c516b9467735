"""Every open case that is not suspended has a running clock (rules.md §2): after any walk through
the workflow, in `manage.py check_clocks`, and for cases accepted before the track's clock started
at acceptance (the data migration that gave them one)."""

import importlib
from datetime import date, datetime, timedelta
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hexie.cases import services
from hexie.cases.models import Case, Deadline, DeadlineRule, Status, Track
from hexie.cases.services.clocks import cases_off_the_clock
from hexie.core import clock
from hexie.core.errors import DomainError

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")

# (action, who takes it) — every transition, and the clock operations besides.
ACTIONS = [
    ("accept", "desk"), ("refuse", "desk"), ("assign", "leader"), ("start_handling", "handler"),
    ("transfer_track", "handler"), ("suspend", "handler"), ("resume", "handler"), ("resolve", "handler"),
    ("start_follow_up", "desk"), ("close", "desk"), ("reopen", "leader"), ("restart", "handler"),
    ("extend", "leader"),
]


def assert_on_the_clock(case_id):
    case = Case.objects.get(pk=case_id)
    running = list(Deadline.objects.filter(case_id=case_id, state="running").values_list("due_on", flat=True))
    assert not cases_off_the_clock().filter(pk=case_id).exists(), (case.status, case.track)
    if case.status == Status.SUSPENDED:
        assert not running
    assert case.next_due_on == (min(running) if running else None)
    # The handling clocks that run (or are paused) are those of the track the case is on.
    tracks = set(Deadline.objects.filter(case_id=case_id, state__in=["running", "paused"],
                                         rule__trigger="start").values_list("rule__track", flat=True))
    assert tracks <= {case.track}


def attempt(case, users, agency, action, who, track, when):
    """Take the step if the workflow allows it now; a refusal must leave the case as it was."""
    params = {"track": track, "agency": agency.pk, "reason": "理由", "conclusion": "paid_in_full",
              "handler": users["handler"].pk, "responsible_leader": users["leader"].pk}
    with clock.at(when):
        try:
            if action == "restart":
                services.restart_clock(case_id=case.pk, actor=users[who], ground="supplement")
            elif action == "extend":
                d = Deadline.objects.filter(case=case, state__in=["running", "paused"],
                                            rule__extension_length__gt=0).first()
                if d is not None:
                    services.extend_deadline(deadline_id=d.pk, actor=users[who], reason="经批准")
            else:
                services.transition(case_id=case.pk, actor=users[who], name=action, **params)
        except (DomainError, ValidationError):
            pass


@settings(max_examples=40, derandomize=True, deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(case_type=st.sampled_from(["wage_arrears", "labour_dispute", "petition", "consultation"]),
       walk=st.lists(st.tuples(st.sampled_from(ACTIONS), st.sampled_from([*Track.values, ""]),
                               st.integers(min_value=0, max_value=40)), min_size=1, max_size=14))
def test_every_walk_through_the_workflow_keeps_an_open_case_on_a_clock(
        calendar, make_case, users, agency, case_type, walk):
    when = datetime(2026, 3, 2, 10, tzinfo=TZ)
    with clock.at(when):
        case = make_case("registered", received_at=when, case_type=case_type)
    assert_on_the_clock(case.pk)
    for (action, who), track, days in walk:
        when += timedelta(days=days)
        attempt(case, users, agency, action, who, track, when)
        assert_on_the_clock(case.pk)


# --- manage.py check_clocks ------------------------------------------------------------------------


def off_the_clock(case):
    """A case as an older release left it: accepted, with no clock running."""
    Deadline.objects.filter(case=case).delete()
    Case.objects.filter(pk=case.pk).update(track="", next_due_on=None)


def test_check_clocks_passes_when_every_open_case_runs(calendar, make_case, users):
    make_case("assigned")
    suspended = make_case("in_handling", complainant_phone="13900000061", complainant_id_number="")
    services.transition(case_id=suspended.pk, actor=users["handler"], name="suspend", reason="等待鉴定")
    out = StringIO()
    call_command("check_clocks", stdout=out)
    assert "所有在办案件均有计时中的期限" in out.getvalue()


def test_check_clocks_names_the_cases_off_the_clock_and_fails(calendar, make_case):
    case = make_case("accepted")
    off_the_clock(case)
    make_case("closed", complainant_phone="13900000062", complainant_id_number="")  # closed: no clock needed
    out = StringIO()
    with pytest.raises(CommandError, match="1 件在办案件"):
        call_command("check_clocks", stdout=out)
    assert out.getvalue().split() == [case.number]


def test_check_clocks_fix_starts_the_track_clock_from_acceptance(calendar, make_case, users):
    with clock.at(datetime(2026, 3, 2, 10, tzinfo=TZ)):
        case = make_case("assigned", received_at=datetime(2026, 3, 2, 10, tzinfo=TZ))
    off_the_clock(case)
    accepted = datetime(2026, 3, 4, 10, tzinfo=TZ)
    Case.objects.filter(pk=case.pk).update(accepted_at=accepted, track_accepted_at=accepted)
    call_command("check_clocks", "--fix", stdout=StringIO())
    d = Deadline.objects.get(case=case, state="running")
    assert d.rule.code == "inspection.investigate" and d.starts_on == date(2026, 3, 4)
    case = Case.objects.get(pk=case.pk)
    assert case.track == "inspection" and case.next_due_on == d.due_on
    assert case.events.filter(kind="clocks_started").exists()
    call_command("check_clocks", stdout=StringIO())  # and now it passes


def test_check_clocks_fix_counts_from_the_acceptance_onto_the_current_track(calendar, make_case, users):
    # A file first accepted on 4 March whose current track took it on 9 March: its clock runs from
    # the 9th (the file's first acceptance only when no track acceptance is recorded).
    with clock.at(datetime(2026, 3, 2, 10, tzinfo=TZ)):
        case = make_case("assigned", received_at=datetime(2026, 3, 2, 10, tzinfo=TZ))
    off_the_clock(case)
    Case.objects.filter(pk=case.pk).update(accepted_at=datetime(2026, 3, 4, 10, tzinfo=TZ),
                                           track_accepted_at=datetime(2026, 3, 9, 10, tzinfo=TZ))
    call_command("check_clocks", "--fix", stdout=StringIO())
    assert Deadline.objects.get(case=case, state="running").starts_on == date(2026, 3, 9)


def test_check_clocks_fix_leaves_a_case_no_rule_applies_to_and_still_fails(calendar, make_case):
    case = make_case("accepted")
    off_the_clock(case)
    for rule in DeadlineRule.objects.filter(track="inspection"):  # as the admin saves them
        rule.is_active = False
        rule.save()
    with pytest.raises(CommandError):
        call_command("check_clocks", "--fix", stdout=StringIO())
    assert not Deadline.objects.filter(case=case).exists()
    assert not case.events.filter(kind="clocks_started").exists()


# --- the data migration for cases accepted before ---------------------------------------------------


def test_the_migration_puts_cases_accepted_before_on_their_tracks_clock(calendar, make_case, users):
    migration = importlib.import_module("hexie.cases.migrations.0012_handling_clocks_for_accepted_cases")
    received = datetime(2026, 3, 2, 10, tzinfo=TZ)
    with clock.at(received):
        dispute = make_case("assigned", received_at=received, case_type="labour_dispute", track="arbitration")
        consultation = make_case("accepted", received_at=received, case_type="consultation", track="consultation",
                                 complainant_phone="13900000063", complainant_id_number="")
        waiting = make_case("registered", received_at=received, case_type="consultation",
                            complainant_phone="13900000064", complainant_id_number="")
        handled = make_case("in_handling", received_at=received, complainant_phone="13900000065",
                            complainant_id_number="")
    for case in (dispute, consultation, waiting):
        off_the_clock(case)
    Case.objects.filter(pk=dispute.pk).update(accepted_at=datetime(2026, 3, 4, 10, tzinfo=TZ))
    untouched = set(Deadline.objects.filter(case=handled).values_list("pk", "due_on"))

    migration.backfill(apps, None)

    award = Deadline.objects.get(case=dispute, state="running")
    assert (award.rule.code, award.starts_on, award.due_on) == ("arbitration.award", date(2026, 3, 4), date(2026, 4, 20))
    answer = Deadline.objects.get(case=consultation, state="running")
    assert (answer.rule.code, answer.starts_on) == ("consultation.answer", date(2026, 3, 2))  # from receipt
    assert Deadline.objects.get(case=waiting, state="running").rule.code == "consultation.accept"
    assert set(Deadline.objects.filter(case=handled).values_list("pk", "due_on")) == untouched
    assert Case.objects.get(pk=dispute.pk).track == "arbitration"
    assert Case.objects.get(pk=consultation.pk).track == "consultation"
    assert dispute.events.filter(kind="clocks_started").exists()
    assert not handled.events.filter(kind="clocks_started").exists()
    assert not cases_off_the_clock().exists()
