"""ID numbers: a date of birth in the future or an unknown province code is refused; full-width
digits and letters typed by Chinese input methods are normalised in every identifier."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from hexie.core import clock
from hexie.core.validators import (
    id_check_char,
    is_valid_credit_code,
    is_valid_id_number,
    normalise_account_number,
    normalise_credit_code,
    normalise_id_number,
    normalise_phone,
    validate_credit_code,
    validate_id_number,
    validate_mobile,
    validate_phone,
)

GOOD_ID = "110101199003071233"
GOOD_CC = "91430100MA4L16JQ9D"
TODAY = date(2026, 12, 7)


def wide(text: str) -> str:
    """The same text as a Chinese input method in full-width mode types it."""
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


def id_with(*, area: str = "430104", born: date = date(1990, 1, 1)) -> str:
    first17 = f"{area}{born:%Y%m%d}123"
    return first17 + id_check_char(first17)


@pytest.fixture(autouse=True)
def fixed_today():
    with clock.at(timezone.make_aware(datetime(TODAY.year, TODAY.month, TODAY.day, 12))):
        yield


def test_birth_date_today_is_accepted_tomorrow_is_refused():
    validate_id_number(id_with(born=TODAY))
    assert is_valid_id_number(id_with(born=TODAY))
    future = id_with(born=TODAY + timedelta(days=1))
    assert not is_valid_id_number(future)
    with pytest.raises(ValidationError) as exc:
        validate_id_number(future)
    assert exc.value.code == "id_birthdate_future"
    assert "出生日期晚于今天" in exc.value.messages[0]


@pytest.mark.parametrize("area", ["110101", "650102", "820000", "830000"])
def test_known_province_codes_are_accepted(area):
    assert is_valid_id_number(id_with(area=area))


@pytest.mark.parametrize("area", ["000000", "100101", "160101", "660101", "990101"])
def test_unknown_province_codes_are_refused(area):
    number = id_with(area=area)  # the check character is right: only the area is wrong
    assert not is_valid_id_number(number)
    with pytest.raises(ValidationError) as exc:
        validate_id_number(number)
    assert exc.value.code == "id_area"
    assert "省级行政区划代码" in exc.value.messages[0]


def test_full_width_id_number_is_normalised_and_accepted():
    typed = wide("11010519491231002x")
    validate_id_number(typed)
    assert is_valid_id_number(typed)
    assert normalise_id_number("　" + typed + " ") == "11010519491231002X"
    assert normalise_id_number(wide(GOOD_ID)) == GOOD_ID


def test_full_width_phone_credit_code_and_account_number_are_normalised():
    validate_phone(wide("13800138000"))
    validate_mobile(wide("13800138000"))
    validate_phone(wide("0731-88888888"))
    assert normalise_phone("（＋８６）１３８ ００１３ ８０００".replace("（＋８６）", "＋８６")) == "13800138000"
    assert normalise_phone(wide("0731-88888888")) == "0731-88888888"
    validate_credit_code(wide(GOOD_CC.lower()))
    assert is_valid_credit_code(wide(GOOD_CC)) and normalise_credit_code(wide(GOOD_CC)) == GOOD_CC
    assert normalise_account_number(wide("6222 0202-0011 2233")) == "6222020200112233"


def test_full_width_is_not_a_licence_for_other_characters():
    with pytest.raises(ValidationError):
        validate_id_number("١١٠١٠١١٩٩٠٠٣٠٧١٢٣٣")  # Arabic-Indic digits are not an ID number
    with pytest.raises(ValidationError):
        validate_phone("１３８００１３８００Ａ")
