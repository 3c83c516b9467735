"""The pandas baseline of bench/monitoring.py: the wage-monitoring rules of rules.md §3 as a pandas
user would write them, to be checked against the job's findings."""

from __future__ import annotations

import datetime as dt


def pandas_job(f: dict[str, str], month: int, as_of: dt.date, rules: dict[str, int], *, prune: bool = True,
               ) -> list[tuple[str, int, int, int]]:
    """The rules of rules.md §3 as a pandas user would write them: read the files, filter, group, merge.

    ``prune``: read only the columns used (``columns=``); without it, whole files, as the shortest
    code does.
    """
    import pandas as pd

    def read(path: str, columns: list[str]) -> pd.DataFrame:
        return pd.read_parquet(path, columns=columns) if prune else pd.read_parquet(path)

    year_start = month // 100 * 100 + 1
    nxt = month + 1 if month % 100 < 12 else month + 89
    end_m = (pd.Timestamp(year=month // 100, month=month % 100, day=1) + pd.offsets.MonthEnd(0)).date()
    due = (pd.Timestamp(year=nxt // 100, month=nxt % 100, day=1) + pd.offsets.MonthEnd(0)).date()
    after_due = as_of > due
    keys = ["worker_id", "project_id"]

    att = read(f["attendance"], ["worker_id", "project_id", "month"])
    att = att[att["month"] == month]
    a = att.groupby(keys).size().rename("days").reset_index()
    del att
    pay = read(f["payroll"], ["worker_id", "project_id", "month", "gross_fen", "net_fen", "paid_on",
                              "is_back_pay", "batch_id"])
    pay = pay[(pay["month"] >= year_start) & (pay["month"] <= month)]
    # The rows that count: back pay adds; otherwise the latest import's row (a correction) supersedes.
    back = pay["is_back_pay"].fillna(False).astype(bool)
    batch = pay["batch_id"].fillna(0)
    latest = batch.where(~back).groupby([pay["worker_id"], pay["project_id"], pay["month"]]).transform("max")
    pay = pay[back | (batch == latest)].copy()
    in_m = pay["month"] == month
    # Paid: a pay date on or before the evaluation day, and an amount above zero.
    paid_on = pay["paid_on"]
    pay["paid"] = (in_m & paid_on.notna() & (paid_on.fillna(dt.date.max) <= as_of)
                   & (pay["net_fen"].fillna(0) > 0))
    pay["paid_due"] = pay["paid"] & (paid_on.fillna(dt.date.max) <= min(due, as_of))
    pay["rows"] = in_m.astype("int64")
    pay["gross"] = pay["gross_fen"].where(in_m, 0)
    p = pay.groupby(keys).agg(rows=("rows", "sum"), gross=("gross", "sum"), gross_ytd=("gross_fen", "sum"),
                              paid=("paid", "max"), paid_due=("paid_due", "max")).reset_index()
    del pay
    wp = a.merge(p, on=keys, how="outer", indicator=True)
    wp["attended"] = (wp["_merge"] != "right_only").astype("int64")
    wp["has_pay"] = (wp["rows"].fillna(0) > 0).astype("int64")
    for col in ("days", "gross", "gross_ytd", "paid", "paid_due"):
        wp[col] = wp[col].fillna(0).astype("int64")
    wp["unrecorded"] = wp["attended"] * (1 - wp["has_pay"])
    wp["unpaid"] = wp["attended"] * (1 - wp["paid"])
    wp["paid_gross"] = wp["paid"] * wp["gross"]
    proj = wp.groupby("project_id").agg(
        attending=("attended", "sum"), attendance_days=("days", "sum"), recorded=("has_pay", "sum"),
        unrecorded=("unrecorded", "sum"), paid=("paid", "sum"), unpaid=("unpaid", "sum"),
        paid_due=("paid_due", "sum"), gross=("gross", "sum"), paid_gross=("paid_gross", "sum")).reset_index()
    attended = proj[proj["attending"] > 0]
    with_pay = attended[attended["recorded"] > 0]
    out: list[tuple[str, int, int, int]] = []

    def add(rule: str, frame: pd.DataFrame, workers: str, amount: str | None = None) -> None:
        for row in frame.itertuples(index=False):
            out.append((rule, int(row.project_id), int(getattr(row, workers)),
                        int(getattr(row, amount)) if amount else 0))

    def count(frame: pd.DataFrame, name: str) -> pd.DataFrame:
        return frame.groupby("project_id").size().rename(name).reset_index()

    if "no_payment" in rules and after_due:
        add("no_payment", attended[attended["paid"] == 0], "attending")
    if "paid_late" in rules and after_due:
        t = attended[(attended["paid_due"] == 0) & (attended["paid"] > 0)]
        late = count(wp[(wp["paid"] == 1) & (wp["paid_due"] == 0)], "late")
        add("paid_late", t.merge(late, on="project_id", how="left").fillna({"late": 0}), "late")
    if "unpaid_share" in rules:
        judged = attended if after_due else with_pay
        add("unpaid_share", judged[judged["unrecorded"] * 100 > judged["attending"] * rules["unpaid_share"]],
            "unrecorded")
    if "fewer_paid" in rules and after_due:
        add("fewer_paid", attended[attended["attending"] - attended["paid"] > rules["fewer_paid"]], "unpaid")
    if "below_minimum" in rules:
        mw = pd.read_parquet(f["projects"])
        t = attended[attended["paid"] > 0].merge(mw, on="project_id")  # the average per PAID worker
        t["threshold"] = t["min_wage_fen"] * rules["below_minimum"] // 100
        t = t[t["paid_gross"] // t["paid"] < t["threshold"]].copy()
        low = wp[wp["paid"] == 1].merge(t[["project_id", "threshold"]], on="project_id")
        t = t.merge(count(low[low["gross"] < low["threshold"]], "below"), on="project_id", how="left")
        t = t.fillna({"below": 0})
        t["shortfall"] = (t["min_wage_fen"] * t["paid"] - t["paid_gross"]).clip(lower=0)
        add("below_minimum", t, "below", "shortfall")
    for code, col in (("pay_over_month", "gross"), ("pay_over_year", "gross_ytd")):
        if code in rules:  # per worker, added up across all projects
            total = wp.groupby("worker_id")[col].sum().rename("total").reset_index()
            total = total[total["total"] > rules[code] * 100]
            over = wp[wp[col] > 0].merge(total, on="worker_id")
            t = over.groupby("project_id").agg(n=("worker_id", "size"), amount=("total", "sum")).reset_index()
            add(code, t, "n", "amount")
    if "exit_unsettled" in rules:
        roster = pd.read_parquet(f["roster"])
        latest_exit = min(end_m, as_of - dt.timedelta(days=rules["exit_unsettled"]))
        ex = roster["exit_date"]
        left = roster[ex.notna() & (ex.fillna(dt.date.min) >= end_m.replace(day=1))
                      & (ex.fillna(dt.date.max) <= latest_exit)]
        gone = wp[(wp["attended"] == 1) & (wp["paid"] == 0)].merge(left[keys].drop_duplicates(), on=keys)
        add("exit_unsettled", count(gone, "n"), "n")
    if "no_deposit" in rules and as_of > end_m:
        dep = read(f["deposits"], ["project_id", "month", "amount_fen"])
        ok = dep[(dep["month"] == month) & (dep["amount_fen"] > 0)]["project_id"].unique()
        add("no_deposit", attended[~attended["project_id"].isin(ok)], "attending")
    return sorted(out)
