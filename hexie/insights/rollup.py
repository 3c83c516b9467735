"""The closed-case roll-up: the dashboards' figures over cases that can no longer change, added up once.

A closed case is final: no transition of `hexie.cases.workflow` leads out of `closed`, a rating
needs a resolved case, and closing stops every clock, so whether the case was late is settled too.
A refused case is final in the same way: no transition leaves `refused`, and refusing settles the
decision clock and cancels every other one. Closed and refused cases are ~95 % of all cases;
reading them on every dashboard request is what made the page slow. So every figure is computed
in two disjoint parts that together cover every case:

* *rolled up*: cases closed (`closed_at`) or refused (`refused_at`) before the watermark, read from
  `CaseRollup` (per org unit, per day or whole month of the window's date, per measure);
* *live*: every other case (`live_q`), counted by the dashboard as before.

Both parts count with the same measures (`measures`), which are built from the KPI definitions
and through them from the case list's own filter conditions, so a figure still equals the length
of the list its link opens, whenever the roll-up was last refreshed.

`services.rollup.refresh_rollup` moves the watermark up to a few minutes before now and recomputes,
from the case rows, the days (and months) that the newly closed or refused cases fall on: a re-run
gives the same rows, and a case is never counted in both parts. When the measures' definitions or
the working-day calendar change, the roll-up's signature no longer matches: the dashboard then
counts everything live until the next refresh rebuilds the roll-up from scratch.
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any, TypeVar

from django.core.cache import cache
from django.db.models import Count, F, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth

from hexie.cases import filters as cf
from hexie.cases.models import Case, CaseType, Channel, Status
from hexie.insights import kpis
from hexie.insights.models import CaseRollup, RollupGrain, RollupState, RollupWindow
from hexie.workcal import rules as workcal
from hexie.workcal.selectors import get_calendar

# Bump when the way rows are computed changes without the measures' parameters changing
# (2: refused cases are rolled up too; 3: arbitration acceptances by the commission's date, whose
# backfill changed final cases' rows).
FORMAT_VERSION = 3
# The watermark stays this far behind now: a case closed by a transaction that has not committed
# yet when the refresh reads must still be counted live, not skipped by both parts.
SAFETY_MARGIN = timedelta(minutes=5)
# A fixed day: the dates of the template window `window_specs` strips, and the day working days
# are counted from (a handling time is the difference of two such counts).
EPOCH = date(2000, 1, 1)
# Window parameters go to the WHERE clause; everything else of a figure becomes its aggregate's FILTER.
WINDOW_KEYS = frozenset({"received_from", "received_to", "resolved_from", "resolved_to", "accepted_from",
                         "accepted_to", "track_accepted_from", "track_accepted_to"})
# Measures summed over decimal columns keep their decimals; every other measure is a whole number.
_DECIMAL_COLUMNS = frozenset({"amount_recovered", "amount_claimed"})
# Roll-up-only measures of the resolved window: the handling time's cases and working days.
HANDLING_CASES = "handling_cases"
HANDLING_DAYS = "handling_days"
# The rolled-up part of a figure changes only when a refresh writes it, in the same transaction as
# the watermark (services.rollup.refresh_rollup): what was read under one refresh is kept under it
# (`kept`), so that figures computed afresh recount only the live cases. An hour is long enough:
# a refresh runs every ten minutes, and a kept part is never read under another one.
KEPT_SECONDS = 60 * 60

T = TypeVar("T")


@dataclass(frozen=True)
class Measure:
    """One aggregate of a dashboard query: count the cases, or sum a column, under case-list filters."""

    kind: str  # "count" or "sum"
    column: str
    params: tuple[tuple[str, str], ...]

    def expression(self, today: date) -> Any:
        cond = cf.params_q(dict(self.params), today) or None
        if self.kind == "count":
            return Count("id", filter=cond)
        return Sum(self.column, filter=cond)


@dataclass(frozen=True)
class WindowSpec:
    """One date window of the dashboard: the date it is on, the cases it always applies to, its measures."""

    name: str
    field: str
    base: tuple[tuple[str, str], ...]
    measures: dict[str, Measure]

    def base_q(self, today: date) -> Q:
        return cf.params_q(dict(self.base), today)

    def aggregates(self, today: date) -> dict[str, Any]:
        return {key: m.expression(today) for key, m in self.measures.items()}


def _strip(params: kpis.Params) -> tuple[tuple[str, str], ...]:
    return tuple(sorted((k, v) for k, v in params.items() if k not in WINDOW_KEYS))


def _count(params: kpis.Params) -> Measure:
    return Measure("count", "", _strip(params))


def _sum(column: str, params: kpis.Params) -> Measure:
    return Measure("sum", column, _strip(params))


@functools.cache
def window_specs() -> dict[str, WindowSpec]:
    """The dashboard's three date windows and their measures, from the KPI definitions.

    Only the non-window part of each figure's parameters is kept: the window is the day range the
    dashboard reads, live (a WHERE clause) and rolled up (the rows' `day`). Worked out once per
    process: the definitions are the code's (a dashboard computed them on every request, ~5 ms).
    """
    w = kpis.Window(start=EPOCH, end=EPOCH, today=EPOCH)
    rec = w.received
    received = {
        "volume": _count(rec),
        "closure_num": _count(w.params("closure_rate")), "closure_den": _count(w.params("closure_rate", "denominator")),
        "mediation_num": _count(w.params("mediation_rate")),
        "mediation_den": _count(w.params("mediation_rate", "denominator")),
        "within_num": _count(w.params("within_limit_rate")),
        "within_den": _count(w.params("within_limit_rate", "denominator")),
        "late": _count(w.params("late")), "repeat": _count(w.params("repeat_rate")),
        "collective": _count(w.params("collective")),
        "collective_workers": _sum("workers_count", w.params("collective_workers")),
        # Where the cases ended (inside the bureau, before a court), of those resolved.
        "ended_inside": _count(w.params("inside_bureau_rate")),
        "ended_resolved": _count(w.params("inside_bureau_rate", "denominator")),
        "ended_court": _count(w.params("ended_in_court")),
    }
    for value, _label in Channel.choices:
        received[f"ch_{value}"] = _count({**rec, "channel": value})
    for value, _label in CaseType.choices:
        received[f"ty_{value}"] = _count({**rec, "case_type": value})
    res = w.resolved
    resolved = {
        "resolved": _count(res),
        "amount_sum": _sum("amount_recovered", res),
        "benefited_sum": _sum("workers_benefited", res),
        "rated": _count(w.params("satisfaction_rate", "denominator")),
        "satisfied": _count(w.params("satisfaction_rate")),
        "score_sum": _sum("satisfaction", w.params("satisfaction_avg")),
    }
    accepted: dict[str, Measure] = {}
    for row in kpis.ARBITRATION_ROWS:
        p = w.arbitration_params(row.code)
        m = _sum(row.sum_field, p) if row.sum_field else _count(p)
        if p.get("resolved_from"):
            resolved[f"arb_{row.code}"] = m
        elif p.get("track_accepted_from"):
            accepted[f"arb_{row.code}"] = m
    return {
        RollupWindow.RECEIVED: _spec(RollupWindow.RECEIVED, "received_at", {}, received),
        RollupWindow.RESOLVED: _spec(RollupWindow.RESOLVED, "resolved_at", res, resolved),
        # By the commission's acceptance, as `kpis.Window.accepted` (a final case's never changes).
        RollupWindow.ACCEPTED: _spec(RollupWindow.ACCEPTED, "track_accepted_at", {"track": "arbitration"},
                                     accepted),
    }


def _spec(name: str, field: str, base: kpis.Params, measures: dict[str, Measure]) -> WindowSpec:
    """A window whose measures no longer repeat the conditions its WHERE clause already applies."""
    b = _strip(base)
    trimmed = {k: Measure(m.kind, m.column, tuple(p for p in m.params if p not in b)) for k, m in measures.items()}
    return WindowSpec(name, field, b, trimmed)


def _calendar_key(cal: workcal.Calendar) -> str:
    data = [sorted(cal.known_years), sorted(d.isoformat() for d in cal.holidays),
            sorted(d.isoformat() for d in cal.workdays)]
    return hashlib.sha256(json.dumps(data).encode()).hexdigest()


_signature_cache: dict[int, tuple[workcal.Calendar, str]] = {}


def signature() -> str:
    """Fingerprint of what the rows mean: the measures' definitions and the working-day calendar."""
    cal = get_calendar()
    hit = _signature_cache.get(id(cal))
    if hit is not None and hit[0] is cal:
        return hit[1]
    specs = {name: {"field": s.field, "base": s.base,
                    "measures": {k: [m.kind, m.column, m.params] for k, m in sorted(s.measures.items())}}
             for name, s in sorted(window_specs().items())}
    text = json.dumps({"v": FORMAT_VERSION, "specs": specs, "calendar": _calendar_key(cal)}, sort_keys=True)
    value = hashlib.sha256(text.encode()).hexdigest()
    _signature_cache.clear()
    _signature_cache[id(cal)] = (cal, value)
    return value


# --- the two parts ------------------------------------------------------------------------------


# The final statuses and the column holding the moment each was reached: no transition of
# `hexie.cases.workflow` leads out of either, so their cases' figures never change.
FINAL: tuple[tuple[str, str], ...] = ((Status.CLOSED, "closed_at"), (Status.REFUSED, "refused_at"))


def rolled_q(watermark: datetime) -> Q:
    """The cases counted by the roll-up: closed, or refused, before the watermark."""
    q = Q(pk__in=[])
    for status, column in FINAL:
        q |= Q(status=status, **{f"{column}__lt": watermark})
    return q


def batch_q(since: datetime) -> Q:
    """Of the rolled-up cases, those that became final at or after `since` (a refresh's new batch)."""
    q = Q(pk__in=[])
    for status, column in FINAL:
        q |= Q(status=status, **{f"{column}__gte": since})
    return q


def live_parts(watermark: datetime, unstamped: Iterable[str] | None = None) -> list[Q]:
    """The live cases as two disjoint parts: those in no final status, and those that reached one
    at or after the watermark (or at no recorded moment).

    Counted as two statements: the first, nearly all live rows, is a plain range of the partial
    indexes `status NOT IN ('closed', 'refused')` (on PostgreSQL covering the columns the received
    window's measures read: no table access); the second is a few index entries. One statement
    with both as an OR can only read the table through a bitmap of the row positions.

    The "no recorded moment" branch matters only for cases made final outside the workflow (which
    always stamps the moment); PostgreSQL cannot estimate "closed and closed_at IS NULL" (it
    multiplies the two selectivities, 8 % of all cases instead of none) and then reads the whole
    window from the table. `unstamped` (from `unstamped_statuses`) names the final statuses that
    have such cases; the branch is left out for the others. None: kept for every final status.
    """
    keep_null = {status for status, _column in FINAL} if unstamped is None else set(unstamped)
    recent = Q(pk__in=[])
    for status, column in FINAL:
        recent |= Q(status=status, **{f"{column}__gte": watermark})
        if status in keep_null:
            recent |= Q(status=status, **{f"{column}__isnull": True})
    return [~Q(status__in=[status for status, _column in FINAL]), recent]


def live_q(watermark: datetime | None, unstamped: Iterable[str] | None = None) -> Q:
    """Every case the roll-up does not count: the exact complement of `rolled_q` (`live_parts`
    as one condition), written as positive branches (status is never NULL) rather than NOT(...)."""
    if watermark is None:
        return Q()
    first, second = live_parts(watermark, unstamped)
    return first | second


def unstamped_statuses() -> list[str]:
    """The final statuses that some case has without the moment it reached it (made final outside
    the workflow): one index probe each, the first entry of the stamp's partial index
    (`case_closed_at`, `case_refused_at`) in NULLS FIRST order."""
    out: list[str] = []
    for status, column in FINAL:
        first = list(Case.objects.filter(status=status).order_by(F(column).desc(nulls_first=True))
                     .values_list(column, flat=True)[:1])
        if first and first[0] is None:
            out.append(status)
    return out


@dataclass(frozen=True)
class Mark:
    """Which roll-up a reader reads: the watermark and the refresh that wrote the rows."""

    watermark: datetime
    generation: int


def current_mark() -> Mark | None:
    """The roll-up to read, or None (count everything live) when it is missing or stale."""
    state = RollupState.objects.filter(key="cases").first()
    if state is None or state.watermark is None or state.signature != signature():
        return None
    return Mark(state.watermark, state.generation)


def current_watermark() -> datetime | None:
    """The watermark to read with, or None (count everything live) when the roll-up is missing or stale."""
    mark = current_mark()
    return None if mark is None else mark.watermark


def kept(mark: Mark, what: list[Any], compute: Callable[[], T]) -> T:
    """`compute()`, a read of the roll-up described by `what`, kept for the refresh it was read
    under (`current_mark`) and the roll-up's signature. The caller reads the mark and the rows in one
    snapshot (`hexie.insights.selectors.compute_dashboard`), so a part kept is that refresh's rows."""
    text = json.dumps([FORMAT_VERSION, signature(), mark.watermark.isoformat(), mark.generation, what],
                      default=str)
    key = "insights:rolled:" + hashlib.sha256(text.encode()).hexdigest()
    found = cache.get(key)
    if found is None:
        found = compute()
        cache.set(key, found, KEPT_SECONDS)
    return found  # type: ignore[no-any-return]


def month_start(d: date) -> date:
    return d.replace(day=1)


def next_month(d: date) -> date:
    """The first day of the month after d's."""
    return (d.replace(day=28) + timedelta(days=4)).replace(day=1)


def as_date(value: Any) -> date:
    """A date from what a Trunc* annotation gives back (a datetime on some databases)."""
    return value.date() if isinstance(value, datetime) else value


def working_day_number() -> Callable[[date], int]:
    """wd(d): the working days from EPOCH up to d, so that wd(b) − wd(a) counts those between.

    Cached per call: a handling time sums it over a few hundred distinct dates.
    """
    cal = get_calendar()
    cache: dict[date, int] = {}

    def wd(d: date) -> int:
        if d not in cache:
            cache[d] = workcal.count_period_days(cal, EPOCH, d, workcal.WORKING)
        return cache[d]

    return wd


def _period_q(start: date, end: date) -> Q:
    """Roll-up rows covering [start, end] exactly: whole months as month rows, the rest as day rows."""
    first_whole = start if start.day == 1 else next_month(start)
    after = end + timedelta(days=1)
    last_whole_end = month_start(after)  # exclusive end of the last whole month
    if first_whole >= last_whole_end:
        return Q(grain=RollupGrain.DAY, day__gte=start, day__lte=end)
    q = Q(grain=RollupGrain.MONTH, day__gte=first_whole, day__lt=last_whole_end)
    if start < first_whole:
        q |= Q(grain=RollupGrain.DAY, day__gte=start, day__lt=first_whole)
    if last_whole_end <= end:
        q |= Q(grain=RollupGrain.DAY, day__gte=last_whole_end, day__lte=end)
    return q


def _rows(window: str, start: date, end: date, unit_ids: list[int] | None) -> QuerySet[CaseRollup]:
    qs = CaseRollup.objects.filter(_period_q(start, end), window=window)
    if unit_ids is not None:
        qs = qs.filter(org_unit_id__in=unit_ids)
    return qs


def _typed(spec: WindowSpec | None, key: str, value: Decimal) -> Any:
    m = spec.measures.get(key) if spec else None
    if m is not None and m.kind == "sum" and m.column in _DECIMAL_COLUMNS:
        return value
    return int(value)


def rolled_by_unit(window: str, start: date, end: date, unit_ids: list[int] | None) -> list[dict[str, Any]]:
    """The rolled-up part of a window's measures over [start, end], one dict per org unit.

    The same shape as the live query's rows (`org_unit_id` and one key per measure), so the
    dashboard adds the two parts up with the same code.
    """
    spec = window_specs()[window]
    per_unit: dict[int, dict[str, Any]] = defaultdict(dict)
    rows = (_rows(window, start, end, unit_ids).values("org_unit_id", "measure").annotate(v=Sum("value"))
            .order_by())
    for r in rows:
        per_unit[r["org_unit_id"]][r["measure"]] = _typed(spec, r["measure"], r["v"])
    return [{"org_unit_id": unit, **values} for unit, values in per_unit.items()]


def rolled_by_month(window: str, measure: str, start: date, end: date,
                    unit_ids: list[int] | None) -> dict[date, int]:
    """The rolled-up part of one count measure over [start, end], by calendar month."""
    return rolled_by_month_in(window, measure, [(start, end)], unit_ids)[0]


def rolled_by_month_in(window: str, measure: str, periods: list[tuple[date, date]],
                       unit_ids: list[int] | None) -> list[dict[date, int]]:
    """The rolled-up part of one count measure by calendar month, for each period, in one statement
    (the month series' year and the year before it): the rows of any of the periods, each month's
    sum taken once per period over the rows of that period (periods may overlap)."""
    cover = Q(pk__in=[])
    sums: dict[str, Any] = {}
    for i, (start, end) in enumerate(periods):
        cover |= _period_q(start, end)
        sums[f"v{i}"] = Sum("value", filter=_period_q(start, end))
    qs = CaseRollup.objects.filter(cover, window=window, measure=measure)
    if unit_ids is not None:
        qs = qs.filter(org_unit_id__in=unit_ids)
    out: list[dict[date, int]] = [{} for _ in periods]
    for r in qs.annotate(m=TruncMonth("day")).values("m").annotate(**sums).order_by():
        for i, found in enumerate(out):
            if r[f"v{i}"] is not None:
                found[as_date(r["m"])] = int(r[f"v{i}"])
    return out
