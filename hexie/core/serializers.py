"""Serializer pieces every API shares: field messages in the request's language, the error document, and the base
of every request body (unknown keys refused, each named).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.core.validators import ProhibitNullCharactersValidator
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework.validators import ProhibitSurrogateCharactersValidator

from hexie.core.i18n import interpolate
from hexie.orgs.models import OrgUnit

if TYPE_CHECKING:
    # DRF's stubs type error messages as str or lazy str; this alias names that union.
    from django_stubs_ext import StrOrPromise

# Ids beyond a 64-bit key cannot exist; refusing them keeps the database from seeing an overflow.
MAX_ID = 2**63 - 1


def field_messages(label: StrOrPromise, **extra: StrOrPromise) -> dict[str, StrOrPromise]:
    """DRF error messages for a field, each naming it by its label, in the request's language.

    Unused keys are harmless: every field type picks the ones it raises.
    """
    def msg(message: StrOrPromise) -> StrOrPromise:
        return interpolate(message, label=label)

    out: dict[str, StrOrPromise] = {
        "required": msg(_("请填写%(label)s")),
        "null": msg(_("%(label)s不能为空")),
        "blank": msg(_("%(label)s不能为空白")),
        "max_length": msg(_("%(label)s最多{max_length}个字符")),
        "min_length": msg(_("%(label)s至少{min_length}个字符")),
        "invalid": msg(_("%(label)s格式不正确")),
        "invalid_choice": msg(_("%(label)s：“{input}”不是有效选项")),
        "min_value": msg(_("%(label)s不能小于{min_value}")),
        "max_value": msg(_("%(label)s不能大于{max_value}")),
        "max_string_length": msg(_("%(label)s数值过大")),
        "max_digits": msg(_("%(label)s数值过大，请核对")),
        "max_whole_digits": msg(_("%(label)s数值过大，请核对")),
        "max_decimal_places": msg(_("%(label)s最多两位小数")),
        "overflow": msg(_("%(label)s超出范围")),
        "make_aware": msg(_("%(label)s时间无效")),
        "date": msg(_("%(label)s应为日期时间，而不是日期")),
        "does_not_exist": msg(_("%(label)s“{value}”不存在")),
        "incorrect_type": msg(_("%(label)s类型不正确")),
        "not_a_list": msg(_("%(label)s应为列表")),
        "empty": msg(_("%(label)s不能为空")),
        # Django's and DRF's own words for these are in one language and do not name the field.
        "null_characters_not_allowed": msg(_("%(label)s不能包含空字符")),
        "surrogate_characters_not_allowed": msg(_("%(label)s包含无效字符")),
    }
    out.update(extra)
    return out


class ApiErrorSerializer(serializers.Serializer):
    """A refusal: a code and a message in the request's language (validation errors instead map field → messages)."""

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
    """Base of every request body: shape errors in the request's language, and no field silently dropped.

    DRF ignores keys it does not know; a client that misspells an optional field ("projet_name")
    would then lose that value without a word, so unknown keys are refused, each named.
    """

    default_error_messages = {
        "invalid": _("请求体应为JSON对象，而不是{datatype}"),
        "null": _("请求体不能为空"),
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
                errors[name] = [gettext("未知字段“%(name)s”，可用的字段：%(allowed)s") % {
                    "name": name[:50], "allowed": allowed}]
        if errors:
            raise serializers.ValidationError(errors)
        return value


class OrgUnitRefSerializer(serializers.ModelSerializer):
    """An org unit as named elsewhere: code, name, level."""

    class Meta:
        model = OrgUnit
        fields = ["code", "name", "level"]
