"""Translated messages that name a field: the message and the field's label are both looked up in the
language of the request that reads them, not of the moment the form or serializer class was defined."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.utils.functional import lazy

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def _interpolate(message: Any, values: dict[str, Any]) -> str:
    return str(message) % {key: str(value) for key, value in values.items()}


_interpolate_lazy = lazy(_interpolate, str)


def interpolate(message: StrOrPromise, **values: Any) -> StrOrPromise:
    """``message % values`` evaluated when the text is read: ``interpolate(_("请填写%(label)s"), label=...)``.

    A lazy message formatted with ``%`` right away would be translated once, in whatever language
    was active when the module was imported.
    """
    return _interpolate_lazy(message, values)
