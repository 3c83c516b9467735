"""What the credit services share: the actor's jurisdiction and periods on the working-day calendar."""

from __future__ import annotations

import calendar
from datetime import date, timedelta
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


# 公告送达: deemed delivered thirty days after the notice is posted (民事诉讼法第九十五条, applied to
# administrative documents by 行政处罚法第六十一条 which refers to it).
PUBLIC_NOTICE_DAYS = 30


def deemed_delivery(*, issued_on: date | None, delivered_on: date, method: str, today: date) -> date:
    """The day a notice counts as delivered (送达), from the day recorded and the method: the day
    itself, or thirty days after posting for a public notice. Refuses a day before the notice was
    issued or after today, and a method that is not one of the ways of service, naming the field."""
    from django.utils.translation import gettext as _

    from hexie.core.errors import DomainError
    from hexie.credit.models import DeliveryMethod

    if method not in DeliveryMethod.values:
        raise DomainError(_("请选择送达方式。"), field="delivery_method")
    if issued_on is None:
        raise DomainError(_("尚未签发告知，不能登记送达。"), field="state", code="wrong_state")
    if delivered_on > today:
        raise DomainError(_("送达日期不能晚于今天。"), field="delivered_on")
    if delivered_on < issued_on:
        raise DomainError(_("送达日期早于告知日期。"), field="delivered_on")
    if method == DeliveryMethod.PUBLIC:
        return delivered_on + timedelta(days=PUBLIC_NOTICE_DAYS)
    return delivered_on


def record_delivery(obj: Any, *, delivered_on: date, method: str, code: str, due_field: str) -> tuple[date, bool, str]:
    """Set the notice's delivery (the day it counts as delivered, the method) on ``obj`` and the end
    of the window the setting row ``code`` gives, counted from that day, into ``due_field``; saved.
    Returns the window's end, whether it is provisional, and the row's basis."""
    from hexie.core import clock

    deemed = deemed_delivery(issued_on=obj.notified_on, delivered_on=delivered_on, method=method, today=clock.today())
    due, provisional, row = period_end(deemed, code)
    obj.delivered_on, obj.delivery_method = deemed, method
    setattr(obj, due_field, due)
    obj.save(update_fields=["delivered_on", "delivery_method", due_field])
    return due, provisional, row.basis
