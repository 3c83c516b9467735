"""One file along the whole chain: mediation → arbitration → award → court, a mediation agreement
to the court, an inspection's unpaid order to additional compensation or the police (rules.md §2, §8)."""

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError

from hexie.cases import services
from hexie.cases.models import Case, Deadline
from hexie.core import clock
from hexie.core.errors import TransitionNotAllowed
from hexie.orgs.models import AgencyKind
from hexie.orgs.tests.factories import PartnerAgencyFactory

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")


def at(y, m, d, h=10):
    return datetime(y, m, d, h, tzinfo=TZ)


def step(case, user, name, when, **params):
    with clock.at(when):
        return services.transition(case_id=case.pk, actor=user, name=name, **params)


def clocks(case):
    return {d.rule.code: d for d in Deadline.objects.filter(case=case).select_related("rule")}


def in_mediation(make_case, users, case_type="labour_dispute", **kw):
    """A dispute received 2 March 2026, accepted onto mediation the next day, being handled."""
    with clock.at(at(2026, 3, 2)):
        case = make_case("registered", received_at=at(2026, 3, 2), case_type=case_type, **kw)
    step(case, users["desk"], "accept", at(2026, 3, 3), track="mediation")
    step(case, users["leader"], "assign", at(2026, 3, 3), handler=users["handler"].pk,
         responsible_leader=users["leader"].pk)
    return step(case, users["handler"], "start_handling", at(2026, 3, 4))


def to_arbitration(case, users, when=None, ground="failed"):
    return step(case, users["handler"], "to_arbitration", when or at(2026, 3, 10), ground=ground, note="双方分歧较大")


def awarded(make_case, users, final=False):
    case = to_arbitration(in_mediation(make_case, users), users)
    step(case, users["handler"], "accept_application", at(2026, 3, 12))
    return step(case, users["handler"], "award", at(2026, 4, 20), outcome="worker_won", final=final,
                amount_recovered="12000")


def test_failed_mediation_moves_to_arbitration_in_the_same_file(calendar, make_case, users):
    case = in_mediation(make_case, users, amount_claimed=Decimal("12000"))
    number, complainant = case.number, case.complainant_name
    case = to_arbitration(case, users)
    assert (case.number, case.complainant_name, case.amount_claimed) == (number, complainant, Decimal("12000"))
    assert case.track == "arbitration" and case.status == "in_handling"
    c = clocks(case)
    # The mediation clock (15 days from receipt, due 17 March) finished in time; the commission's 5 days run.
    assert c["mediation.agreement"].state == "met" and c["mediation.agreement"].finished_on_time is True
    assert c["arbitration.accept_after_mediation"].state == "running"
    assert c["arbitration.accept_after_mediation"].due_on.isoformat() == "2026-03-16"
    assert "arbitration.award" not in c
    event = case.events.get(kind="to_arbitration")
    assert event.data == {"track": "arbitration", "previous_track": "mediation", "ground": "调解不成"}


def test_accepting_the_application_starts_the_award_clock_from_acceptance(calendar, make_case, users):
    case = to_arbitration(in_mediation(make_case, users), users)
    case = step(case, users["handler"], "accept_application", at(2026, 3, 12))
    c = clocks(case)
    assert c["arbitration.accept_after_mediation"].state == "met"
    assert c["arbitration.award"].state == "running" and c["arbitration.award"].starts_on.isoformat() == "2026-03-12"
    assert case.next_due_on == c["arbitration.award"].due_on


def test_mediation_that_ran_late_finishes_late(calendar, make_case, users):
    case = to_arbitration(in_mediation(make_case, users), users, when=at(2026, 3, 20), ground="expired")
    assert clocks(case)["mediation.agreement"].finished_on_time is False


def test_expiry_is_refused_before_the_fifteen_days_run_out(calendar, make_case, users):
    case = in_mediation(make_case, users)
    # Due 17 March (15 days from receipt on 2 March): on the due day it has not run out yet.
    with pytest.raises(ValidationError) as exc:
        to_arbitration(case, users, when=at(2026, 3, 17), ground="expired")
    assert "ground" in exc.value.message_dict
    case = to_arbitration(case, users, when=at(2026, 3, 18), ground="expired")
    assert case.track == "arbitration"


def test_only_a_case_in_mediation_goes_to_arbitration_by_this_step(calendar, make_case, users):
    case = make_case("in_handling", case_type="labour_dispute", track="inspection")
    with pytest.raises(TransitionNotAllowed):
        to_arbitration(case, users)
    assert "to_arbitration" not in [t.name for t in services.allowed_actions(case, users["handler"])]


def test_an_award_opens_the_workers_window_to_sue_which_is_not_the_bureaus_deadline(calendar, make_case, users):
    case = awarded(make_case, users)
    assert case.status == "resolved" and case.closure_conclusion == "awarded" and case.outcome == "worker_won"
    c = clocks(case)
    assert c["arbitration.award"].state == "met"
    assert c["award.worker_sues"].state == "running" and c["award.worker_sues"].due_on.isoformat() == "2026-05-06"
    assert "award.set_aside" not in c
    # 15 days from 20 April end on 5 May, a Labour Day holiday: the window runs to the next working day.
    # A party's window never makes the case due or overdue.
    assert Case.objects.get(pk=case.pk).next_due_on is None


def test_a_final_award_also_opens_the_employers_thirty_days_to_set_it_aside(calendar, make_case, users):
    c = clocks(awarded(make_case, users, final=True))
    assert c["award.set_aside"].due_on.isoformat() == "2026-05-20"


def test_the_worker_sues_within_fifteen_days_and_the_case_goes_to_court(calendar, make_case, users, agency):
    case = awarded(make_case, users)
    case = step(case, users["handler"], "go_to_court", at(2026, 5, 6), party="worker", court_action="sue",
                agency=agency.pk)
    assert case.track == "court" and case.referrals.get().agency == agency
    assert clocks(case)["award.worker_sues"].state == "met"
    case = step(case, users["handler"], "court_result", at(2026, 6, 1), result="judgment")
    assert case.events.get(kind="court_result").data["result"] == "作出判决"


def test_suing_after_the_fifteen_days_is_refused(calendar, make_case, users):
    case = awarded(make_case, users)
    with pytest.raises(ValidationError) as exc:
        step(case, users["handler"], "go_to_court", at(2026, 5, 7), party="worker", court_action="sue")
    assert "court_action" in exc.value.message_dict and "2026-05-06" in exc.value.message_dict["court_action"][0]
    assert Case.objects.get(pk=case.pk).track == "arbitration"


def test_only_the_employer_sets_aside_and_only_a_final_award(calendar, make_case, users):
    case = awarded(make_case, users, final=False)
    with pytest.raises(ValidationError):
        step(case, users["handler"], "go_to_court", at(2026, 4, 25), party="employer", court_action="set_aside")
    final = awarded(make_case, users, final=True)
    with pytest.raises(ValidationError):
        step(final, users["handler"], "go_to_court", at(2026, 4, 25), party="worker", court_action="set_aside")
    final = step(final, users["handler"], "go_to_court", at(2026, 5, 20), party="employer", court_action="set_aside")
    assert final.track == "court"


def mediated(make_case, users, **kw):
    case = in_mediation(make_case, users, **kw)
    return step(case, users["handler"], "resolve", at(2026, 3, 10), conclusion="mediated",
                amount_recovered="9000", workers_benefited=1)


def test_a_mediation_agreement_opens_thirty_days_to_apply_for_judicial_confirmation(calendar, make_case, users,
                                                                                     agency):
    case = mediated(make_case, users)
    window = clocks(case)["mediation.confirmation"]
    assert window.due_on.isoformat() == "2026-04-09" and window.rule.binds_party
    case = step(case, users["handler"], "apply_confirmation", at(2026, 4, 9), agency=agency.pk)
    c = clocks(case)
    assert case.track == "court" and c["mediation.confirmation"].state == "met"
    assert c["court.confirmation_decision"].state == "running"
    step(case, users["handler"], "court_result", at(2026, 4, 20), result="confirmed")
    assert clocks(case)["court.confirmation_decision"].state == "met"


def test_judicial_confirmation_after_thirty_days_is_refused(calendar, make_case, users):
    case = mediated(make_case, users)
    with pytest.raises(ValidationError):
        step(case, users["handler"], "apply_confirmation", at(2026, 4, 10))


def test_confirmation_only_for_a_mediation_agreement(calendar, make_case, users):
    case = make_case("resolved", case_type="labour_dispute")
    with pytest.raises(TransitionNotAllowed):
        step(case, users["handler"], "apply_confirmation", at(2026, 4, 1))


def test_a_payment_order_rests_on_a_wage_agreement(calendar, make_case, users, agency):
    wages = mediated(make_case, users, case_type="wage_arrears")
    wages = step(wages, users["handler"], "apply_payment_order", at(2026, 3, 20), agency=agency.pk)
    assert wages.track == "court"
    other = mediated(make_case, users)
    with pytest.raises(TransitionNotAllowed):
        step(other, users["handler"], "apply_payment_order", at(2026, 3, 20))


def test_a_court_must_be_a_court(calendar, make_case, users, other_agency):
    case = mediated(make_case, users)
    with pytest.raises(ValidationError) as exc:
        step(case, users["handler"], "apply_confirmation", at(2026, 3, 20), agency=other_agency.pk)
    assert "agency" in exc.value.message_dict


def in_inspection(make_case, users, **kw):
    with clock.at(at(2026, 3, 2)):
        return make_case("in_handling", received_at=at(2026, 3, 2), **kw)


def ordered(make_case, users, **kw):
    case = in_inspection(make_case, users, **kw)
    return step(case, users["handler"], "order_payment", at(2026, 3, 10), amount_owed="20000", pay_within_days=10)


@pytest.mark.parametrize(("rate", "ok"), [("49", False), ("50", True), ("100", True), ("100.5", False)])
def test_additional_compensation_within_fifty_to_one_hundred_percent(calendar, make_case, users, rate, ok):
    case = ordered(make_case, users)
    if not ok:
        with pytest.raises(ValidationError) as exc:
            step(case, users["handler"], "additional_compensation", at(2026, 3, 21), rate=rate)
        assert "rate" in exc.value.message_dict
        return
    case = step(case, users["handler"], "additional_compensation", at(2026, 3, 21), rate=rate)
    data = case.events.get(kind="additional_compensation").data
    assert Decimal(data["compensation"]) == Decimal("20000") * Decimal(rate) / 100


def test_additional_compensation_only_once_the_order_is_overdue(calendar, make_case, users):
    case = in_inspection(make_case, users)
    with pytest.raises(TransitionNotAllowed):
        step(case, users["handler"], "additional_compensation", at(2026, 3, 21), rate="50")
    case = ordered(make_case, users)
    with pytest.raises(TransitionNotAllowed):
        step(case, users["handler"], "additional_compensation", at(2026, 3, 20), rate="50")


@pytest.mark.parametrize(("workers", "owed", "ok"), [
    (1, "4999.99", False), (1, "5000", True), (10, "30000", True), (9, "29999", False)])
def test_referral_to_the_police_above_the_criminal_threshold(calendar, make_case, users, city, workers, owed, ok):
    police = PartnerAgencyFactory(name="岳麓分局", kind=AgencyKind.POLICE, org_unit=city["yuelu"])
    case = ordered(make_case, users, workers_count=workers)
    largest = owed if workers == 1 else "3000"
    if not ok:
        with pytest.raises(ValidationError) as exc:
            step(case, users["handler"], "refer_police", at(2026, 3, 21), agency=police.pk, amount_owed=owed,
                 largest_owed=largest)
        assert "amount_owed" in exc.value.message_dict
        return
    case = step(case, users["handler"], "refer_police", at(2026, 3, 21), agency=police.pk, amount_owed=owed,
                largest_owed=largest)
    assert case.track == "referral" and case.referrals.get().agency == police
    assert clocks(case)["referral.answer"].state == "running"


def test_the_chain_is_shown_as_chapters(calendar, make_case, users, agency):
    from hexie.cases.chapters import chapters

    case = awarded(make_case, users)
    step(case, users["handler"], "go_to_court", at(2026, 4, 25), party="worker", court_action="sue", agency=agency.pk)
    parts = chapters(list(case.events.order_by("at", "id")))
    assert [c.track for c in parts] == ["", "mediation", "arbitration", "court"]
    assert parts[2].events[0].kind == "to_arbitration"


def test_the_case_page_shows_a_chapter_per_track_and_the_next_steps(calendar, make_case, users, client):
    case = to_arbitration(in_mediation(make_case, users), users)
    client.force_login(users["handler"])
    with clock.at(at(2026, 3, 11)):
        page = client.get(f"/cases/{case.pk}/").content.decode()
    assert page.index('data-track="arbitration"') < page.index('data-track="mediation"')
    assert "/act/accept_application/" in page and "/act/to_arbitration/" not in page


def test_the_api_takes_a_step_of_the_chain_and_names_a_bad_field(calendar, make_case, users, api_client_for):
    case = in_mediation(make_case, users)
    api = api_client_for(users["handler"])
    with clock.at(at(2026, 3, 10)):
        bad = api.post(f"/api/v1/cases/{case.pk}/transitions/", {"action": "to_arbitration", "ground": "bored"},
                       format="json")
        ok = api.post(f"/api/v1/cases/{case.pk}/transitions/", {"action": "to_arbitration", "ground": "failed"},
                      format="json")
    assert bad.status_code == 400 and "ground" in bad.json()
    assert ok.status_code == 200 and ok.json()["track"] == "arbitration"


def test_a_lapsed_partys_window_is_never_supervised(calendar, make_case, users):
    from hexie.cases.models import Supervision
    from hexie.cases.sweeps import run_supervision_sweep

    case = awarded(make_case, users)
    with clock.at(at(2026, 6, 1)):
        run_supervision_sweep()
    assert clocks(case)["award.worker_sues"].state == "running"  # lapsed, and nobody's to chase
    assert not Supervision.objects.filter(case=case).exists()
