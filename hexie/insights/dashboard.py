"""The dashboard's figures shaped for the page, the charts, the exports and the bulletins: every KPI
card with its definition and the link to its cases, the series behind the charts, the arbitration
table.

`selectors.compute_dashboard` runs the queries and hands over what they found as one `Figures`;
everything here is arithmetic and links on it, no database. The dict `shape` returns is what
templates, exports and bulletins read, key for key.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django.db.models import Choices
from django.urls import reverse
from django.utils.translation import gettext

from hexie.cases.models import CaseType, Channel
from hexie.insights import kpis
from hexie.insights.kpis import KPI_DEFINITIONS, Params, Window
from hexie.insights.rollup import next_month


def case_list_url(params: Params, district: str) -> str:
    """The staff case list filtered to exactly the cases behind a figure (`district`: the viewed
    unit's code, or "" for everything the viewer may see)."""
    query = dict(params)
    if district and "district" not in query:
        query["district"] = district
    return reverse("cases:queue") + "?" + urlencode(query)


def _num(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value)
    return value or 0


@dataclass
class Totals:
    """One date window's measures added up: over the whole scope, and per area."""

    total: dict[str, Any] = field(default_factory=lambda: defaultdict(int))
    by_area: dict[str, dict[str, Any]] = field(default_factory=lambda: defaultdict(lambda: defaultdict(int)))

    @classmethod
    def add_up(cls, rows: Iterable[dict[str, Any]], area_of: dict[int, str]) -> Totals:
        """Rows of measures per org unit (`org_unit_id` and one key per measure), added up.

        Summed per area as the database gave them (whole numbers, exact decimals), made numbers
        for the page once per area and key: a city's rows are some fifty thousand figures."""
        sums: dict[str, dict[str, Any]] = defaultdict(lambda: defaultdict(int))
        for row in rows:
            acc = sums[area_of.get(row["org_unit_id"], "")]
            for key, figure in row.items():
                acc[key] += figure or 0
        out = cls()
        for area, acc in sums.items():
            acc.pop("org_unit_id", None)
            out.by_area[area].update({key: _num(value) for key, value in acc.items()})
            for key, value in acc.items():
                out.total[key] += value
        out.total.update({key: _num(value) for key, value in out.total.items()})
        return out


@dataclass(frozen=True)
class Figures:
    """What the dashboard's queries found for one scope and period, before it is shaped."""

    scope: dict[str, str]  # the viewed unit: code, name, level ("" each for everything)
    areas: list[dict[str, Any]]  # the areas one level below it, and the unit itself ("own")
    received: Totals  # cases received in the period
    resolved: Totals  # cases resolved in the period
    accepted: dict[str, Any]  # arbitration cases accepted in the period, per measure
    carried: int  # arbitration cases carried over into the period
    months: dict[date, list[int]]  # cases received per month: [in the period, a year earlier]
    handling: dict[str, int]  # working days from acceptance to resolution: days_sum over cases
    open_overdue: int
    warnings: dict[str, Any]  # raised and resolved, with their links
    # Where the cases received in the period ended (hexie.cases.filters.ended_q): inside the
    # bureau of those resolved, of those resolved, and before a court.
    ended: dict[str, int]


def shape(w: Window, f: Figures) -> dict[str, Any]:
    """The dashboard as the page, exports and bulletins read it."""
    return {
        "scope": f.scope,
        "start": w.start, "end": w.end, "today": w.today,
        "last_year": {"start": kpis.year_earlier(w.start), "end": kpis.year_earlier(w.end)},
        "kpis": {item["code"]: item for item in _kpi_cards(w, f)},
        "series": {
            "by_month": _month_series(w, f),
            "by_channel": _breakdown(Channel, "ch_", "channel", w, f),
            "by_type": _breakdown(CaseType, "ty_", "case_type", w, f),
            "by_area": _area_rows(w, f),
        },
        "arbitration": _arbitration(w, f),
        "areas": f.areas,
    }


# --- KPI cards ---------------------------------------------------------------------------------


def _card(w: Window, f: Figures, code: str, value: Any, numerator: Any = None,
          denominator: Any = None) -> dict[str, Any]:
    """One KPI: its value, the counts it comes from, its definition, and the lists behind it."""
    d = KPI_DEFINITIONS[code]
    out: dict[str, Any] = {"code": code, "value": value, "numerator": numerator, "denominator": denominator,
                           "definition": d.as_dict(), "unit": d.unit}
    if code.startswith("warnings_"):
        out["link"] = f.warnings[code.split("_", 1)[1] + "_link"]
        out["denominator_link"] = ""
        return out
    district = f.scope["code"]
    out["link"] = case_list_url(w.params(code), district)
    out["params"] = w.params(code)
    try:
        out["denominator_params"] = w.params(code, "denominator")
        out["denominator_link"] = case_list_url(w.params(code, "denominator"), district)
    except KeyError:
        out["denominator_link"] = ""
    return out


def _kpi_cards(w: Window, f: Figures) -> list[dict[str, Any]]:
    r, s, h, warnings = f.received.total, f.resolved.total, f.handling, f.warnings

    def card(code: str, value: Any, numerator: Any = None, denominator: Any = None) -> dict[str, Any]:
        return _card(w, f, code, value, numerator, denominator)

    def rate(code: str, numerator: Any, denominator: Any, scale: float = 100.0) -> dict[str, Any]:
        return card(code, kpis.ratio(numerator, denominator, scale), numerator, denominator)

    volume = int(r["volume"])
    ly_total = sum(v[1] for v in f.months.values())
    items = [
        card("volume", volume, volume),
        {**card("volume_yoy", kpis.yoy(volume, ly_total), volume, ly_total),
         "note": kpis.base_too_small_note(ly_total) if ly_total and kpis.base_too_small(ly_total) else ""},
        rate("closure_rate", r["closure_num"], r["closure_den"]),
        rate("mediation_rate", r["mediation_num"], r["mediation_den"]),
        rate("within_limit_rate", r["within_num"], r["within_den"]),
        rate("inside_bureau_rate", f.ended["inside"], f.ended["resolved"]),
        card("ended_in_court", f.ended["court"], f.ended["court"]),
        card("late", r["late"], r["late"]),
        rate("avg_handling_days", h["days_sum"], h["cases"], 1.0),
        card("amount_recovered", round(float(s["amount_sum"]), 2), s["resolved"]),
        card("workers_benefited", int(s["benefited_sum"]), s["resolved"]),
        rate("satisfaction_rate", s["satisfied"], s["rated"]),
        rate("satisfaction_avg", s["score_sum"], s["rated"], 1.0),
        rate("repeat_rate", r["repeat"], volume),
        card("collective", r["collective"], r["collective"]),
        card("collective_workers", int(r["collective_workers"]), r["collective"]),
        card("open_overdue", f.open_overdue, f.open_overdue),
        card("warnings_raised", warnings["raised"], warnings["raised"]),
        {**card("warnings_about", warnings["about"], warnings["about"]), "open": warnings["about_open"]},
        card("warnings_resolved", warnings["resolved"], warnings["resolved"]),
    ]
    # Figures that count cases: the count the linked list shows (the numerator, or for sums and
    # averages the cases summed over).
    for item in items:
        item["cases"] = item["numerator"] if item["unit"] in (kpis.COUNT,) else None
    return items


# --- series ------------------------------------------------------------------------------------


def _month_series(w: Window, f: Figures) -> list[dict[str, Any]]:
    """Calendar months of the period (clipped to it), with the same months a year earlier."""
    out = []
    district = f.scope["code"]
    m = w.start.replace(day=1)
    while m <= w.end:
        nxt = next_month(m)
        lo, hi = max(m, w.start), min(nxt - timedelta(days=1), w.end)
        lo_ly, hi_ly = kpis.year_earlier(lo), kpis.year_earlier(hi)
        # The month a year earlier is counted over the same clipped days; it lies in the
        # last-year window by construction.
        now_n, _ = f.months.get(m, [0, 0])
        before = f.months.get(kpis.year_earlier(m), [0, 0])[1]
        out.append({
            "month": m.strftime("%Y-%m"), "count": now_n, "last_year": before,
            "link": case_list_url({"received_from": lo.isoformat(), "received_to": hi.isoformat()}, district),
            "link_last_year": case_list_url(
                {"received_from": lo_ly.isoformat(), "received_to": hi_ly.isoformat()}, district),
        })
        m = nxt
    return out


def _breakdown(choices: type[Choices], prefix: str, param: str, w: Window,
               f: Figures) -> list[dict[str, Any]]:
    """Cases received per channel or per type: one bar each, linked to its cases."""
    return [{"key": v, "label": str(label), "count": f.received.total[f"{prefix}{v}"],
             "link": case_list_url({**w.received, param: v}, f.scope["code"])}
            for v, label in choices.choices]


def _area_rows(w: Window, f: Figures) -> list[dict[str, Any]]:
    rows = []
    for a in f.areas:
        r, s = f.received.by_area.get(a["code"], {}), f.resolved.by_area.get(a["code"], {})
        if a["level"] == "own" and not r and not s:
            continue
        rows.append(_area_row(w, a, r, s))
    return rows


def _area_row(w: Window, a: dict[str, Any], r: dict[str, Any], s: dict[str, Any]) -> dict[str, Any]:
    """One area's bar: what it received and resolved, and its rates, each linked to its cases."""
    own = a["level"] == "own"

    def link(params: Params) -> str:
        # Cases filed on the viewed unit itself have no filter of their own ("district" takes
        # the units below too), so that bar opens no list rather than a list that disagrees.
        return "" if own else case_list_url(params, a["code"])

    return {
        "code": a["code"], "name": a["name"], "level": a["level"],
        "count": int(r.get("volume", 0)), "link": link(w.received),
        "within": int(r.get("within_num", 0)), "assessed": int(r.get("within_den", 0)),
        "within_limit_rate": kpis.ratio(r.get("within_num", 0), r.get("within_den", 0)),
        "within_link": link(w.params("within_limit_rate")),
        "assessed_link": link(w.params("within_limit_rate", "denominator")),
        "resolved": int(s.get("resolved", 0)), "resolved_link": link(w.resolved),
        "amount_recovered": round(float(s.get("amount_sum", 0)), 2),
        "closure_rate": kpis.ratio(r.get("closure_num", 0), r.get("closure_den", 0)),
        "closed": int(r.get("closure_num", 0)),
        "mediation_rate": kpis.ratio(r.get("mediation_num", 0), r.get("mediation_den", 0)),
        "satisfaction_avg": kpis.ratio(s.get("score_sum", 0), s.get("rated", 0), 1.0),
    }


# --- the arbitration table ---------------------------------------------------------------------


def _arbitration(w: Window, f: Figures) -> list[dict[str, Any]]:
    """The arbitration statistics table (劳动人事争议仲裁统计表), row by row as kpis defines it."""
    out = []
    for arb in kpis.ARBITRATION_ROWS:
        key = f"arb_{arb.code}"
        if arb.code == "carried_over":
            amount: Any = f.carried
        elif key in f.accepted:
            amount = _num(f.accepted[key])
        else:
            amount = f.resolved.total.get(key, 0)
        if arb.unit == kpis.YUAN:
            amount = round(float(amount or 0), 2)
        out.append({"code": arb.code, "group": gettext(arb.group_zh), "label": arb.label, "value": amount,
                    "unit": arb.unit, "definition": arb.definition,
                    "link": case_list_url(w.arbitration_params(arb.code), f.scope["code"]),
                    "params": w.arbitration_params(arb.code)})
    return out
