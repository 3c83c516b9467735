"""Monitoring points and their monthly reports."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext

from hexie.core import audit, clock
from hexie.employers.models import (
    Employer,
    MonitoringPoint,
    MonitoringReport,
)
from hexie.employers.services.checks import (
    MAX_DEPOSIT,
    Errors,
    apply_changes,
    check_writer,
    checked_amount,
    checked_count,
    clean_phone,
    clean_text,
    raise_errors,
    scoped_for_update,
)
from hexie.orgs.models import User
from hexie.orgs.scoping import CHANGE, restrict


@transaction.atomic
def create_monitoring_point(
    *, actor: User, employer_id: int, since: date, contact_name: str = "", contact_phone: str = "",
    is_active: bool = True,
) -> MonitoringPoint:
    """Make an employer in the actor's jurisdiction a monitoring point (one point per employer)."""
    actor = check_writer(actor)
    employer = restrict(Employer.objects.all(), actor, CHANGE).filter(pk=employer_id).first()
    errors: Errors = {}
    if employer is None:
        errors["employer"] = [gettext("所选单位不存在或不在您的辖区内")]
    elif MonitoringPoint.objects.filter(employer=employer).exists():
        errors["employer"] = [gettext("该单位已是监测点")]
    phone = clean_phone(contact_phone, errors, "contact_phone")
    raise_errors(errors)
    assert employer is not None  # raise_errors refused a missing one
    point = MonitoringPoint.objects.create(employer=employer, since=since, contact_name=clean_text(contact_name),
                                           contact_phone=phone, is_active=is_active)
    audit.record(actor=actor, action=audit.Action.CREATE, obj=point)
    return point


@transaction.atomic
def update_monitoring_point(
    *, actor: User, point_id: int, since: date, contact_name: str = "", contact_phone: str = "",
    is_active: bool = True,
) -> MonitoringPoint:
    """Correct a monitoring point's contact, start date or whether it still reports."""
    actor = check_writer(actor)
    point = scoped_for_update(MonitoringPoint.objects.select_related("employer"), actor, point_id)
    errors: Errors = {}
    phone = clean_phone(contact_phone, errors, "contact_phone")
    raise_errors(errors)
    changed = apply_changes(point, {"since": since, "contact_name": clean_text(contact_name), "contact_phone": phone,
                             "is_active": is_active})
    if changed:
        point.save()
        audit.record(actor=actor, action=audit.Action.UPDATE, obj=point, fields=changed)
    return point


@dataclass(frozen=True)
class ReportData:
    """One month's figures of a monitoring point. `headcount` is the number employed at the month's end."""

    month: int
    headcount: int
    hires: int = 0
    departures: int = 0
    wages_paid: Decimal = Decimal(0)
    arrears: Decimal = Decimal(0)


def parse_month(value: Any) -> int | None:
    """A yyyymm month as an integer, or None when it is not one (month 01–12, year 2000–2100)."""
    text = str(value).strip().replace("-", "")
    if not (len(text) == 6 and text.isascii() and text.isdigit()):
        return None
    year, month = int(text[:4]), int(text[4:])
    if not (2000 <= year <= 2100 and 1 <= month <= 12):
        return None
    return year * 100 + month


def _previous_month(month: int) -> int:
    year, m = divmod(month, 100)
    return (year - 1) * 100 + 12 if m == 1 else month - 1


@transaction.atomic
def record_monitoring_report(*, actor: User, point_id: int, data: ReportData) -> MonitoringReport:
    """File (or correct) a monitoring point's report for a month.

    Checks: a real month not after the current one; figures not negative; the people who left
    cannot outnumber those there at the start plus those hired (the start is last month's
    headcount when it was reported, else this month's end plus departures minus hires, which
    reduces to hires ≤ headcount + departures); arrears not above the wages due.
    A second report for the same month replaces the first and is logged as a correction.
    """
    actor = check_writer(actor)
    point = scoped_for_update(MonitoringPoint.objects.select_related("employer"), actor, point_id)
    errors: Errors = {}
    month = parse_month(data.month)
    today = clock.today()
    if month is None:
        errors["month"] = [gettext("月份应为YYYYMM格式，如202608")]
    elif month > today.year * 100 + today.month:
        errors["month"] = [gettext("不能填报未来月份")]
    checked_count(data.headcount, errors, "headcount", "在岗人数")
    checked_count(data.hires, errors, "hires", "新增人数")
    checked_count(data.departures, errors, "departures", "减少人数")
    wages = checked_amount(data.wages_paid, errors, "wages_paid", "应发工资总额", MAX_DEPOSIT)
    arrears = checked_amount(data.arrears, errors, "arrears", "欠薪金额", MAX_DEPOSIT)
    if not errors:
        assert month is not None
        previous = point.reports.filter(month=_previous_month(month)).values_list("headcount", flat=True).first()
        if data.hires > data.headcount + data.departures:
            errors["hires"] = [gettext("新增人数不能多于月末在岗人数与减少人数之和")]
        if previous is not None and data.departures > previous + data.hires:
            errors["departures"] = [
                gettext("减少人数不能多于上月在岗人数（%(previous)s）与新增人数之和") % {"previous": previous}]
        elif previous is None and data.departures > data.headcount + data.hires:
            # Without last month's figure the start of the month is unknown: the loose bound.
            errors["departures"] = [gettext("减少人数不能多于在岗人数与新增人数之和")]
        if arrears > wages:
            errors["arrears"] = [gettext("欠薪金额不能大于应发工资总额")]
    raise_errors(errors)
    assert month is not None
    values = {"headcount": data.headcount, "hires": data.hires, "departures": data.departures,
              "wages_paid": wages, "arrears": arrears, "reported_at": clock.now()}
    report = point.reports.filter(month=month).select_for_update().first()
    if report is None:
        report = MonitoringReport.objects.create(point=point, month=month, **values)
        audit.record(actor=actor, action=audit.Action.CREATE, obj=report, message=gettext("%(month)s月报") % {"month": month})
    else:
        changed = apply_changes(report, values)
        report.save()
        audit.record(actor=actor, action=audit.Action.UPDATE, obj=report,
                     message=gettext("更正%(month)s月报") % {"month": month},
                     fields=[n for n in changed if n != "reported_at"])
    return report
