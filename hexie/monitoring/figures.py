"""What each figure of a warning's evidence means, in words: the label table the warning pages
read instead of printing the pipeline's keys (``share_pct``, ``attending``…), the names of the
engines the detection job runs on, and the "(verify)" mark of a legal basis.

Rules are data, and so are the words for their figures: every key a rule's evidence can hold has
one row here with the unit it is counted in, and a test keeps the table complete against the
pipeline's own list of figures. Pure: no database.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from hexie.monitoring import rules as R

PEOPLE, PERSON_DAYS, FEN, PERCENT, CASES, DAYS = "people", "person_days", "fen", "percent", "cases", "days"


@dataclass(frozen=True)
class Figure:
    """One evidence key: what it counts, and the unit it is counted in."""

    label: str | Promise
    unit: str


FIGURES: dict[str, Figure] = {
    "attending": Figure(_("当月有考勤人数"), PEOPLE),
    "attendance_days": Figure(_("考勤人天数"), PERSON_DAYS),
    "paid": Figure(_("已发放工资人数"), PEOPLE),
    "recorded": Figure(_("有工资记录人数"), PEOPLE),
    "unpaid": Figure(_("无工资记录人数"), PEOPLE),
    "share_pct": Figure(_("无工资记录人数占比"), PERCENT),
    "gross_fen": Figure(_("应发工资合计"), FEN),
    "avg_gross_fen": Figure(_("人均应发工资"), FEN),
    "min_wage_fen": Figure(_("当地月最低工资"), FEN),
    "threshold_fen": Figure(_("阈值金额"), FEN),
    "cases": Figure(_("在办投诉件数"), CASES),
}

ENGINES: dict[str, str | Promise] = {
    "duckdb": _("本机分析引擎（DuckDB）"),
    "spark": _("集群分析引擎（Spark）"),
}

#: How the rules document marks a basis not yet checked against the official text.
VERIFY_MARK = "(verify)"


def figure_value(key: str, value: Any) -> str:
    """A figure as people read it: fen as grouped yuan, a share with one decimal, counts grouped."""
    unit = FIGURES[key].unit if key in FIGURES else ""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return str(value)
    if unit == FEN:
        return gettext("%(amount)s 元") % {"amount": R.yuan_grouped(number)}
    if unit == PERCENT:
        return f"{Decimal(number):,.1f}%"
    return f"{number:,}"


def figure_rows(detail: dict[str, Any]) -> list[tuple[str, str]]:
    """The evidence figures of a warning as (label, value) rows, in the table's order; a key the
    table does not know (a rule added later) keeps its key rather than disappearing."""
    known = [k for k in FIGURES if k in detail]
    unknown = sorted(k for k in detail if k not in FIGURES)
    return [(str(FIGURES[k].label), figure_value(k, detail[k])) for k in known] + \
        [(k, figure_value(k, detail[k])) for k in unknown]


def engine_label(engine: str) -> str:
    return str(ENGINES.get(engine, engine))


def unverified(basis: str) -> bool:
    """Whether a legal basis still carries the rules document's "(verify)" mark."""
    return VERIFY_MARK in (basis or "")


def basis_text(basis: str) -> str:
    """A legal basis as end users read it: without the "(verify)" mark, which is for administrators."""
    return " ".join((basis or "").replace(VERIFY_MARK, "").split())
