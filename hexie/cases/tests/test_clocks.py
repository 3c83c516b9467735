"""Statutory clocks (rules.md §2) on the real 2026 calendar: each rule, suspension, extension,
restart, provisional years, and overdue derived at query time."""

from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from hexie.cases import services
from hexie.cases.filters import CaseFilter
from hexie.cases.models import Case, Deadline, DeadlineRule
from hexie.core import clock
from hexie.core.errors import NotPermitted, TransitionNotAllowed
from hexie.workcal.models import CalendarYear
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


def assigned(make_case, users, received, **kw):
    with clock.at(received):
        case = make_case("registered", received_at=received, **kw)
    return walk(case, users, ("accept", "desk", {}),
                ("assign", "leader", {"handler": users["handler"].pk, "responsible_leader": users["leader"].pk}),
                when=received)


def test_acceptance_is_five_working_days_across_national_day(calendar, make_case):
    # Received Mon 28 Sep 2026: 29, 30 Sep, (1–7 Oct holiday), 8, 9 Oct, Sat 10 Oct (make-up day) = 5.
    with clock.at(at(2026, 9, 28)):
        case = make_case(received_at=at(2026, 9, 28))
    d = running(case, "inspection.accept")
    assert d.due_on == date(2026, 10, 10) and not d.is_provisional
    assert "第十八条" in d.rule.basis
    assert Case.objects.get(pk=case.pk).next_due_on == date(2026, 10, 10)


def test_acceptance_in_an_ordinary_week_does_not_count_the_start_day(calendar, make_case):
    with clock.at(at(2026, 3, 2)):  # a Monday
        case = make_case(received_at=at(2026, 3, 2))
    assert running(case, "inspection.accept").due_on == date(2026, 3, 9)


def test_accepting_meets_the_acceptance_clock(calendar, make_case, users):
    with clock.at(at(2026, 3, 2)):
        case = make_case(received_at=at(2026, 3, 2))
    walk(case, users, ("accept", "desk", {}), when=at(2026, 3, 4))
    d = Deadline.objects.get(case=case, rule__code="inspection.accept")
    assert d.state == "met" and d.finished_on_time is True


def test_petition_registration_period_ending_in_the_holiday_moves_to_the_next_working_day(calendar, make_case):
    with clock.at(at(2026, 9, 20)):
        case = make_case(case_type="petition", received_at=at(2026, 9, 20))
    # 20 Sep + 15 days = 5 Oct (National Day) → Thursday 8 Oct.
    assert running(case, "petition.register").due_on == date(2026, 10, 8)


def test_calendar_period_ending_on_a_weekday_is_unchanged(calendar, make_case):
    with clock.at(at(2026, 3, 2)):
        case = make_case(case_type="petition", received_at=at(2026, 3, 2))
    assert running(case, "petition.register").due_on == date(2026, 3, 17)


def test_mediation_is_fifteen_days_from_receipt(calendar, make_case, users):
    case = assigned(make_case, users, at(2026, 3, 2))
    walk(case, users, ("start_handling", "handler", {"track": "mediation"}), when=at(2026, 3, 2))
    d = running(case, "mediation.agreement")
    assert d.due_on == date(2026, 3, 17) and "第十四条" in d.rule.basis


def test_inspection_is_sixty_working_days_and_extends_by_thirty(calendar, make_case, users):
    case = assigned(make_case, users, at(2026, 3, 2))
    walk(case, users, ("start_handling", "handler", {"track": "inspection"}), when=at(2026, 3, 2))
    d = running(case, "inspection.investigate")
    # 60 working days after 2 Mar 2026, skipping Qingming (6 Apr? per calendar) and Labour Day.
    from hexie.workcal.rules import add_working_days
    from hexie.workcal.selectors import get_calendar

    assert d.due_on == add_working_days(get_calendar(), date(2026, 3, 2), 60).due_on
    with clock.at(at(2026, 4, 1)):
        services.extend_deadline(deadline_id=d.pk, actor=users["leader"], reason="案情复杂，经局长批准")
    d.refresh_from_db()
    assert d.extended and d.due_on == add_working_days(get_calendar(), date(2026, 3, 2), 90).due_on
    assert case.events.filter(kind="extended").exists()


def test_extension_is_refused_twice_and_for_non_extendable_clocks_and_for_handlers(calendar, make_case, users):
    case = assigned(make_case, users, at(2026, 3, 2))
    walk(case, users, ("start_handling", "handler", {"track": "arbitration"}), when=at(2026, 3, 2))
    award = running(case, "arbitration.award")
    with pytest.raises(NotPermitted):
        services.extend_deadline(deadline_id=award.pk, actor=users["handler"], reason="x")
    services.extend_deadline(deadline_id=award.pk, actor=users["leader"], reason="仲裁委主任书面批准")
    award.refresh_from_db()
    assert award.due_on == date(2026, 5, 1) + timedelta(days=5)  # 2 Mar + 60 = 1 May (holiday) → 6 May
    with pytest.raises(TransitionNotAllowed):
        services.extend_deadline(deadline_id=award.pk, actor=users["leader"], reason="again")
    other = assigned(make_case, users, at(2026, 3, 2), complainant_phone="13900000031", complainant_id_number="")
    walk(other, users, ("start_handling", "handler", {"track": "mediation"}), when=at(2026, 3, 2))
    with pytest.raises(TransitionNotAllowed, match="不能延长"):
        services.extend_deadline(deadline_id=running(other, "mediation.agreement").pk, actor=users["leader"],
                                 reason="x")


def test_arbitration_award_is_45_days_and_restarts_on_amended_claims(calendar, make_case, users):
    case = assigned(make_case, users, at(2026, 3, 2))
    walk(case, users, ("start_handling", "handler", {"track": "arbitration"}), when=at(2026, 3, 2))
    assert running(case, "arbitration.award").due_on == date(2026, 4, 16)
    with clock.at(at(2026, 3, 20)):
        services.restart_clock(case_id=case.pk, actor=users["handler"], ground="change_claims", note="增加请求")
    assert running(case, "arbitration.award").due_on == date(2026, 5, 6)  # 20 Mar + 45 = 4 May (holiday) → 6 May
    assert Deadline.objects.filter(case=case, rule__code="arbitration.award", state="cancelled").count() == 1
    event = case.events.get(kind="clock_restarted")
    assert "第四十六条" in event.data["basis"]


def test_restart_is_only_for_arbitration(calendar, make_case, users):
    case = assigned(make_case, users, at(2026, 3, 2))
    walk(case, users, ("start_handling", "handler", {"track": "mediation"}), when=at(2026, 3, 2))
    with pytest.raises(TransitionNotAllowed):
        services.restart_clock(case_id=case.pk, actor=users["handler"], ground="change_claims")


def test_suspension_stops_the_clock(calendar, make_case, users):
    case = assigned(make_case, users, at(2026, 3, 2))
    walk(case, users, ("start_handling", "handler", {"track": "mediation"}), when=at(2026, 3, 2))
    walk(case, users, ("suspend", "handler", {"reason": "当事人住院"}), when=at(2026, 3, 5))
    d = running(case, "mediation.agreement")
    assert d.state == "paused"
    assert Case.objects.get(pk=case.pk).next_due_on is None  # a paused clock is never overdue
    walk(case, users, ("resume", "handler", {}), when=at(2026, 3, 15))
    d.refresh_from_db()
    assert d.state == "running" and d.paused_days == 10
    assert d.due_on == date(2026, 3, 27)  # 17 Mar + 10 days


def test_resolution_meets_the_track_clock_late_or_on_time(calendar, make_case, users):
    case = assigned(make_case, users, at(2026, 3, 2))
    walk(case, users, ("start_handling", "handler", {"track": "mediation"}), when=at(2026, 3, 2))
    walk(case, users, ("resolve", "handler", {"conclusion": "mediated"}), when=at(2026, 3, 20))
    d = Deadline.objects.get(case=case, rule__code="mediation.agreement")
    assert d.state == "met" and d.finished_on_time is False


def test_unknown_year_is_provisional_then_recomputed_when_entered(calendar, make_case):
    with clock.at(at(2026, 12, 28)):
        case = make_case(case_type="petition", received_at=at(2026, 12, 28))
    d = running(case, "petition.register")
    assert d.is_provisional and d.due_on == date(2027, 1, 12)
    CalendarYear.objects.filter(year=2027).delete()
    from hexie.workcal.models import SpecialDay

    SpecialDay.objects.create(date=date(2027, 1, 12), kind="holiday", name="假想的调休")
    set_year_complete(year=2027)
    d.refresh_from_db()
    assert not d.is_provisional and d.due_on == date(2027, 1, 13)
    assert case.events.filter(kind="deadline_recomputed").exists()


def test_a_known_year_is_not_provisional(calendar, make_case):
    with clock.at(at(2026, 6, 1)):
        case = make_case(case_type="petition", received_at=at(2026, 6, 1))
    assert not running(case, "petition.register").is_provisional


def test_overdue_is_derived_at_query_time(calendar, make_case, users):
    with clock.at(at(2026, 3, 2)):
        late = make_case(received_at=at(2026, 3, 2))
    fresh = make_case(complainant_phone="13900000041", complainant_id_number="")
    qs = Case.objects.all()
    overdue = CaseFilter({"overdue": "true"}, queryset=qs).qs
    assert list(overdue) == [Case.objects.get(pk=late.pk)]
    assert fresh.pk in CaseFilter({"overdue": "false"}, queryset=qs).qs.values_list("pk", flat=True)


def test_deadline_rules_are_versioned_data(calendar, make_case):
    rule = DeadlineRule.objects.get(code="petition.register")
    DeadlineRule.objects.create(**{**{f.name: getattr(rule, f.name) for f in rule._meta.fields if f.name != "id"},
                                   "length": 10, "effective_from": date(2026, 6, 1)})
    with clock.at(at(2026, 3, 2)):
        before = make_case(case_type="petition", received_at=at(2026, 3, 2))
    with clock.at(at(2026, 7, 1)):
        after = make_case(case_type="petition", received_at=at(2026, 7, 1), complainant_phone="13900000051",
                          complainant_id_number="")
    assert running(before, "petition.register").rule.length == 15
    assert running(after, "petition.register").due_on == date(2026, 7, 13)  # 11 Jul is a Saturday


def test_simple_wage_clue_runs_on_the_three_day_quick_close_clock(calendar, make_case, users):
    with clock.at(at(2026, 3, 2)):
        case = make_case(received_at=at(2026, 3, 2), amount_claimed=Decimal("8000"))
    walk(case, users, ("accept", "desk", {}), when=at(2026, 3, 2))
    d = running(case, "wage_clue.quick_close")
    assert d.due_on == date(2026, 3, 5) and not d.rule.is_verified  # a local rule, flagged as such


def test_complex_wage_case_has_no_quick_close_clock(calendar, make_case, users):
    with clock.at(at(2026, 3, 2)):
        case = make_case(received_at=at(2026, 3, 2), amount_claimed=Decimal("30000"))  # ≥ 2万: complex
    walk(case, users, ("accept", "desk", {}), when=at(2026, 3, 2))
    assert not Deadline.objects.filter(case=case, rule__code="wage_clue.quick_close").exists()


def test_petition_handling_is_sixty_days_and_ends_after_labour_day(calendar, make_case, users):
    case = assigned(make_case, users, at(2026, 3, 2), case_type="petition")
    walk(case, users, ("start_handling", "handler", {"track": "petition"}), when=at(2026, 3, 2))
    d = running(case, "petition.handle")
    # 2 Mar + 60 days = Fri 1 May, inside the Labour Day holiday (1–5 May) → Wed 6 May.
    assert d.due_on == date(2026, 5, 6) and "第三十四条" in d.rule.basis and d.rule.extension_length == 30


def test_referral_answer_is_fifteen_working_days(calendar, make_case, users, agency):
    case = assigned(make_case, users, at(2026, 3, 2))
    walk(case, users, ("start_handling", "handler", {"track": "referral", "agency": agency.pk}), when=at(2026, 3, 2))
    assert running(case, "referral.answer").due_on == date(2026, 3, 23)
    assert not Deadline.objects.filter(case=case, rule__code="inspection.investigate").exists()
