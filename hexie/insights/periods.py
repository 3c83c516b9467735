"""The periods bulletins report on: weeks (Monday to Sunday), calendar months, calendar quarters.

Pure date arithmetic, no database: what a period is called and numbered in a bulletin's header,
which period contains a day, the last one a schedule reports, and reading one as people type it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.utils.translation import gettext

from hexie.insights.formatting import cn_date
from hexie.insights.models import PeriodKind


@dataclass(frozen=True)
class Period:
    """One bulletin period: [start, end], local dates, both included."""

    kind: str
    start: date
    end: date

    @property
    def label(self) -> str:
        if self.kind == PeriodKind.MONTHLY:
            return f"{self.start.year}年{self.start.month}月"
        if self.kind == PeriodKind.QUARTERLY:
            return f"{self.start.year}年第{(self.start.month - 1) // 3 + 1}季度"
        iso = self.start.isocalendar()
        return f"{iso.year}年第{iso.week}周"

    @property
    def issue(self) -> str:
        """The issue line under the red header: 2026年第10期 (the period's ordinal in its year)."""
        if self.kind == PeriodKind.MONTHLY:
            n = self.start.month
        elif self.kind == PeriodKind.QUARTERLY:
            n = (self.start.month - 1) // 3 + 1
        else:
            n = self.start.isocalendar().week
        return f"{self.start.year}年第{n}期"

    @property
    def span(self) -> str:
        return f"{cn_date(self.start)}至{cn_date(self.end)}"

    @property
    def typed(self) -> str:
        """The period as people type it and `parse_period` reads it: 2026-W43, 2026-10, 2026-Q4."""
        if self.kind == PeriodKind.WEEKLY:
            iso = self.start.isocalendar()
            return f"{iso.year}-W{iso.week:02d}"
        if self.kind == PeriodKind.QUARTERLY:
            return f"{self.start.year}-Q{(self.start.month - 1) // 3 + 1}"
        return f"{self.start:%Y-%m}"

    def previous(self) -> Period:
        return period_containing(self.kind, self.start - timedelta(days=1))


def whole_months(start: date, end: date) -> tuple[int, int] | None:
    """The first and last month (yyyymm) lying wholly inside [start, end]; None when no whole month
    does (a week). Wage warnings are about one month's wages: a period reports the months it holds."""
    first = start if start.day == 1 else date(start.year + start.month // 12, start.month % 12 + 1, 1)
    last = (end + timedelta(days=1)).replace(day=1) - timedelta(days=1)  # end of the last month ended by `end`
    if first > last:
        return None
    return first.year * 100 + first.month, last.year * 100 + last.month


def unknown_kind(kind: str) -> ValidationError:
    """The error for a period kind that is not weekly, monthly or quarterly."""
    return ValidationError({"kind": [gettext("未知的通报周期 %(kind)s") % {"kind": kind}]})


def period_containing(kind: str, day: date) -> Period:
    """The week (Monday–Sunday), month or quarter that contains `day`."""
    if kind == PeriodKind.WEEKLY:
        start = day - timedelta(days=day.weekday())
        return Period(kind, start, start + timedelta(days=6))
    if kind == PeriodKind.MONTHLY:
        start = day.replace(day=1)
    elif kind == PeriodKind.QUARTERLY:
        start = date(day.year, (day.month - 1) // 3 * 3 + 1, 1)
    else:
        raise unknown_kind(kind)
    months = 1 if kind == PeriodKind.MONTHLY else 3
    y, m = divmod(start.month - 1 + months, 12)
    return Period(kind, start, date(start.year + y, m + 1, 1) - timedelta(days=1))


def last_complete_period(kind: str, today: date) -> Period:
    """The latest period that ended before `today` (what a schedule running on `today` reports)."""
    return period_containing(kind, today).previous()


def parse_period(kind: str, text: str) -> Period:
    """Read a period as people type it: 2026-10 (month), 2026-Q4 (quarter), 2026-W43 or 2026-10-19 (week).

    A full date picks the period that contains it, for every kind.
    """
    text = text.strip().upper()
    try:
        if m := re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", text):
            return period_containing(kind, date(int(m[1]), int(m[2]), int(m[3])))
        if kind == PeriodKind.MONTHLY and (m := re.fullmatch(r"(\d{4})-(\d{1,2})", text)):
            return period_containing(kind, date(int(m[1]), int(m[2]), 1))
        if kind == PeriodKind.QUARTERLY and (m := re.fullmatch(r"(\d{4})-Q?([1-4])", text)):
            return period_containing(kind, date(int(m[1]), (int(m[2]) - 1) * 3 + 1, 1))
        if kind == PeriodKind.WEEKLY and (m := re.fullmatch(r"(\d{4})-W(\d{1,2})", text)):
            return period_containing(kind, date.fromisocalendar(int(m[1]), int(m[2]), 1))
    except ValueError:
        pass
    examples = {"weekly": "2026-W43 / 2026-10-19", "monthly": "2026-10", "quarterly": "2026-Q4"}
    raise ValidationError({"period": [
        gettext("统计期间“%(text)s”无法识别，例如 %(get)s") % {"text": text, "get": examples.get(kind, '2026-10')}
    ]})
