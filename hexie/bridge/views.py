"""The staff pages of the work orders: the list of the jurisdiction's orders and one order with its
clocks, its timeline and the steps its state allows. Reads through ``selectors`` (scoped: an order
outside the jurisdiction answers 404, as one that does not exist), writes through ``services``."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from hexie.bridge import forms, nav, selectors, services
from hexie.bridge.batch import read_orders
from hexie.bridge.models import Source, WorkOrder
from hexie.core import clock
from hexie.core.errors import DomainError
from hexie.core.nav import role_required
from hexie.core.tables import Table
from hexie.core.views import form_field_errors, run_service

# The list's sortable columns, each with the list's own tie-break.
ORDER_SORTS = {
    "received": ("received_at", "id"),
    "reply_by": ("reply_by", "-received_at", "id"),
    "state": ("state", "-received_at", "id"),
    "ref": ("external_ref", "id"),
}

ACTION_LABELS = {
    "sign": _lazy("签收"), "hand_back": _lazy("回退"), "extend": _lazy("申请延期"), "reply": _lazy("办结答复"),
    "rate": _lazy("登记群众评价"),
}

ACTION_DONE = {
    "sign": _lazy("已签收"), "hand_back": _lazy("已回退"), "extend": _lazy("已申请延期"), "reply": _lazy("已办结答复"),
    "rate": _lazy("已登记群众评价"),
}

#: The outbox messages by their event, as the order page names them.
MESSAGE_LABELS = {
    "signed": _lazy("已签收"), "handed_back": _lazy("已回退"), "extension_requested": _lazy("已申请延期"),
    "replied": _lazy("已办结答复"), "result": _lazy("办理结果"),
}


@login_required
@role_required(nav.ORDERS.roles)
def order_list(request: HttpRequest) -> HttpResponse:
    """The orders of my jurisdiction: by state, source, only the overdue ones; sortable and paged."""
    today = clock.today()
    errors: list[str] = []
    state = str(request.GET.get("state") or "").strip()
    if state and state not in WorkOrder.State.values:
        errors.append(gettext("状态“%(value)s”无效") % {"value": state[:20]})
    source = str(request.GET.get("source") or "").strip()
    if source and source not in Source.values:
        errors.append(gettext("来源“%(value)s”无效") % {"value": source[:20]})
    overdue = str(request.GET.get("overdue") or "").strip()
    if overdue and overdue != "1":
        errors.append(gettext("逾期条件“%(value)s”无效") % {"value": overdue[:20]})
    qs = selectors.orders(request.user, state=state, source=source, overdue_on=today if overdue == "1" else None)
    if errors:
        qs = qs.none()
    table = Table.from_request(request, qs, sorts=ORDER_SORTS, default="-received")
    for o in table.page:
        o.overdue = selectors.is_overdue(o, today)  # type: ignore[attr-defined]
    return render(request, "bridge/order_list.html", {
        "page": table.page, "table": table, "query": request.GET.copy(), "filter_errors": errors + table.errors,
        "states": WorkOrder.State.choices, "sources": Source.choices, "import_form": forms.ImportForm(),
    }, status=400 if errors or table.errors else 200)


def _order(request: HttpRequest, pk: int) -> WorkOrder:
    order = selectors.order(request.user, pk)
    if order is None:
        raise Http404(gettext("未找到"))
    return order


@login_required
@role_required(nav.ORDERS.roles)
def order_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One order: what was sent, its clocks with their due dates, its timeline, and the steps allowed."""
    order = _order(request, pk)
    today = clock.today()
    initial = {"version": order.version}
    actions = [{"name": name, "label": ACTION_LABELS[name], "form": forms.FORMS[name](initial=initial, prefix=name)}
               for name in selectors.allowed_actions(order, today)]
    events = order.case.events.select_related("actor").order_by("-at", "-id")
    sent = list(order.messages.order_by("created_at", "id"))
    for m in sent:
        m.label = MESSAGE_LABELS.get(m.kind, m.kind)  # type: ignore[attr-defined]
    return render(request, "bridge/order_detail.html", {
        "o": order, "clocks": selectors.clocks(order, today), "actions": actions, "events": events[:100],
        "overdue": selectors.is_overdue(order, today), "messages_out": sent,
    })


@login_required
@role_required(nav.ORDERS.roles)
@require_POST
def order_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Take one step of the order's loop through the bridge's service."""
    _order(request, pk)  # 404 outside the jurisdiction, before any form message
    if action not in forms.FORMS:
        raise Http404(gettext("未找到"))
    form = forms.FORMS[action](request.POST, prefix=action)
    if not form.is_valid():
        messages.error(request, form_field_errors(form))
        return redirect("bridge:order", pk=pk)
    d = form.cleaned_data
    run_service(request, lambda: services.act_on_order(
        order_id=pk, actor=request.user, action=action, reason=d.get("reason", ""),  # type: ignore[arg-type]
        text=d.get("text", ""), result=d.get("result", ""), days=d.get("days") or 0, rating=d.get("rating"),
        expected_version=d["version"]), success=str(ACTION_DONE[action]))
    return redirect("bridge:order", pk=pk)


@login_required
@role_required(nav.ORDERS.roles)
@require_POST
def order_import(request: HttpRequest) -> HttpResponse:
    """A workbook of orders or wage clues: every row received, or none, with the bad rows named."""
    form = forms.ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, form_field_errors(form))
        return redirect("bridge:orders")
    try:
        counts = services.import_orders(rows=read_orders(form.cleaned_data["file"]),
                                        actor=request.user)  # type: ignore[arg-type]
    except ValidationError as exc:
        # Each message under its row ("第4行") or field ("file"): the clerk knows which row to correct.
        named = exc.message_dict.items() if hasattr(exc, "error_dict") else [("file", exc.messages)]
        messages.error(request, "；".join(f"{where}：{m}" for where, ms in named for m in ms))
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, gettext("已导入%(received)s件，新增%(created)s件，已接收过%(unchanged)s件") % counts)
    return redirect("bridge:orders")
