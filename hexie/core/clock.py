"""The platform's notion of "now".

Services read the time from here. `at(moment)` sets it for a block of code, so the demo loader
can write a year of history through the real services, each step at the moment it happened.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime

from django.utils import timezone

_override: ContextVar[datetime | None] = ContextVar("hexie_clock", default=None)


def now() -> datetime:
    return _override.get() or timezone.now()


def today() -> date:
    return timezone.localdate(now())


@contextmanager
def at(moment: datetime) -> Iterator[None]:
    token = _override.set(moment)
    try:
        yield
    finally:
        _override.reset(token)
