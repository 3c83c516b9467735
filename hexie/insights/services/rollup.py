"""Refreshing the dashboards' roll-up of final cases (`hexie.insights.rollup` says what it holds).

Bookkeeping, not a change anyone makes: the rows are recomputed from the case rows, so a refresh
writes no audit entry. The Huey worker runs `refresh_rollup` every ten minutes (tasks.py).
"""

from __future__ import annotations

import time as _time
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import Any

from django.db import connection, transaction
from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import TruncDate, TruncMonth

from hexie.cases import filters as cf
from hexie.cases.models import Case
from hexie.core import clock
from hexie.insights.models import CaseRollup, RollupGrain, RollupState, RollupWindow
from hexie.insights.rollup import (
    HANDLING_CASES,
    HANDLING_DAYS,
    SAFETY_MARGIN,
    WindowSpec,
    as_date,
    batch_q,
    month_start,
    next_month,
    rolled_q,
    signature,
    window_specs,
    working_day_number,
)

# Work on at most this many separate day ranges in one statement; more are merged into one span.
_MAX_RANGES = 200


def _ranges(days: Iterable[date]) -> list[tuple[date, date]]:
    """Sorted days merged into inclusive ranges; too many ranges become one span."""
    out: list[tuple[date, date]] = []
    for d in sorted(set(days)):
        if out and d == out[-1][1] + timedelta(days=1):
            out[-1] = (out[-1][0], d)
        else:
            out.append((d, d))
    if len(out) > _MAX_RANGES:
        out = [(out[0][0], out[-1][1])]
    return out


def _ranges_q(field: str, ranges: list[tuple[date, date]] | None) -> Q:
    if ranges is None:
        return Q()
    q = Q(pk__in=[])
    for lo, hi in ranges:
        q |= cf.between_q(field, lo, hi)
    return q


def _day_rows_q(ranges: list[tuple[date, date]] | None) -> Q:
    if ranges is None:
        return Q()
    q = Q(pk__in=[])
    for lo, hi in ranges:
        q |= Q(day__gte=lo, day__lte=hi)
    return q


def _day_values(spec: WindowSpec, cases: QuerySet[Case], today: date) -> dict[tuple[int, date], dict[str, Any]]:
    """Every measure of a window per (org unit, day) over the given cases, as the live query counts them."""
    out: dict[tuple[int, date], dict[str, Any]] = {}
    rows = (cases.filter(spec.base_q(today)).annotate(d=TruncDate(spec.field)).values("org_unit_id", "d")
            .annotate(**spec.aggregates(today)).order_by())
    for r in rows:
        key = (r.pop("org_unit_id"), as_date(r.pop("d")))
        out[key] = r
    if spec.name == RollupWindow.RESOLVED:
        wd = working_day_number()
        # The handling time's population: the resolved window's cases that were accepted.
        pairs = (cases.filter(spec.base_q(today), accepted_at__isnull=False)
                 .annotate(d=TruncDate(spec.field), a=TruncDate("accepted_at"))
                 .values("org_unit_id", "d", "a").annotate(n=Count("id")).order_by())
        for r in pairs:
            d = as_date(r["d"])
            values = out.setdefault((r["org_unit_id"], d), {})
            values[HANDLING_CASES] = values.get(HANDLING_CASES, 0) + r["n"]
            values[HANDLING_DAYS] = values.get(HANDLING_DAYS, 0) + (wd(d) - wd(as_date(r["a"]))) * r["n"]
    return out


def _rebuild(spec: WindowSpec, rolled: QuerySet[Case], ranges: list[tuple[date, date]] | None,
             today: date) -> int:
    """Recompute the day rows of the given days (all when None) and the month rows of their months."""
    values = _day_values(spec, rolled.filter(_ranges_q(spec.field, ranges)), today)
    CaseRollup.objects.filter(_day_rows_q(ranges), window=spec.name, grain=RollupGrain.DAY).delete()
    objs = [CaseRollup(window=spec.name, grain=RollupGrain.DAY, day=d, org_unit_id=unit, measure=k, value=v)
            for (unit, d), measures in values.items() for k, v in measures.items() if v]
    CaseRollup.objects.bulk_create(objs, batch_size=5000)
    # Month rows: the sum of their day rows.
    if ranges is None:
        months_q = Q()
    else:
        months = {m for lo, hi in ranges for m in _months(lo, hi)}
        months_q = _day_rows_q([(m, next_month(m) - timedelta(days=1)) for m in sorted(months)])
    CaseRollup.objects.filter(months_q, window=spec.name, grain=RollupGrain.MONTH).delete()
    sums = (CaseRollup.objects.filter(months_q, window=spec.name, grain=RollupGrain.DAY)
            .annotate(m=TruncMonth("day")).values("m", "org_unit_id", "measure").annotate(v=Sum("value"))
            .order_by())
    month_objs = [CaseRollup(window=spec.name, grain=RollupGrain.MONTH, day=as_date(r["m"]),
                             org_unit_id=r["org_unit_id"], measure=r["measure"], value=r["v"]) for r in sums]
    CaseRollup.objects.bulk_create(month_objs, batch_size=5000)
    return len(objs) + len(month_objs)


def _months(lo: date, hi: date) -> list[date]:
    out = []
    m = month_start(lo)
    while m <= hi:
        out.append(m)
        m = next_month(m)
    return out


def refresh_rollup(*, full: bool = False, now: datetime | None = None) -> dict[str, Any]:
    """Count the cases closed or refused since the last refresh into the roll-up and move the watermark.

    Incremental: only the days (and months) that the newly final cases fall on, in each window,
    are recomputed from the case rows. `full`, a changed signature or a first run rebuild
    everything. Idempotent: a second run with nothing newly final changes nothing.
    """
    t0 = _time.perf_counter()
    now = now or clock.now()
    target = now - SAFETY_MARGIN
    today = clock.today()
    sig = signature()
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL jit = off")
        state, _created = RollupState.objects.select_for_update().get_or_create(key="cases")
        rebuild = full or state.watermark is None or state.signature != sig
        old = None if rebuild else state.watermark
        if old is not None and target <= old:
            return {"rebuilt": False, "cases": 0, "rows": 0, "watermark": old, "seconds": 0.0}
        rolled = Case.objects.filter(rolled_q(target))
        if old is None:
            CaseRollup.objects.all().delete()
            batch = rolled
        else:
            batch = rolled.filter(batch_q(old))
        n_cases = batch.count()
        rows = 0
        for spec in window_specs().values():
            if rebuild:
                ranges = None
            else:
                days = [as_date(d) for d in batch.exclude(**{f"{spec.field}__isnull": True})
                        .annotate(d=TruncDate(spec.field)).values_list("d", flat=True).distinct()]
                if not days:
                    continue
                ranges = _ranges(days)
            rows += _rebuild(spec, rolled, ranges, today)
        if rebuild and connection.vendor == "postgresql":
            # Every row was replaced: the planner's estimates of the table (one row per key range)
            # would pick bitmap scans for the dashboard's reads until autovacuum came by.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE insights_caserollup")
        seconds = _time.perf_counter() - t0
        state.watermark, state.signature, state.refreshed_at = target, sig, now
        state.last_seconds, state.last_cases = seconds, n_cases
        state.generation += 1
        state.save()
    return {"rebuilt": rebuild, "cases": n_cases, "rows": rows, "watermark": target, "seconds": round(seconds, 3)}
