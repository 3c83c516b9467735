"""Every read of the bridge, already scoped to the user."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from hexie.bridge import rules
from hexie.bridge.models import OrderRule, WorkOrder
from hexie.core.errors import DomainError
from hexie.orgs.scoping import restrict

#: The states in which the bureau still owes the sending system a step (sign for it, or reply).
OPEN_STATES = (WorkOrder.State.RECEIVED, WorkOrder.State.SIGNED)


def orders(user: Any, *, state: str = "", source: str = "", overdue_on: date | None = None) -> QuerySet[WorkOrder]:
    """The orders of the user's jurisdiction, newest first, optionally of one state or source, or
    only those whose reply is overdue on a day (still open, the reply day passed)."""
    qs = restrict(WorkOrder.objects.select_related("case", "org_unit"), user)
    if state:
        qs = qs.filter(state=state)
    if source:
        qs = qs.filter(source=source)
    if overdue_on is not None:
        qs = qs.filter(state__in=OPEN_STATES, reply_by__lt=overdue_on)
    return qs.order_by("-received_at", "-id")


def order(user: Any, pk: int) -> WorkOrder | None:
    return restrict(WorkOrder.objects.select_related("case", "org_unit").filter(pk=pk), user, single=True).first()


def is_overdue(o: WorkOrder, today: date) -> bool:
    return o.state in OPEN_STATES and o.reply_by < today


@dataclass(frozen=True)
class OrderClock:
    """One window of the order's loop: what it is for, its last day, whether it was met, and its basis."""

    label: str | Promise
    due: date | None
    state: str  # "open", "met", "late", "closed" (the step can no longer be taken)
    basis: str = ""
    note: str | Promise = ""


def _basis(o: WorkOrder, step: str, on: date) -> tuple[int, str]:
    try:
        r = rules.rule(o.source, step, on)
    except DomainError:
        return 0, ""
    return r.working_days, r.basis


def clocks(o: WorkOrder, today: date) -> list[OrderClock]:
    """The order's windows with their due dates: sign-for and hand-back, reply, extension."""
    received = o.received_at.date()
    _n, hb_basis = _basis(o, OrderRule.Step.HAND_BACK, received)
    if o.state == WorkOrder.State.RECEIVED:
        hb_state = "open" if today <= o.hand_back_by else "late"
    elif o.state == WorkOrder.State.HANDED_BACK:
        hb_state = "met" if o.handed_back_at and o.handed_back_at.date() <= o.hand_back_by else "late"
    else:
        hb_state = "closed"
    signed = o.signed_at.date() if o.signed_at else None
    out = [
        OrderClock(_("签收"), o.hand_back_by, "met" if signed and signed <= o.hand_back_by else
                   ("late" if signed else hb_state if o.state == WorkOrder.State.RECEIVED else "closed"), hb_basis,
                   _("签收后开始办理")),
        OrderClock(_("回退"), o.hand_back_by, hb_state, hb_basis, _("不属本单位职责的，须在期限内说明理由回退")),
    ]
    _r, reply_basis = _basis(o, OrderRule.Step.REPLY, received)
    replied = o.replied_at.date() if o.replied_at else None
    if replied:
        reply_state = "met" if replied <= o.reply_by else "late"
    elif o.state == WorkOrder.State.HANDED_BACK:
        reply_state = "closed"
    else:
        reply_state = "open" if today <= o.reply_by else "late"
    out.append(OrderClock(_("答复"), o.reply_by, reply_state, reply_basis))
    limit, ext_basis = _basis(o, OrderRule.Step.EXTENSION, today)
    if o.extension_days:
        out.append(OrderClock(_("延期"), o.reply_by, "met", ext_basis,
                              _("已延期%(days)s个工作日：%(reason)s") % {"days": o.extension_days,
                                                                  "reason": o.extension_reason}))
    else:
        may_extend = o.state == WorkOrder.State.SIGNED and today <= o.reply_by
        out.append(OrderClock(_("延期"), o.reply_by if may_extend else None, "open" if may_extend else "closed",
                              ext_basis, _("答复期限届满前可申请延期，至多%(days)s个工作日") % {"days": limit}))
    return out


def allowed_actions(o: WorkOrder, today: date) -> list[str]:
    """The steps the order's state allows now (the services check again when one is taken)."""
    if o.state == WorkOrder.State.RECEIVED:
        return ["sign", "hand_back"] if today <= o.hand_back_by else ["sign"]
    if o.state == WorkOrder.State.SIGNED:
        return (["extend"] if not o.extension_days and today <= o.reply_by else []) + ["reply"]
    if o.state == WorkOrder.State.REPLIED:
        return ["rate"]
    return []
