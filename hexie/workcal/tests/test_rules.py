"""Counting rules on a calendar built straight from the chinesecalendar package (no database)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from chinese_calendar import constants as cc
from hypothesis import given, settings
from hypothesis import strategies as st

from hexie.workcal.rules import (
    CALENDAR,
    WORKING,
    Calendar,
    DueDate,
    add_calendar_days,
    add_period,
    add_working_days,
    count_period_days,
    working_days_between,
)

CAL = Calendar(
    known_years=frozenset(range(2004, 2027)),
    holidays=frozenset(cc.holidays),
    workdays=frozenset(cc.workdays),
)
ONE = timedelta(days=1)


# --- reference implementation: the rules read literally, one day at a time -------------------


def ref_working(cal: Calendar, start: date, n: int) -> DueDate:
    day, left, unknown = start, n, False
    while left:
        day += ONE
        unknown |= not cal.is_known(day.year)
        if cal.is_working_day(day):
            left -= 1
    return DueDate(day, unknown)


def ref_calendar(cal: Calendar, start: date, n: int) -> DueDate:
    day = start + timedelta(days=n)
    unknown = not cal.is_known(day.year)
    while not cal.is_working_day(day):
        day += ONE
        unknown |= not cal.is_known(day.year)
    return DueDate(day, unknown)


def ref_count(cal: Calendar, after: date, until: date) -> int:
    count, day = 0, after + ONE
    while day <= until:
        count += cal.is_working_day(day)
        day += ONE
    return count


# --- the 2026 National Day example from the domain rules --------------------------------------


def test_national_day_2026_rest_days() -> None:
    for day in range(1, 8):
        assert not CAL.is_working_day(date(2026, 10, day))
    assert CAL.is_working_day(date(2026, 10, 8))


def test_make_up_days_2026_are_working_days() -> None:
    for made_up in (date(2026, 1, 4), date(2026, 2, 14), date(2026, 2, 28), date(2026, 5, 9),
                    date(2026, 9, 20), date(2026, 10, 10)):
        assert made_up.weekday() >= 5
        assert CAL.is_working_day(made_up)


def test_plain_weekend_is_not_a_working_day() -> None:
    assert date(2026, 10, 17).weekday() == 5
    assert not CAL.is_working_day(date(2026, 10, 17))
    assert not CAL.is_working_day(date(2026, 10, 18))


def test_plain_weekday_is_a_working_day() -> None:
    assert CAL.is_working_day(date(2026, 10, 14))


def test_working_days_skip_national_day() -> None:
    assert add_working_days(CAL, date(2026, 9, 30), 1) == DueDate(date(2026, 10, 8), False)


def test_working_days_land_on_make_up_saturday() -> None:
    assert add_working_days(CAL, date(2026, 10, 9), 1) == DueDate(date(2026, 10, 10), False)


def test_working_days_count_make_up_sunday() -> None:
    # Fri 18 Sep 2026 + 1: Sat 19 is a rest day, Sun 20 Sep is a make-up working day.
    assert add_working_days(CAL, date(2026, 9, 18), 1).due_on == date(2026, 9, 20)


# --- start day not counted ---------------------------------------------------------------------


def test_start_day_not_counted_ordinary_week() -> None:
    monday = date(2026, 3, 9)
    assert monday.weekday() == 0
    assert add_working_days(CAL, monday, 5) == DueDate(date(2026, 3, 16), False)


def test_start_day_not_counted_even_when_it_is_a_working_day() -> None:
    monday = date(2026, 3, 9)
    assert add_working_days(CAL, monday, 1).due_on == date(2026, 3, 10)
    assert add_calendar_days(CAL, monday, 1).due_on == date(2026, 3, 10)


def test_zero_working_days_is_the_start_day() -> None:
    assert add_working_days(CAL, date(2026, 10, 3), 0) == DueDate(date(2026, 10, 3), False)


def test_negative_periods_are_rejected() -> None:
    with pytest.raises(ValueError, match="negative"):
        add_working_days(CAL, date(2026, 3, 9), -1)
    with pytest.raises(ValueError, match="negative"):
        add_calendar_days(CAL, date(2026, 3, 9), -1)


# --- calendar-day periods ending on a rest day -------------------------------------------------


def test_calendar_period_ending_on_sunday_moves_to_monday() -> None:
    start = date(2026, 2, 28)
    assert (start + timedelta(days=15)) == date(2026, 3, 15)
    assert date(2026, 3, 15).weekday() == 6
    assert add_calendar_days(CAL, start, 15) == DueDate(date(2026, 3, 16), False)


def test_calendar_period_ending_inside_national_day_moves_to_8_october() -> None:
    assert add_calendar_days(CAL, date(2026, 9, 17), 15) == DueDate(date(2026, 10, 8), False)


def test_calendar_period_ending_on_weekday_is_unchanged() -> None:
    assert add_calendar_days(CAL, date(2026, 3, 2), 15) == DueDate(date(2026, 3, 17), False)


def test_calendar_period_ending_on_make_up_saturday_is_unchanged() -> None:
    assert add_calendar_days(CAL, date(2026, 9, 25), 15) == DueDate(date(2026, 10, 10), False)


# --- unknown years are provisional -------------------------------------------------------------


def test_2027_is_unknown_and_provisional() -> None:
    assert not CAL.is_known(2027)
    due = add_working_days(CAL, date(2026, 12, 28), 10)
    # Dec 29, 30, 31; 1 Jan 2027 (Friday, fixed-date holiday) skipped; 4-8 Jan; 11, 12 Jan.
    assert due == DueDate(date(2027, 1, 12), True)


def test_unknown_year_uses_weekends_and_fixed_date_holidays() -> None:
    assert not CAL.is_working_day(date(2027, 1, 1))
    assert not CAL.is_working_day(date(2027, 1, 2))
    assert CAL.is_working_day(date(2027, 1, 4))
    for fixed in (date(2027, 5, 3) - timedelta(days=2), date(2027, 10, 1), date(2029, 10, 3)):
        assert not CAL.is_working_day(fixed)
    # 4 Oct 2029 is a Thursday: not a fixed-date holiday, so provisionally a working day.
    assert CAL.is_working_day(date(2029, 10, 4))


def test_computation_within_2026_is_not_provisional() -> None:
    assert not add_working_days(CAL, date(2026, 12, 1), 20).provisional
    assert add_working_days(CAL, date(2026, 12, 1), 20).due_on == date(2026, 12, 29)
    assert not add_calendar_days(CAL, date(2026, 12, 1), 15).provisional


def test_calendar_period_into_unknown_year_is_provisional() -> None:
    assert add_calendar_days(CAL, date(2026, 12, 20), 15) == DueDate(date(2027, 1, 4), True)


def test_calendar_period_rolling_into_unknown_year_is_provisional() -> None:
    # 31 Dec 2026 is a Thursday; a period ending on a known rest day just before 2027 would roll on.
    rest = Calendar(CAL.known_years, CAL.holidays | {date(2026, 12, 31)}, CAL.workdays)
    assert add_calendar_days(rest, date(2026, 12, 1), 30) == DueDate(date(2027, 1, 4), True)


def test_calendar_period_from_unknown_into_known_year_is_not_provisional() -> None:
    # Only the last day and any roll-forward depend on the calendar; 2003 days are just counted.
    assert add_calendar_days(CAL, date(2003, 12, 20), 15) == DueDate(date(2004, 1, 5), False)


def test_working_period_starting_in_unknown_year_is_provisional() -> None:
    assert add_working_days(CAL, date(2003, 12, 29), 10).provisional


# --- dispatch and counting ---------------------------------------------------------------------


def test_add_period_dispatches_on_unit() -> None:
    start = date(2026, 9, 30)
    assert add_period(CAL, start, 1, WORKING) == add_working_days(CAL, start, 1)
    assert add_period(CAL, start, 5, CALENDAR) == add_calendar_days(CAL, start, 5)
    with pytest.raises(ValueError, match="unit"):
        add_period(CAL, start, 1, "fortnights")


def test_count_period_days_calendar_counts_every_day() -> None:
    assert count_period_days(CAL, date(2026, 9, 30), date(2026, 10, 10), CALENDAR) == 10


def test_count_period_days_working_skips_rest_days() -> None:
    # (30 Sep, 10 Oct]: 8, 9 and 10 (make-up Saturday) October.
    assert count_period_days(CAL, date(2026, 9, 30), date(2026, 10, 10), WORKING) == 3
    assert working_days_between(CAL, date(2026, 9, 30), date(2026, 10, 10)) == 3


def test_count_period_days_excludes_after_and_includes_until() -> None:
    assert working_days_between(CAL, date(2026, 3, 9), date(2026, 3, 10)) == 1
    assert working_days_between(CAL, date(2026, 3, 9), date(2026, 3, 16)) == 5


def test_count_period_days_empty_or_reversed_range_is_zero() -> None:
    assert count_period_days(CAL, date(2026, 3, 9), date(2026, 3, 9), WORKING) == 0
    assert count_period_days(CAL, date(2026, 3, 9), date(2026, 3, 1), CALENDAR) == 0


def test_count_period_days_rejects_unknown_unit() -> None:
    with pytest.raises(ValueError, match="unit"):
        count_period_days(CAL, date(2026, 3, 1), date(2026, 3, 9), "hours")


def test_matches_chinese_calendar_every_day() -> None:
    import chinese_calendar

    day = date(2004, 1, 1)
    while day.year < 2027:
        assert CAL.is_working_day(day) == chinese_calendar.is_workday(day), day
        day += ONE


# --- properties ---------------------------------------------------------------------------------

DATES_2025_2026 = st.dates(min_value=date(2025, 1, 1), max_value=date(2026, 12, 31))


@settings(max_examples=400, deadline=None)
@given(start=DATES_2025_2026, n=st.integers(min_value=0, max_value=80))
def test_property_working_days_round_trip(start: date, n: int) -> None:
    due = add_working_days(CAL, start, n)
    if n > 0:
        assert CAL.is_working_day(due.due_on)
    assert count_period_days(CAL, start, due.due_on, WORKING) == n


WIDE_DATES = st.dates(min_value=date(1985, 1, 1), max_value=date(2120, 12, 31))


@settings(max_examples=400, deadline=None)
@given(start=WIDE_DATES, n=st.integers(min_value=0, max_value=400))
def test_property_fast_path_matches_day_by_day_rules(start: date, n: int) -> None:
    assert add_working_days(CAL, start, n) == ref_working(CAL, start, n)
    assert add_calendar_days(CAL, start, n) == ref_calendar(CAL, start, n)
    until = start + timedelta(days=n)
    assert working_days_between(CAL, start, until) == ref_count(CAL, start, until)


@settings(max_examples=100, deadline=None)
@given(
    start=st.dates(min_value=date(2026, 6, 1), max_value=date(2027, 6, 30)),
    n=st.integers(min_value=0, max_value=60),
    extra_holidays=st.frozensets(
        st.dates(min_value=date(2026, 1, 1), max_value=date(2027, 12, 31)), max_size=20
    ),
    known_2027=st.booleans(),
)
def test_property_fast_path_on_arbitrary_calendars(
    start: date, n: int, extra_holidays: frozenset[date], known_2027: bool
) -> None:
    years = CAL.known_years | ({2027} if known_2027 else set())
    cal = Calendar(frozenset(years), CAL.holidays | extra_holidays, CAL.workdays)
    assert add_working_days(cal, start, n) == ref_working(cal, start, n)
    assert add_calendar_days(cal, start, n) == ref_calendar(cal, start, n)


def test_empty_calendar_is_all_provisional() -> None:
    empty = Calendar(frozenset(), frozenset(), frozenset())
    assert add_working_days(empty, date(2026, 9, 30), 1) == DueDate(date(2026, 10, 5), True)
