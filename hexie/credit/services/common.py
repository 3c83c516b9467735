"""What the credit services share: the actor's jurisdiction and periods on the working-day calendar."""

from __future__ import annotations

import calendar
from datetime import date
from typing import Any

from hexie.credit.models import CreditSetting
from hexie.credit.selectors import setting_row
from hexie.orgs.models import User
from hexie.orgs.scoping import jurisdiction_unit_ids
from hexie.workcal.rules import add_period
from hexie.workcal.selectors import get_calendar


def add_months(start: date, months: int) -> date:
    """The same day ``months`` later, or the month's last day when it has no such day (31 Aug + 6 = 28/29 Feb)."""
    years, month0 = divmod(start.month - 1 + months, 12)
    year, month = start.year + years, month0 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def scope_units(actor: User) -> list[int] | None:
    """The unit ids a set-based write may touch for the actor; None for every unit (superuser)."""
    return jurisdiction_unit_ids(actor)


def period_end(start: date, code: str) -> tuple[date, bool, CreditSetting]:
    """The last day of the period a setting row gives, counted from ``start`` (start day not
    counted; a calendar-day period ending on a rest day moves to the next working day), whether it
    is provisional (a calendar year not yet entered), and the row (for its basis)."""
    row = setting_row(code)
    n = int(row.value)
    if row.unit == CreditSetting.Unit.MONTHS:
        return add_months(start, n), False, row
    if row.unit == CreditSetting.Unit.YEARS:
        return add_months(start, 12 * n), False, row
    due = add_period(get_calendar(), start, n, row.unit)
    return due.due_on, due.provisional, row


def describe_due(due: date, provisional: bool) -> str:
    return f"{due.isoformat()}（暂定）" if provisional else due.isoformat()


def unit_of(obj: Any) -> int:
    return int(obj.org_unit_id)
