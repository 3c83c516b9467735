"""The rules as Ibis expressions: :func:`find_warnings` reads one month of the feeds once, builds
the worker × project table and its per-project sums, derives every active rule from those two, and
returns all findings in two queries (see the package note on portability and cost)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import ibis
import ibis.expr.types as ir

from hexie.monitoring.months import check_month, last_day
from hexie.monitoring.rules import PIPELINE_RULES, RULE_DEFAULTS, pay_due

# Rule code -> default threshold: the seeded rules' own (their ``threshold_label`` gives the unit:
# percent, workers, yuan or days); the open-complaint rule is computed from cases, not here.
DEFAULT_RULES: dict[str, int] = {r["code"]: int(r["threshold"]) for r in RULE_DEFAULTS if r["code"] in PIPELINE_RULES}
# A finding names at most this many workers; `Finding.workers` keeps the full count.
MAX_WORKER_IDS = 200

# The figures each rule's query returns, in the order of the d0..d3 columns below.
_FIGURES: dict[str, tuple[str, ...]] = {
    "no_payment": ("attending", "attendance_days"),
    "paid_late": ("attending", "paid"),
    "unpaid_share": ("attending", "recorded", "unpaid"),
    "fewer_paid": ("attending", "paid"),
    "below_minimum": ("paid", "gross_fen", "min_wage_fen", "threshold_fen"),
    "pay_over_month": ("threshold_fen",),
    "pay_over_year": ("threshold_fen",),
    "exit_unsettled": ("attendance_days",),
    "no_deposit": ("attending",),
}
_NFIG = 4
# The per-worker total (across projects) each pay limit compares with.
_TOTAL = {"pay_over_month": "month_total", "pay_over_year": "year_total"}


@dataclass(frozen=True)
class Finding:
    """One rule firing for one project and month, with the evidence an inspector acts on."""

    rule: str
    project_id: int
    month: int
    workers: int
    amount_fen: int
    worker_ids: tuple[int, ...]  # ascending, at most MAX_WORKER_IDS
    # Left out of the hash (a dict has none), so that findings can still go into sets.
    detail: dict[str, int] = field(default_factory=dict, hash=False)


def _i64(value: Any) -> ir.IntegerValue:
    return ibis.literal(value, type="int64")


def _finding_rows(rule: str, t: ir.Table, workers: Any, amount: Any, figures: Sequence[Any]) -> ir.Table:
    """One rule's findings in the common shape, so that all rules come back in one query."""
    cols: dict[str, Any] = {
        "rule": ibis.literal(rule, type="string"),
        "project_id": t.project_id.cast("int64"),
        "workers": workers.cast("int64"),
        "amount_fen": amount.cast("int64"),
    }
    for i in range(_NFIG):
        cols[f"d{i}"] = figures[i].cast("int64") if i < len(figures) else ibis.null("int64")
    return t.select(**cols)


def _worker_rows(rule: str, t: ir.Table) -> ir.Table:
    return t.select(rule=ibis.literal(rule, type="string"), project_id=t.project_id.cast("int64"),
                    worker_id=t.worker_id.cast("int64"))


def effective_payroll(pay: ir.Table) -> ir.Table:
    """The payroll rows that count: per worker × project × month, the latest of the original row
    and its corrections (isCorrection; the earlier rows stay in the lake as history), plus every
    back-pay row (isBackPay), which adds to what was paid. Rows without a batch (in-memory inputs)
    count as one batch."""
    pay = pay.mutate(is_back_pay=pay.is_back_pay.fill_null(False), batch=pay.batch_id.fill_null(0))
    base = pay.filter(~pay.is_back_pay)
    keys = ["worker_id", "project_id", "month"]
    latest = base.group_by(keys).aggregate(batch=base.batch.max())
    current = base.semi_join(latest, [*keys, "batch"])
    return current.union(pay.filter(pay.is_back_pay))


# Σ 2^k over a group's rows equals their bitwise OR exactly when no k repeats (a repeat carries).
# bit_or is a built-in aggregate on DuckDB and Spark alike (no Python UDF).
@ibis.udf.agg.builtin(name="bit_or")
def _bit_or(arg: int) -> int:  # type: ignore[empty-body]
    """Bitwise OR of the group's values."""


def _pay_sums(pay: ir.Table, *, month: int, as_of: dt.date, due: dt.date, **extra: Any) -> ir.Table:
    """Per worker × project, the pay figures of the rows of ``pay`` (the rows that count)."""
    in_m = pay.month == month
    paid_on = pay.paid_on
    # "Paid" (rules.md §3): a pay date on or before the evaluation day and an amount above zero.
    paid_row = in_m & paid_on.notnull() & (paid_on <= ibis.date(as_of)) & (pay.net_fen.fill_null(0) > 0)
    paid_due_row = paid_row & (paid_on <= ibis.date(min(due, as_of)))
    # A row in M ⊇ paid ⊇ paid by the due date, so one small maximum carries all three: ≥ 1 a pay
    # record for M, ≥ 2 paid, 3 paid by the due date (three aggregates' state was a third of the
    # memory of this group-by, one group per worker × project).
    status = in_m.cast("int8") + paid_row.cast("int8") + paid_due_row.cast("int8")
    return pay.group_by(["worker_id", "project_id"]).aggregate(
        status=status.max(),
        gross=in_m.ifelse(pay.gross_fen, 0).sum(),
        gross_ytd=pay.gross_fen.sum(),
        **extra,
    )


def _pay_by_worker_project(payroll: ir.Table, *, year_start: int, month: int, as_of: dt.date, due: dt.date,
                           ) -> ir.Table:
    """The pay figures per worker × project over months ``year_start``..``month``, from the rows
    that count (:func:`effective_payroll`), in one pass over the payroll.

    A correction only matters where a worker × project × month has more than one non-back-pay
    row; everywhere else every row counts. So the rows are summed per worker × project as they
    are, with a flag for the pairs where some month repeats among the non-back-pay rows (Σ 2^k
    differs from the OR of 2^k, k the month's place in the year); only those pairs, few, are
    summed again from their effective rows. Grouping the whole year's payroll by worker ×
    project × month to find each latest import (one group per row) and joining it back cost
    far more than the rest of the job at 25 M payroll rows, and spilled under the memory limit.
    """
    in_range = (payroll.month >= year_start) & (payroll.month <= month)
    # effective_payroll's join on the keys never keeps a non-back-pay row without a worker or a
    # project (NULL matches nothing); neither does this.
    keyed = payroll.is_back_pay.fill_null(False) | (payroll.worker_id.notnull() & payroll.project_id.notnull())
    pay = payroll.filter(in_range & keyed)
    bit = ibis.cases(*((pay.month == m, 1 << (m - year_start)) for m in range(year_start, month + 1)),
                     else_=0)
    bit = pay.is_back_pay.fill_null(False).ifelse(0, bit).cast("int64")
    every = _pay_sums(pay, month=month, as_of=as_of, due=due, bits=bit.sum(), bits_or=_bit_or(bit))
    cols = ["worker_id", "project_id", "status", "gross", "gross_ytd"]
    single = every.filter(every.bits == every.bits_or).select(*cols)
    repeated = every.filter(every.bits != every.bits_or).select("worker_id", "project_id")
    # The repeating pairs' rows, read again: the semi-join comes first, so only their rows go
    # through effective_payroll's group-by and semi-join.
    again = payroll.semi_join(repeated, ["worker_id", "project_id"])
    exact = _pay_sums(effective_payroll(again.filter((again.month >= year_start) & (again.month <= month))),
                      month=month, as_of=as_of, due=due).select(*cols)
    return single.union(exact)


def find_warnings(
    con: Any,
    *,
    month: int,
    as_of: dt.date,
    attendance: ir.Table,
    payroll: ir.Table,
    deposits: ir.Table,
    roster: ir.Table,
    projects: ir.Table,
    rules: Mapping[str, int],
) -> list[Finding]:
    """Every active rule's findings for ``month`` as seen on ``as_of``, sorted by (rule, project_id).

    ``rules`` maps the ACTIVE rule codes to their thresholds (see DEFAULT_RULES for units); a code
    that is absent is switched off. Input tables may be bound to ``con`` (load_parquet) or
    in-memory (as_table); the result is the same list on every engine.
    """
    check_month(month)
    unknown = sorted(set(rules) - set(DEFAULT_RULES))
    if unknown:
        raise ValueError(f"unknown rule codes: {', '.join(unknown)}")  # a programming error, not a user's
    if not rules:
        return []

    end_m = last_day(month)
    due = pay_due(month)  # pay for month M is due by the end of M+1
    # Payroll is summed in one pass: month M, and the earlier months of M's year when pay_over_year
    # needs them (the pairs with a correction are read again: see _pay_by_worker_project).
    year_start = (month // 100) * 100 + 1 if "pay_over_year" in rules else month

    # Worker × project: attendance days in M (the one pass over the big input) joined with the pay
    # records that count (back-pay rows added, corrections superseding: see effective_payroll).
    att = attendance.filter(attendance.month == month)
    att_agg = att.group_by(["worker_id", "project_id"]).aggregate(days=att.count())
    pay_agg = _pay_by_worker_project(payroll, year_start=year_start, month=month, as_of=as_of, due=due)
    joined = att_agg.outer_join(
        pay_agg,
        [att_agg.worker_id == pay_agg.worker_id, att_agg.project_id == pay_agg.project_id],
    )
    wp_expr = joined.select(
        worker_id=ibis.coalesce(att_agg.worker_id, pay_agg.worker_id),
        project_id=ibis.coalesce(att_agg.project_id, pay_agg.project_id),
        days=att_agg.days.fill_null(0).cast("int64"),
        attended=att_agg.worker_id.notnull().cast("int64"),
        has_pay=(pay_agg.status.fill_null(0) >= 1).cast("int64"),  # a pay record for month M
        gross=pay_agg.gross.fill_null(0).cast("int64"),  # month M
        gross_ytd=pay_agg.gross_ytd.fill_null(0).cast("int64"),  # M's year up to M
        paid=(pay_agg.status.fill_null(0) >= 2).cast("int64"),  # paid as of the evaluation day
        paid_due=(pay_agg.status.fill_null(0) >= 3).cast("int64"),  # paid by the due date
    )

    # Materialise once. A view first, so that in-memory inputs are registered with `con` (and
    # the cache is made there) rather than on Ibis's default backend.
    view_name = ibis.util.gen_name("hexie_wp")
    con.create_view(view_name, wp_expr, overwrite=True)
    try:
        wp = con.table(view_name).cache()
        try:
            # Per project: small, and read by most rules, so materialised as well.
            proj = wp.group_by("project_id").aggregate(
                attending=wp.attended.sum(),
                attendance_days=wp.days.sum(),
                recorded=wp.has_pay.sum(),
                unrecorded=(wp.attended * (1 - wp.has_pay)).sum(),
                paid=wp.paid.sum(),
                unpaid=(wp.attended * (1 - wp.paid)).sum(),
                paid_due=wp.paid_due.sum(),
                gross=wp.gross.sum(),
                paid_gross=(wp.paid * wp.gross).sum(),  # month M's pay of the workers counted as paid
            ).cache()
            # Per worker across projects, for the two pay limits: one pass over `wp` for both,
            # keeping only the workers over a limit (few), instead of a group-by per rule and query.
            limits = {code: int(rules[code]) * 100 for code in ("pay_over_month", "pay_over_year") if code in rules}
            over = None
            if limits:
                totals = wp.group_by("worker_id").aggregate(month_total=wp.gross.sum(),
                                                            year_total=wp.gross_ytd.sum())
                over = totals.filter(ibis.or_(*(
                    totals[_TOTAL[code]] > limit for code, limit in limits.items()))).cache()
            try:
                return _evaluate(con, wp, proj, over, month=month, as_of=as_of, end_m=end_m, due=due,
                                 deposits=deposits, roster=roster, projects=projects, rules=rules)
            finally:
                proj.release()
                if over is not None:
                    over.release()
        finally:
            wp.release()
    finally:
        con.drop_view(view_name, force=True)


def _evaluate(
    con: Any,
    wp: ir.Table,
    proj: ir.Table,
    over_workers: ir.Table | None,
    *,
    month: int,
    as_of: dt.date,
    end_m: dt.date,
    due: dt.date,
    deposits: ir.Table,
    roster: ir.Table,
    projects: ir.Table,
    rules: Mapping[str, int],
) -> list[Finding]:
    """All active rules from the worker × project table ``wp``, its per-project sums ``proj`` and
    the workers over a pay limit ``over_workers`` (their month and year totals), fetched in two
    queries."""
    attended = proj.filter(proj.attending > 0)
    with_pay = attended.filter(attended.recorded > 0)
    after_due = as_of > due  # the pay rules are decided once the month's pay has fallen due

    found: list[ir.Table] = []
    named: list[ir.Table] = []

    if "no_payment" in rules and after_due:
        t = attended.filter(attended.paid == 0)
        found.append(_finding_rows("no_payment", t, t.attending, _i64(0), [t.attending, t.attendance_days]))
        named.append(_worker_rows("no_payment", wp.filter(wp.attended == 1).semi_join(t, "project_id")))

    if "paid_late" in rules and after_due:
        # Nothing had arrived by the due date, something has since: the breach stays on record.
        t = attended.filter((attended.paid_due == 0) & (attended.paid > 0))
        late = wp.filter((wp.paid == 1) & (wp.paid_due == 0)).semi_join(t, "project_id")
        counts = late.group_by("project_id").aggregate(n=late.count())
        t = t.left_join(counts, "project_id")
        found.append(_finding_rows("paid_late", t, t.n.fill_null(0), _i64(0), [t.attending, t.paid]))
        named.append(_worker_rows("paid_late", late))

    # The share rule (pay records) judges a project as soon as it has pay records for the month;
    # once the pay has fallen due, a project with none at all is judged too (every worker unpaid).
    judged = attended if after_due else with_pay

    if "unpaid_share" in rules:
        pct = int(rules["unpaid_share"])
        # A worker with no payroll row at all counts as unpaid; unrecorded / attending > pct / 100.
        t = judged.filter(judged.unrecorded * 100 > judged.attending * pct)
        found.append(_finding_rows("unpaid_share", t, t.unrecorded, _i64(0),
                                   [t.attending, t.recorded, t.unrecorded]))
        named.append(_worker_rows("unpaid_share", wp.filter((wp.attended == 1) & (wp.has_pay == 0))
                                  .semi_join(t, "project_id")))

    if "fewer_paid" in rules and after_due:  # "paid" can only fall short once the pay is due
        gap = int(rules["fewer_paid"])
        t = attended.filter(attended.attending - attended.paid > gap)
        found.append(_finding_rows("fewer_paid", t, t.unpaid, _i64(0), [t.attending, t.paid]))
        named.append(_worker_rows("fewer_paid", wp.filter((wp.attended == 1) & (wp.paid == 0))
                                  .semi_join(t, "project_id")))

    if "below_minimum" in rules:
        # "Average pay per paid worker" (rules.md §3): the workers counted as paid (a pay date on or
        # before the evaluation day, an amount above zero) and their pay; a ledger row still waiting
        # for its pay day neither lowers nor raises the average.
        pct = int(rules["below_minimum"])
        pw = projects.select("project_id", "min_wage_fen")
        t = attended.filter(attended.paid > 0).inner_join(pw, "project_id")
        scaled = t.min_wage_fen * pct
        # floor(scaled / 100) without a division: scaled - scaled mod 100 is 100 × that floor.
        threshold_x100 = scaled - scaled % 100
        # floor(pay / paid) < threshold  <=>  pay < threshold × paid  (integers, pay >= 0).
        t = t.filter(t.paid_gross * 100 < threshold_x100 * t.paid).mutate(threshold_x100=threshold_x100)
        low = wp.filter(wp.paid == 1).inner_join(t.select("project_id", "threshold_x100"), "project_id")
        low = low.filter(low.gross * 100 < low.threshold_x100)
        counts = low.group_by("project_id").aggregate(below=low.count())
        t = t.left_join(counts, "project_id")
        shortfall = t.min_wage_fen * t.paid - t.paid_gross
        found.append(_finding_rows(
            "below_minimum", t, t.below.fill_null(0), ibis.greatest(shortfall, 0),
            [t.paid, t.paid_gross, t.min_wage_fen, t.threshold_x100 // 100],
        ))
        named.append(_worker_rows("below_minimum", low))

    # One worker paid more than the limit, added up across all projects: in month M, or in M's
    # year up to M. Each project that paid such a worker names them.
    for code, gross in (("pay_over_month", "gross"), ("pay_over_year", "gross_ytd")):
        if code in rules and over_workers is not None:
            limit = int(rules[code]) * 100
            totals = over_workers.select("worker_id", total=over_workers[_TOTAL[code]])
            over = wp.filter(wp[gross] > 0).inner_join(totals.filter(totals.total > limit), "worker_id")
            t = over.group_by("project_id").aggregate(n=over.count(), amount=over.total.sum())
            found.append(_finding_rows(code, t, t.n, t.amount, [_i64(limit)]))
            named.append(_worker_rows(code, over))

    if "exit_unsettled" in rules:
        grace = int(rules["exit_unsettled"])
        # exit_date + grace <= as_of, with the arithmetic on the Python side (date literals only).
        latest_exit = min(end_m, as_of - dt.timedelta(days=grace))
        left = roster.filter(
            roster.exit_date.notnull()
            & (roster.exit_date >= ibis.date(end_m.replace(day=1)))
            & (roster.exit_date <= ibis.date(latest_exit))
        ).select("worker_id", "project_id").distinct()
        gone = wp.filter((wp.attended == 1) & (wp.paid == 0)).semi_join(
            left, ["worker_id", "project_id"])
        t = gone.group_by("project_id").aggregate(n=gone.count(), days=gone.days.sum())
        found.append(_finding_rows("exit_unsettled", t, t.n, _i64(0), [t.days]))
        named.append(_worker_rows("exit_unsettled", gone))

    if "no_deposit" in rules and as_of > end_m:
        dep = deposits.filter((deposits.month == month) & (deposits.amount_fen > 0)).select("project_id")
        t = attended.anti_join(dep, "project_id")
        found.append(_finding_rows("no_deposit", t, t.attending, _i64(0), [t.attending]))

    if not found:
        return []

    findings = con.to_pyarrow(ibis.union(*found)).to_pylist()
    ids: dict[tuple[str, int], list[int]] = {}
    if named:
        every = ibis.union(*named)
        rank = ibis.row_number().over(group_by=[every.rule, every.project_id], order_by=every.worker_id)
        capped = every.mutate(rank=rank).filter(lambda w: w["rank"] < MAX_WORKER_IDS).drop("rank")
        for row in con.to_pyarrow(capped).to_pylist():
            ids.setdefault((row["rule"], row["project_id"]), []).append(row["worker_id"])

    out = [_to_finding(row, month, ids) for row in findings]
    out.sort(key=lambda f: (f.rule, f.project_id))
    return out


def _to_finding(row: dict[str, Any], month: int, ids: Mapping[tuple[str, int], Iterable[int]]) -> Finding:
    rule = row["rule"]
    figures = dict(zip(_FIGURES[rule], (int(row[f"d{i}"]) for i in range(_NFIG)), strict=False))
    if rule == "unpaid_share":
        figures["share_pct"] = figures["unpaid"] * 100 // figures["attending"]
    elif rule == "below_minimum":
        figures["avg_gross_fen"] = figures.pop("gross_fen") // figures["paid"]
    project_id = int(row["project_id"])
    return Finding(
        rule=rule,
        project_id=project_id,
        month=month,
        workers=int(row["workers"]),
        amount_fen=int(row["amount_fen"]),
        worker_ids=tuple(sorted(ids.get((rule, project_id), ()))),
        detail=figures,
    )
