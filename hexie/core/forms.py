"""What every staff and public form shares: showing a service's refusal next to the field it names."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar, TypeVar

from django import forms
from django.core.exceptions import ValidationError

from hexie.core.errors import DomainError

T = TypeVar("T")


class ServiceErrorsMixin:
    """A form whose service's errors land on the fields they name (else on the form itself)."""

    # A service's name for a field → this form's name for it, where they differ.
    service_field_names: ClassVar[dict[str, str]] = {}

    def add_service_errors(self, exc: ValidationError) -> None:
        form: Any = self
        if not hasattr(exc, "error_dict"):
            for message in exc.messages:
                form.add_error(None, message)
            return
        for field, messages in exc.message_dict.items():
            name = self.service_field_names.get(field, field)
            target = name if name in form.fields else None
            for message in messages:
                form.add_error(target, message)


def submit(form: forms.Form, call: Callable[[], T]) -> T | None:
    """Run ``call`` (a service) for a valid ``form``; a refusal lands on the form, naming its field,
    and None is returned."""
    try:
        return call()
    except ValidationError as exc:
        form.add_service_errors(exc)  # type: ignore[attr-defined]
    except DomainError as exc:
        form.add_error(exc.field if exc.field in form.fields else None, exc.message)
    return None
