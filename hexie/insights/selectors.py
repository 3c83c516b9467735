"""The dashboards' figures: every KPI, series and table for a scope and a period, in a few queries.

All counts are aggregates with conditional COUNT/SUM over the cases of the scope, grouped by org
unit and rolled up to the areas one level below the viewed unit in Python (sixty-odd units), so
the city, every district and every bar come from the same rows. Each condition comes from
`hexie.insights.kpis` (and through it from the case list's own filters), so a figure and the list
its link opens always agree.

The queries are here; `hexie.insights.dashboard` shapes what they find into the page's figures.
Each figure is two disjoint parts (`hexie.insights.rollup`): the cases closed or refused before the
roll-up's watermark, read from the roll-up table, and every other case, counted live with the same
measures. Closed and refused cases are final, so the roll-up's part never goes stale.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cached_property
from typing import Any
from urllib.parse import urlencode

from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncDate, TruncMonth
from django.http import Http404
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.translation import gettext

from hexie.cases.models import Case
from hexie.core import clock
from hexie.insights import kpis, rollup
from hexie.insights.dashboard import Figures, Totals, shape
from hexie.insights.kpis import Params, Window
from hexie.insights.periods import whole_months
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

# Window parameters are applied in the WHERE clause of each query; the rest of a figure's
# parameters become the FILTER of its aggregate.
_WINDOW_KEYS = rollup.WINDOW_KEYS


@dataclass(frozen=True)
class Scope:
    """What a dashboard looks at: the viewed unit, and the cases (and warnings) the viewer may see."""

    unit: OrgUnit | None
    cases: QuerySet[Case]
    user: User | None

    @property
    def code(self) -> str:
        return self.unit.code if self.unit else ""

    @cached_property
    def unit_ids(self) -> list[int] | None:
        """The org units whose cases the scope counts (None: all); asked once per scope."""
        return _scope_units(self)

    def as_dict(self) -> dict[str, str]:
        """The viewed unit as the dashboard names it ("" each when it views everything)."""
        return {"code": self.code, "name": self.unit.name if self.unit else "",
                "level": self.unit.level if self.unit else ""}


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

    A unit outside the user's jurisdiction answers 404, as a missing one does. A scope already
    resolved is taken as it is.
    """
    if isinstance(user_or_scope, Scope) and not district_code:
        return user_or_scope
    if isinstance(user_or_scope, OrgUnit):
        root = user_or_scope
        unit = root
        if district_code:
            found = units_under(root).filter(code=district_code).first()
            if found is None:
                raise Http404(gettext("未找到该区域"))
            unit = found
        return Scope(unit=unit, cases=Case.objects.all(), user=None)
    staff = as_staff(user_or_scope)
    if staff is None or not may(staff, OrgUnit):
        raise Http404(gettext("未找到"))
    cases = restrict(Case.objects.all(), staff)
    units = restrict(OrgUnit.objects.all(), staff)
    viewed: OrgUnit | None
    if district_code:
        viewed = units.filter(code=district_code).first()
        if viewed is None:
            raise Http404(gettext("未找到该区域"))
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
        self.own: dict[str, Any] | None = None
        if unit is not None:
            self.own = {"pk": unit.pk, "code": unit.code, "name": f"{unit.name}（本级）", "path": unit.path}
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


def _settle(outermost: bool) -> None:
    """The dashboard's statements read one snapshot, with PostgreSQL's planner set for them.

    Outermost (no caller's transaction around it), the transaction is REPEATABLE READ on
    PostgreSQL: the watermark and the roll-up rows are then those of one refresh, even when a
    refresh commits while the figures are read (the rolled-up part is kept per refresh:
    `rollup.kept`). SQLite's transactions read one snapshot anyway.

    PostgreSQL's JIT compiles these wide aggregates for ~0.2 s on every request and saves less.

    The live received cases (~40 k rows at 1 M cases) are grouped by unit and month: with the
    default 4 MB of work memory that sort spills to disk; 32 MB lets it hash in memory.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            if outermost:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            cursor.execute("SET LOCAL jit = off")
            cursor.execute("SET LOCAL work_mem = '32MB'")


def compute_dashboard(*, user_or_scope: Any, start: date, end: date, district_code: str | None = None,
                      today: date | None = None) -> dict[str, Any]:
    """Every KPI (value, definition, link), the series behind the charts and the arbitration table.

    `user_or_scope` is a member of staff (their jurisdiction; `district_code` picks a unit inside
    it, 404 if outside) or an OrgUnit (everything under it, for bulletins). Dates are local and
    inclusive. The queries are here; `dashboard.shape` makes the page's figures of what they find.
    """
    if end < start:
        raise ValueError(gettext("统计期结束日早于开始日"))
    today = today or clock.today()
    scope = resolve_scope(user_or_scope, district_code)
    w = Window(start=start, end=end, today=today)
    unit_ids = scope.unit_ids
    qs = _unit_cases(scope, unit_ids)
    areas = _Areas(scope.unit)
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        _settle(outermost)
        figures = _collect(scope, qs, w, areas, unit_ids)
    return shape(w, figures)


def keep_rolled_parts(today: date | None = None) -> int:
    """Read the roll-up's part of the default period's figures for the city and for every district
    (`rollup.kept`), right after a refresh: the first leader to open a dashboard
    then waits for the live cases only. Returns how many units' figures were computed."""
    start, end = default_period(today)
    units = list(OrgUnit.objects.filter(level__in=[OrgLevel.CITY, OrgLevel.DISTRICT]).order_by("path"))
    for unit in units:
        compute_dashboard(user_or_scope=unit, start=start, end=end, today=today)
    return len(units)


# How long the dashboard page keeps the figures it computed for a scope and period (seconds). The
# page says when they were computed ("数据截至 HH:MM") and offers to recompute them now
# (`refresh`); the roll-up they read is refreshed every 10 minutes anyway (bench/README.md,
# "City dashboard"). Exports and bulletins always compute afresh.
FIGURES_TTL_SECONDS = 5 * 60
# Bump when the shape of the figures changes: entries of the former shape are then never read.
_FIGURES_FORMAT = 1


def dashboard_figures(*, user: Any, start: date, end: date, district_code: str | None = None,
                      refresh: bool = False, sources: Callable[[], Any] | None = None) -> dict[str, Any]:
    """`compute_dashboard` for the dashboard page, kept FIGURES_TTL_SECONDS per (scope, period).

    The key is what the figures depend on: the cases counted (the scope's org units, the viewed
    unit), the period, today (the "late" condition, the default period) and the language (the KPI
    cards' texts). Two leaders with the same jurisdiction share an entry; a user outside it still
    gets a 404 first (`resolve_scope`). `refresh` computes afresh and replaces the entry.
    `computed_at` says when the figures were computed. `sources`, when given, computes the
    figures the user's own dashboard shows beside the case figures (prevention and credit, over
    the same jurisdiction, for the year the period ends in): kept with them as `sources`.
    """
    today = clock.today()
    scope = resolve_scope(user, district_code)
    key = _figures_key(scope, start, end, today, sources is not None)
    if not refresh:
        found = cache.get(key)
        if found is not None:
            return dict(found, cached=True)
    data = compute_dashboard(user_or_scope=scope, start=start, end=end, today=today)
    data["sources"] = sources() if sources is not None else None
    data["computed_at"] = clock.now()
    cache.set(key, data, FIGURES_TTL_SECONDS)
    return dict(data, cached=False)


def _figures_key(scope: Scope, start: date, end: date, today: date, with_sources: bool) -> str:
    what = [_FIGURES_FORMAT, scope.unit_ids, scope.code, start.isoformat(), end.isoformat(),
            today.isoformat(), translation.get_language(), with_sources]
    return "insights:figures:" + hashlib.sha256(json.dumps(what).encode()).hexdigest()


def _collect(scope: Scope, qs: QuerySet[Case], w: Window, areas: _Areas,
             unit_ids: list[int] | None) -> Figures:
    today = w.today
    specs = rollup.window_specs()
    mark = rollup.current_mark()
    watermark = None if mark is None else mark.watermark
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
        if mark is not None:
            rows += rollup.kept(mark, ["by_unit", window, w.start, w.end, unit_ids],
                                lambda: rollup.rolled_by_unit(window, w.start, w.end, unit_ids))
        return rows

    # The live received cases are read once, per org unit and month: the month series' live part.
    received = part(rollup.RollupWindow.RECEIVED, w.received, "month")
    resolved = part(rollup.RollupWindow.RESOLVED, w.resolved)
    accepted: dict[str, Any] = defaultdict(int)
    for row in part(rollup.RollupWindow.ACCEPTED, w.accepted):
        for key, value in row.items():
            if key != "org_unit_id":
                accepted[key] += value or 0
    # Before the rows are added up: the month and the handling time's keys come out of them.
    months = _months(lives, w, mark, unit_ids, received)
    handling = _handling(lives, w, watermark, resolved)
    received_totals = Totals.add_up(received, areas.area_of)
    return Figures(
        scope=scope.as_dict(), areas=areas.listing(), months=months, handling=handling,
        received=received_totals, resolved=Totals.add_up(resolved, areas.area_of),
        accepted=accepted,
        carried=qs.filter(kpis.params_q(w.arbitration_params("carried_over"), today)).count(),
        open_overdue=qs.filter(kpis.params_q(w.params("open_overdue"), today)).count(),
        warnings=_warnings(scope, w),
        # Measures of the received window (rollup.window_specs): live and rolled up like the others.
        ended={key: received_totals.total[f"ended_{key}"] or 0 for key in ("inside", "resolved", "court")},
    )


def _months(lives: list[QuerySet[Case]], w: Window, mark: rollup.Mark | None, unit_ids: list[int] | None,
            received: list[dict[str, Any]]) -> dict[date, list[int]]:
    """Cases received per month, [in the period, a year earlier]: the live part of the period comes
    from the received rows (their month, taken out of them here), the rest is counted."""
    months: dict[date, list[int]] = defaultdict(lambda: [0, 0])
    for r in received:
        if "m" in r:
            months[rollup.as_date(r.pop("m"))][0] += r["volume"]
    for live in lives:
        before = (live.filter(_window_q(w.received_last_year, w.today)).annotate(m=TruncMonth("received_at"))
                  .values("m").annotate(before=Count("id")).order_by())
        for r in before:
            months[rollup.as_date(r["m"])][1] += r["before"]
    if mark is not None:
        # The period and the same period a year earlier, in one statement.
        periods = [(w.start, w.end), (kpis.year_earlier(w.start), kpis.year_earlier(w.end))]
        rolled = rollup.kept(mark, ["by_month", periods, unit_ids], lambda: rollup.rolled_by_month_in(
            rollup.RollupWindow.RECEIVED, "volume", periods, unit_ids))
        for i, by_month in enumerate(rolled):
            for m, n in by_month.items():
                months[m][i] += n
    return months


def _handling(lives: list[QuerySet[Case]], w: Window, watermark: datetime | None,
              resolved: list[dict[str, Any]]) -> dict[str, int]:
    """The handling time's working days and cases: counted over the live cases, and for the final
    ones taken out of the resolved rows the roll-up gave."""
    handling = {"days_sum": 0, "cases": 0}
    for live in lives:
        for key, value in _handling_days(live, w).items():
            handling[key] += value
    if watermark is not None:
        for row in resolved:
            handling["days_sum"] += row.pop(rollup.HANDLING_DAYS, 0)
            handling["cases"] += row.pop(rollup.HANDLING_CASES, 0)
    return handling


def _handling_days(qs: QuerySet[Case], w: Window) -> dict[str, Any]:
    """Working days from acceptance to resolution, summed over the cases resolved in the period.

    Σ (wd(resolved) − wd(accepted)) = Σ wd(resolved) − Σ wd(accepted), where wd(d) counts the
    working days up to d: two small GROUP BY date queries instead of reading every case.
    """
    wd = rollup.working_day_number()
    pop = qs.filter(kpis.params_q(w.params("avg_handling_days", "denominator"), w.today), accepted_at__isnull=False)
    total = 0
    n = 0
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
    months = whole_months(w.start, w.end)
    about_q = Q(month__gte=months[0], month__lte=months[1]) if months else Q(pk__in=[])
    totals = qs.aggregate(
        raised=Count("id", filter=kpis.cf.between_q("first_detected_at", w.start, w.end)),
        about=Count("id", filter=about_q),
        about_open=Count("id", filter=about_q & Q(state=MonitoringWarning.State.OPEN)),
        resolved=Count("id", filter=kpis.cf.between_q("resolved_at", w.start, w.end)
                       & Q(state=MonitoringWarning.State.RESOLVED)),
    )
    # The warnings list filters one month at a time: a figure over several months links to none.
    about_link = (_warnings_url(scope, {"month": f"{months[0] // 100}-{months[0] % 100:02d}"})
                  if months and months[0] == months[1] else "")
    return {"raised": totals["raised"] or 0, "resolved": totals["resolved"] or 0,
            "about": totals["about"] if months else None, "about_open": totals["about_open"] if months else None,
            "about_link": about_link,
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
