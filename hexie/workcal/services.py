"""Writing the working-day calendar: seeding from ``chinesecalendar`` and marking years complete."""

from __future__ import annotations

from datetime import date
from importlib import metadata

import chinese_calendar
from chinese_calendar import constants as cc_constants
from django.db import transaction

from hexie.workcal.models import CalendarYear, SpecialDay
from hexie.workcal.signals import announce, calendar_changed

__all__ = ["calendar_changed", "chinesecalendar_source", "seed_from_chinesecalendar", "set_year_complete"]

# The package names holidays in English; the platform shows Chinese first, English after.
HOLIDAY_NAMES_ZH: dict[str, str] = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "Mid-autumn Festival": "中秋节",
    "National Day": "国庆节",
    "Anti-Fascist 70th Day": "中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日",
}


def _bilingual(name: str) -> str:
    zh = HOLIDAY_NAMES_ZH.get(name)
    return f"{zh} {name}"[:100] if zh else name[:100]


def chinesecalendar_source() -> str:
    """The ``source`` recorded on seeded years, so a bureau can tell which release a year came from."""
    try:
        version = metadata.version("chinesecalendar")
    except metadata.PackageNotFoundError:
        version = str(getattr(chinese_calendar, "__version__", "unknown"))
    return f"chinesecalendar {version}"


def _package_years() -> range:
    """The years the installed package covers (it raises for any other year)."""
    dates = [*cc_constants.holidays, *cc_constants.workdays]
    return range(min(dates).year, max(dates).year + 1)


def seed_from_chinesecalendar(*, years: range | None = None) -> int:
    """Add the package's holidays, make-up days and complete years that are missing; return how many.

    Runs at every start-up, so it only inserts what is missing (two bulk statements) and never
    overwrites: a date or year already in the tables may carry a bureau's correction made in the
    admin, and a year marked incomplete by hand stays so. Years the package does not cover are
    skipped, because marking them complete would make guesses look certain.
    """
    covered = _package_years()
    wanted_years = sorted(set(years if years is not None else covered) & set(covered))
    if not wanted_years:
        return 0
    year_set = set(wanted_years)
    first, last = date(wanted_years[0], 1, 1), date(wanted_years[-1], 12, 31)

    package_days: dict[date, tuple[str, str]] = {}
    for day, name in cc_constants.holidays.items():
        if day.year in year_set:
            package_days[day] = (SpecialDay.Kind.HOLIDAY, _bilingual(name))
    for day, name in cc_constants.workdays.items():
        if day.year in year_set:
            package_days[day] = (SpecialDay.Kind.WORKDAY, _bilingual(name))

    source = chinesecalendar_source()
    with transaction.atomic():
        existing_days = set(
            SpecialDay.objects.filter(date__gte=first, date__lte=last).values_list("date", flat=True)
        )
        new_days = [
            SpecialDay(date=day, kind=kind, name=name)
            for day, (kind, name) in sorted(package_days.items())
            if day not in existing_days
        ]
        existing_years = set(
            CalendarYear.objects.filter(year__in=wanted_years).values_list("year", flat=True)
        )
        new_years = [
            CalendarYear(year=year, is_complete=True, source=source)
            for year in wanted_years
            if year not in existing_years
        ]
        # ignore_conflicts: a second process seeding at the same moment must not fail start-up.
        SpecialDay.objects.bulk_create(new_days, batch_size=500, ignore_conflicts=True)
        CalendarYear.objects.bulk_create(new_years, ignore_conflicts=True)
    changed = {day.date.year for day in new_days} | {row.year for row in new_years}
    if changed:
        announce(changed)
    return len(new_days) + len(new_years)


def set_year_complete(*, year: int, source: str = "manual") -> CalendarYear:
    """Declare that all of ``year``'s holidays and make-up days are entered, making it known.

    Saving the row sends ``calendar_changed`` for the year (through the model receiver), so
    provisional deadlines in it get recomputed.
    """
    row, created = CalendarYear.objects.get_or_create(
        year=year, defaults={"is_complete": True, "source": source}
    )
    if not created:
        row.is_complete = True
        row.source = source
        row.save(update_fields=["is_complete", "source", "updated_at"])
    return row
