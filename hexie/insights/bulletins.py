"""What a bulletin shows, and who reads and generates bulletins: reads only.

The figures of a period for an org unit come from the dashboards' own computation
(`selectors.compute_dashboard`, the KPIs of `kpis` with their definitions), so a bulletin and the
dashboard of the same period agree; beside them, the units below ranked, the employers with the
most complaints and warnings, and the volume trend the charts draw. `build_bulletin_data` returns
them as plain data, stored as the bulletin's figures; `bulletin_rendering` prints them and
`services.bulletins` generates and archives the bulletin.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncMonth, TruncWeek
from django.utils import timezone

from hexie.cases.models import Case
from hexie.core.enums import RiskLevel
from hexie.insights import kpis
from hexie.insights.employer_ranking import employers_by_complaints
from hexie.insights.formatting import money, money_in_words
from hexie.insights.models import Bulletin, PeriodKind
from hexie.insights.network import reception_in_unit
from hexie.insights.periods import Period, period_containing, whole_months

# Importable from here too, as before periods.py, for the demo city.
from hexie.insights.selectors import compute_dashboard
from hexie.orgs.models import OrgLevel, OrgUnit
from hexie.orgs.scoping import LEADERS, has_role, restrict, unit_ids_under

TOP_N = 10


# --- who reads and generates -----------------------------------------------------------------


def bulletins_visible_to(user: Any) -> QuerySet[Bulletin]:
    """Bulletins a user may read: those of the user's own unit and below, and of the units above it.

    A bulletin is circulated (通报) down the hierarchy: a district reads the city's bulletin, which
    ranks it among the other districts, and its own. It holds aggregates and employer names, never a
    complainant, so reading upward shows no case outside the user's jurisdiction. Partner agencies
    read none.
    """
    return restrict(Bulletin.objects.select_related("org_unit", "generated_by"), user)


def units_for_generation(user: Any) -> QuerySet[OrgUnit]:
    """Units a user may generate bulletins for: leaders and administrators, own city/district and below."""
    if not has_role(user, LEADERS):
        return OrgUnit.objects.none()
    return restrict(OrgUnit.objects.filter(level__in=[OrgLevel.CITY, OrgLevel.DISTRICT]), user)


def scheduled_units() -> list[OrgUnit]:
    """The units bulletins are made for on schedule: the city and each district."""
    return list(OrgUnit.objects.filter(level__in=[OrgLevel.CITY, OrgLevel.DISTRICT]).order_by("path"))


# --- figures ---------------------------------------------------------------------------------

# The headline figures, in the order the bulletin prints them.
HEADLINE_CODES = ("volume", "resolved", "closure_rate", "within_limit_rate", "mediation_rate",
                  "amount_recovered", "workers_benefited", "satisfaction_rate", "satisfaction_avg")
# Defined beside the figures although not a row of their own: the volume row's 同比 is volume_yoy.
DEFINED_CODES = (*HEADLINE_CODES, "volume_yoy", "warnings_raised", "warnings_about", "warnings_resolved")


def _moment(d: date) -> datetime:
    return timezone.make_aware(datetime.combine(d, time.min))


def _in_period(field: str, period: Period) -> Q:
    return Q(**{f"{field}__gte": _moment(period.start), f"{field}__lt": _moment(period.end + timedelta(days=1))})


def ranked_units(unit: OrgUnit) -> list[OrgUnit]:
    """The units a bulletin ranks: the unit's children (districts for the city, streets for a district)."""
    return list(OrgUnit.objects.filter(parent=unit).order_by("code"))


def _fmt(code: str, value: Any, unit: str) -> str:
    if value is None:
        return "—"
    if unit == kpis.PERCENT:
        sign = "+" if code.endswith("_yoy") and value > 0 else ""
        return f"{sign}{value:.1f}%"
    if unit == kpis.YUAN:
        return money(Decimal(str(value)))
    if isinstance(value, float):
        return f"{value:.1f}"
    return str(value)


def _kpi_values(unit: OrgUnit, start: date, end: date, today: date) -> dict[str, Any]:
    """The KPI values of everything under `unit` for [start, end], as the dashboards compute them."""
    dashboard = compute_dashboard(user_or_scope=unit, start=start, end=end, today=today)
    values: dict[str, Any] = {code: item["value"] for code, item in dashboard["kpis"].items()}
    values["resolved"] = int(dashboard["kpis"]["closure_rate"]["numerator"] or 0)
    values["bases"] = {code: _base_cases(item) for code, item in dashboard["kpis"].items()}
    values["bases"]["resolved"] = values["resolved"]
    values["by_area"] = dashboard["series"]["by_area"]
    values["by_channel"] = dashboard["series"]["by_channel"]
    return values


def _base_cases(item: dict[str, Any]) -> int:
    """How many cases a figure rests on: a count is its own; a rate or an average rests on its
    denominator; an amount or a number of people on the cases it adds up (its numerator)."""
    if item["unit"] in (kpis.PERCENT, kpis.SCORE, kpis.WORKING_DAYS):
        return int(item.get("denominator") or 0)
    return int(item.get("numerator") or 0)


# "Resolved" is the closure rate's numerator, not a KPI of its own: its definition is written here.
_RESOLVED_DEFINITION = ("办结量", "统计期内收到、目前已办结（已办结、回访中、已结案）的案件数。")


def _definition(code: str) -> tuple[str, str, str]:
    """(name, definition, unit) of a headline figure, from the KPI definitions."""
    if code == "resolved":
        return _RESOLVED_DEFINITION[0], _RESOLVED_DEFINITION[1], kpis.COUNT
    d = kpis.KPI_DEFINITIONS[code]
    return d.name_zh, d.definition_zh, d.unit


def _headline(values: dict[str, Any], last_year: dict[str, Any]) -> list[dict[str, Any]]:
    """Rows of the headline table: this period, a year earlier, and the change (points for rates)."""
    rows = []
    bases = last_year.get("bases") or {}
    for code in HEADLINE_CODES:
        name, _text, unit = _definition(code)
        value, before = values.get(code), last_year.get(code)
        base = bases.get(code, before if unit == kpis.COUNT else 0)
        change = "—"
        if value is None or before is None or (unit != kpis.PERCENT and not before):
            pass
        elif kpis.base_too_small(base):
            # One case more or less would read as a huge change: say why there is no figure.
            change = f"基数过小（上年同期{int(base or 0)}件）"
        elif code == "volume":
            change = _fmt("volume_yoy", values.get("volume_yoy"), kpis.PERCENT)
        elif unit == kpis.PERCENT:
            change = f"{value - before:+.1f}个百分点"
        else:
            pct = kpis.yoy(value, before, base)
            change = "—" if pct is None else f"{pct:+.1f}%"
        rows.append({"key": code, "name": name, "value": _fmt(code, value, unit),
                     "last_year": _fmt(code, before, unit), "yoy": change, "raw": value})
    return rows


def definitions() -> list[dict[str, str]]:
    """The definitions printed at the end of a bulletin: every headline figure's, and the warnings'."""
    out = []
    for code in DEFINED_CODES:
        name, text, _unit = _definition(code)
        out.append({"name": name, "definition": text})
    return out


def _last_year_period(period: Period) -> Period:
    return Period(period.kind, kpis.year_earlier(period.start), kpis.year_earlier(period.end))


def _ranking(unit: OrgUnit, values: dict[str, Any]) -> list[dict[str, Any]]:
    """The children of `unit`, ranked by volume, from the unit's own dashboard (its per-area figures).

    The dashboard already computes every figure per area one level below the unit, from the same
    rows as the unit's totals, so no second dashboard per child is needed.
    """
    children = ranked_units(unit)
    by_code = {a["code"]: a for a in values["by_area"]}
    rows: list[dict[str, Any]] = []
    for child in children:
        a = by_code.get(child.code, {})
        rows.append({"name": child.name, "code": child.code, "received": int(a.get("count", 0)),
                     "closed": int(a.get("closed", 0)),
                     "closure_rate": _fmt("closure_rate", a.get("closure_rate"), kpis.PERCENT),
                     "within_limit_rate": _fmt("within_limit_rate", a.get("within_limit_rate"), kpis.PERCENT),
                     "mediation_rate": _fmt("mediation_rate", a.get("mediation_rate"), kpis.PERCENT),
                     "satisfaction": _fmt("satisfaction_avg", a.get("satisfaction_avg"), kpis.SCORE)})
    rows.sort(key=lambda r: (-r["received"], r["code"]))
    for i, r in enumerate(rows, 1):
        r["rank"] = i
    return rows


def _warnings(unit_ids: list[int], period: Period, today: date) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """The wage warnings of the period, counted two ways, each with its definition (kpis):

    * *detected in the period* (warnings_raised): first found between its first and last day, whatever
      month's wages they are about; a month's no-payment rule is only decidable after the end of the
      following month, so these are mostly about earlier months;
    * *about the period* (warnings_about): the wages of a month inside the period, found whenever the
      bulletin is made, even after the period ended; with those of them still open on `today`.
    """
    from hexie.monitoring.models import Warning

    scope = Warning.objects.filter(org_unit_id__in=unit_ids)
    detected_in = _in_period("first_detected_at", period)
    months = whole_months(period.start, period.end)
    about_q = Q(month__gte=months[0], month__lte=months[1]) if months else Q(pk__in=[])
    end = _moment(period.end + timedelta(days=1))
    now_end = _moment(today + timedelta(days=1))
    by_employer = (scope.filter(detected_in | about_q)
                   .values("employer_id", "employer__name", "employer__credit_code")
                   .annotate(n=Count("pk"), red=Count("pk", filter=Q(grade=RiskLevel.RED)),
                             open=Count("pk", filter=Q(resolved_at__isnull=True) | Q(resolved_at__gte=end)))
                   .order_by("-n", "-red", "employer__name")[:TOP_N])
    employers = [{"rank": i, "name": r["employer__name"], "credit_code": r["employer__credit_code"],
                  "warnings": r["n"], "red": r["red"], "open": r["open"]} for i, r in enumerate(by_employer, 1)]
    grades = [RiskLevel.RED, RiskLevel.ORANGE, RiskLevel.YELLOW, RiskLevel.GREEN]
    keys = ("raised", "about", "about_open", "resolved", "open")
    counts: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(keys, 0))
    still_open = Q(resolved_at__isnull=True) | Q(resolved_at__gte=now_end)
    rows = scope.values("grade").annotate(
        raised=Count("pk", filter=detected_in),
        about=Count("pk", filter=about_q),
        about_open=Count("pk", filter=about_q & still_open),
        resolved=Count("pk", filter=_in_period("resolved_at", period) & Q(state=Warning.State.RESOLVED)),
        open=Count("pk", filter=Q(first_detected_at__lt=end) & (Q(resolved_at__isnull=True) | Q(resolved_at__gte=end))),
    ).order_by()
    for r in rows:
        counts[r["grade"]].update({k: r[k] for k in keys})
    by_grade = [{"grade": str(RiskLevel(g).label).split(" ")[0], "code": str(g), **counts[g]} for g in grades]
    total = {k: sum(c[k] for c in counts.values()) for k in keys}
    if months:
        about_text = (f"工资所属月份在本期的预警{total['about']}条（含本期结束后发现的），"
                      f"截至{today.month}月{today.day}日尚未消除{total['about_open']}条；")
    else:
        about_text = ""
        total["about"] = total["about_open"] = None  # type: ignore[assignment]
    summary = (f"本期发现工资支付监测预警{total['raised']}条；{about_text}"
               f"本期消除{total['resolved']}条，期末尚未消除{total['open']}条。各项口径见文末。")
    return employers, {"summary": summary, "by_grade": by_grade, "months": months, **total}


def volume_trend(unit_ids: list[int], period: Period) -> tuple[list[str], list[int], str]:
    """Volume over the twelve periods ending with this one (weeks for a weekly bulletin, else months)."""
    step_kind = PeriodKind.WEEKLY if period.kind == PeriodKind.WEEKLY else PeriodKind.MONTHLY
    last = period_containing(step_kind, period.end)
    periods = [last]
    while len(periods) < 12:
        periods.append(periods[-1].previous())
    periods.reverse()
    trunc = TruncWeek if step_kind == PeriodKind.WEEKLY else TruncMonth
    rows = (Case.objects.filter(org_unit_id__in=unit_ids)
            .filter(received_at__gte=_moment(periods[0].start), received_at__lt=_moment(last.end + timedelta(days=1)))
            .annotate(bucket=trunc("received_at")).values("bucket").annotate(n=Count("pk")))
    by_start = {timezone.localdate(r["bucket"]) if isinstance(r["bucket"], datetime) else r["bucket"]: r["n"]
                for r in rows}
    buckets = [by_start.get(p.start, 0) for p in periods]
    if step_kind == PeriodKind.WEEKLY:
        labels = [f"W{p.start.isocalendar().week}" for p in periods]
        caption = "近12周受理量走势"
    else:
        labels = [f"{p.start:%y-%m}" for p in periods]
        caption = "近12个月受理量走势"
    return labels, buckets, caption


def build_bulletin_data(*, period: Period, unit: OrgUnit, today: date) -> dict[str, Any]:
    """Everything the bulletin prints, as plain data (stored as the bulletin's figures)."""
    ids = unit_ids_under(unit)
    values = _kpi_values(unit, period.start, period.end, today)
    ly = _last_year_period(period)
    last_year = _kpi_values(unit, ly.start, ly.end, today)
    ranking = _ranking(unit, values)
    employers = employers_by_complaints(Q(org_unit_id__in=ids) & _in_period("received_at", period), top=TOP_N)
    warn_employers, warnings = _warnings(ids, period, today)
    return {
        "values": values, "last_year": last_year, "headline": _headline(values, last_year), "ranking": ranking,
        "employers_by_complaints": employers, "employers_by_warnings": warn_employers, "warnings": warnings,
        # Leaders' reception days (definitions in hexie.insights.network).
        "reception": reception_in_unit(unit, period.start, period.end),
    }


def summary(unit: OrgUnit, period: Period, data: dict[str, Any]) -> str:
    """The bulletin's opening sentence: volume, change on a year earlier, resolved, recovered."""
    v = data["values"]
    parts = [f"{period.label}，{unit.name}共收到各类诉求{v['volume']}件"]
    if v.get("volume_yoy") is not None:
        parts.append(f"同比{'增长' if v['volume_yoy'] >= 0 else '下降'}{abs(v['volume_yoy']):.1f}%")
    elif data["last_year"].get("volume"):
        parts.append(f"上年同期仅{data['last_year']['volume']}件，基数过小，不作同比")
    parts.append(f"已办结{v['resolved']}件，办结率{_fmt('closure_rate', v['closure_rate'], kpis.PERCENT)}")
    parts.append(f"法定期限内结案率{_fmt('within_limit_rate', v['within_limit_rate'], kpis.PERCENT)}")
    parts.append(f"追回金额{money_in_words(Decimal(str(v['amount_recovered'])))}，惠及劳动者{v['workers_benefited']}人")
    reception = data.get("reception") or {}
    if reception.get("sessions"):
        parts.append(f"领导接访{reception['sessions']}场次，接待群众{reception['people']}人，"
                     f"接访受理案件{reception['cases']}件、已办结{reception['resolved']}件")
    return "，".join(parts) + "。"
