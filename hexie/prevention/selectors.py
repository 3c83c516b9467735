"""Every read of the prevention app, already scoped to the user (``hexie.orgs.scoping.restrict``)."""

from __future__ import annotations

from typing import Any, TypeVar

from django.db.models import Count, Model, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from hexie.core import clock
from hexie.orgs.scoping import VIEW, restrict
from hexie.prevention.models import (
    Assessment,
    AssessmentState,
    EmployerAccount,
    Evidence,
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
