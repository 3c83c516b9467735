"""The deadline and triage rules are read once per process (hexie.cases.rulecache): an edit here is
seen at once, an edit by another process from its next request or task on, and the next due date
that the step's UPDATE reads from the clocks is the one the case shows."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.utils import timezone

from hexie.cases import rulecache
from hexie.cases.models import Deadline, DeadlineRule, TriageRule

pytestmark = pytest.mark.django_db


def _another_process_sets(code: str, **values: Any) -> None:
    """What an edit in another web worker looks like from here: the row changes, no signal arrives."""
    TriageRule.objects.filter(code=code).update(updated_at=timezone.now(), **values)


def test_an_edit_saved_in_this_process_is_seen_at_once(make_case):
    assert not make_case(workers_count=5, complainant_phone="13900000001").is_collective
    rule = TriageRule.objects.get(code="collective")
    rule.threshold = Decimal(5)
    rule.save()
    assert make_case(workers_count=5, complainant_phone="13900000002").is_collective
    assert not make_case(workers_count=4, complainant_phone="13900000003").is_collective


def test_an_edit_in_another_process_is_seen_from_the_next_request_on(make_case):
    assert not make_case(workers_count=5, complainant_phone="13900000001").is_collective
    _another_process_sets("collective", threshold=Decimal(5))
    # Within the same request or task the cached rules stay as they were read.
    assert not make_case(workers_count=5, complainant_phone="13900000002").is_collective
    rulecache.request_recheck()  # what the request_started receiver and the task hook do
    assert make_case(workers_count=5, complainant_phone="13900000003").is_collective


def test_a_rule_deleted_by_another_process_is_dropped_from_the_next_request_on(make_case):
    def fired(case: Any) -> set[str]:
        return {r["rule"] for r in case.triage_reasons}

    assert "extreme_words" in fired(make_case(description="要去跳楼", complainant_phone="13900000001"))
    with connection.cursor() as cursor:  # no model signal, as in another process
        cursor.execute(f"DELETE FROM {TriageRule._meta.db_table} WHERE code = %s", ["extreme_words"])  # noqa: S608
    assert "extreme_words" in fired(make_case(description="要去跳楼", complainant_phone="13900000002"))
    rulecache.request_recheck()
    assert "extreme_words" not in fired(make_case(description="要去跳楼", complainant_phone="13900000003"))


def test_a_recheck_without_changes_costs_one_statement(db, django_assert_num_queries):
    first = rulecache.get_rules()
    rulecache.request_recheck()
    with django_assert_num_queries(1):
        assert rulecache.get_rules() is first
    with django_assert_num_queries(0):
        assert rulecache.get_rules() is first


def test_only_active_rules_are_cached(db):
    rule = DeadlineRule.objects.filter(is_active=True).first()
    assert rule is not None
    rule.is_active = False
    rule.save()
    assert rule.pk not in {r.pk for r in rulecache.get_rules().deadline}
    assert all(r.is_active for r in rulecache.get_rules().triage)


def test_the_next_due_date_is_the_earliest_running_clock_after_each_step(calendar, make_case, users):
    from hexie.cases import services

    case = make_case("registered")
    for name, who, params in [("accept", users["desk"], {"track": "inspection"}),
                              ("assign", users["leader"], {"handler": users["handler"].pk,
                                                           "responsible_leader": users["leader"].pk}),
                              ("start_handling", users["handler"], {})]:
        case = services.transition(case_id=case.pk, actor=who, name=name, **params)
        running = Deadline.objects.filter(case=case, state="running", rule__binds_party=False)
        expected = min(d.due_on for d in running)
        assert case.next_due_on == expected  # the returned case reads what the UPDATE wrote
        case.refresh_from_db()
        assert case.next_due_on == expected
