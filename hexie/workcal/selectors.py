"""The working-day calendar as one immutable ``rules.Calendar``, read once and kept in memory.

Deadline code asks for the calendar once per request or task and then computes in tight loops, so
the tables are read once per process and cached. The cache is dropped in-process whenever a
calendar row is saved or deleted (see ``signals``). Other processes (other web workers, the task
worker) cannot see those signals, so at the start of each request or task the first call compares
a one-row fingerprint of the tables with the one the cache was built from, and rebuilds on a
difference.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from hexie.workcal.models import CalendarYear, SpecialDay
from hexie.workcal.rules import Calendar
from hexie.workcal.tablecache import TableCache


def _load() -> Calendar:
    known = frozenset(CalendarYear.objects.filter(is_complete=True).values_list("year", flat=True))
    holidays: set[date] = set()
    workdays: set[date] = set()
    for day, kind in SpecialDay.objects.values_list("date", "kind"):
        (workdays if kind == SpecialDay.Kind.WORKDAY else holidays).add(day)
    return Calendar(known_years=known, holidays=frozenset(holidays), workdays=frozenset(workdays))


_cache = TableCache((CalendarYear, SpecialDay), _load)


def get_calendar() -> Calendar:
    """The current calendar; reads the tables only when the cache was dropped or is out of date."""
    return _cache.get()


def invalidate_calendar() -> None:
    """Drop the cached calendar; the next ``get_calendar()`` reads the tables again."""
    _cache.invalidate()


def calendar_version() -> int:
    """Changes every time the cache is dropped, for callers that memoise results per calendar."""
    return _cache.version


def request_recheck(**kwargs: Any) -> None:
    """Make the next ``get_calendar()`` check the tables for edits made by another process.

    Connected to the start of every request and every background task.
    """
    _cache.request_recheck()
