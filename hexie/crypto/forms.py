"""Form input for an encrypted value: the stored value is never sent back to the browser."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.utils.translation import gettext

from hexie.crypto.cipher import mask_phone


class SecretInput(forms.TextInput):
    """A text input that renders empty, with the stored value masked as its placeholder: an edit
    page shows "139****5678 (leave blank to keep)", and a blank answer keeps the stored value
    (the form or admin that uses it does so)."""

    def __init__(self, mask: Callable[[str], str] = mask_phone, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs={"autocomplete": "off", **(attrs or {})})
        self.mask = mask

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, None, attrs)
        if value:
            context["widget"]["attrs"]["placeholder"] = gettext("%(masked)s（留空则不修改）") % {
                "masked": self.mask(str(value))}
        return context

    def format_value(self, value: Any) -> None:
        return None
