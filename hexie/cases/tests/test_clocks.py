"""Statutory clocks (rules.md §2) on the real 2026 calendar: the acceptance clock of the body that
accepts each type of case, the handling clock from acceptance, suspension, extension, restart,
provisional years, and overdue derived at query time."""

from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from hexie.cases import services
from hexie.cases.filters import CaseFilter
from hexie.cases.models import Case, Deadline, DeadlineRule
from hexie.cases.sweeps import run_supervision_sweep
from hexie.core import clock
from hexie.core.errors import NotPermitted, TransitionNotAllowed
from hexie.workcal.models import CalendarYear, SpecialDay
from hexie.workcal.rules import add_working_days
from hexie.workcal.selectors import get_calendar
from hexie.workcal.services import set_year_complete

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")


def at(y, m, d, h=10):
    return datetime(y, m, d, h, tzinfo=TZ)


def running(case, code):
    return Deadline.objects.get(case=case, rule__code=code, state__in=["running", "paused"])


def walk(case, users, *steps, when):
    with clock.at(when):
        for name, who, params in steps:
            case = services.transition(case_id=case.pk, actor=users[who], name=name, **params)
    return case


def registered(make_case, received, **kw):
    with clock.at(received):
        return make_case("registered", received_at=received, **kw)


def accepted(make_case, users, received, accepted_at=None, track=None, **kw):
    """Received, then accepted (on `track`, or the type's default) and assigned on `accepted_at`."""
    case = registered(make_case, received, **kw)
    return walk(case, users, ("accept", "desk", {"track": track} if track else {}),
                ("assign", "leader", {"handler": users["handler"].pk, "responsible_leader": users["leader"].pk}),
                when=accepted_at or received)


# --- acceptance: the clock of the body that accepts ------------------------------------------------


def test_a_wage_complaint_is_accepted_within_five_working_days_across_national_day(calendar, make_case):
    # Received Mon 28 Sep 2026: 29, 30 Sep, (1–7 Oct holiday), 8, 9 Oct, Sat 10 Oct (make-up day) = 5.
    case = registered(make_case, at(2026, 9, 28))
    d = running(case, "inspection.accept")
    assert d.due_on == date(2026, 10, 10) and not d.is_provisional
    assert "第十八条" in d.rule.basis
    assert Case.objects.get(pk=case.pk).next_due_on == date(2026, 10, 10)


def test_acceptance_in_an_ordinary_week_does_not_count_the_start_day(calendar, make_case):
    assert running(registered(make_case, at(2026, 3, 2)), "inspection.accept").due_on == date(2026, 3, 9)


def test_a_labour_dispute_is_the_arbitration_commissions_five_calendar_days(calendar, make_case):
    # Wed 4 Mar + 5 days = Mon 9 Mar, a working day: not moved.
    case = registered(make_case, at(2026, 3, 4), case_type="labour_dispute")
    d = running(case, "arbitration.accept")
    assert d.due_on == date(2026, 3, 9) and d.rule.unit == "calendar" and "第二十九条" in d.rule.basis
    assert not Deadline.objects.filter(case=case, rule__code="inspection.accept").exists()


@pytest.mark.parametrize(("received", "due"), [
    (at(2026, 3, 2), date(2026, 3, 9)),  # + 5 = Sat 7 Mar: a rest day, so Mon 9 Mar
    (at(2026, 3, 3), date(2026, 3, 9)),  # + 5 = Sun 8 Mar: Mon 9 Mar
    (at(2026, 9, 28), date(2026, 10, 8)),  # + 5 = 3 Oct, National Day: the first working day after it
    (at(2026, 10, 5), date(2026, 10, 10)),  # + 5 = Sat 10 Oct, a make-up working day: not moved
])
def test_the_arbitration_acceptance_period_ending_on_a_rest_day_moves_to_the_next_working_day(
        calendar, make_case, received, due):
    assert running(registered(make_case, received, case_type="labour_dispute"), "arbitration.accept").due_on == due


def test_a_petition_is_the_petition_offices_fifteen_days(calendar, make_case):
    # 20 Sep + 15 days = 5 Oct (National Day) → Thursday 8 Oct.
    d = running(registered(make_case, at(2026, 9, 20), case_type="petition"), "petition.register")
    assert d.due_on == date(2026, 10, 8) and "第二十二条" in d.rule.basis


def test_calendar_period_ending_on_a_weekday_is_unchanged(calendar, make_case):
    assert running(registered(make_case, at(2026, 3, 2), case_type="petition"), "petition.register").due_on == \
        date(2026, 3, 17)


def test_a_consultation_has_a_local_unverified_clock(calendar, make_case):
    d = running(registered(make_case, at(2026, 3, 5), case_type="consultation"), "consultation.accept")
    assert d.due_on == date(2026, 3, 9) and d.rule.unit == "working" and not d.rule.is_verified  # Thu + 2 = Mon


def test_each_case_type_has_its_own_acceptance_rule(calendar, make_case):
    codes = {}
    for i, case_type in enumerate(["wage_arrears", "labour_dispute", "petition", "consultation"]):
        case = registered(make_case, at(2026, 3, 2), case_type=case_type, complainant_phone=f"1390000010{i}")
        codes[case_type] = set(case.deadlines.values_list("rule__code", flat=True))
    assert codes == {"wage_arrears": {"inspection.accept"}, "labour_dispute": {"arbitration.accept"},
                     "petition": {"petition.register"}, "consultation": {"consultation.accept"}}


def test_accepting_meets_the_acceptance_clock(calendar, make_case, users):
    case = registered(make_case, at(2026, 3, 2))
    walk(case, users, ("accept", "desk", {}), when=at(2026, 3, 4))
    d = Deadline.objects.get(case=case, rule__code="inspection.accept")
    assert d.state == "met" and d.finished_on_time is True


# --- handling: from acceptance ---------------------------------------------------------------------


def test_inspection_runs_sixty_working_days_from_acceptance_not_from_receipt_nor_start(calendar, make_case, users):
    case = accepted(make_case, users, at(2026, 3, 2), accepted_at=at(2026, 3, 4))
    d = running(case, "inspection.investigate")
    assert d.starts_on == date(2026, 3, 4)
    assert d.due_on == add_working_days(get_calendar(), date(2026, 3, 4), 60).due_on
    assert d.due_on != add_working_days(get_calendar(), date(2026, 3, 2), 60).due_on
    case = walk(case, users, ("start_handling", "handler", {}), when=at(2026, 3, 20))
    assert Deadline.objects.get(pk=d.pk).state == "running"  # starting to handle moves no clock
    assert Deadline.objects.filter(case=case, rule__code="inspection.investigate").count() == 1


def test_an_accepted_and_assigned_case_is_on_its_clock_and_reaches_supervision(calendar, make_case, users):
    case = accepted(make_case, users, at(2026, 3, 2), track="arbitration", case_type="labour_dispute",
                    amount_claimed=Decimal("50000"))
    case = Case.objects.get(pk=case.pk)
    assert case.status == "assigned" and case.next_due_on == date(2026, 4, 16)  # 2 Mar + 45 days
    assert run_supervision_sweep(today=date(2026, 4, 16))["overdue"] == 0
    assert run_supervision_sweep(today=date(2026, 4, 17))["overdue"] == 1
    assert list(CaseFilter({"overdue": "true"}, queryset=Case.objects.all()).qs) == [case]


def test_arbitration_award_is_45_days_from_acceptance(calendar, make_case, users):
    # Accepted Wed 4 Mar: + 45 = Sat 18 Apr, a rest day → Mon 20 Apr.
    case = accepted(make_case, users, at(2026, 3, 2), accepted_at=at(2026, 3, 4), track="arbitration",
                    case_type="labour_dispute")
    d = running(case, "arbitration.award")
    assert d.starts_on == date(2026, 3, 4) and d.due_on == date(2026, 4, 20)


def test_mediation_is_fifteen_days_from_receipt_even_when_accepted_later(calendar, make_case, users):
    case = accepted(make_case, users, at(2026, 3, 2), accepted_at=at(2026, 3, 5), track="mediation")
    d = running(case, "mediation.agreement")
    assert d.starts_on == date(2026, 3, 2) and d.due_on == date(2026, 3, 17) and "第十四条" in d.rule.basis


def test_petition_handling_is_sixty_days_from_acceptance_and_ends_after_labour_day(calendar, make_case, users):
    case = accepted(make_case, users, at(2026, 3, 2), case_type="petition")
    d = running(case, "petition.handle")
    # 2 Mar + 60 days = Fri 1 May, inside the Labour Day holiday (1–5 May) → Wed 6 May.
    assert d.due_on == date(2026, 5, 6) and "第三十四条" in d.rule.basis and d.rule.extension_length == 30


def test_a_consultation_is_answered_within_five_working_days_of_receipt(calendar, make_case, users):
    case = accepted(make_case, users, at(2026, 3, 2), accepted_at=at(2026, 3, 3), case_type="consultation")
    d = running(case, "consultation.answer")
    assert Case.objects.get(pk=case.pk).track == "consultation"
    assert d.starts_on == date(2026, 3, 2) and d.due_on == date(2026, 3, 9) and not d.rule.is_verified


def test_referral_answer_is_fifteen_working_days_from_acceptance(calendar, make_case, users, agency):
    case = registered(make_case, at(2026, 3, 2))
    walk(case, users, ("accept", "desk", {"track": "referral", "agency": agency.pk}), when=at(2026, 3, 2))
    assert running(case, "referral.answer").due_on == date(2026, 3, 23)
    assert case.referrals.get().agency == agency
    assert not Deadline.objects.filter(case=case, rule__code="inspection.investigate").exists()


def test_simple_wage_clue_runs_on_the_three_day_quick_close_clock(calendar, make_case, users):
    case = accepted(make_case, users, at(2026, 3, 2), amount_claimed=Decimal("8000"))
    d = running(case, "wage_clue.quick_close")
    assert d.due_on == date(2026, 3, 5) and not d.rule.is_verified  # a local rule, flagged as such
    assert Case.objects.get(pk=case.pk).next_due_on == date(2026, 3, 5)


def test_complex_wage_case_has_no_quick_close_clock(calendar, make_case, users):
    case = accepted(make_case, users, at(2026, 3, 2), amount_claimed=Decimal("30000"))  # ≥ 2万: complex
    assert not Deadline.objects.filter(case=case, rule__code="wage_clue.quick_close").exists()
    assert running(case, "inspection.investigate")


# --- suspension, extension, restart ----------------------------------------------------------------


def test_inspection_extends_by_thirty_working_days(calendar, make_case, users):
    case = accepted(make_case, users, at(2026, 3, 2), amount_claimed=Decimal("30000"))
    d = running(case, "inspection.investigate")
    with clock.at(at(2026, 4, 1)):
        services.extend_deadline(deadline_id=d.pk, actor=users["leader"], reason="案情复杂，经局长批准")
    d.refresh_from_db()
    assert d.extended and d.due_on == add_working_days(get_calendar(), date(2026, 3, 2), 90).due_on
    assert case.events.filter(kind="extended").exists()


def test_extension_is_refused_twice_and_for_non_extendable_clocks_and_for_handlers(calendar, make_case, users):
    case = accepted(make_case, users, at(2026, 3, 2), track="arbitration")
    award = running(case, "arbitration.award")
    with pytest.raises(NotPermitted):
        services.extend_deadline(deadline_id=award.pk, actor=users["handler"], reason="x")
    services.extend_deadline(deadline_id=award.pk, actor=users["leader"], reason="仲裁委主任书面批准")
    award.refresh_from_db()
    assert award.due_on == date(2026, 5, 1) + timedelta(days=5)  # 2 Mar + 60 = 1 May (holiday) → 6 May
    with pytest.raises(TransitionNotAllowed):
        services.extend_deadline(deadline_id=award.pk, actor=users["leader"], reason="again")
    other = accepted(make_case, users, at(2026, 3, 2), track="mediation", complainant_phone="13900000031",
                     complainant_id_number="")
    with pytest.raises(TransitionNotAllowed, match="不能延长"):
        services.extend_deadline(deadline_id=running(other, "mediation.agreement").pk, actor=users["leader"],
                                 reason="x")


def test_arbitration_award_restarts_on_amended_claims_in_handling(calendar, make_case, users):
    case = accepted(make_case, users, at(2026, 3, 2), track="arbitration")
    walk(case, users, ("start_handling", "handler", {}), when=at(2026, 3, 3))
    assert running(case, "arbitration.award").due_on == date(2026, 4, 16)
    with clock.at(at(2026, 3, 20)):
        services.restart_clock(case_id=case.pk, actor=users["handler"], ground="change_claims", note="增加请求")
    assert running(case, "arbitration.award").due_on == date(2026, 5, 6)  # 20 Mar + 45 = 4 May (holiday) → 6 May
    assert Deadline.objects.filter(case=case, rule__code="arbitration.award", state="cancelled").count() == 1
    assert "第四十六条" in case.events.get(kind="clock_restarted").data["basis"]


def test_the_award_clock_restarts_before_handling_starts_but_not_while_suspended(calendar, make_case, users):
    case = accepted(make_case, users, at(2026, 3, 2), track="arbitration")  # assigned, not yet handled
    with clock.at(at(2026, 3, 10)):
        services.restart_clock(case_id=case.pk, actor=users["handler"], ground="add_party")
    assert running(case, "arbitration.award").starts_on == date(2026, 3, 10)
    walk(case, users, ("start_handling", "handler", {}), ("suspend", "handler", {"reason": "等待鉴定"}),
         when=at(2026, 3, 11))
    with pytest.raises(TransitionNotAllowed):
        services.restart_clock(case_id=case.pk, actor=users["handler"], ground="add_party")


def test_restart_is_only_for_arbitration(calendar, make_case, users):
    case = accepted(make_case, users, at(2026, 3, 2), track="mediation")
    with pytest.raises(TransitionNotAllowed):
        services.restart_clock(case_id=case.pk, actor=users["handler"], ground="change_claims")


def test_suspension_stops_the_clock_started_at_acceptance(calendar, make_case, users):
    case = accepted(make_case, users, at(2026, 3, 2), track="mediation")
    walk(case, users, ("start_handling", "handler", {}), ("suspend", "handler", {"reason": "当事人住院"}),
         when=at(2026, 3, 5))
    d = running(case, "mediation.agreement")
    assert d.state == "paused"
    assert Case.objects.get(pk=case.pk).next_due_on is None  # a paused clock is never overdue
    walk(case, users, ("resume", "handler", {}), when=at(2026, 3, 15))
    d.refresh_from_db()
    assert d.state == "running" and d.paused_days == 10
    assert d.due_on == date(2026, 3, 27)  # 17 Mar + 10 days


def test_resolution_meets_the_track_clock_late_or_on_time(calendar, make_case, users):
    case = accepted(make_case, users, at(2026, 3, 2), track="mediation")
    walk(case, users, ("start_handling", "handler", {}), when=at(2026, 3, 2))
    walk(case, users, ("resolve", "handler", {"conclusion": "mediated"}), when=at(2026, 3, 20))
    d = Deadline.objects.get(case=case, rule__code="mediation.agreement")
    assert d.state == "met" and d.finished_on_time is False


def test_reopening_starts_the_track_clock_again_from_that_day(calendar, make_case, users):
    case = accepted(make_case, users, at(2026, 3, 2), track="mediation")
    walk(case, users, ("start_handling", "handler", {}), ("resolve", "handler", {"conclusion": "mediated"}),
         when=at(2026, 3, 10))
    walk(case, users, ("reopen", "leader", {"reason": "未履行"}), when=at(2026, 3, 20))
    assert running(case, "mediation.agreement").starts_on == date(2026, 3, 20)


# --- provisional years, overdue, versions ----------------------------------------------------------


def test_unknown_year_is_provisional_then_recomputed_when_entered(calendar, make_case):
    d = running(registered(make_case, at(2026, 12, 28), case_type="petition"), "petition.register")
    assert d.is_provisional and d.due_on == date(2027, 1, 12)
    CalendarYear.objects.filter(year=2027).delete()
    SpecialDay.objects.create(date=date(2027, 1, 12), kind="holiday", name="假想的调休")
    set_year_complete(year=2027)
    d.refresh_from_db()
    assert not d.is_provisional and d.due_on == date(2027, 1, 13)
    assert d.case.events.filter(kind="deadline_recomputed").exists()


def test_a_known_year_is_not_provisional(calendar, make_case):
    assert not running(registered(make_case, at(2026, 6, 1), case_type="petition"), "petition.register").is_provisional


def test_overdue_is_derived_at_query_time(calendar, make_case, users):
    late = registered(make_case, at(2026, 3, 2))
    fresh = make_case(complainant_phone="13900000041", complainant_id_number="")
    qs = Case.objects.all()
    overdue = CaseFilter({"overdue": "true"}, queryset=qs).qs
    assert list(overdue) == [Case.objects.get(pk=late.pk)]
    assert fresh.pk in CaseFilter({"overdue": "false"}, queryset=qs).qs.values_list("pk", flat=True)


def test_deadline_rules_are_versioned_data(calendar, make_case):
    rule = DeadlineRule.objects.get(code="petition.register")
    DeadlineRule.objects.create(**{**{f.name: getattr(rule, f.name) for f in rule._meta.fields if f.name != "id"},
                                   "length": 10, "effective_from": date(2026, 6, 1)})
    before = registered(make_case, at(2026, 3, 2), case_type="petition")
    after = registered(make_case, at(2026, 7, 1), case_type="petition", complainant_phone="13900000051",
                       complainant_id_number="")
    assert running(before, "petition.register").rule.length == 15
    assert running(after, "petition.register").due_on == date(2026, 7, 13)  # 11 Jul is a Saturday


def test_every_clock_says_what_it_counts_from(db):
    words = {r.code: r.period_words() for r in DeadlineRule.objects.all()}
    assert words["inspection.investigate"] == "自立案之日起六十个工作日内"
    assert words["arbitration.accept"] == "自收到仲裁申请之日起五日内"
    assert words["arbitration.award"] == "自受理仲裁申请之日起四十五日内"
    assert words["mediation.agreement"] == "自收到调解申请之日起十五日内"
    assert words["inspection.accept"] == "自收到投诉之日起五个工作日内"


def test_the_migrated_rules_are_what_the_seed_says(db):
    from hexie.cases.seed import CLOCKS_BY_ACCEPTING_BODY

    for row in CLOCKS_BY_ACCEPTING_BODY:
        rule = DeadlineRule.objects.get(code=row["code"], effective_from=row["effective_from"])
        expected = row.get("set") or {k: v for k, v in row.items() if k not in ("code", "effective_from")}
        assert {k: getattr(rule, k) for k in expected} == expected, row["code"]
    assert DeadlineRule.objects.get(code="inspection.accept").case_types == ["wage_arrears"]
