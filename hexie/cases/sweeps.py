"""Periodic work: supervision records, outbox delivery, recomputing provisional deadlines.

Overdue is never decided here: it is derived from the stored due dates whenever a list is read.
The sweep only writes the supervision records and notifications that follow from it, so a
stopped worker never makes a late case look on time.
"""

from __future__ import annotations

import logging
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef

from hexie.cases import notify
from hexie.cases.models import Case, Deadline, Notification, Supervision, TimelineEvent
from hexie.cases.services import compute_due
from hexie.core import clock
from hexie.workcal import rules as workcal
from hexie.workcal.selectors import get_calendar

log = logging.getLogger("hexie.sweeps")


def shift_working_days(cal: workcal.Calendar, start: date, n: int) -> date:
    """The date n working days before (n < 0) or after (n > 0) `start`."""
    step = 1 if n >= 0 else -1
    d, left = start, abs(n)
    while left:
        d += timedelta(days=step)
        if cal.is_working_day(d):
            left -= 1
    return d


def _create(kind: str, deadlines: list[Deadline], now: Any, message: str) -> int:
    if not deadlines:
        return 0
    sups = [
        Supervision(case_id=d.case_id, deadline=d, kind=kind, created_at=now,
                    leader_id=d.case.responsible_leader_id)
        for d in deadlines
    ]
    Supervision.objects.bulk_create(sups, ignore_conflicts=True, batch_size=2000)
    TimelineEvent.objects.bulk_create(
        [TimelineEvent(case_id=d.case_id, at=now, kind=f"supervision_{kind}",
                       message=f"{message}：{d.rule.step}，届满日 {d.due_on}",
                       data={"deadline": d.pk, "due_on": d.due_on.isoformat(), "basis": d.rule.basis})
         for d in deadlines],
        batch_size=2000,
    )
    notes = []
    for d in deadlines:
        for user in (d.case.handler, d.case.responsible_leader if kind != Supervision.Kind.DUE_SOON else None):
            if user is not None and user.email:
                notes.append(Notification(
                    case_id=d.case_id, channel=Notification.Channel.EMAIL, recipient=user.email,
                    subject=f"【{Supervision.Kind(kind).label}】案件{d.case.number}",
                    body=f"{message}：案件{d.case.number}“{d.rule.step}”届满日为{d.due_on}（{d.rule.basis}）。",
                    next_attempt_at=now,
                ))
    Notification.objects.bulk_create(notes, batch_size=2000)
    return len(deadlines)


def run_supervision_sweep(*, today: date | None = None) -> dict[str, int]:
    """Create due-soon, overdue and escalation records that do not exist yet; idempotent."""
    today = today or clock.today()
    cal = get_calendar()
    now = clock.now()
    soon_until = shift_working_days(cal, today, settings.SUPERVISION_DUE_SOON_WORKING_DAYS)
    escalate_due_before = shift_working_days(cal, today, -settings.SUPERVISION_ESCALATE_AFTER_WORKING_DAYS)
    # Only the columns the records and messages need: at a million cases a catch-up run touches
    # tens of thousands of deadlines, and loading whole cases (descriptions, triage reasons, and
    # decrypting the complainant's phone and ID number for nothing) cost a fifth of its time.
    running = Deadline.objects.filter(state=Deadline.State.RUNNING).select_related(
        "rule", "case", "case__handler", "case__responsible_leader").only(
        "id", "due_on", "rule__step", "rule__basis", "case__number",
        "case__handler__email", "case__responsible_leader__email")

    def missing(kind: str) -> Any:
        return ~Exists(Supervision.objects.filter(deadline=OuterRef("pk"), kind=kind))

    counts = {}
    with transaction.atomic():
        counts["due_soon"] = _create(
            Supervision.Kind.DUE_SOON,
            list(running.filter(due_on__gte=today, due_on__lte=soon_until).filter(missing("due_soon"))),
            now, "临期提醒",
        )
    with transaction.atomic():
        counts["overdue"] = _create(
            Supervision.Kind.OVERDUE,
            list(running.filter(due_on__lt=today).filter(missing("overdue"))), now, "超期督办",
        )
    with transaction.atomic():
        counts["escalated"] = _create(
            Supervision.Kind.ESCALATED,
            list(running.filter(due_on__lt=escalate_due_before).filter(missing("escalated"))),
            now, "提级督办（包案领导）",
        )
    log.info("supervision sweep %s: %s", today, counts)
    return counts


def deliver_notifications(*, limit: int = 200) -> dict[str, int]:
    """Send what the outbox holds; failures are retried with back-off, then marked failed."""
    now = clock.now()
    sent = failed = 0
    batch = list(Notification.objects.filter(state=Notification.State.PENDING, next_attempt_at__lte=now)
                 .order_by("next_attempt_at")[:limit])
    sms = notify.sms_backend()
    for n in batch:
        try:
            if n.channel == Notification.Channel.SMS:
                sms.send(phone=n.recipient, text=n.body)
            else:
                notify.send_email(to=n.recipient, subject=n.subject or "和谐劳动维权", body=n.body)
        except Exception as exc:
            n.attempts += 1
            n.last_error = str(exc)[:1000]
            if n.attempts >= settings.NOTIFICATION_MAX_ATTEMPTS:
                n.state = Notification.State.FAILED
            n.next_attempt_at = now + timedelta(minutes=2 ** n.attempts)
            n.save(update_fields=["attempts", "last_error", "state", "next_attempt_at"])
            failed += 1
            continue
        n.state, n.sent_at, n.attempts = Notification.State.SENT, now, n.attempts + 1
        n.save(update_fields=["state", "sent_at", "attempts"])
        sent += 1
    return {"sent": sent, "failed": failed}


@transaction.atomic
def recompute_provisional_deadlines(*, years: set[int] | None = None) -> int:
    """Recompute deadlines computed on a year the calendar did not know, once it is entered."""
    cal = get_calendar()
    changed = 0
    touched: set[int] = set()
    qs = Deadline.objects.filter(
        is_provisional=True, state__in=[Deadline.State.RUNNING, Deadline.State.PAUSED]
    ).select_related("rule")
    for d in qs:
        due = compute_due(deadline=d, rule=d.rule, cal=cal)
        if (due.due_on, due.provisional) != (d.due_on, d.is_provisional):
            old = d.due_on
            d.due_on, d.is_provisional = due.due_on, due.provisional
            d.save(update_fields=["due_on", "is_provisional"])
            TimelineEvent.objects.create(
                case_id=d.case_id, at=clock.now(), kind="deadline_recomputed",
                message=f"{d.rule.step}：日历已录入，届满日 {old} → {d.due_on}",
                data={"from": old.isoformat(), "to": d.due_on.isoformat(), "provisional": d.is_provisional},
            )
            changed += 1
            touched.add(d.case_id)
    for case_id in touched:
        nxt = (Deadline.objects.filter(case_id=case_id, state=Deadline.State.RUNNING)
               .order_by("due_on").values_list("due_on", flat=True).first())
        Case.objects.filter(pk=case_id).update(next_due_on=nxt)
    return changed
