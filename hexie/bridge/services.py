"""Every write of the bridge: receiving an order (by API or workbook), the steps of its loop, and
delivering the outbox. Keyword-only, typed, each in one transaction with its timeline entry.

An order becomes a case when it arrives, through the cases' own intake (numbered, triaged, on its
acceptance clock); signing for it accepts the case, handing it back refuses it with the reason. The
messages the sending system needs back go through the outbox in the same transaction.
"""

from __future__ import annotations

import hashlib
import json
import logging
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext

from hexie.bridge import rules
from hexie.bridge.models import OrderRule, OutboundMessage, Source, WorkOrder
from hexie.cases import services as case_services
from hexie.cases.models import CaseType, Channel, Status
from hexie.core import audit, clock
from hexie.core.errors import DomainError, StaleState, TransitionNotAllowed
from hexie.core.permissions import require_role
from hexie.orgs.models import OrgUnit, User
from hexie.orgs.scoping import BUREAU_STAFF, CHANGE, restrict

log = logging.getLogger("hexie.bridge")

#: The intake channel of the cases each source's orders become.
SOURCE_CHANNELS: dict[str, str] = {Source.HOTLINE_12345: Channel.HOTLINE_12345, Source.WAGE_CLUE: Channel.WAGE_CLUE}
RESULTS: dict[str, str] = {"resolved": "已解决", "explained": "已解释说明", "unresolved": "未解决"}
ACTIONS = ("sign", "hand_back", "extend", "reply", "rate")


class DuplicateOrder(DomainError):
    """Another order was already received under this reference."""

    code = "duplicate_order"
    http_status = 409


class WindowClosed(DomainError):
    """The step's time limit has passed (a hand-back after its working days)."""

    code = "window_closed"
    http_status = 409


@dataclass(frozen=True)
class OrderData:
    """An order as the sending system describes it, parsed into Python types."""

    source: str
    external_ref: str
    received_at: datetime
    title: str
    content: str
    complainant_name: str
    complainant_phone: str
    employer_name: str
    org_unit_code: str
    case_type: str = CaseType.WAGE_ARREARS
    workers_count: int = 1
    amount_claimed: Decimal = Decimal("0")

    def digest(self) -> str:
        """The order's fingerprint: the same order sent twice has the same one."""
        raw = {k: str(v) for k, v in asdict(self).items()}
        return hashlib.sha256(json.dumps(raw, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def receive_order(*, data: OrderData, actor: User) -> tuple[WorkOrder, bool]:
    """Register an order as a case, with its clocks; the same order again changes nothing.

    Returns the order and whether it was created. A different order under a reference already
    received is refused (409 duplicate_order).
    """
    require_role(actor, BUREAU_STAFF, gettext("您的角色不能接收工单"))
    if data.source not in Source.values:
        raise ValidationError({"source": [gettext("未知的工单来源 %(source)s") % {"source": data.source}]})
    digest = data.digest()
    existing = _existing(data, digest, actor)
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            return _create(data, digest, actor), True
    except IntegrityError:
        # The same reference arrived twice at once: the other request created it.
        existing = _existing(data, digest, actor)
        if existing is None:
            raise
        return existing, False


def _existing(data: OrderData, digest: str, actor: User) -> WorkOrder | None:
    order = WorkOrder.objects.filter(source=data.source, external_ref=data.external_ref).first()
    if order is None:
        return None
    if order.payload_hash != digest or not restrict(WorkOrder.objects.filter(pk=order.pk), actor).exists():
        raise DuplicateOrder(gettext("工单编号 %(ref)s 已接收过内容不同的工单") % {"ref": data.external_ref},
                             field="external_ref")
    return order


def _create(data: OrderData, digest: str, actor: User) -> WorkOrder:
    unit = OrgUnit.objects.filter(code=data.org_unit_code).first()
    if unit is None:
        raise ValidationError({"org_unit": [gettext("区划代码 %(code)s 不存在") % {"code": data.org_unit_code}]})
    case = case_services.register_case(data=case_services.IntakeData(
        case_type=data.case_type, channel=SOURCE_CHANNELS.get(data.source, Channel.API),
        received_at=data.received_at, complainant_name=data.complainant_name,
        complainant_phone=data.complainant_phone, employer_name=data.employer_name, org_unit_id=unit.pk,
        description=f"{data.title}\n{data.content}".strip(), workers_count=data.workers_count,
        amount_claimed=data.amount_claimed, external_ref=f"{data.source}:{data.external_ref}"[:64],
    ), actor=actor)
    day = timezone.localtime(data.received_at).date()
    hand_back = rules.rule(data.source, OrderRule.Step.HAND_BACK, day)
    reply = rules.rule(data.source, OrderRule.Step.REPLY, day)
    order = WorkOrder.objects.create(
        source=data.source, external_ref=data.external_ref, payload_hash=digest, case=case, org_unit=unit,
        title=data.title[:200], received_at=data.received_at,
        hand_back_by=rules.working_days_after(day, hand_back.working_days),
        reply_by=rules.working_days_after(day, reply.working_days),
    )
    case_services.add_event(case=case, kind="order_received", actor=actor,
                            message=f"{order.get_source_display()}工单 {order.external_ref}",
                            data={"source": order.source, "order": order.external_ref,
                                  "reply_by": order.reply_by.isoformat(), "basis": reply.basis})
    return order


def _order_for_update(order_id: int, actor: User) -> WorkOrder:
    order = restrict(WorkOrder.objects.select_for_update().filter(pk=order_id), actor, CHANGE, single=True).first()
    if order is None:
        raise Http404(gettext("未找到"))
    return order


@transaction.atomic
def act_on_order(*, order_id: int, actor: User, action: str, reason: str = "", text: str = "", result: str = "",
                 days: int = 0, rating: int | None = None, expected_version: int | None = None) -> WorkOrder:
    """One step of the order's loop: sign for it, hand it back, ask for more time, reply, or record
    the worker's rating the sending system returned. Refuses a step out of turn or out of time."""
    require_role(actor, BUREAU_STAFF, gettext("您的角色不能办理工单"))
    if action not in ACTIONS:
        raise ValidationError({"action": [gettext("未知操作 %(action)s") % {"action": action}]})
    order = _order_for_update(order_id, actor)
    if expected_version is not None and expected_version != order.version:
        raise StaleState(gettext("该工单已被他人更新，请刷新后重试"))
    step: Callable[..., dict[str, Any]] = _STEPS[action]
    payload = step(order=order, actor=actor, reason=reason.strip(), text=text.strip(), result=result, days=days,
                   rating=rating)
    order.version += 1
    order.save()
    event = payload.pop("event")
    case_services.add_event(case=order.case, kind=f"order_{event}", actor=actor,
                            message=str(payload.get("reason") or payload.get("reply") or ""),
                            data={k: str(v) for k, v in payload.items() if k not in ("reason", "reply")})
    if event != "rated":
        _queue(order, event, payload)
    return order


def _state(order: WorkOrder, *allowed: str) -> None:
    if order.state not in allowed:
        raise TransitionNotAllowed(gettext("工单当前状态为“%(state)s”，不能执行该操作") % {
            "state": order.get_state_display()})


def _sign(*, order: WorkOrder, actor: User, **_: Any) -> dict[str, Any]:
    _state(order, WorkOrder.State.RECEIVED)
    # A clerk may have accepted the case from its page already: signing for the order then only tells
    # the sending system.
    if order.case.status == Status.REGISTERED:
        case_services.transition(case_id=order.case_id, actor=actor, name="accept")
    order.state, order.signed_at = WorkOrder.State.SIGNED, clock.now()
    return {"event": "signed", "reply_by": order.reply_by.isoformat()}


def _hand_back(*, order: WorkOrder, actor: User, reason: str, **_: Any) -> dict[str, Any]:
    _state(order, WorkOrder.State.RECEIVED)
    if not reason:
        raise ValidationError({"reason": [gettext("请填写回退理由")]})
    if clock.today() > order.hand_back_by:
        rule = rules.rule(order.source, OrderRule.Step.HAND_BACK, clock.today())
        raise WindowClosed(gettext("回退时限已于%(due)s届满（%(basis)s），请签收办理") % {
            "due": order.hand_back_by, "basis": rule.basis}, field="action")
    case_services.transition(case_id=order.case_id, actor=actor, name="refuse", reason=f"工单回退：{reason}")
    order.state, order.handed_back_at, order.hand_back_reason = WorkOrder.State.HANDED_BACK, clock.now(), reason
    return {"event": "handed_back", "reason": reason}


def _extend(*, order: WorkOrder, reason: str, days: int, **_: Any) -> dict[str, Any]:
    _state(order, WorkOrder.State.SIGNED)
    limit = rules.rule(order.source, OrderRule.Step.EXTENSION, clock.today())
    if order.extension_days:
        raise TransitionNotAllowed(gettext("该工单已申请过延期"))
    if not 1 <= days <= limit.working_days:
        raise ValidationError({"days": [gettext("延期为1至%(days)s个工作日（%(basis)s）")
                                        % {"days": limit.working_days, "basis": limit.basis}]})
    if not reason:
        raise ValidationError({"reason": [gettext("请填写延期理由")]})
    if clock.today() > order.reply_by:
        raise WindowClosed(gettext("答复时限已于%(due)s届满，不能再申请延期") % {"due": order.reply_by},
                           field="action")
    order.extension_days, order.extension_reason = days, reason
    order.reply_by = rules.working_days_after(order.reply_by, days)
    return {"event": "extension_requested", "reason": reason, "extension_days": days,
            "reply_by": order.reply_by.isoformat()}


def _reply(*, order: WorkOrder, text: str, result: str, **_: Any) -> dict[str, Any]:
    _state(order, WorkOrder.State.SIGNED)
    if not text:
        raise ValidationError({"text": [gettext("请填写答复内容")]})
    if result not in RESULTS:
        raise ValidationError({"result": [gettext("办理结果为 %(results)s 之一") % {"results": "、".join(RESULTS)}]})
    on_time = clock.today() <= order.reply_by
    order.state, order.replied_at, order.reply_text, order.result = WorkOrder.State.REPLIED, clock.now(), text, result
    return {"event": "replied", "reply": text, "result": result, "on_time": on_time}


def _rate(*, order: WorkOrder, rating: int | None, **_: Any) -> dict[str, Any]:
    _state(order, WorkOrder.State.REPLIED)
    if rating is None or not 1 <= rating <= 5:
        raise ValidationError({"rating": [gettext("评价为1至5分")]})
    order.state, order.rating = WorkOrder.State.RATED, rating
    return {"event": "rated", "rating": rating}


_STEPS: dict[str, Callable[..., dict[str, Any]]] = {
    "sign": _sign, "hand_back": _hand_back, "extend": _extend, "reply": _reply, "rate": _rate,
}


def _queue(order: WorkOrder, event: str, payload: dict[str, Any]) -> OutboundMessage:
    message = OutboundMessage(order=order, kind=event, next_attempt_at=clock.now())
    message.payload = {
        "message_id": str(message.message_id), "source": order.source, "order_ref": order.external_ref,
        "event": event, "at": clock.now().isoformat(), "case_number": order.case.number, **payload,
    }
    message.save()
    return message


def report_result(*, case: Any, actor: User | None = None, **_: Any) -> OutboundMessage | None:
    """When a case that came from the wage-clue platform closes, its result goes back to the
    platform through the outbox (in the closing transaction), with a timeline entry; a case from
    any other source has its own reply loop and sends nothing here (and costs no query)."""
    if case.channel != Channel.WAGE_CLUE:
        return None
    order = WorkOrder.objects.filter(case_id=case.pk, source=Source.WAGE_CLUE).select_related("case").first()
    if order is None:
        return None
    closed = order.case
    payload = {
        "result": closed.closure_conclusion, "result_label": closed.get_closure_conclusion_display(),
        "amount_recovered": str(closed.amount_recovered or 0), "workers_benefited": closed.workers_benefited or 0,
        "closed_at": (closed.closed_at or clock.now()).isoformat(),
    }
    message = _queue(order, "result", payload)
    case_services.add_event(case=closed, kind="order_result", actor=actor,
                            message=gettext("办理结果已回传%(source)s") % {"source": order.get_source_display()},
                            data={"order": order.external_ref, "result": closed.closure_conclusion,
                                  "message": str(message.message_id)})
    return message


# --- delivery -----------------------------------------------------------------------------------


Post = Callable[[str, bytes, dict[str, str]], int]


def _post(url: str, body: bytes, headers: dict[str, str]) -> int:
    # Only the configured http(s) endpoint: never a file: or other scheme urllib would also open.
    if not url.startswith(("http://", "https://")):
        raise ValueError(f"not an http(s) endpoint: {url[:50]}")
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")  # noqa: S310 (checked above)
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 (checked above)
        return int(response.status)


def _backoff(attempts: int) -> timedelta:
    return timedelta(minutes=min(2 ** attempts, 60))


def deliver_outbox(*, limit: int = 200, post: Post = _post) -> dict[str, int]:
    """Send what is due, oldest first, each message once: a message is marked sent only after the
    endpoint answered 2xx, and while it is being sent its row is locked, so two senders never send
    it both. A failure keeps it, with the error and a later attempt; a message waits while an
    earlier one for the same order is unsent, so the other system hears of the steps in order."""
    counts = {"sent": 0, "retry": 0, "failed": 0, "waiting": 0}
    blocked: set[int] = set()
    due = list(OutboundMessage.objects.filter(state=OutboundMessage.State.PENDING).order_by("created_at", "id")
               .values_list("pk", "order_id", "next_attempt_at")[:limit])
    now = clock.now()
    for pk, order_id, next_at in due:
        if order_id in blocked or next_at > now:
            blocked.add(order_id)
            counts["waiting"] += 1
            continue
        outcome = _deliver_one(pk, post)
        counts[outcome] += 1
        if outcome != "sent":
            blocked.add(order_id)
    return counts


def _deliver_one(pk: int, post: Post) -> str:
    skip_locked = connection.features.has_select_for_update_skip_locked
    with transaction.atomic():
        m = (OutboundMessage.objects.select_for_update(skip_locked=skip_locked)
             .filter(pk=pk, state=OutboundMessage.State.PENDING).select_related("order").first())
        if m is None:
            return "waiting"  # another sender has it, or sent it meanwhile
        endpoint = settings.BRIDGE_ENDPOINTS.get(m.order.source, "")
        error = ""
        if not endpoint:
            error = gettext("未配置接收地址")
        else:
            headers = {"Content-Type": "application/json", "Idempotency-Key": str(m.message_id)}
            if settings.BRIDGE_TOKEN:
                headers["Authorization"] = f"Bearer {settings.BRIDGE_TOKEN}"
            try:
                status = post(endpoint, json.dumps(m.payload, ensure_ascii=False).encode(), headers)
                if not 200 <= status < 300:
                    error = f"HTTP {status}"
            except (urllib.error.URLError, OSError, ValueError) as exc:
                error = f"{type(exc).__name__}: {exc}"[:500]
        m.attempts += 1
        if not error:
            m.state, m.sent_at, m.last_error = OutboundMessage.State.SENT, clock.now(), ""
            m.save(update_fields=["state", "sent_at", "last_error", "attempts"])
            return "sent"
        m.last_error = error
        if m.attempts >= settings.BRIDGE_MAX_ATTEMPTS:
            m.state = OutboundMessage.State.FAILED
        m.next_attempt_at = clock.now() + _backoff(m.attempts)
        m.save(update_fields=["state", "last_error", "attempts", "next_attempt_at"])
        log.warning("bridge message %s not delivered (attempt %s): %s", m.message_id, m.attempts, error)
        return "failed" if m.state == OutboundMessage.State.FAILED else "retry"


@transaction.atomic
def retry_failed(*, message_id: int, actor: User) -> OutboundMessage:
    """Put a message that ran out of attempts back in the queue (an administrator, once the other
    system is reachable again)."""
    require_role(actor, BUREAU_STAFF, gettext("您的角色不能重发"))
    updated = OutboundMessage.objects.filter(
        pk=message_id, state=OutboundMessage.State.FAILED,
        order__in=restrict(WorkOrder.objects.all(), actor, CHANGE)).update(
        state=OutboundMessage.State.PENDING, attempts=0, next_attempt_at=clock.now(), last_error="")
    if not updated:
        raise Http404(gettext("未找到"))
    m = OutboundMessage.objects.select_related("order").get(pk=message_id)
    case_services.add_event(case=m.order.case, kind="order_resend", actor=actor, data={"message": str(m.message_id)})
    return m


def import_orders(*, rows: list[tuple[int, OrderData]], actor: User) -> dict[str, int]:
    """Receive every order of a workbook, or none: a row the intake refuses is reported with its
    row number and the whole file is rolled back. Orders already received change nothing."""
    require_role(actor, BUREAU_STAFF, gettext("您的角色不能接收工单"))
    errors: dict[str, list[str]] = {}
    counts = {"received": len(rows), "created": 0, "unchanged": 0}
    with transaction.atomic():
        for n, data in rows:
            try:
                with transaction.atomic():
                    _order, created = receive_order(data=data, actor=actor)
            except ValidationError as exc:
                errors[gettext("第%(n)s行") % {"n": n}] = [f"{k}: {m}" for k, ms in exc.message_dict.items() for m in ms]
                continue
            except DomainError as exc:
                errors[gettext("第%(n)s行") % {"n": n}] = [str(exc.message)]
                continue
            counts["created" if created else "unchanged"] += 1
        if errors:
            raise ValidationError(errors)
        audit.record(actor=actor, action="import", object_type="bridge.workorder", object_repr="工单批量导入",
                     org_unit_id=actor.org_unit_id,
                     message=f"导入工单{counts['received']}件，新增{counts['created']}件")
    return counts
