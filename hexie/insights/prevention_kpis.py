"""The prevention figures (hexie.prevention) with their definitions, in the catalogue's format.

Counted over a calendar year in the user's jurisdiction, through the scoping module like every
other read: check-up coverage, rectification on time, the evaluation pass rate and the orders
overdue now."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Final
from urllib.parse import urlencode

from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext_noop

from hexie.core import clock
from hexie.employers.models import Employer
from hexie.insights.kpis import COUNT, PERCENT, KpiDefinition, ratio
from hexie.orgs.scoping import restrict
from hexie.prevention import selectors
from hexie.prevention.models import AssessmentOrigin, AssessmentState

PREVENTION_KPIS: Final = [
    KpiDefinition(
        "checkup_coverage", gettext_noop("用工体检覆盖率"), gettext_noop("统计年度内完成（领导签发）现场用工体检的单位 ÷ 辖区登记的用人单位 × 100%。一家单位一年内多次体检只计一次。"),
        gettext_noop("年度内完成现场体检的单位"), gettext_noop("辖区登记的用人单位"), PERCENT,
    ),
    KpiDefinition(
        "rectification_on_time", gettext_noop("按期整改率"), gettext_noop("整改期限届满日在统计年度内且已届满的整改指令书中，在期限内复查合格办结的比例；逾期立案和逾期仍未办结的计为未按期。"),
        gettext_noop("期限内复查合格的指令书"), gettext_noop("届满日在年度内且已届满的指令书"), PERCENT,
    ),
    KpiDefinition(
        "evaluation_pass_rate", gettext_noop("和谐企业评价合格率"), gettext_noop("统计年度内签发的劳动关系和谐企业评价中，总分和各部分均达到合格线的比例。"),
        gettext_noop("评价合格的单位"), gettext_noop("年度内签发的评价"), PERCENT,
    ),
    KpiDefinition(
        "overdue_orders", gettext_noop("逾期未整改指令书"), gettext_noop("目前仍未办结且已过整改期限的指令书数（夜间任务立案前）。"),
        gettext_noop("逾期未办结的指令书"), unit=COUNT,
    ),
]


Params = dict[str, str]


def populations(year: int) -> dict[str, tuple[str, Params, Params | None]]:
    """For each figure: the list it counts (``assessments`` or ``orders``) and that list's
    parameters for its numerator and denominator (None: the registered employers, or no ratio).
    The figure and the list its link opens apply the same selector to the same parameters."""
    signed = {"year": str(year), "state": AssessmentState.SIGNED_OFF.value}
    checkups = {**signed, "kind": "checkup", "origin": AssessmentOrigin.INSPECTION.value, "per_employer": "true"}
    evaluations = {**signed, "kind": "evaluation"}
    due = {"due_year": str(year), "due_passed": "true"}
    return {
        "checkup_coverage": ("assessments", checkups, None),
        "rectification_on_time": ("orders", {**due, "on_time": "true"}, due),
        "evaluation_pass_rate": ("assessments", {**evaluations, "passed": "true"}, evaluations),
        "overdue_orders": ("orders", {"overdue": "true"}, None),
    }


@dataclass(frozen=True)
class Figure:
    kpi: KpiDefinition
    value: float | int | None
    numerator: int
    denominator: int | None
    link: str = ""
    denominator_link: str = ""


def figures(user: Any, *, year: int, today: date | None = None) -> list[Figure]:
    """The four figures of ``year`` for the user's jurisdiction, each linked to the list it counts.

    Counted in one statement per list, with the very conditions the list applies (the coverage
    counts distinct employers, as its list shows one row per employer)."""
    today = today or clock.today()
    pops = populations(year)
    counts: dict[tuple[str, str], Count] = {}
    for code, (kind, num, den) in pops.items():
        for part, params in (("n", num), ("d", den)):
            if params is None:
                continue
            if kind == "assessments":
                q = selectors.assessment_q(params)
                agg = (Count("employer_id", distinct=True, filter=q) if params.get("per_employer") == "true"
                       else Count("pk", filter=q))
            else:
                agg = Count("pk", filter=selectors.order_q(params, today))
            counts[(code, part)] = agg
    result: dict[str, int] = {}
    for kind, base in (("assessments", selectors.assessments(user)), ("orders", selectors.orders(user))):
        wanted = {f"{c}__{p}": a for (c, p), a in counts.items() if pops[c][0] == kind}
        result.update(base.order_by().aggregate(**wanted))
    registered = restrict(Employer.objects.all(), user).count()
    k = {x.code: x for x in PREVENTION_KPIS}
    out = []
    for code, (kind, num, den) in pops.items():
        n = result[f"{code}__n"]
        if code == "checkup_coverage":
            d: int | None = registered
        else:
            d = result.get(f"{code}__d")
        value = n if d is None else ratio(n, d)
        out.append(Figure(k[code], value, n, d, _link(kind, num), _link(kind, den) if den is not None else ""))
    return out


def _link(kind: str, params: Params) -> str:
    return f"{reverse('prevention:' + kind)}?{urlencode(params)}"
