"""The calendar tables, the seed, the cache and the change signal, against the database."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from io import StringIO
from typing import Any

import chinese_calendar
import pytest
from chinese_calendar import constants as cc
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone, translation

from hexie.workcal import selectors
from hexie.workcal.models import CalendarYear, SpecialDay
from hexie.workcal.rules import WORKING, DueDate, add_working_days, count_period_days
from hexie.workcal.selectors import get_calendar, invalidate_calendar
from hexie.workcal.services import calendar_changed, seed_from_chinesecalendar, set_year_complete

pytestmark = pytest.mark.django_db

PACKAGE_ROWS = len(cc.holidays) + len(cc.workdays) + len(range(2004, 2027))


@pytest.fixture(autouse=True)
def fresh_cache() -> Iterator[None]:
    """Each test starts from its own (rolled-back) tables, so no calendar may survive between them."""
    invalidate_calendar()
    yield
    invalidate_calendar()


@pytest.fixture
def changes() -> Iterator[list[set[int]]]:
    received: list[set[int]] = []

    def listener(sender: Any, years: set[int], **kwargs: Any) -> None:
        received.append(years)

    calendar_changed.connect(listener, dispatch_uid="workcal-test-listener")
    yield received
    calendar_changed.disconnect(dispatch_uid="workcal-test-listener")


# --- seed ---------------------------------------------------------------------------------------


def test_seed_creates_every_package_row_and_is_idempotent() -> None:
    assert seed_from_chinesecalendar() == PACKAGE_ROWS
    counts = (SpecialDay.objects.count(), CalendarYear.objects.count())
    assert counts == (len(cc.holidays) + len(cc.workdays), 23)
    assert seed_from_chinesecalendar() == 0
    assert (SpecialDay.objects.count(), CalendarYear.objects.count()) == counts


def test_seed_marks_years_complete_with_source() -> None:
    seed_from_chinesecalendar()
    row = CalendarYear.objects.get(year=2026)
    assert row.is_complete
    assert row.source.startswith("chinesecalendar ")
    assert set(CalendarYear.objects.values_list("year", flat=True)) == set(range(2004, 2027))


def test_seed_names_are_bilingual() -> None:
    seed_from_chinesecalendar()
    national_day = SpecialDay.objects.get(date=date(2026, 10, 1))
    assert national_day.kind == SpecialDay.Kind.HOLIDAY
    assert national_day.name == "国庆节 National Day"
    assert SpecialDay.objects.get(date=date(2026, 10, 10)).kind == SpecialDay.Kind.WORKDAY


def test_seeded_calendar_matches_chinese_calendar() -> None:
    seed_from_chinesecalendar()
    cal = get_calendar()
    day = date(2004, 1, 1)
    while day.year < 2027:
        assert cal.is_working_day(day) == chinese_calendar.is_workday(day), day
        day += timedelta(days=7 * 3 + 1)
    for sample in (*list(cc.holidays)[::17], *cc.workdays):
        assert cal.is_working_day(sample) == chinese_calendar.is_workday(sample), sample


def test_seed_never_marks_a_year_the_package_does_not_know() -> None:
    assert seed_from_chinesecalendar(years=range(2027, 2028)) == 0
    assert not CalendarYear.objects.filter(year=2027).exists()
    with pytest.raises(NotImplementedError):
        chinese_calendar.is_workday(date(2027, 3, 1))


def test_seed_limited_to_some_years() -> None:
    created = seed_from_chinesecalendar(years=range(2026, 2030))
    expected = sum(d.year == 2026 for d in cc.holidays) + sum(d.year == 2026 for d in cc.workdays) + 1
    assert created == expected
    assert list(CalendarYear.objects.values_list("year", flat=True)) == [2026]


def test_seed_keeps_admin_corrections() -> None:
    seed_from_chinesecalendar()
    SpecialDay.objects.filter(date=date(2026, 10, 10)).update(name="国庆节调休 corrected")
    CalendarYear.objects.filter(year=2025).update(is_complete=False, source="manual")
    assert seed_from_chinesecalendar() == 0
    assert SpecialDay.objects.get(date=date(2026, 10, 10)).name == "国庆节调休 corrected"
    assert not CalendarYear.objects.get(year=2025).is_complete


def test_seed_announces_changed_years_once(changes: list[set[int]]) -> None:
    seed_from_chinesecalendar(years=range(2025, 2027))
    assert changes == [{2025, 2026}]
    seed_from_chinesecalendar(years=range(2025, 2027))
    assert changes == [{2025, 2026}]


def test_seed_command_reports_rows_created() -> None:
    out = StringIO()
    call_command("seed_calendar", stdout=out)
    assert f"新增 {PACKAGE_ROWS} 行" in out.getvalue()
    out = StringIO()
    call_command("seed_calendar", stdout=out)
    assert "新增 0 行" in out.getvalue() and "row(s)" not in out.getvalue()  # one language
    out = StringIO()
    with translation.override("en"):
        call_command("seed_calendar", stdout=out)
    assert "0 row(s) created" in out.getvalue()


# --- entering an unknown year --------------------------------------------------------------------


def test_entering_2027_makes_results_final_and_refreshes_the_cache(changes: list[set[int]]) -> None:
    seed_from_chinesecalendar()
    before = get_calendar()
    assert not before.is_known(2027)
    assert add_working_days(before, date(2026, 12, 28), 10) == DueDate(date(2027, 1, 12), True)
    assert get_calendar() is before  # cached

    SpecialDay.objects.create(date=date(2027, 1, 1), kind=SpecialDay.Kind.HOLIDAY, name="元旦 (test)")
    SpecialDay.objects.create(date=date(2027, 1, 4), kind=SpecialDay.Kind.HOLIDAY, name="元旦 (test)")
    assert changes[-1] == {2027}
    # The row alone does not make the year known: still provisional, fixed-date rules only.
    interim = get_calendar()
    assert interim is not before
    assert not interim.is_known(2027)
    assert add_working_days(interim, date(2026, 12, 28), 10).provisional

    row = set_year_complete(year=2027)
    assert row.is_complete and row.source == "manual"
    assert changes[-1] == {2027}
    after = get_calendar()
    assert after.is_known(2027)
    assert not after.is_working_day(date(2027, 1, 4))
    # Dec 29-31; 1 and 4 Jan entered as holidays; 5-8 Jan; 11-13 Jan.
    assert add_working_days(after, date(2026, 12, 28), 10) == DueDate(date(2027, 1, 13), False)


def test_set_year_complete_updates_an_incomplete_year() -> None:
    CalendarYear.objects.create(year=2027, is_complete=False, source="")
    assert not get_calendar().is_known(2027)
    set_year_complete(year=2027, source="国办发明电〔2026〕")
    row = CalendarYear.objects.get(year=2027)
    assert row.is_complete and row.source == "国办发明电〔2026〕"
    assert get_calendar().is_known(2027)


def test_incomplete_year_is_not_known() -> None:
    CalendarYear.objects.create(year=2026, is_complete=False)
    assert not get_calendar().is_known(2026)


# --- cache invalidation and the change signal ------------------------------------------------------


def test_cache_is_reused_until_a_row_changes() -> None:
    seed_from_chinesecalendar(years=range(2026, 2027))
    first = get_calendar()
    assert get_calendar() is first
    version = selectors.calendar_version()
    day = SpecialDay.objects.get(date=date(2026, 10, 10))
    day.kind = SpecialDay.Kind.HOLIDAY
    day.save()
    assert selectors.calendar_version() > version
    assert not get_calendar().is_working_day(date(2026, 10, 10))


def test_deleting_a_row_invalidates_and_announces(changes: list[set[int]]) -> None:
    seed_from_chinesecalendar(years=range(2026, 2027))
    assert not get_calendar().is_working_day(date(2026, 10, 5))
    SpecialDay.objects.get(date=date(2026, 10, 5)).delete()
    assert changes[-1] == {2026}
    assert get_calendar().is_working_day(date(2026, 10, 5))

    CalendarYear.objects.get(year=2026).delete()
    assert changes[-1] == {2026}
    assert not get_calendar().is_known(2026)


def test_moving_a_row_to_another_year_announces_both(changes: list[set[int]]) -> None:
    day = SpecialDay.objects.create(date=date(2026, 12, 31), kind=SpecialDay.Kind.HOLIDAY, name="x")
    day.date = date(2027, 1, 2)
    day.save()
    assert changes[-1] == {2026, 2027}


def test_other_process_edits_are_seen_at_the_next_request() -> None:
    seed_from_chinesecalendar(years=range(2026, 2027))
    assert get_calendar().is_working_day(date(2026, 10, 10))
    # A queryset update sends no model signal, like an edit made by another process.
    SpecialDay.objects.filter(date=date(2026, 10, 10)).update(
        kind=SpecialDay.Kind.HOLIDAY, updated_at=timezone.now() + timedelta(seconds=1)
    )
    assert get_calendar().is_working_day(date(2026, 10, 10))  # stale within this request
    selectors.request_recheck()  # what the request_started receiver does (sending the signal itself would also close the test connection)
    assert not get_calendar().is_working_day(date(2026, 10, 10))


def test_recheck_without_changes_keeps_the_cached_calendar(django_assert_num_queries: Any) -> None:
    seed_from_chinesecalendar(years=range(2026, 2027))
    cal = get_calendar()
    selectors.request_recheck()
    with django_assert_num_queries(1):
        assert get_calendar() is cal
    with django_assert_num_queries(0):
        assert get_calendar() is cal


def test_get_calendar_does_not_query_when_cached(django_assert_num_queries: Any) -> None:
    get_calendar()
    with django_assert_num_queries(0):
        for _ in range(1000):
            get_calendar()


def test_counting_on_the_seeded_calendar() -> None:
    seed_from_chinesecalendar()
    cal = get_calendar()
    assert count_period_days(cal, date(2026, 9, 30), date(2026, 10, 10), WORKING) == 3


# --- model rules and admin -------------------------------------------------------------------------


def test_make_up_day_on_a_weekday_is_rejected() -> None:
    with pytest.raises(ValidationError):
        SpecialDay(date=date(2026, 10, 14), kind=SpecialDay.Kind.WORKDAY, name="typo").full_clean()
    SpecialDay(date=date(2026, 10, 10), kind=SpecialDay.Kind.WORKDAY, name="ok").full_clean()
    SpecialDay(date=date(2026, 10, 14), kind=SpecialDay.Kind.HOLIDAY, name="ok").full_clean()


def test_str() -> None:
    assert str(CalendarYear(year=2026, is_complete=True)).startswith("2026")
    day = SpecialDay(date=date(2026, 10, 1), kind=SpecialDay.Kind.HOLIDAY, name="国庆节 National Day")
    assert str(day).startswith("2026-10-01 国庆节 National Day")


def test_admin_pages_render(admin_client: Any) -> None:
    seed_from_chinesecalendar(years=range(2026, 2027))
    response = admin_client.get("/admin/workcal/specialday/", {"q": "国庆", "kind": "workday"})
    assert response.status_code == 200
    assert "2026" in response.content.decode()
    response = admin_client.get("/admin/workcal/specialday/", {"date__year": "2026"})
    assert response.status_code == 200
    response = admin_client.get("/admin/workcal/calendaryear/")
    assert response.status_code == 200
    day = SpecialDay.objects.get(date=date(2026, 10, 10))
    assert admin_client.get(f"/admin/workcal/specialday/{day.pk}/change/").status_code == 200


def test_admin_mark_complete_action(admin_client: Any, changes: list[set[int]]) -> None:
    row = CalendarYear.objects.create(year=2027, is_complete=False)
    response = admin_client.post(
        "/admin/workcal/calendaryear/",
        {"action": "mark_complete", "_selected_action": [row.pk]},
    )
    assert response.status_code == 302
    assert CalendarYear.objects.get(pk=row.pk).is_complete
    assert {2027} in changes
    assert get_calendar().is_known(2027)


def test_admin_edit_announces(admin_client: Any, changes: list[set[int]]) -> None:
    seed_from_chinesecalendar(years=range(2026, 2027))
    day = SpecialDay.objects.get(date=date(2026, 10, 10))
    response = admin_client.post(
        f"/admin/workcal/specialday/{day.pk}/change/",
        {"date": "2026-10-10", "kind": "holiday", "name": "改为休息 test"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert changes[-1] == {2026}
    assert not get_calendar().is_working_day(date(2026, 10, 10))
