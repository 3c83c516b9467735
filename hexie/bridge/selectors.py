"""Every read of the bridge, already scoped to the user."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from hexie.bridge.models import WorkOrder
from hexie.orgs.scoping import restrict


def orders(user: Any, *, state: str = "", source: str = "") -> QuerySet[WorkOrder]:
    """The orders of the user's jurisdiction, newest first, optionally of one state or source."""
    qs = restrict(WorkOrder.objects.select_related("case", "org_unit"), user)
    if state:
        qs = qs.filter(state=state)
    if source:
        qs = qs.filter(source=source)
    return qs.order_by("-received_at", "-id")


def order(user: Any, pk: int) -> WorkOrder | None:
    return restrict(WorkOrder.objects.select_related("case", "org_unit").filter(pk=pk), user, single=True).first()
