"""Serializer pieces every API shares: bilingual field messages, the error document, and the base
of every request body (unknown keys refused, each named).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.core.validators import ProhibitNullCharactersValidator
from rest_framework import serializers
from rest_framework.validators import ProhibitSurrogateCharactersValidator

from hexie.orgs.models import OrgUnit

if TYPE_CHECKING:
    # DRF's stubs type error messages as str or lazy str; this alias names that union.
    from django_stubs_ext import StrOrPromise

# Ids beyond a 64-bit key cannot exist; refusing them keeps the database from seeing an overflow.
MAX_ID = 2**63 - 1


def field_messages(label: str, **extra: str) -> dict[str, StrOrPromise]:
    """Bilingual DRF error messages for a field, each naming it ("label" is "中文 English").

    Unused keys are harmless: every field type picks the ones it raises.
    """
    zh, _, en = label.partition(" ")
    en = en or zh
    out: dict[str, StrOrPromise] = {
        "required": f"请填写{zh} / {en} is required.",
        "null": f"{zh}不能为空 / {en} may not be null.",
        "blank": f"{zh}不能为空白 / {en} may not be blank.",
        "max_length": f"{zh}最多{{max_length}}个字符 / {en}: at most {{max_length}} characters.",
        "min_length": f"{zh}至少{{min_length}}个字符 / {en}: at least {{min_length}} characters.",
        "invalid": f"{zh}格式不正确 / {en} is not valid.",
        "invalid_choice": f"{zh}：“{{input}}”不是有效选项 / {en}: \"{{input}}\" is not a valid choice.",
        "min_value": f"{zh}不能小于{{min_value}} / {en} must be at least {{min_value}}.",
        "max_value": f"{zh}不能大于{{max_value}} / {en} must be at most {{max_value}}.",
        "max_string_length": f"{zh}数值过大 / {en}: the number is too large.",
        "max_digits": f"{zh}数值过大，请核对 / {en}: the number is too large; please check it.",
        "max_whole_digits": f"{zh}数值过大，请核对 / {en}: the number is too large; please check it.",
        "max_decimal_places": f"{zh}最多两位小数 / {en}: at most two decimal places.",
        "overflow": f"{zh}超出范围 / {en} is out of range.",
        "make_aware": f"{zh}时间无效 / {en} is not a valid local time.",
        "date": f"{zh}应为日期时间，而不是日期 / {en}: expected a date and time, not a date.",
        "does_not_exist": f"{zh}“{{value}}”不存在 / {en}: \"{{value}}\" does not exist.",
        "incorrect_type": f"{zh}类型不正确 / {en} has the wrong type.",
        "not_a_list": f"{zh}应为列表 / {en} must be a list.",
        "empty": f"{zh}不能为空 / {en} may not be empty.",
        # Django's and DRF's own words for these are in one language and do not name the field.
        "null_characters_not_allowed": f"{zh}不能包含空字符 / {en} must not contain null characters.",
        "surrogate_characters_not_allowed": f"{zh}包含无效字符 / {en} contains characters that are not valid.",
    }
    out.update(extra)
    return out


class ApiErrorSerializer(serializers.Serializer):
    """A refusal: a code and a bilingual message (validation errors instead map field → messages)."""

    code = serializers.CharField(required=False)
    detail = serializers.CharField()
    field = serializers.CharField(required=False)


def _named(validator: Any, messages: Mapping[str, Any]) -> Any:
    """The character validators DRF adds to every CharField, speaking the field's own messages."""
    if isinstance(validator, ProhibitNullCharactersValidator) and "null_characters_not_allowed" in messages:
        return ProhibitNullCharactersValidator(message=messages["null_characters_not_allowed"])
    if isinstance(validator, ProhibitSurrogateCharactersValidator) and "surrogate_characters_not_allowed" in messages:
        named = ProhibitSurrogateCharactersValidator()
        named.message = messages["surrogate_characters_not_allowed"]
        return named
    return validator


class NamedCharacterErrorsMixin:
    """Refusals of control and surrogate characters name the field too, like every other message."""

    def get_fields(self) -> dict[str, serializers.Field]:
        fields: dict[str, serializers.Field] = super().get_fields()  # type: ignore[misc]
        for field in fields.values():
            if isinstance(field, serializers.CharField):
                field.validators = [_named(v, field.error_messages) for v in field.validators]
        return fields


class InputSerializer(NamedCharacterErrorsMixin, serializers.Serializer):
    """Base of every request body: bilingual shape errors, and no field silently dropped.

    DRF ignores keys it does not know; a client that misspells an optional field ("projet_name")
    would then lose that value without a word, so unknown keys are refused, each named.
    """

    default_error_messages = {
        "invalid": "请求体应为JSON对象，而不是{datatype} / The request body must be a JSON object, not {datatype}.",
        "null": "请求体不能为空 / The request body may not be null.",
    }

    def run_validation(self, data: Any = serializers.empty) -> Any:
        if data is None:
            # DRF would answer its own English "No data provided" for a JSON null body.
            raise serializers.ValidationError({"non_field_errors": [self.error_messages["null"]]}, code="null")
        return super().run_validation(data)

    def to_internal_value(self, data: Any) -> Any:
        errors: dict[str, Any] = {}
        value: Any = None
        try:
            value = super().to_internal_value(data)
        except serializers.ValidationError as exc:
            if not isinstance(exc.detail, dict):
                raise
            errors.update(exc.detail)
        if isinstance(data, Mapping):
            allowed = ", ".join(self.fields)
            for name in sorted(str(k) for k in data if k not in self.fields):
                errors[name] = [f"未知字段“{name[:50]}” / Unknown field \"{name[:50]}\"; the fields are: {allowed}."]
        if errors:
            raise serializers.ValidationError(errors)
        return value


class OrgUnitRefSerializer(serializers.ModelSerializer):
    """An org unit as named elsewhere: code, name, level."""

    class Meta:
        model = OrgUnit
        fields = ["code", "name", "level"]
