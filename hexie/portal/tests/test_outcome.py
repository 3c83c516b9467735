"""Tracking a resolved case shows how it was resolved, what was recovered and who handled it,
before the worker is asked to rate it."""

from __future__ import annotations

import pytest
from django.utils import timezone

from hexie.cases.models import Case, Referral
from hexie.portal.tests.test_portal import track

pytestmark = pytest.mark.django_db


def test_a_resolved_case_shows_its_outcome_before_the_rating_form(client, make_case):
    case = make_case("resolved")
    html = track(client, case.tracking_code, "8000").content.decode()
    assert 'id="outcome"' in html
    assert "已足额支付" in html and "8,000.00 元" in html and "1人受益" in html
    assert "岳麓区人力资源和社会保障局劳动保障监察机构" in html
    assert html.index('id="outcome"') < html.index('id="rate-form"')


def test_a_case_still_in_handling_shows_no_outcome(client, make_case):
    case = make_case("in_handling")
    html = track(client, case.tracking_code, "8000").content.decode()
    assert 'id="outcome"' not in html and "追回金额" not in html


def test_a_closed_case_still_shows_its_outcome(client, make_case):
    case = make_case("closed")
    html = track(client, case.tracking_code, "8000").content.decode()
    assert 'id="outcome"' in html and 'id="rate-form"' not in html


def test_the_office_is_the_body_of_the_track_the_case_took(client, make_case):
    case = make_case("resolved", track="arbitration")
    html = track(client, case.tracking_code, "8000").content.decode()
    assert "岳麓区劳动人事争议仲裁委员会" in html and "劳动保障监察机构" not in html


def test_a_referred_case_names_the_partner_agency_that_handled_it(client, make_case, users):
    case = make_case("resolved")
    Case.objects.filter(pk=case.pk).update(track="referral")
    Referral.objects.create(case=case, agency=users["partner"].agency, referred_at=timezone.now())
    html = track(client, case.tracking_code, "8000").content.decode()
    assert users["partner"].agency.name in html


def test_the_api_answers_the_outcome_only_once_resolved(client, make_case):
    resolved, open_case = make_case("resolved"), make_case("accepted")
    url = "/api/v1/public/track/"
    body = client.post(url, {"tracking_code": resolved.tracking_code, "phone_last4": "8000"},
                       content_type="application/json").json()
    assert body["outcome"]["amount_recovered"] == "8000.00" and "监察" in body["outcome"]["office"]
    body = client.post(url, {"tracking_code": open_case.tracking_code, "phone_last4": "8000"},
                       content_type="application/json").json()
    assert body["outcome"] is None


def test_the_outcome_costs_a_fixed_number_of_statements(client, make_case, django_assert_max_num_queries):
    case = make_case("resolved")
    track(client, case.tracking_code, "8000")  # warm the session and the rate-limit rows
    with django_assert_max_num_queries(5):
        response = track(client, case.tracking_code, "8000")
    assert 'id="outcome"' in response.content.decode()
