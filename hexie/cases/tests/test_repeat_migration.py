"""Migration 0014 decides every existing case's repeat flag again by the current definition (the same
complainant again about the same employer or project), rewrites the triage reasons that cite the
old rule, and lowers only the levels that the repeat rule alone had raised."""

from __future__ import annotations

import importlib
from datetime import timedelta

import pytest
from django.apps import apps
from django.utils import timezone

from hexie.cases.models import Case

pytestmark = pytest.mark.django_db

migration = importlib.import_module("hexie.cases.migrations.0014_recompute_repeat_flags")

OLD_REPEAT = {"rule": "repeat", "name": "重复投诉 Repeat complaint", "basis": "地方规则 Local rule",
              "why": "同一投诉人或单位已有3件在办或近期案件",
              "risk_level": "yellow", "attention_level": "key"}


def as_upgraded(case, **fields):
    """The case as the old rule left it: flagged repeat, the old reason, raised to yellow / key."""
    values = {"is_repeat": True, "triage_reasons": [OLD_REPEAT], "risk_level": "yellow", "attention_level": "key"}
    values.update(fields)
    Case.objects.filter(pk=case.pk).update(**values)


def run():
    migration.recompute_repeat(apps, None)
    return {c.pk: c for c in Case.objects.all()}


def rules_of(case):
    return [r["rule"] for r in case.triage_reasons]


def test_a_first_time_complainant_about_a_busy_employer_is_no_longer_repeat_nor_key(make_case):
    make_case(complainant_phone="13900000301", complainant_id_number="")
    first_timer = make_case(complainant_phone="13900000302", complainant_id_number="")
    as_upgraded(first_timer)

    got = run()[first_timer.pk]
    assert not got.is_repeat
    assert rules_of(got) == ["none"]
    assert (got.risk_level, got.attention_level) == ("green", "normal")


def test_the_same_complainant_again_stays_repeat_with_the_new_reason_and_count(make_case):
    make_case(complainant_id_number="")
    again = make_case(complainant_id_number="")
    as_upgraded(again)

    got = run()[again.pk]
    assert got.is_repeat and rules_of(got) == ["repeat"]
    assert "同一投诉人此前已就同一单位或项目投诉1件" in got.triage_reasons[0]["why"]
    assert (got.risk_level, got.attention_level) == ("yellow", "key")


def test_the_window_counts_from_the_later_complaint_for_a_finished_case(make_case):
    now = timezone.now()
    pairs = {}
    for days, phone in ((181, "13900000303"), (179, "13900000304")):
        earlier = make_case(complainant_phone=phone, complainant_id_number="")
        later = make_case(complainant_phone=phone, complainant_id_number="")
        Case.objects.filter(pk=earlier.pk).update(
            received_at=now - timedelta(days=days + 10), status="closed",
            resolved_at=now - timedelta(days=days), closed_at=now - timedelta(days=days))
        Case.objects.filter(pk=later.pk).update(received_at=now - timedelta(days=10))
        as_upgraded(later)
        pairs[days] = later.pk

    got = run()
    assert not got[pairs[181]].is_repeat
    assert got[pairs[179]].is_repeat


def test_an_earlier_case_still_open_when_the_later_arrived_counts_whatever_its_age(make_case):
    now = timezone.now()
    earlier = make_case(complainant_phone="13900000305", complainant_id_number="")
    later = make_case(complainant_phone="13900000305", complainant_id_number="")
    Case.objects.filter(pk=earlier.pk).update(received_at=now - timedelta(days=400), status="closed",
                                              resolved_at=now - timedelta(days=5))
    Case.objects.filter(pk=later.pk).update(received_at=now - timedelta(days=10))

    got = run()
    assert got[later.pk].is_repeat
    assert not got[earlier.pk].is_repeat  # the later case never makes the earlier one repeat


def test_levels_another_rule_raised_are_kept(make_case):
    from decimal import Decimal

    make_case(complainant_phone="13900000306", complainant_id_number="")
    big = make_case(complainant_phone="13900000307", complainant_id_number="", amount_claimed=Decimal("100000"))
    assert (big.risk_level, big.attention_level) == ("orange", "key")
    as_upgraded(big, triage_reasons=[*big.triage_reasons, OLD_REPEAT], risk_level="orange")

    got = run()[big.pk]
    assert not got.is_repeat and "repeat" not in rules_of(got) and "amount_large" in rules_of(got)
    assert (got.risk_level, got.attention_level) == ("orange", "key")


def test_levels_raised_by_hand_since_intake_are_kept(make_case):
    make_case(complainant_phone="13900000308", complainant_id_number="")
    raised = make_case(complainant_phone="13900000309", complainant_id_number="")
    as_upgraded(raised, risk_level="red", attention_level="special")

    got = run()[raised.pk]
    assert not got.is_repeat
    assert (got.risk_level, got.attention_level) == ("red", "special")


def test_an_old_case_newly_counted_as_repeat_is_flagged_but_not_raised(make_case, city):
    from hexie.employers.tests.factories import ProjectFactory

    site = ProjectFactory(org_unit=city["yuelu_street"])
    make_case(complainant_phone="13900000310", complainant_id_number="", employer_name="甲", employer_credit_code="")
    again = make_case(complainant_phone="13900000310", complainant_id_number="", employer_name="乙",
                      employer_credit_code="")
    assert not again.is_repeat
    Case.objects.filter(complainant_phone_last4="0310").update(project=site)

    got = run()[again.pk]
    assert got.is_repeat and "repeat" in rules_of(got)
    assert (got.risk_level, got.attention_level) == ("green", "normal")


def test_namesakes_without_code_in_the_registry_are_one_subject_only_when_unlinked(make_case, city):
    from hexie.employers.tests.factories import EmployerFactory

    registered = EmployerFactory(org_unit=city["yuelu"], name="同名公司")
    make_case(complainant_phone="13900000311", complainant_id_number="", employer_name="同名公司",
              employer_credit_code="")
    linked = make_case(complainant_phone="13900000311", complainant_id_number="", employer_name="同名公司",
                       employer_credit_code=registered.credit_code)
    unlinked = make_case(complainant_phone="13900000311", complainant_id_number="", employer_name="同名公司",
                         employer_credit_code="")
    as_upgraded(linked)

    got = run()
    assert not got[linked.pk].is_repeat  # the registered employer is not the unregistered namesake
    assert got[unlinked.pk].is_repeat


def test_the_recompute_is_a_few_queries_whatever_the_number_of_cases(make_case, django_assert_max_num_queries):
    for i in range(6):
        case = make_case(complainant_phone=f"1390000032{i}", complainant_id_number="")
        as_upgraded(case)
    with django_assert_max_num_queries(16):
        migration.recompute_repeat(apps, None)
    assert not Case.objects.filter(is_repeat=True).exists()


def test_a_case_without_phone_or_id_number_is_nobody_s_repeat(make_case):
    make_case(complainant_phone="13900000330", complainant_id_number="")
    anonymous = make_case(complainant_phone="13900000331", complainant_id_number="")
    Case.objects.filter(pk=anonymous.pk).update(complainant_phone_hash="", complainant_id_hash="")
    as_upgraded(anonymous)

    got = run()[anonymous.pk]
    assert not got.is_repeat and rules_of(got) == ["none"]
