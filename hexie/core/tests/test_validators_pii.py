import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from hexie.core import pii
from hexie.core.validators import (
    is_valid_credit_code,
    is_valid_id_number,
    validate_credit_code,
    validate_id_number,
    validate_phone,
)

GOOD_ID = "110101199003071233"
GOOD_CC = "91430100MA4L16JQ9D"


def test_id_number_checksum_accepts_a_valid_number_and_x():
    assert is_valid_id_number(GOOD_ID)
    assert is_valid_id_number("11010519491231002X")


@pytest.mark.parametrize("bad", ["110101199003071234", "11010119900307123", "110101199013071233", "ABC"])
def test_id_number_rejects_bad_checksum_length_or_birthdate(bad):
    assert not is_valid_id_number(bad)
    with pytest.raises(ValidationError) as exc:
        validate_id_number(bad)
    assert "身份证" in exc.value.messages[0]


def test_credit_code_checksum():
    assert is_valid_credit_code(GOOD_CC)
    assert not is_valid_credit_code(GOOD_CC[:-1] + "E")
    with pytest.raises(ValidationError, match="统一社会信用代码"):
        validate_credit_code(GOOD_CC[:-1] + "E")
    with pytest.raises(ValidationError, match="18"):
        validate_credit_code("91430100MA4L16JQ9")  # 17 characters


@pytest.mark.parametrize("phone", ["13800138000", "0731-88888888", "+86 138 0013 8000"])
def test_phone_accepts_mobile_and_landline(phone):
    validate_phone(phone)


@pytest.mark.parametrize("phone", ["12345", "23800138000", "1380013800a"])
def test_phone_rejects_garbage(phone):
    with pytest.raises(ValidationError, match="联系电话"):
        validate_phone(phone)


def test_masking():
    assert pii.mask_phone("13800138000") == "138****8000"
    assert pii.mask_id_number(GOOD_ID) == "110***********1233"
    assert pii.mask_bank_card("6222020200112233445") == "**** **** 3445"


@pytest.mark.django_db
def test_phone_and_id_number_are_encrypted_at_rest(make_case):
    case = make_case()
    with connection.cursor() as cur:
        cur.execute("SELECT complainant_phone, complainant_id_number FROM cases_case WHERE id = %s", [case.pk])
        raw_phone, raw_id = cur.fetchone()
    assert "13800138000" not in raw_phone and GOOD_ID not in raw_id
    assert pii.decrypt(raw_phone) == "13800138000"
    case.refresh_from_db()
    assert case.complainant_phone == "13800138000"
    assert case.complainant_phone_hash == pii.lookup_hash("13800138000")
