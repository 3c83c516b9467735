"""The dashboards' figures: every KPI, series and table for a scope and a period, in a few queries.

All counts are aggregates with conditional COUNT/SUM over the cases of the scope, grouped by org
unit and rolled up to the areas one level below the viewed unit in Python (sixty-odd units), so
the city, every district and every bar come from the same rows. Each condition comes from
`hexie.insights.kpis` (and through it from the case list's own filters), so a figure and the list
its link opens always agree.

Each figure is two disjoint parts (`hexie.insights.rollup`): the cases closed or refused before the
roll-up's watermark, read from the roll-up table, and every other case, counted live with the same
measures. Closed and refused cases are final, so the roll-up's part never goes stale.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django.db import connection, transaction
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncDate, TruncMonth
from django.http import Http404
from django.urls import NoReverseMatch, reverse

from hexie.cases.models import Case, CaseType, Channel
from hexie.core import clock
from hexie.insights import kpis, rollup
from hexie.insights.kpis import KPI_DEFINITIONS, Params, Window
from hexie.orgs.models import OrgLevel, OrgUnit, User
from hexie.orgs.scoping import (
    as_staff,
    jurisdiction_unit_ids,
    may,
    restrict,
    under,
    unit_ids_under,
    units_under,
)
from hexie.workcal import rules as workcal
from hexie.workcal.selectors import get_calendar

# Window parameters are applied in the WHERE clause of each query; the rest of a figure's
# parameters become the FILTER of its aggregate.
_WINDOW_KEYS = rollup.WINDOW_KEYS
_EPOCH = date(2000, 1, 1)


@dataclass(frozen=True)
class Scope:
    """What a dashboard looks at: the viewed unit, and the cases (and warnings) the viewer may see."""

    unit: OrgUnit | None
    cases: QuerySet[Case]
    user: User | None

    @property
    def code(self) -> str:
        return self.unit.code if self.unit else ""


def default_period(today: date | None = None) -> tuple[date, date]:
    """The last twelve months up to today: the dashboard's period when none is chosen."""
    end = today or clock.today()
    return kpis.year_earlier(end) + timedelta(days=1), end


def viewable_units(user: Any) -> QuerySet[OrgUnit]:
    """City and district units the user may open a dashboard for (own unit and below)."""
    return restrict(OrgUnit.objects.all(), user).filter(
        level__in=[OrgLevel.CITY, OrgLevel.DISTRICT]).order_by("path")


def resolve_scope(user_or_scope: Any, district_code: str | None = None) -> Scope:
    """The scope for a user (their jurisdiction, optionally one unit inside it) or for an org unit.

    A unit outside the user's jurisdiction answers 404, as a missing one does.
    """
    if isinstance(user_or_scope, OrgUnit):
        root = user_or_scope
        unit = root
        if district_code:
            found = units_under(root).filter(code=district_code).first()
            if found is None:
                raise Http404("未找到该区域 / No such area.")
            unit = found
        return Scope(unit=unit, cases=Case.objects.all(), user=None)
    staff = as_staff(user_or_scope)
    if staff is None or not may(staff, OrgUnit):
        raise Http404("未找到 / Not found.")
    cases = restrict(Case.objects.all(), staff)
    units = restrict(OrgUnit.objects.all(), staff)
    viewed: OrgUnit | None
    if district_code:
        viewed = units.filter(code=district_code).first()
        if viewed is None:
            raise Http404("未找到该区域 / No such area.")
    elif staff.org_unit_id is not None:
        viewed = staff.org_unit
    else:
        viewed = units.filter(parent__isnull=True).order_by("path").first()
    return Scope(unit=viewed, cases=cases, user=staff)


def _unit_cases(scope: Scope, ids: list[int] | None) -> QuerySet[Case]:
    """The cases of the scope's units, filtered once by unit id.

    Filtering `scope.cases` (already restricted to the user's units) by the viewed unit's ids
    again made PostgreSQL multiply the two selectivities and pick plans for a hundredth of the rows.
    """
    return Case.objects.all() if ids is None else Case.objects.filter(org_unit_id__in=ids)


def _scope_units(scope: Scope) -> list[int] | None:
    """The org units whose cases the scope counts (None: all), as `scoping.restrict` scopes cases."""
    ids: set[int] | None = None
    if scope.user is not None:
        allowed = jurisdiction_unit_ids(scope.user)
        if allowed == []:
            return []
        ids = None if allowed is None else set(allowed)
    if scope.unit is not None:
        viewed = set(unit_ids_under(scope.unit))
        ids = viewed if ids is None else ids & viewed
    if ids is None or len(ids) == OrgUnit.objects.count():
        # Every unit: no filter, which also lets the database read the rows by window and day.
        return None
    return sorted(ids)


def case_list_url(params: Params, scope: Scope) -> str:
    """The staff case list filtered to exactly the cases behind a figure."""
    query = dict(params)
    if scope.unit is not None and "district" not in query:
        query["district"] = scope.unit.code
    return reverse("cases:queue") + "?" + urlencode(query)


def _strip_window(params: Params) -> Params:
    return {k: v for k, v in params.items() if k not in _WINDOW_KEYS}


def _window_q(params: Params, today: date) -> Q:
    return kpis.params_q({k: v for k, v in params.items() if k in _WINDOW_KEYS}, today)


class _Areas:
    """Maps every org unit id in the scope to the area (a child of the viewed unit) it rolls up to."""

    def __init__(self, unit: OrgUnit | None) -> None:
        base = OrgUnit.objects.all() if unit is None else units_under(unit)
        rows = list(base.values("pk", "code", "name", "path", "parent_id", "level"))
        if unit is None:
            heads = [r for r in rows if r["parent_id"] is None]
        else:
            heads = [r for r in rows if r["parent_id"] == unit.pk]
        self.areas = sorted(heads, key=lambda r: r["path"])
        self.own: dict[str, Any] | None = {"pk": unit.pk, "code": unit.code, "name": f"{unit.name}（本级）", "path": unit.path} if unit else None
        self.area_of: dict[int, str] = {}
        for r in rows:
            head = next((h for h in self.areas if r["path"].startswith(h["path"])), None)
            if head is not None:
                self.area_of[r["pk"]] = head["code"]
            elif self.own is not None:
                self.area_of[r["pk"]] = self.own["code"]

    def listing(self) -> list[dict[str, Any]]:
        out = [{"code": a["code"], "name": a["name"], "level": a["level"]} for a in self.areas]
        if self.own is not None:
            out.append({"code": self.own["code"], "name": self.own["name"], "level": "own"})
        return out


def _no_jit() -> None:
    """PostgreSQL's JIT compiles these wide aggregates for ~0.2 s on every request and saves less.

    The live received cases (~40 k rows at 1 M cases) are grouped by unit and month: with the
    default 4 MB of work memory that sort spills to disk; 32 MB lets it hash in memory.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL jit = off")
            cursor.execute("SET LOCAL work_mem = '32MB'")


def _num(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value)
    return value or 0


def compute_dashboard(*, user_or_scope: Any, start: date, end: date, district_code: str | None = None,
                      today: date | None = None) -> dict[str, Any]:
    """Every KPI (value, definition, link), the series behind the charts and the arbitration table.

    `user_or_scope` is a member of staff (their jurisdiction; `district_code` picks a unit inside
    it, 404 if outside) or an OrgUnit (everything under it, for bulletins). Dates are local and
    inclusive.
    """
    if end < start:
        raise ValueError("统计期结束日早于开始日 / The period ends before it starts.")
    today = today or clock.today()
    scope = resolve_scope(user_or_scope, district_code)
    w = Window(start=start, end=end, today=today)
    unit_ids = _scope_units(scope)
    qs = _unit_cases(scope, unit_ids)
    areas = _Areas(scope.unit)
    with transaction.atomic():
        _no_jit()
        data = _collect(scope, qs, w, areas, unit_ids)
    return data


def _collect(scope: Scope, qs: QuerySet[Case], w: Window, areas: _Areas, unit_ids: list[int] | None
             ) -> dict[str, Any]:
    today = w.today
    recv_codes = ["volume", "repeat_rate", "collective", "late"]
    specs = rollup.window_specs()
    watermark = rollup.current_watermark()
    # The live cases, in disjoint parts counted by separate statements (see rollup.live_parts).
    lives = [qs] if watermark is None else [
        qs.filter(q) for q in rollup.live_parts(watermark, rollup.unstamped_statuses())]

    def part(window: str, params: Params, *by: str) -> list[dict[str, Any]]:
        """A window's measures per org unit: the live cases, then the rolled-up final ones."""
        spec = specs[window]
        group: dict[str, Any] = {"m": TruncMonth(spec.field)} if "month" in by else {}
        rows: list[dict[str, Any]] = []
        for live in lives:
            rows += list(live.filter(_window_q(params, today) & spec.base_q(today)).values("org_unit_id", **group)
                         .annotate(**spec.aggregates(today)).order_by())
        if watermark is not None:
            rows += rollup.rolled_by_unit(window, w.start, w.end, unit_ids)
        return rows

    month_counts: dict[date, list[int]] = defaultdict(lambda: [0, 0])
    # The live received cases are read once, per org unit and month: the month series' live part.
    by_unit_received = part(rollup.RollupWindow.RECEIVED, w.received, "month")
    for r in by_unit_received:
        if "m" in r:
            month = r.pop("m")
            month_counts[month.date() if hasattr(month, "date") else month][0] += r["volume"]
    by_unit_resolved = part(rollup.RollupWindow.RESOLVED, w.resolved)
    accepted_totals: dict[str, Any] = defaultdict(int)
    for row in part(rollup.RollupWindow.ACCEPTED, w.accepted):
        for key, value in row.items():
            if key != "org_unit_id":
                accepted_totals[key] += value or 0
    carried = qs.filter(kpis.params_q(w.arbitration_params("carried_over"), today)).count()

    # --- month series with a year earlier, and the handling time ------------------------------------
    handling = {"days_sum": 0, "cases": 0}
    for live in lives:
        months = (live.filter(_window_q(w.received_last_year, today)).annotate(m=TruncMonth("received_at"))
                  .values("m").annotate(before=Count("id")).order_by())
        for r in months:
            m = r["m"].date() if hasattr(r["m"], "date") else r["m"]
            month_counts[m][1] += r["before"]
        for key, value in _handling_days(live, w).items():
            handling[key] += value
    if watermark is not None:
        ly_start, ly_end = kpis.year_earlier(w.start), kpis.year_earlier(w.end)
        for m, n in rollup.rolled_by_month(rollup.RollupWindow.RECEIVED, "volume", w.start, w.end, unit_ids).items():
            month_counts[m][0] += n
        for m, n in rollup.rolled_by_month(rollup.RollupWindow.RECEIVED, "volume", ly_start, ly_end,
                                           unit_ids).items():
            month_counts[m][1] += n
        for row in by_unit_resolved:
            handling["days_sum"] += row.pop(rollup.HANDLING_DAYS, 0)
            handling["cases"] += row.pop(rollup.HANDLING_CASES, 0)
    open_overdue = qs.filter(kpis.params_q(w.params("open_overdue"), today)).count()
    warnings = _warnings(scope, w)

    return _assemble(scope, w, areas, by_unit_received, by_unit_resolved, accepted_totals, carried,
                     month_counts, handling, open_overdue, warnings, recv_codes)


def _handling_days(qs: QuerySet[Case], w: Window) -> dict[str, Any]:
    """Working days from acceptance to resolution, summed over the cases resolved in the period.

    Σ (wd(resolved) − wd(accepted)) = Σ wd(resolved) − Σ wd(accepted), where wd(d) counts the
    working days up to d: two small GROUP BY date queries instead of reading every case.
    """
    cal = get_calendar()
    pop = qs.filter(kpis.params_q(w.params("avg_handling_days", "denominator"), w.today), accepted_at__isnull=False)
    total = 0
    n = 0
    cache: dict[date, int] = {}

    def wd(d: date) -> int:
        if d not in cache:
            cache[d] = workcal.count_period_days(cal, _EPOCH, d, workcal.WORKING)
        return cache[d]

    for r in pop.annotate(d=TruncDate("resolved_at")).values("d").annotate(n=Count("id")).order_by():
        total += wd(r["d"]) * r["n"]
        n += r["n"]
    for r in pop.annotate(d=TruncDate("accepted_at")).values("d").annotate(n=Count("id")).order_by():
        total -= wd(r["d"]) * r["n"]
    return {"days_sum": total, "cases": n}


def _warnings(scope: Scope, w: Window) -> dict[str, Any]:
    from hexie.monitoring.models import Warning as MonitoringWarning

    qs = MonitoringWarning.objects.all()
    if scope.user is not None:
        qs = restrict(qs, scope.user)
    if scope.unit is not None:
        qs = qs.filter(under(scope.unit))
    totals = qs.aggregate(
        raised=Count("id", filter=kpis.cf.between_q("first_detected_at", w.start, w.end)),
        resolved=Count("id", filter=kpis.cf.between_q("resolved_at", w.start, w.end)
                       & Q(state=MonitoringWarning.State.RESOLVED)),
    )
    return {"raised": totals["raised"] or 0, "resolved": totals["resolved"] or 0,
            "raised_link": _warnings_url(scope, {"detected_from": w.start.isoformat(),
                                                 "detected_to": w.end.isoformat()}),
            "resolved_link": _warnings_url(scope, {"resolved_from": w.start.isoformat(),
                                                   "resolved_to": w.end.isoformat(), "state": "resolved"})}


def _warnings_url(scope: Scope, params: Params) -> str:
    """The warnings list filtered to a figure's warnings, once that list takes these filters.

    The monitoring list filters by month, grade, rule, state and area, not by detection or
    resolution date; a link to it would open a list that disagrees with the figure, so there is none
    until it does (it must accept detected_from/detected_to and resolved_from/resolved_to).
    """
    try:
        base = reverse("monitoring:warnings")
    except NoReverseMatch:
        return ""
    from hexie.monitoring import selectors as monitoring_selectors

    if not {"detected_from", "resolved_from"} <= set(getattr(monitoring_selectors, "FILTERS", ())):
        return ""
    if scope.unit is not None:
        params = {**params, "district": scope.unit.code}
    return base + "?" + urlencode(params)


def _assemble(scope: Scope, w: Window, areas: _Areas, received: list[dict[str, Any]],
              resolved: list[dict[str, Any]], accepted: dict[str, Any], carried: int,
              month_counts: dict[date, list[int]], handling: dict[str, Any], open_overdue: int,
              warnings: dict[str, Any], recv_codes: list[str]) -> dict[str, Any]:
    tot_r: dict[str, Any] = defaultdict(int)
    tot_s: dict[str, Any] = defaultdict(int)
    area_r: dict[str, dict[str, Any]] = defaultdict(lambda: defaultdict(int))
    area_s: dict[str, dict[str, Any]] = defaultdict(lambda: defaultdict(int))
    for rows, tot, per in ((received, tot_r, area_r), (resolved, tot_s, area_s)):
        for row in rows:
            area = areas.area_of.get(row["org_unit_id"], "")
            for key, figure in row.items():
                if key == "org_unit_id":
                    continue
                tot[key] += _num(figure)
                per[area][key] += _num(figure)

    def link(code: str, part: str = "numerator") -> str:
        return case_list_url(w.params(code, part), scope)

    def kpi(code: str, value: Any, numerator: Any = None, denominator: Any = None) -> dict[str, Any]:
        d = KPI_DEFINITIONS[code]
        out: dict[str, Any] = {"code": code, "value": value, "numerator": numerator, "denominator": denominator,
                               "definition": d.as_dict(), "unit": d.unit}
        if code.startswith("warnings_"):
            out["link"] = warnings[code.split("_", 1)[1] + "_link"]
            out["denominator_link"] = ""
            return out
        out["link"] = link(code)
        out["params"] = w.params(code)
        try:
            out["denominator_params"] = w.params(code, "denominator")
            out["denominator_link"] = link(code, "denominator")
        except KeyError:
            out["denominator_link"] = ""
        return out

    volume = int(tot_r["volume"])
    ly_total = sum(v[1] for v in month_counts.values())
    items = [
        kpi("volume", volume, volume),
        kpi("volume_yoy", kpis.yoy(volume, ly_total), volume, ly_total),
        kpi("closure_rate", kpis.ratio(tot_r["closure_num"], tot_r["closure_den"]), tot_r["closure_num"],
            tot_r["closure_den"]),
        kpi("mediation_rate", kpis.ratio(tot_r["mediation_num"], tot_r["mediation_den"]), tot_r["mediation_num"],
            tot_r["mediation_den"]),
        kpi("within_limit_rate", kpis.ratio(tot_r["within_num"], tot_r["within_den"]), tot_r["within_num"],
            tot_r["within_den"]),
        kpi("late", tot_r["late"], tot_r["late"]),
        kpi("avg_handling_days", kpis.ratio(handling["days_sum"], handling["cases"], 1.0), handling["days_sum"],
            handling["cases"]),
        kpi("amount_recovered", round(float(tot_s["amount_sum"]), 2), tot_s["resolved"]),
        kpi("workers_benefited", int(tot_s["benefited_sum"]), tot_s["resolved"]),
        kpi("satisfaction_rate", kpis.ratio(tot_s["satisfied"], tot_s["rated"]), tot_s["satisfied"], tot_s["rated"]),
        kpi("satisfaction_avg", kpis.ratio(tot_s["score_sum"], tot_s["rated"], 1.0), tot_s["score_sum"],
            tot_s["rated"]),
        kpi("repeat_rate", kpis.ratio(tot_r["repeat"], volume), tot_r["repeat"], volume),
        kpi("collective", tot_r["collective"], tot_r["collective"]),
        kpi("collective_workers", int(tot_r["collective_workers"]), tot_r["collective"]),
        kpi("open_overdue", open_overdue, open_overdue),
        kpi("warnings_raised", warnings["raised"], warnings["raised"]),
        kpi("warnings_resolved", warnings["resolved"], warnings["resolved"]),
    ]
    # Figures that count cases: the count the linked list shows (the numerator, or for sums and
    # averages the cases summed over).
    for item in items:
        item["cases"] = item["numerator"] if item["unit"] in (kpis.COUNT,) else None

    rec = w.received
    series: dict[str, Any] = {
        "by_month": _month_series(w, scope, month_counts),
        "by_channel": [{"key": v, "label": str(label), "count": tot_r[f"ch_{v}"],
                        "link": case_list_url({**rec, "channel": v}, scope)} for v, label in Channel.choices],
        "by_type": [{"key": v, "label": str(label), "count": tot_r[f"ty_{v}"],
                     "link": case_list_url({**rec, "case_type": v}, scope)} for v, label in CaseType.choices],
        "by_area": [],
    }
    for a in areas.listing():
        r, s = area_r.get(a["code"], {}), area_s.get(a["code"], {})
        if a["level"] == "own" and not r and not s:
            continue
        area_scope = Scope(unit=OrgUnit(code=a["code"]), cases=scope.cases, user=scope.user)

        def area_link(params: Params, area_scope: Scope = area_scope, own: bool = a["level"] == "own") -> str:
            # Cases filed on the viewed unit itself have no filter of their own ("district" takes
            # the units below too), so that bar opens no list rather than a list that disagrees.
            return "" if own else case_list_url(params, area_scope)

        series["by_area"].append({
            "code": a["code"], "name": a["name"], "level": a["level"],
            "count": int(r.get("volume", 0)), "link": area_link(rec),
            "within": int(r.get("within_num", 0)), "assessed": int(r.get("within_den", 0)),
            "within_limit_rate": kpis.ratio(r.get("within_num", 0), r.get("within_den", 0)),
            "within_link": area_link(w.params("within_limit_rate")),
            "assessed_link": area_link(w.params("within_limit_rate", "denominator")),
            "resolved": int(s.get("resolved", 0)), "resolved_link": area_link(w.resolved),
            "amount_recovered": round(float(s.get("amount_sum", 0)), 2),
            "closure_rate": kpis.ratio(r.get("closure_num", 0), r.get("closure_den", 0)),
            "closed": int(r.get("closure_num", 0)),
            "mediation_rate": kpis.ratio(r.get("mediation_num", 0), r.get("mediation_den", 0)),
            "satisfaction_avg": kpis.ratio(s.get("score_sum", 0), s.get("rated", 0), 1.0),
        })

    arbitration = []
    for arb in kpis.ARBITRATION_ROWS:
        key = f"arb_{arb.code}"
        if arb.code == "carried_over":
            amount: Any = carried
        elif key in accepted:
            amount = _num(accepted[key])
        else:
            amount = tot_s.get(key, 0)
        if arb.unit == kpis.YUAN:
            amount = round(float(amount or 0), 2)
        arbitration.append({"code": arb.code, "group": arb.group_zh, "label": arb.label, "value": amount,
                            "unit": arb.unit, "definition": f"{arb.definition_zh} / {arb.definition_en}",
                            "link": case_list_url(w.arbitration_params(arb.code), scope),
                            "params": w.arbitration_params(arb.code)})

    return {
        "scope": {"code": scope.code, "name": scope.unit.name if scope.unit else "",
                  "level": scope.unit.level if scope.unit else ""},
        "start": w.start, "end": w.end, "today": w.today,
        "last_year": {"start": kpis.year_earlier(w.start), "end": kpis.year_earlier(w.end)},
        "kpis": {item["code"]: item for item in items},
        "series": series,
        "arbitration": arbitration,
        "areas": areas.listing(),
    }


def _month_series(w: Window, scope: Scope, counts: dict[date, list[int]]) -> list[dict[str, Any]]:
    """Calendar months of the period (clipped to it), with the same months a year earlier."""
    out = []
    m = w.start.replace(day=1)
    while m <= w.end:
        nxt = (m.replace(day=28) + timedelta(days=4)).replace(day=1)
        lo, hi = max(m, w.start), min(nxt - timedelta(days=1), w.end)
        lo_ly, hi_ly = kpis.year_earlier(lo), kpis.year_earlier(hi)
        # The month a year earlier is counted over the same clipped days; it lies in the
        # last-year window by construction.
        now_n, _ = counts.get(m, [0, 0])
        before = counts.get(kpis.year_earlier(m), [0, 0])[1]
        out.append({
            "month": m.strftime("%Y-%m"), "count": now_n, "last_year": before,
            "link": case_list_url({"received_from": lo.isoformat(), "received_to": hi.isoformat()}, scope),
            "link_last_year": case_list_url({"received_from": lo_ly.isoformat(), "received_to": hi_ly.isoformat()},
                                            scope),
        })
        m = nxt
    return out
