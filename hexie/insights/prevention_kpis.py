"""The prevention figures (hexie.prevention) with their definitions, in the catalogue's format.

Counted over a calendar year in the user's jurisdiction, through the scoping module like every
other read: check-up coverage, rectification on time, the evaluation pass rate and the orders
overdue now."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Final

from django.db.models import F, Q
from django.utils.translation import gettext_noop

from hexie.core import clock
from hexie.employers.models import Employer
from hexie.insights.kpis import COUNT, PERCENT, KpiDefinition, ratio
from hexie.orgs.scoping import restrict
from hexie.prevention.models import (
    Assessment,
    AssessmentOrigin,
    AssessmentState,
    OrderState,
    RectificationOrder,
)

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


@dataclass(frozen=True)
class Figure:
    kpi: KpiDefinition
    value: float | int | None
    numerator: int
    denominator: int | None


def figures(user: Any, *, year: int, today: date | None = None) -> list[Figure]:
    """The four figures of ``year`` for the user's jurisdiction."""
    today = today or clock.today()
    assessments = restrict(Assessment.objects.filter(year=year, state=AssessmentState.SIGNED_OFF), user)
    checked = (assessments.filter(kind="checkup", origin=AssessmentOrigin.INSPECTION)
               .values("employer_id").distinct().count())
    registered = restrict(Employer.objects.all(), user).count()
    orders = restrict(RectificationOrder.objects.all(), user)
    due = orders.filter(deadline__year=year, deadline__lt=today)
    due_n = due.count()
    on_time = due.filter(state=OrderState.COMPLIED, closed_on__lte=F("deadline")).count()
    evaluations = assessments.filter(kind="evaluation")
    evaluated = evaluations.count()
    passed = evaluations.filter(passed=True).count()
    overdue = orders.filter(Q(state=OrderState.ISSUED) | Q(state=OrderState.ANSWERED), deadline__lt=today).count()
    k = {x.code: x for x in PREVENTION_KPIS}
    return [
        Figure(k["checkup_coverage"], ratio(checked, registered), checked, registered),
        Figure(k["rectification_on_time"], ratio(on_time, due_n), on_time, due_n),
        Figure(k["evaluation_pass_rate"], ratio(passed, evaluated), passed, evaluated),
        Figure(k["overdue_orders"], overdue, overdue, None),
    ]
