"""Validators for the identifiers a bureau handles (rules.md §7), with messages in Chinese and English."""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from typing import Final

from django.core.exceptions import ValidationError
from django.utils.translation import gettext

from hexie.core import clock

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"

# GB 32100-2015: the 31 characters allowed (no I, O, Z, S, V), and the weights of the first 17 positions.
CREDIT_CODE_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_CC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)

# GB/T 2260: the first two digits of a resident ID number name a province-level division. 71, 81 and
# 82 are Taiwan, Hong Kong and Macao; 83 begins the residence permits of Taiwan residents (GB 11643).
ID_PROVINCE_CODES = frozenset({
    "11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37", "41", "42", "43",
    "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64", "65", "71", "81", "82", "83",
})

# Chinese input methods type full-width digits and letters (０-９, Ｘ) and the ideographic space;
# compatibility normalisation turns them into the ASCII forms every identifier is checked and stored
# in. The feed imports apply the same form to whole columns (pyarrow's utf8_normalize).
IDENTIFIER_FORM: Final = "NFKC"

_MOBILE = re.compile(r"^1[3-9]\d{9}$")
_LANDLINE = re.compile(r"^0\d{2,3}-?\d{7,8}$")


def id_check_char(first17: str) -> str:
    """ISO 7064 MOD 11-2 check character of an 18-character resident ID number."""
    total = sum(int(c) * w for c, w in zip(first17, _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11]


def normalise_identifier(value: str | None) -> str:
    """An identifier as typed → its ASCII form without surrounding blanks (full-width digits and
    letters made half-width). The one normaliser for ID numbers, phones, credit codes and account
    numbers, wherever they are entered."""
    return unicodedata.normalize(IDENTIFIER_FORM, value or "").strip()


def normalise_id_number(value: str | None) -> str:
    """Half-width, and a final 'x' is the check character 'X'."""
    return normalise_identifier(value).upper()


def _id_number_error(value: str) -> ValidationError | None:
    if not re.fullmatch(r"\d{17}[\dX]", value, flags=re.ASCII):
        return ValidationError(
            gettext("身份证号码应为18位，前17位为数字，最后一位为数字或X"),
            code="id_format",
        )
    if value[:2] not in ID_PROVINCE_CODES:
        return ValidationError(
            gettext("身份证号码前两位不是有效的省级行政区划代码（GB/T 2260），请核对"),
            code="id_area",
        )
    try:
        born = date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        return ValidationError(
            gettext("身份证号码中的出生日期不存在"),
            code="id_birthdate",
        )
    if born > clock.today():
        return ValidationError(
            gettext("身份证号码中的出生日期晚于今天，请核对"),
            code="id_birthdate_future",
        )
    if id_check_char(value[:17]) != value[17]:
        return ValidationError(
            gettext("身份证号码校验位不正确，请核对"),
            code="id_checksum",
        )
    return None


def is_valid_id_number(value: str) -> bool:
    return _id_number_error(normalise_id_number(value)) is None


def validate_id_number(value: str) -> None:
    error = _id_number_error(normalise_id_number(value))
    if error is not None:
        raise error


def credit_code_check_char(first17: str) -> str:
    """GB 32100-2015 check character of a unified social credit code."""
    total = sum(CREDIT_CODE_CHARS.index(c) * w for c, w in zip(first17, _CC_WEIGHTS, strict=True))
    return CREDIT_CODE_CHARS[(31 - total % 31) % 31]


def normalise_credit_code(value: str | None) -> str:
    return normalise_identifier(value).upper()


def is_valid_credit_code(value: str) -> bool:
    value = normalise_credit_code(value)
    if len(value) != 18 or any(c not in CREDIT_CODE_CHARS for c in value):
        return False
    return credit_code_check_char(value[:17]) == value[17]


def validate_credit_code(value: str) -> None:
    value = normalise_credit_code(value)
    if len(value) != 18 or any(c not in CREDIT_CODE_CHARS for c in value):
        raise ValidationError(
            gettext("统一社会信用代码应为18位数字或大写字母（不含I、O、Z、S、V）"),
            code="credit_code_format",
        )
    if credit_code_check_char(value[:17]) != value[17]:
        raise ValidationError(
            gettext("统一社会信用代码校验位不正确，请核对"),
            code="credit_code_checksum",
        )


def normalise_phone(value: str) -> str:
    return re.sub(r"[\s()]", "", normalise_identifier(value)).replace("+86", "", 1)


def normalise_account_number(value: str | None) -> str:
    """A bank card or account number: half-width digits, without the spaces and dashes that group them."""
    return re.sub(r"[\s-]", "", normalise_identifier(value))


def is_mobile(value: str) -> bool:
    """A mainland mobile number (1[3-9] and nine digits): the only kind of number an SMS reaches."""
    return bool(_MOBILE.match(normalise_phone(value)))


def validate_mobile(value: str) -> None:
    """A number that will receive SMS must be a mobile: a landline cannot receive one."""
    if not is_mobile(value):
        raise ValidationError(
            gettext("请填写11位手机号码（1开头），办理进度将以短信通知您；固定电话收不到短信"),
            code="mobile",
        )


def validate_phone(value: str) -> None:
    value = normalise_phone(value)
    if not (_MOBILE.match(value) or _LANDLINE.match(value)):
        raise ValidationError(
            gettext("联系电话应为11位手机号或带区号的固定电话"),
            code="phone",
        )
