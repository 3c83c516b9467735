"""The working-day calendar as one immutable ``rules.Calendar``, read once and kept in memory.

Deadline code asks for the calendar once per request or task and then computes in tight loops, so
the tables are read once per process and cached. The cache is dropped in-process whenever a
calendar row is saved or deleted (see ``signals``). Other processes (other web workers, the task
worker) cannot see those signals, so at the start of each request or task the first call compares
a one-row fingerprint of the tables with the one the cache was built from, and rebuilds on a
difference.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import connection

from hexie.workcal.models import CalendarYear, SpecialDay
from hexie.workcal.rules import Calendar


@dataclass(frozen=True)
class _Entry:
    version: int
    fingerprint: tuple[Any, ...]
    calendar: Calendar


_version = 0
_entry: _Entry | None = None
_recheck = False


def _fingerprint() -> tuple[Any, ...]:
    """Row counts and latest edit times of both tables: any insert, edit or delete changes it."""
    years = CalendarYear._meta.db_table
    days = SpecialDay._meta.db_table
    qn = connection.ops.quote_name
    sql = (
        f"SELECT (SELECT COUNT(*) FROM {qn(years)}), (SELECT MAX(updated_at) FROM {qn(years)}), "  # noqa: S608
        f"(SELECT COUNT(*) FROM {qn(days)}), (SELECT MAX(updated_at) FROM {qn(days)})"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql)
        row = cursor.fetchone()
    return tuple(row) if row is not None else ()


def _load() -> Calendar:
    known = frozenset(CalendarYear.objects.filter(is_complete=True).values_list("year", flat=True))
    holidays: set[date] = set()
    workdays: set[date] = set()
    for day, kind in SpecialDay.objects.values_list("date", "kind"):
        (workdays if kind == SpecialDay.Kind.WORKDAY else holidays).add(day)
    return Calendar(known_years=known, holidays=frozenset(holidays), workdays=frozenset(workdays))


def get_calendar() -> Calendar:
    """The current calendar; reads the tables only when the cache was dropped or is out of date."""
    global _entry, _recheck
    entry = _entry
    if entry is not None and entry.version == _version:
        if not _recheck:
            return entry.calendar
        _recheck = False
        if _fingerprint() == entry.fingerprint:
            return entry.calendar
    version = _version
    # The fingerprint is read before the rows: a change slipping in between leaves a cache newer
    # than its fingerprint, which only costs one extra rebuild later.
    fingerprint = _fingerprint()
    calendar = _load()
    _entry = _Entry(version=version, fingerprint=fingerprint, calendar=calendar)
    _recheck = False
    return calendar


def invalidate_calendar() -> None:
    """Drop the cached calendar; the next ``get_calendar()`` reads the tables again."""
    global _version, _entry
    _version += 1
    _entry = None


def calendar_version() -> int:
    """Changes every time the cache is dropped, for callers that memoise results per calendar."""
    return _version


def request_recheck(**kwargs: Any) -> None:
    """Make the next ``get_calendar()`` check the tables for edits made by another process.

    Connected to the start of every request and every background task.
    """
    global _recheck
    _recheck = True
