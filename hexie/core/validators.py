"""Validators for the identifiers a bureau handles (rules.md §7), with messages in Chinese and English."""

from __future__ import annotations

import re
from datetime import date

from django.core.exceptions import ValidationError

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"

# GB 32100-2015: the 31 characters allowed (no I, O, Z, S, V), and the weights of the first 17 positions.
CREDIT_CODE_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_CC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)

_MOBILE = re.compile(r"^1[3-9]\d{9}$")
_LANDLINE = re.compile(r"^0\d{2,3}-?\d{7,8}$")


def id_check_char(first17: str) -> str:
    """ISO 7064 MOD 11-2 check character of an 18-character resident ID number."""
    total = sum(int(c) * w for c, w in zip(first17, _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11]


def is_valid_id_number(value: str) -> bool:
    value = value.strip().upper()
    if not re.fullmatch(r"\d{17}[\dX]", value):
        return False
    try:
        date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        return False
    return id_check_char(value[:17]) == value[17]


def validate_id_number(value: str) -> None:
    value = (value or "").strip().upper()
    if not re.fullmatch(r"\d{17}[\dX]", value):
        raise ValidationError(
            "身份证号码应为18位，前17位为数字，最后一位为数字或X / "
            "An ID number has 18 characters: 17 digits and a final digit or X.",
            code="id_format",
        )
    try:
        date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        raise ValidationError(
            "身份证号码中的出生日期不存在 / The date of birth in the ID number does not exist.",
            code="id_birthdate",
        ) from None
    if id_check_char(value[:17]) != value[17]:
        raise ValidationError(
            "身份证号码校验位不正确，请核对 / The ID number's check character is wrong (GB 11643).",
            code="id_checksum",
        )


def credit_code_check_char(first17: str) -> str:
    """GB 32100-2015 check character of a unified social credit code."""
    total = sum(CREDIT_CODE_CHARS.index(c) * w for c, w in zip(first17, _CC_WEIGHTS, strict=True))
    return CREDIT_CODE_CHARS[(31 - total % 31) % 31]


def is_valid_credit_code(value: str) -> bool:
    value = value.strip().upper()
    if len(value) != 18 or any(c not in CREDIT_CODE_CHARS for c in value):
        return False
    return credit_code_check_char(value[:17]) == value[17]


def validate_credit_code(value: str) -> None:
    value = (value or "").strip().upper()
    if len(value) != 18 or any(c not in CREDIT_CODE_CHARS for c in value):
        raise ValidationError(
            "统一社会信用代码应为18位数字或大写字母（不含I、O、Z、S、V） / "
            "A unified social credit code has 18 digits or capital letters (no I, O, Z, S, V).",
            code="credit_code_format",
        )
    if credit_code_check_char(value[:17]) != value[17]:
        raise ValidationError(
            "统一社会信用代码校验位不正确，请核对 / The credit code's check character is wrong (GB 32100).",
            code="credit_code_checksum",
        )


def normalise_phone(value: str) -> str:
    return re.sub(r"[\s()（）]", "", value or "").replace("+86", "", 1)


def is_mobile(value: str) -> bool:
    """A mainland mobile number (1[3-9] and nine digits): the only kind of number an SMS reaches."""
    return bool(_MOBILE.match(normalise_phone(value)))


def validate_mobile(value: str) -> None:
    """A number that will receive SMS must be a mobile: a landline cannot receive one."""
    if not is_mobile(value):
        raise ValidationError(
            "请填写11位手机号码（1开头），办理进度将以短信通知您；固定电话收不到短信 / "
            "Enter an 11-digit mobile number starting with 1: progress is sent by SMS, which a landline "
            "cannot receive.",
            code="mobile",
        )


def validate_phone(value: str) -> None:
    value = normalise_phone(value)
    if not (_MOBILE.match(value) or _LANDLINE.match(value)):
        raise ValidationError(
            "联系电话应为11位手机号或带区号的固定电话 / "
            "A phone number is an 11-digit mobile number or a landline with its area code.",
            code="phone",
        )
