"""Every read of the prevention app, already scoped to the user (``hexie.orgs.scoping.restrict``)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any, TypeVar

from django.db.models import Count, F, Min, Model, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from hexie.core import clock
from hexie.orgs.scoping import VIEW, restrict
from hexie.prevention.models import (
    Assessment,
    AssessmentState,
    EmployerAccount,
    Evidence,
    OrderState,
    Plan,
    RectificationOrder,
    ScoreSheet,
    SheetItem,
)
from hexie.prevention.models.orders import OPEN_ORDER_STATES

M = TypeVar("M", bound=Model)


def get_for(queryset: QuerySet[M], user: Any, pk: int, action: str = VIEW, *, lock: bool = False) -> M:
    """One row the user may ``action``, or the same 404 as a row that does not exist."""
    qs = restrict(queryset.filter(pk=pk), user, action, single=True)
    if lock:
        qs = qs.select_for_update(of=("self",))
    row = qs.first()
    if row is None:
        raise Http404(_("未找到"))
    return row


def sheets(user: Any) -> QuerySet[ScoreSheet]:
    return restrict(ScoreSheet.objects.select_related("owner_unit"), user)


def sheet_items(sheet: ScoreSheet) -> list[SheetItem]:
    return list(SheetItem.objects.filter(section__sheet=sheet).select_related("section"))


def plans(user: Any) -> QuerySet[Plan]:
    return restrict(Plan.objects.select_related("sheet", "grid_unit").annotate(
        n_assessments=Count("assessments"),
        n_done=Count("assessments", filter=Q(assessments__state=AssessmentState.SIGNED_OFF))), user)


def assessments(user: Any) -> QuerySet[Assessment]:
    return restrict(Assessment.objects.select_related("employer", "sheet", "inspector", "plan"), user)


def my_assessments(user: Any) -> QuerySet[Assessment]:
    """What an inspector has to fill in: open assessments assigned to them."""
    return assessments(user).filter(inspector=user, state__in=[AssessmentState.IN_PROGRESS,
                                                               AssessmentState.RETURNED])


def to_sign_off(user: Any) -> QuerySet[Assessment]:
    return assessments(user).filter(state=AssessmentState.SUBMITTED)


def assessment_detail(user: Any, pk: int) -> Assessment:
    return get_for(Assessment.objects.select_related("employer", "sheet", "inspector", "plan", "signed_off_by"),
                   user, pk)


def answers_by_item(assessment: Assessment) -> dict[int, Any]:
    return {a.item_id: a for a in assessment.answers.prefetch_related("evidence").select_related("recorded_by")}


def orders(user: Any) -> QuerySet[RectificationOrder]:
    return restrict(RectificationOrder.objects.select_related("employer", "assessment", "case"), user)


def overdue_orders(user: Any) -> QuerySet[RectificationOrder]:
    return orders(user).filter(state__in=OPEN_ORDER_STATES, deadline__lt=clock.today())


def order_detail(user: Any, pk: int) -> RectificationOrder:
    return get_for(RectificationOrder.objects.select_related("employer", "assessment", "case", "issued_by"), user, pk)


def account_of(user: Any) -> EmployerAccount | None:
    """The employer account behind a log-in, or None for staff."""
    if not getattr(user, "is_authenticated", False):
        return None
    return EmployerAccount.objects.filter(user_id=user.pk).select_related("employer").first()


def employer_summary(user: Any, employer: Any) -> dict[str, Any]:
    """The prevention part of an employer's file: its latest assessments and its orders (scoped)."""
    # One employer: the org tree is joined in the same statement (single=True), one query each.
    latest = list(restrict(Assessment.objects.filter(employer=employer).select_related("sheet"), user, single=True)
                  .order_by("-started_at")[:5])
    its_orders = list(restrict(RectificationOrder.objects.filter(employer=employer), user, single=True)
                      .order_by("-issued_on")[:5])
    return {"assessments": latest, "orders": its_orders, "today": clock.today()}


def evidence_detail(user: Any, pk: int) -> Evidence:
    return get_for(Evidence.objects.all(), user, pk)


# --- the filtered lists the prevention figures count (one condition each, shared with the KPIs) ---

#: The parameters the assessment list understands; anything else is ignored.
ASSESSMENT_PARAMS = ("year", "kind", "origin", "state", "passed", "per_employer")
#: The parameters the order list understands.
ORDER_PARAMS = ("due_year", "due_passed", "on_time", "overdue", "state")


def _year(raw: str) -> int | None:
    return int(raw) if raw.isdigit() and 2000 <= int(raw) <= 2999 else None


def assessment_q(params: Mapping[str, str]) -> Q:
    """The condition the parameters put on assessments (``per_employer`` aside)."""
    q = Q()
    year = _year(params.get("year", ""))
    if year is not None:
        q &= Q(year=year)
    for name in ("kind", "origin", "state"):
        value = params.get(name, "")
        if value:
            q &= Q(**{name: value})
    passed = params.get("passed", "")
    if passed in ("true", "false"):
        q &= Q(passed=passed == "true")
    return q


def assessment_list(user: Any, params: Mapping[str, str]) -> QuerySet[Assessment]:
    """The assessments the parameters select, in the user's jurisdiction; with ``per_employer`` one
    row per employer (its first), so the list counts employers as the coverage figure does."""
    qs = assessments(user).filter(assessment_q(params))
    if params.get("per_employer") == "true":
        firsts = qs.order_by().values("employer_id").annotate(first=Min("pk")).values("first")
        qs = qs.filter(pk__in=firsts)
    return qs


def order_q(params: Mapping[str, str], today: date) -> Q:
    """The condition the parameters put on rectification orders, as things stand on ``today``:
    ``due_year`` (deadline in that year), ``due_passed`` (deadline before today), ``on_time`` (closed
    by a passed re-check on or before the deadline), ``overdue`` (still open past the deadline),
    ``state``."""
    q = Q()
    year = _year(params.get("due_year", ""))
    if year is not None:
        q &= Q(deadline__year=year)
    if params.get("due_passed") == "true":
        q &= Q(deadline__lt=today)
    if params.get("on_time") == "true":
        q &= Q(state=OrderState.COMPLIED, closed_on__lte=F("deadline"))
    if params.get("overdue") == "true":
        q &= Q(state__in=OPEN_ORDER_STATES, deadline__lt=today)
    state = params.get("state", "")
    if state in OrderState.values:
        q &= Q(state=state)
    return q


def order_list(user: Any, params: Mapping[str, str], today: date | None = None) -> QuerySet[RectificationOrder]:
    """The rectification orders the parameters select, in the user's jurisdiction."""
    return orders(user).filter(order_q(params, today or clock.today()))
