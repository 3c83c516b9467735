"""The API's parsers: DRF's, plus the refusals PostgreSQL would otherwise turn into a 500.

- A NUL character (``\\x00``) in any string or key is refused with a 400 naming the field, before a
  serializer or a query sees it: PostgreSQL text cannot hold NUL, and fields that are not
  ``CharField`` (a unit code looked up by slug, a choice) would pass it to the database. Form
  and multipart bodies get the same check: the request middleware reads only a POST's fields, and
  a PUT or PATCH with a form body reached a lookup with its NUL.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ParseError, ValidationError
from rest_framework.parsers import DataAndFiles, FormParser, JSONParser, MultiPartParser

from hexie.core.i18n import interpolate

NUL = "\x00"
MAX_DEPTH = 32
DEPTH_MESSAGE = interpolate(_("请求体嵌套层数超过%(max_depth)s层"), max_depth=MAX_DEPTH)
NUL_MESSAGE = _("{name}不能包含空字符")


class TooDeep(ParseError):
    default_code = "too_deep"


def nul_message(name: str) -> str:
    return NUL_MESSAGE.format(name=name[:50])


def _check(data: Any) -> None:
    """Walk the parsed body without recursion; the first string holding NUL is refused by its path."""
    stack: list[tuple[str, Any, int]] = [("", data, 0)]
    while stack:
        path, value, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise TooDeep(DEPTH_MESSAGE)
        if isinstance(value, str):
            if NUL in value:
                name = path or "non_field_errors"
                raise ValidationError({name.replace(NUL, "\\x00"): [nul_message(name.replace(NUL, "\\x00"))]})
        elif isinstance(value, dict):
            for key, item in value.items():
                child = f"{path}.{key}" if path else str(key)
                if NUL in str(key):
                    name = child.replace(NUL, "\\x00")
                    raise ValidationError({name: [nul_message(name)]})
                stack.append((child, item, depth + 1))
        elif isinstance(value, list):
            stack.extend((f"{path}.{i}" if path else str(i), item, depth + 1) for i, item in enumerate(value))


class SafeJSONParser(JSONParser):
    """DRF's JSON parser with the refusals above."""

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError as exc:  # nested far deeper than MAX_DEPTH: the reader gave up
            raise TooDeep(DEPTH_MESSAGE) from exc
        _check(data)
        return data


def _check_form(data: Any) -> None:
    """A NUL character in a form field's name or value, refused by the field's name."""
    for name, values in data.lists():
        if NUL in name or any(isinstance(v, str) and NUL in v for v in values):
            shown = name.replace(NUL, "\\x00")
            raise ValidationError({shown: [nul_message(shown)]})


class SafeFormParser(FormParser):
    """DRF's form parser, refusing NUL characters like the JSON one. The request middleware checks
    the fields of a POST; a PUT or PATCH with a form body is read only here."""

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        data = super().parse(stream, media_type, parser_context)
        _check_form(data)
        return data


class SafeMultiPartParser(MultiPartParser):
    """DRF's multipart parser, refusing NUL characters in the fields' names and values."""

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> DataAndFiles:
        parsed = super().parse(stream, media_type, parser_context)
        _check_form(parsed.data)
        return parsed
