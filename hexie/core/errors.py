"""Domain errors raised by service functions and turned into 4xx answers by views and the API."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class DomainError(Exception):
    """A request the rules refuse: illegal transition, wrong role, stale state, bad value."""

    code = "refused"
    http_status = 400

    def __init__(self, message: StrOrPromise, *, code: str | None = None, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if code:
            self.code = code
        self.field = field


class TransitionNotAllowed(DomainError):
    code = "transition_not_allowed"
    http_status = 409


class StaleState(DomainError):
    """Someone else changed the case first (the conditional update matched no row)."""

    code = "stale_state"
    http_status = 409


class NotPermitted(DomainError):
    code = "not_permitted"
    http_status = 403
