"""Identifiers typed in full-width (Chinese input methods) are stored half-width; an ID number
born in the future or with an unknown province code is refused, naming the field."""

from __future__ import annotations

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from hexie.cases.models import Case
from hexie.cases.tests.test_api import API, PHONE, intake_body
from hexie.core.pii import lookup_hash
from hexie.core.tests.factories import VALID_CREDIT_CODE, VALID_ID
from hexie.core.validators import id_check_char


def wide(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


@pytest.fixture
def desk(users) -> APIClient:
    client = APIClient()
    token, _ = Token.objects.get_or_create(user=users["desk"])
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def test_full_width_identifiers_are_stored_half_width(desk):
    body = intake_body(complainant_id_number=wide(VALID_ID), complainant_phone=wide(PHONE),
                       employer_credit_code=wide(VALID_CREDIT_CODE))
    response = desk.post(f"{API}/cases/", body, format="json")
    assert response.status_code == 201, response.json()
    case = Case.objects.get()
    assert case.complainant_id_number == VALID_ID and case.complainant_phone == PHONE
    assert case.complainant_id_hash == lookup_hash(VALID_ID) and case.complainant_phone_hash == lookup_hash(PHONE)
    assert case.employer_credit_code == VALID_CREDIT_CODE


@pytest.mark.parametrize(("first14", "fragment"), [("99010119900307", "省级行政区划代码"),
                                                   ("11010120990101", "出生日期晚于今天")])
def test_impossible_id_numbers_are_refused_naming_the_field(desk, first14, fragment):
    first17 = first14 + "123"
    response = desk.post(f"{API}/cases/", intake_body(complainant_id_number=first17 + id_check_char(first17)),
                         format="json")
    assert response.status_code == 400
    assert fragment in " ".join(response.json()["complainant_id_number"])
    assert not Case.objects.exists()
