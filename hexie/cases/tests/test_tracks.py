"""The track is chosen at acceptance (a default per type of case) and may change later: a change
finishes the old track's clocks and starts the new track's, counted from the day of the change."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError

from hexie.cases import services
from hexie.cases.models import Case, Deadline
from hexie.core import clock

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")


def at(y, m, d, h=10):
    return datetime(y, m, d, h, tzinfo=TZ)


def step(case, user, name, when, **params):
    with clock.at(when):
        return services.transition(case_id=case.pk, actor=user, name=name, **params)


def registered(make_case, case_type="wage_arrears", **kw):
    with clock.at(at(2026, 3, 2)):
        return make_case("registered", received_at=at(2026, 3, 2), case_type=case_type, **kw)


def clocks(case):
    return {d.rule.code: d for d in Deadline.objects.filter(case=case).select_related("rule")}


@pytest.mark.parametrize(("case_type", "track", "clock_code"), [
    ("wage_arrears", "inspection", "inspection.investigate"),
    ("labour_dispute", "arbitration", "arbitration.award"),
    ("petition", "petition", "petition.handle"),
    ("consultation", "consultation", "consultation.answer"),
])
def test_acceptance_without_a_track_takes_the_types_default_and_starts_its_clock(
        calendar, make_case, users, case_type, track, clock_code):
    case = step(registered(make_case, case_type), users["desk"], "accept", at(2026, 3, 3))
    assert case.track == track
    assert clocks(case)[clock_code].state == "running"
    assert case.events.get(kind="accept").data["track"] == track


def test_acceptance_takes_another_track_that_fits(calendar, make_case, users):
    case = step(registered(make_case, "labour_dispute"), users["desk"], "accept", at(2026, 3, 3), track="mediation")
    assert case.track == "mediation" and "arbitration.award" not in clocks(case)
    assert clocks(case)["mediation.agreement"].state == "running"


@pytest.mark.parametrize(("case_type", "track"), [
    ("consultation", "arbitration"), ("wage_arrears", "petition"), ("labour_dispute", "consultation"),
])
def test_a_track_that_does_not_fit_the_type_is_refused_naming_track(calendar, make_case, users, case_type, track):
    case = registered(make_case, case_type)
    with pytest.raises(ValidationError) as exc:
        step(case, users["desk"], "accept", at(2026, 3, 3), track=track)
    assert "track" in exc.value.message_dict and track in exc.value.message_dict["track"][0]
    assert Case.objects.get(pk=case.pk).status == "registered"
    assert clocks(case)["inspection.accept" if case_type == "wage_arrears" else
                        {"consultation": "consultation.accept", "labour_dispute": "arbitration.accept"}[
                            case_type]].state == "running"


def test_starting_to_handle_on_the_same_track_keeps_its_clock(calendar, make_case, users):
    case = registered(make_case)
    step(case, users["desk"], "accept", at(2026, 3, 2))
    step(case, users["leader"], "assign", at(2026, 3, 3), handler=users["handler"].pk,
         responsible_leader=users["leader"].pk)
    before = clocks(case)["inspection.investigate"]
    step(case, users["handler"], "start_handling", at(2026, 3, 5), track="inspection")
    after = Deadline.objects.filter(case=case, rule__code="inspection.investigate")
    assert [d.pk for d in after] == [before.pk] and after[0].state == "running"


def test_changing_track_at_start_finishes_the_old_clock_and_starts_the_new_from_that_day(calendar, make_case, users):
    case = registered(make_case, "labour_dispute")
    step(case, users["desk"], "accept", at(2026, 3, 2), track="mediation")
    step(case, users["leader"], "assign", at(2026, 3, 2), handler=users["handler"].pk,
         responsible_leader=users["leader"].pk)
    case = step(case, users["handler"], "start_handling", at(2026, 3, 6), track="arbitration")
    got = clocks(case)
    assert got["mediation.agreement"].state == "met" and got["mediation.agreement"].finished_on_time is True
    award = got["arbitration.award"]
    assert award.state == "running" and award.starts_on == date(2026, 3, 6) and award.due_on == date(2026, 4, 20)
    assert Case.objects.get(pk=case.pk).next_due_on == date(2026, 4, 20)
    event = case.events.get(kind="start_handling")
    assert (event.data["previous_track"], event.data["track"]) == ("mediation", "arbitration")


def test_a_late_change_finishes_the_old_clock_as_late(calendar, make_case, users):
    case = registered(make_case, "labour_dispute")
    step(case, users["desk"], "accept", at(2026, 3, 2), track="mediation")
    step(case, users["leader"], "assign", at(2026, 3, 2), handler=users["handler"].pk,
         responsible_leader=users["leader"].pk)
    step(case, users["handler"], "start_handling", at(2026, 3, 3))
    # Mediation due 17 Mar; no agreement by the 18th: on to arbitration (调裁衔接).
    case = step(case, users["handler"], "transfer_track", at(2026, 3, 18), track="arbitration")
    got = clocks(case)
    assert got["mediation.agreement"].state == "met" and got["mediation.agreement"].finished_on_time is False
    assert got["arbitration.award"].starts_on == date(2026, 3, 18) and case.status == "in_handling"


def test_transfer_to_the_same_track_is_refused(calendar, make_case, users):
    case = make_case("in_handling", track="mediation")
    with pytest.raises(ValidationError) as exc:
        services.transition(case_id=case.pk, actor=users["handler"], name="transfer_track", track="mediation")
    assert "track" in exc.value.message_dict


def test_a_change_to_referral_names_the_agency_and_refers_once(calendar, make_case, users, agency):
    case = make_case("in_handling")
    with pytest.raises(ValidationError) as exc:
        services.transition(case_id=case.pk, actor=users["handler"], name="transfer_track", track="referral")
    assert "agency" in exc.value.message_dict
    services.transition(case_id=case.pk, actor=users["handler"], name="transfer_track", track="referral",
                        agency=agency.pk)
    assert case.referrals.count() == 1
    assert clocks(case)["referral.answer"].state == "running"
    assert clocks(case)["inspection.investigate"].state == "met"


def test_a_case_accepted_onto_referral_is_not_referred_again_when_handling_starts(calendar, make_case, users, agency):
    case = registered(make_case)
    step(case, users["desk"], "accept", at(2026, 3, 2), track="referral", agency=agency.pk)
    step(case, users["leader"], "assign", at(2026, 3, 2), handler=users["handler"].pk,
         responsible_leader=users["leader"].pk)
    step(case, users["handler"], "start_handling", at(2026, 3, 3))
    assert case.referrals.count() == 1 and Deadline.objects.filter(case=case, rule__code="referral.answer").count() == 1
