"""What every staff page shares: running a service call from a POST and telling the user how it
went (the refusal's own words, naming the field), then going back to the page."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest

from hexie.core.errors import DomainError

T = TypeVar("T")


def error_text(exc: ValidationError) -> str:
    """A validation error's messages as one line (each already names its field)."""
    return "；".join(str(m) for m in exc.messages)


def run_service(request: HttpRequest, call: Callable[[], T], *, success: str | Callable[[T], str]) -> T | None:
    """Run ``call`` (a service function) for a POST view.

    A refusal (bad input, a wrong role or state) becomes an error message on the page the view
    returns to, and None is returned; otherwise ``success`` (a text, or a function of the result)
    becomes the success message and the result is returned.
    """
    try:
        result = call()
    except ValidationError as exc:
        messages.error(request, error_text(exc))
        return None
    except DomainError as exc:
        messages.error(request, exc.message)
        return None
    messages.success(request, success(result) if callable(success) else success)
    return result


def form_errors_text(errors: Any) -> str:
    """A bound form's errors as one line."""
    return "；".join(str(m) for errs in errors.values() for m in errs)
