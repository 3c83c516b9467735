"""Counting statutory periods in days or working days, on a calendar passed in (no database here).

The rules (see the domain rules, "Counting days"):

* the start day is not counted: a period "within N days of receipt" begins the day after receipt;
* a calendar-day period whose last day is a rest day ends on the next working day;
* a working-day period counts only official working days: make-up Saturdays/Sundays count,
  weekdays given off do not;
* a year the platform has not been told about is never counted silently: the result is marked
  provisional (weekends and fixed-date holidays only) so it can be shown as such and recomputed.

Deadline recomputation runs these functions in loops of a million calls, so each ``Calendar``
lazily builds an index over a span of years (cumulative working-day counts by date ordinal) and
answers from it in constant time; dates outside the span fall back to a day-by-day loop that
applies the same rules.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import cached_property
from itertools import accumulate
from typing import Final

WORKING: Final = "working"
CALENDAR: Final = "calendar"
UNITS: Final = (WORKING, CALENDAR)

# Holidays whose dates do not move with the lunar calendar, used for years not yet entered:
# New Year's Day, Labour Day (2 days), National Day (3 days).
FIXED_DATE_HOLIDAYS: Final = frozenset({(1, 1), (5, 1), (5, 2), (10, 1), (10, 2), (10, 3)})

# The fast index covers the known years, reaching back at least to this year and this many years
# beyond the last known one, so that provisional deadlines in future years stay fast too.
_INDEX_FLOOR_YEAR: Final = 2000
_INDEX_YEARS_AHEAD: Final = 30
_ONE_DAY: Final = timedelta(days=1)


@dataclass(frozen=True)
class DueDate:
    """The last day of a period, and whether it depends on a year whose calendar is not known yet."""

    due_on: date
    provisional: bool


@dataclass(frozen=True)
class Calendar:
    """Which years are known, and the dates in them that break the Monday-to-Friday pattern.

    ``holidays`` and ``workdays`` only matter inside ``known_years``: a year not known is treated
    as weekends plus the fixed-date holidays, whatever partial data may exist for it.
    """

    known_years: frozenset[int]
    holidays: frozenset[date]
    workdays: frozenset[date]

    def is_known(self, year: int) -> bool:
        """Whether the year's holidays and make-up days have all been entered."""
        return year in self.known_years

    def is_working_day(self, d: date) -> bool:
        """Whether ``d`` is an official working day (provisionally so, in an unknown year)."""
        if d.year in self.known_years:
            if d in self.workdays:
                return True
            return d.weekday() < 5 and d not in self.holidays
        return d.weekday() < 5 and (d.month, d.day) not in FIXED_DATE_HOLIDAYS

    @cached_property
    def _index(self) -> _Index:
        """Built on first use, so constructing a calendar stays cheap."""
        return _Index(self)


class _Index:
    """Per-day tables over a span of years, turning period arithmetic into a few list look-ups.

    Positions are day ordinals minus ``base``. ``work_before[i]`` counts working days at positions
    below ``i``; ``working_pos`` lists the positions of working days in order, so the k-th working
    day at or after position ``i`` is ``working_pos[work_before[i] + k]``; ``unknown_before[i]``
    counts days of unknown years below ``i``, so a range touches an unknown year iff the
    difference of two entries is positive.
    """

    __slots__ = ("base", "size", "unknown_before", "work_before", "working_pos")

    def __init__(self, cal: Calendar) -> None:
        years = [*cal.known_years, _INDEX_FLOOR_YEAR]
        first_year = max(date.min.year, min(years))
        last_year = min(date.max.year - 1, max(years) + _INDEX_YEARS_AHEAD)
        self.base = date(first_year, 1, 1).toordinal()
        self.size = date(last_year, 12, 31).toordinal() + 1 - self.base

        working: list[int] = []
        unknown: list[int] = []
        day = date(first_year, 1, 1)
        for _ in range(self.size):
            working.append(1 if cal.is_working_day(day) else 0)
            unknown.append(0 if day.year in cal.known_years else 1)
            day += _ONE_DAY
        self.work_before = list(accumulate(working, initial=0))
        self.unknown_before = list(accumulate(unknown, initial=0))
        self.working_pos = [pos for pos, flag in enumerate(working) if flag]


def _check_n(n: int) -> None:
    if n < 0:
        raise ValueError(f"a period cannot be negative: {n}")


def _touches_unknown_year(cal: Calendar, first: date, last: date) -> bool:
    """Whether any day in [first, last] lies in an unknown year (years are contiguous runs)."""
    return any(year not in cal.known_years for year in range(first.year, last.year + 1))


def _next_working_day_on_or_after(cal: Calendar, d: date) -> date:
    while not cal.is_working_day(d):
        d += _ONE_DAY
    return d


def add_working_days(cal: Calendar, start: date, n: int) -> DueDate:
    """The n-th working day after ``start`` (the start day itself is not counted).

    Provisional when any day from ``start + 1`` to the result lies in an unknown year, since an
    unannounced holiday or make-up day there could move the result. ``n == 0`` gives ``start``.
    """
    _check_n(n)
    if n == 0:
        return DueDate(start, False)
    index = cal._index
    after = start.toordinal() - index.base + 1
    if 0 <= after <= index.size:
        k = index.work_before[after] + n - 1
        if k < len(index.working_pos):
            pos = index.working_pos[k]
            provisional = index.unknown_before[pos + 1] - index.unknown_before[after] > 0
            return DueDate(date.fromordinal(index.base + pos), provisional)
    day = start
    remaining = n
    while remaining:
        day += _ONE_DAY
        if cal.is_working_day(day):
            remaining -= 1
    return DueDate(day, _touches_unknown_year(cal, start + _ONE_DAY, day))


def add_calendar_days(cal: Calendar, start: date, n: int) -> DueDate:
    """``start + n`` days, moved to the next working day when that last day is a rest day.

    Provisional when a day whose status decides the result (from ``start + n`` to the returned
    day) lies in an unknown year; the days in between only count and need no calendar.
    """
    _check_n(n)
    last = start + timedelta(days=n)
    index = cal._index
    pos = last.toordinal() - index.base
    if 0 <= pos < index.size:
        k = index.work_before[pos]
        if k < len(index.working_pos):
            due = index.working_pos[k]
            provisional = index.unknown_before[due + 1] - index.unknown_before[pos] > 0
            return DueDate(date.fromordinal(index.base + due), provisional)
    due_on = _next_working_day_on_or_after(cal, last)
    return DueDate(due_on, _touches_unknown_year(cal, last, due_on))


def add_period(cal: Calendar, start: date, n: int, unit: str) -> DueDate:
    """Dispatch on ``unit`` (``WORKING`` or ``CALENDAR``), the form periods take in rule tables."""
    if unit == WORKING:
        return add_working_days(cal, start, n)
    if unit == CALENDAR:
        return add_calendar_days(cal, start, n)
    raise ValueError(f"unknown period unit {unit!r}; expected one of {UNITS}")


def count_period_days(cal: Calendar, after: date, until: date, unit: str) -> int:
    """How many days of (after, until] count in ``unit``: all of them, or only working days.

    Used to extend a deadline by the length of a suspension, measured in the period's own unit.
    """
    if unit not in UNITS:
        raise ValueError(f"unknown period unit {unit!r}; expected one of {UNITS}")
    if until <= after:
        return 0
    if unit == CALENDAR:
        return (until - after).days
    index = cal._index
    lo = after.toordinal() - index.base + 1
    hi = until.toordinal() - index.base + 1
    if 0 <= lo and hi <= index.size:
        return index.work_before[hi] - index.work_before[lo]
    count = 0
    day = after + _ONE_DAY
    while day <= until:
        if cal.is_working_day(day):
            count += 1
        day += _ONE_DAY
    return count


def working_days_between(cal: Calendar, after: date, until: date) -> int:
    """Working days in (after, until]: ``count_period_days`` in ``WORKING`` units."""
    return count_period_days(cal, after, until, WORKING)


def shift_working_days(cal: Calendar, start: date, n: int) -> date:
    """The date ``n`` working days after ``start`` (``n > 0``) or before it (``n < 0``); ``start`` for 0.

    For windows measured from today ("due within two working days", "late by three more"), which
    may look backwards; a statutory period is counted with ``add_working_days``, which also says
    whether the result is provisional.
    """
    step = 1 if n >= 0 else -1
    d, left = start, abs(n)
    while left:
        d += timedelta(days=step)
        if cal.is_working_day(d):
            left -= 1
    return d
