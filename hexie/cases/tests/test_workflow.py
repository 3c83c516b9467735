"""Every transition: allowed from its states by its roles, refused otherwise, with a timeline event."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404

from hexie.cases import services
from hexie.cases.models import Case, Referral, Status
from hexie.cases.services import transitions
from hexie.cases.workflow import TRANSITIONS
from hexie.core.errors import NotPermitted, StaleState, TransitionNotAllowed

pytestmark = pytest.mark.django_db

# transition -> (a state it starts from, who may take it, params it needs)
ALLOWED = {
    "accept": ("registered", "desk", {}),
    "refuse": ("registered", "desk", {"reason": "不属于本局管辖"}),
    "assign": ("accepted", "leader", None),
    "start_handling": ("assigned", "handler", {"track": "mediation"}),
    "transfer_track": ("in_handling", "handler", {"track": "mediation"}),
    "suspend": ("in_handling", "handler", {"reason": "等待司法鉴定"}),
    "resume": ("suspended", "handler", {}),
    "resolve": ("in_handling", "handler", {"conclusion": "paid_in_full", "amount_recovered": "8000",
                                           "workers_benefited": 1}),
    "start_follow_up": ("resolved", "desk", {}),
    "close": ("follow_up", "desk", {"satisfaction": 4}),
    "reopen": ("follow_up", "leader", {"reason": "工人反映仍未足额支付"}),
}


def _at_state(make_case, users, state):
    if state == "suspended":
        case = make_case("in_handling")
        return services.transition(case_id=case.pk, actor=users["handler"], name="suspend", reason="x")
    return make_case(state)


# The steps of the chain between procedures need a case on a given track: test_chain.py walks each.
CHAIN = {"to_arbitration", "accept_application", "award", "apply_confirmation", "apply_payment_order",
         "go_to_court", "court_result", "order_payment", "additional_compensation", "refer_police", "route_to_body",
         "after_court", "sue_after_court"}  # the last two: test_chain_after_court.py


def test_every_transition_is_covered():
    assert set(ALLOWED) | CHAIN == set(TRANSITIONS)
    assert not set(ALLOWED) & CHAIN


@pytest.mark.parametrize("name", sorted(ALLOWED))
def test_allowed_transition_moves_the_case_and_files_an_event(name, make_case, users):
    state, who, params = ALLOWED[name]
    case = _at_state(make_case, users, state)
    if params is None:
        params = {"handler": users["handler"].pk, "responsible_leader": users["leader"].pk}
    before = case.events.count()
    moved = services.transition(case_id=case.pk, actor=users[who], name=name, **params)
    assert moved.status == TRANSITIONS[name].target
    assert moved.version == case.version + 1
    event = moved.events.order_by("-id").first()
    assert moved.events.count() == before + 1
    assert (event.kind, event.from_status, event.to_status) == (name, state, TRANSITIONS[name].target)


@pytest.mark.parametrize("name", sorted(set(ALLOWED) | CHAIN))
def test_transition_from_a_wrong_state_is_refused(name, make_case, users):
    case = make_case("closed")
    with pytest.raises(TransitionNotAllowed) as exc:
        services.transition(case_id=case.pk, actor=users["admin"], name=name, reason="x")
    assert "已结案" in exc.value.message
    assert Case.objects.get(pk=case.pk).status == Status.CLOSED


@pytest.mark.parametrize(("name", "who"), [
    ("accept", "partner"), ("assign", "desk"), ("assign", "handler"), ("start_handling", "desk"),
    ("resolve", "desk"), ("suspend", "desk"), ("reopen", "desk"),
])
def test_wrong_role_is_refused(name, who, make_case, users):
    state = ALLOWED[name][0]
    case = make_case(state)
    with pytest.raises((NotPermitted, Http404)):
        services.transition(case_id=case.pk, actor=users[who], name=name, reason="x", track="mediation")


def test_another_handler_cannot_act_on_a_case_assigned_to_someone_else(make_case, users):
    case = make_case("in_handling")
    with pytest.raises(NotPermitted, match="承办人"):
        services.transition(case_id=case.pk, actor=users["handler2"], name="suspend", reason="x")


def test_outsider_gets_not_found_like_a_missing_case(make_case, users):
    case = make_case()
    with pytest.raises(Http404):
        services.transition(case_id=case.pk, actor=users["outsider"], name="accept")
    with pytest.raises(Http404):
        services.transition(case_id=999999, actor=users["desk"], name="accept")


def test_two_clerks_cannot_both_accept_the_same_case(make_case, users):
    case = make_case()
    services.transition(case_id=case.pk, actor=users["desk"], name="accept", expected_version=case.version)
    with pytest.raises((StaleState, TransitionNotAllowed)):
        services.transition(case_id=case.pk, actor=users["leader"], name="accept", expected_version=case.version)
    assert Case.objects.get(pk=case.pk).events.filter(kind="accept").count() == 1


def test_conditional_update_loses_when_the_row_changed_underneath(make_case, users):
    """Two processes read the same version; the second UPDATE matches no row."""
    case = make_case()
    stale = Case.objects.get(pk=case.pk)
    services.transition(case_id=case.pk, actor=users["desk"], name="accept")
    with pytest.raises(StaleState):
        transitions._apply_transition(case=stale, t=TRANSITIONS["refuse"], actor=users["desk"],
                                      params={"reason": "x"})


@pytest.mark.parametrize(("name", "state", "params", "field"), [
    ("refuse", "registered", {}, "reason"),
    ("assign", "accepted", {"responsible_leader": 0}, "handler"),
    ("accept", "registered", {"track": "consultation"}, "track"),
    ("accept", "registered", {"track": "referral"}, "agency"),
    ("start_handling", "assigned", {"track": "petition"}, "track"),
    ("start_handling", "assigned", {"track": "referral"}, "agency"),
    ("transfer_track", "in_handling", {"track": "inspection"}, "track"),
    ("transfer_track", "in_handling", {}, "track"),
    ("resolve", "in_handling", {}, "conclusion"),
    ("resolve", "in_handling", {"conclusion": "paid_in_full", "amount_recovered": "-1"}, "amount_recovered"),
    ("close", "follow_up", {"satisfaction": 9}, "satisfaction"),
])
def test_missing_or_bad_inputs_name_the_field(name, state, params, field, make_case, users):
    case = make_case(state)
    who = {"accept": "desk", "refuse": "desk", "assign": "leader", "close": "desk"}.get(name, "handler")
    with pytest.raises(ValidationError) as exc:
        services.transition(case_id=case.pk, actor=users[who], name=name, **params)
    assert field in exc.value.message_dict
    assert Case.objects.get(pk=case.pk).status == state


def test_assign_refuses_a_handler_from_another_district(make_case, users):
    case = make_case("accepted")
    with pytest.raises(ValidationError) as exc:
        services.transition(case_id=case.pk, actor=users["leader"], name="assign",
                            handler=users["outsider"].pk, responsible_leader=users["leader"].pk)
    assert "handler" in exc.value.message_dict


def test_referral_creates_a_referral_the_partner_can_answer(make_case, users, agency):
    case = make_case("assigned")
    services.transition(case_id=case.pk, actor=users["handler"], name="start_handling", track="referral",
                        agency=agency.pk)
    ref = Referral.objects.get(case=case)
    services.answer_referral(referral_id=ref.pk, actor=users["partner"], answer="已立案受理")
    assert case.events.filter(kind="referral_answered").exists()
    with pytest.raises(TransitionNotAllowed):
        services.answer_referral(referral_id=ref.pk, actor=users["partner"], answer="again")


def test_rating_3_or_more_closes_and_1_or_2_reopens(make_case, users):
    good = make_case("resolved")
    assert services.record_rating(case=good, satisfaction=4).status == Status.CLOSED
    bad = make_case("resolved", complainant_phone="13900000009", complainant_id_number="")
    reopened = services.record_rating(case=bad, satisfaction=1, comment="钱没拿到")
    assert reopened.status == Status.IN_HANDLING and reopened.reopen_count == 1
    assert reopened.closure_conclusion == "" and reopened.satisfaction is None


def test_rating_before_resolution_is_refused(make_case):
    with pytest.raises(TransitionNotAllowed):
        services.record_rating(case=make_case("in_handling"), satisfaction=5)


def test_resolve_records_amounts(make_case, users):
    case = make_case("in_handling")
    case = services.transition(case_id=case.pk, actor=users["handler"], name="resolve", conclusion="mediated",
                               amount_recovered="12000.50", workers_benefited=3)
    assert case.amount_recovered == Decimal("12000.50") and case.workers_benefited == 3
    assert case.resolved_at is not None
