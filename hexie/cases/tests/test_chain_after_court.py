"""The chain reviewed against the law: moving to arbitration keeps the file's own dates, and after a
court result the same file goes on with the clock the law gives (rules.md §2, §8): a payment order
ended by the employer's objection → arbitration; a refused confirmation → mediation again, or a
suit; an award set aside → a suit within 15 days."""

import pytest
from django.core.exceptions import ValidationError

from hexie.cases import services
from hexie.cases.models import Deadline
from hexie.cases.tests.test_chain import at, awarded, clocks, in_mediation, mediated, step, to_arbitration
from hexie.core.errors import TransitionNotAllowed

pytestmark = pytest.mark.django_db


def test_moving_to_arbitration_keeps_the_files_registration_and_acceptance_dates(calendar, make_case, users):
    case = in_mediation(make_case, users)
    received, accepted = case.received_at, case.accepted_at
    case = to_arbitration(case, users)
    case = step(case, users["handler"], "accept_application", at(2026, 3, 12))
    case.refresh_from_db()
    assert (case.received_at, case.accepted_at) == (received, accepted)
    assert accepted.date().isoformat() == "2026-03-03"
    # The arbitration clocks run from the commission's acceptance, kept on the timeline.
    assert clocks(case)["arbitration.award"].starts_on.isoformat() == "2026-03-12"
    assert case.events.get(kind="accept_application").data["accepted_on"] == "2026-03-12"


def payment_order(make_case, users, agency):
    case = mediated(make_case, users, case_type="wage_arrears")
    return step(case, users["handler"], "apply_payment_order", at(2026, 3, 20), agency=agency.pk)


def test_a_payment_order_ended_by_objection_goes_to_arbitration_in_the_same_file(calendar, make_case, users,
                                                                                agency):
    case = payment_order(make_case, users, agency)
    number, accepted = case.number, case.accepted_at
    step(case, users["handler"], "court_result", at(2026, 4, 1), result="objected")
    case = step(case, users["handler"], "after_court", at(2026, 4, 2), route="arbitration")
    case.refresh_from_db()
    assert (case.number, case.status, case.track, case.accepted_at) == (number, "in_handling", "arbitration", accepted)
    assert case.closure_conclusion == "" and case.resolved_at is None
    window = clocks(case)["arbitration.accept_after_payment_order"]
    assert window.state == "running" and window.due_on.isoformat() == "2026-04-07"
    event = case.events.get(kind="after_court")
    assert event.data["previous_track"] == "court" and event.data["track"] == "arbitration"
    # The commission accepts and awards in the same file.
    step(case, users["handler"], "accept_application", at(2026, 4, 3))
    assert clocks(case)["arbitration.award"].starts_on.isoformat() == "2026-04-03"


def test_a_payment_order_issued_does_not_open_arbitration(calendar, make_case, users, agency):
    case = payment_order(make_case, users, agency)
    with pytest.raises(TransitionNotAllowed):
        step(case, users["handler"], "after_court", at(2026, 4, 2), route="arbitration")
    step(case, users["handler"], "court_result", at(2026, 4, 1), result="payment_order")
    with pytest.raises(TransitionNotAllowed) as exc:
        step(case, users["handler"], "after_court", at(2026, 4, 2), route="arbitration")
    assert "发出支付令" in exc.value.message
    with pytest.raises(ValidationError) as bad:
        step(case, users["handler"], "after_court", at(2026, 4, 2), route="tea")
    assert "route" in bad.value.message_dict


def confirmation_refused(make_case, users, agency):
    case = mediated(make_case, users)
    step(case, users["handler"], "apply_confirmation", at(2026, 3, 20), agency=agency.pk)
    return step(case, users["handler"], "court_result", at(2026, 4, 1), result="not_confirmed")


def test_a_refused_confirmation_lets_the_parties_mediate_again(calendar, make_case, users, agency):
    case = confirmation_refused(make_case, users, agency)
    with pytest.raises(TransitionNotAllowed):
        step(case, users["handler"], "after_court", at(2026, 4, 2), route="arbitration")
    case = step(case, users["handler"], "after_court", at(2026, 4, 2), route="mediation")
    assert (case.status, case.track) == ("in_handling", "mediation")
    running = Deadline.objects.filter(case=case, state="running", rule__code="mediation.agreement")
    assert running.get().starts_on.isoformat() == "2026-04-02"


def test_a_refused_confirmation_lets_a_party_sue(calendar, make_case, users, agency):
    case = confirmation_refused(make_case, users, agency)
    case = step(case, users["handler"], "sue_after_court", at(2026, 6, 1), party="worker", agency=agency.pk)
    assert case.events.get(kind="sue_after_court").data["court_action"] == "起诉"
    assert case.track == "court" and case.status == "resolved"


def set_aside(make_case, users, agency):
    case = awarded(make_case, users, final=True)
    step(case, users["handler"], "go_to_court", at(2026, 4, 25), party="employer", court_action="set_aside",
         agency=agency.pk)
    return step(case, users["handler"], "court_result", at(2026, 5, 20), result="set_aside")


def test_an_award_set_aside_opens_fifteen_days_to_sue(calendar, make_case, users, agency):
    case = set_aside(make_case, users, agency)
    window = clocks(case)["court.sue_after_set_aside"]
    assert window.due_on.isoformat() == "2026-06-04" and window.rule.binds_party
    assert "第四十九条" in window.rule.basis
    case = step(case, users["handler"], "sue_after_court", at(2026, 6, 4), party="worker")
    assert clocks(case)["court.sue_after_set_aside"].state == "met"


def test_suing_after_the_fifteen_days_is_refused(calendar, make_case, users, agency):
    case = set_aside(make_case, users, agency)
    with pytest.raises(ValidationError) as exc:
        step(case, users["handler"], "sue_after_court", at(2026, 6, 5), party="worker")
    assert "2026-06-04" in str(exc.value)


def test_an_upheld_award_or_a_confirmed_agreement_cannot_be_sued_again_here(calendar, make_case, users, agency):
    case = mediated(make_case, users)
    step(case, users["handler"], "apply_confirmation", at(2026, 3, 20), agency=agency.pk)
    step(case, users["handler"], "court_result", at(2026, 4, 1), result="confirmed")
    with pytest.raises(TransitionNotAllowed):
        step(case, users["handler"], "sue_after_court", at(2026, 4, 2), party="worker")
    case.refresh_from_db()
    names = [t.name for t in services.allowed_actions(case, users["handler"])]
    assert "after_court" in names  # offered by state and track; refused with the court's result named


def test_the_case_page_offers_the_route_after_the_court(calendar, make_case, users, agency, client):
    case = confirmation_refused(make_case, users, agency)
    client.force_login(users["handler"])
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert "法院结果后转仲裁或重新调解" in page and "重新调解" in page
    r = client.post(f"/cases/{case.pk}/act/after_court/", {"route": "mediation", "version": case.version}, follow=True)
    case.refresh_from_db()
    assert case.track == "mediation" and r.status_code == 200


def test_a_case_back_from_the_court_counts_once_where_it_ended(calendar, make_case, users, agency):
    from hexie.cases.filters import ended_q
    from hexie.cases.models import Case

    def where() -> tuple[int, int]:
        return (Case.objects.filter(ended_q("bureau"), pk=case.pk).count(),
                Case.objects.filter(ended_q("court"), pk=case.pk).count())

    case = payment_order(make_case, users, agency)
    assert where() == (0, 1)
    step(case, users["handler"], "court_result", at(2026, 4, 1), result="objected")
    case = step(case, users["handler"], "after_court", at(2026, 4, 2), route="arbitration")
    step(case, users["handler"], "accept_application", at(2026, 4, 3))
    step(case, users["handler"], "award", at(2026, 5, 6), outcome="worker_won", amount_recovered="9000")
    # Resolved by the award: it ended inside the bureau, counted there and no longer at the court.
    assert where() == (1, 0)


def test_the_api_goes_on_after_the_court_and_names_a_bad_route(calendar, make_case, users, agency, api_client_for):
    from hexie.core import clock

    case = confirmation_refused(make_case, users, agency)
    api = api_client_for(users["handler"])
    with clock.at(at(2026, 4, 2)):
        bad = api.post(f"/api/v1/cases/{case.pk}/transitions/", {"action": "after_court", "route": "appeal"},
                       format="json")
        wrong = api.post(f"/api/v1/cases/{case.pk}/transitions/", {"action": "after_court", "route": "arbitration"},
                         format="json")
        ok = api.post(f"/api/v1/cases/{case.pk}/transitions/", {"action": "after_court", "route": "mediation"},
                      format="json")
    assert bad.status_code == 400 and "route" in bad.json()
    assert wrong.status_code == 409 and "裁定驳回申请" in wrong.json()["detail"]
    assert ok.status_code == 200 and ok.json()["track"] == "mediation" and ok.json()["status"] == "in_handling"
