"""Supervision (督办) of late clocks: the records the sweep writes, and a leader signing for them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.http import Http404
from django.utils import translation
from django.utils.translation import gettext, gettext_noop

from hexie.cases.models import Case, Deadline, Notification, Supervision, TimelineEvent
from hexie.cases.services.timeline import add_event
from hexie.core import clock
from hexie.core.errors import TransitionNotAllowed
from hexie.core.permissions import require_role
from hexie.orgs.models import User
from hexie.orgs.scoping import LEADERS, restrict


@transaction.atomic
def acknowledge_supervision(*, supervision_id: int, actor: User, note: str = "") -> Supervision:
    """A leader signs for a supervision record, optionally with instructions."""
    sup = Supervision.objects.select_related("case").filter(
        pk=supervision_id, case__in=restrict(Case.objects.all(), actor)).first()
    if sup is None:
        raise Http404(gettext("未找到"))
    require_role(actor, LEADERS, gettext("只有领导可以签收督办"))
    if sup.acknowledged_at:
        raise TransitionNotAllowed(gettext("已签收"))
    sup.acknowledged_at, sup.note = clock.now(), note
    sup.save(update_fields=["acknowledged_at", "note"])
    add_event(case=sup.case, kind="supervision_acknowledged", actor=actor, message=note,
              data={"kind": sup.kind})
    return sup


# What each kind of record is called in its timeline entry and its emails.
_HEADLINES = {
    Supervision.Kind.DUE_SOON: gettext_noop("临期提醒"),
    Supervision.Kind.OVERDUE: gettext_noop("超期督办"),
    Supervision.Kind.ESCALATED: gettext_noop("提级督办（包案领导）"),
}


# The sweep's entries and mails are in the bureau's language, whoever or whatever runs it.
@translation.override(settings.LANGUAGE_CODE)
def record_supervisions(*, kind: str, deadlines: Sequence[Deadline], now: datetime) -> int:
    """Supervision records of one kind for these clocks, each with its timeline entry and emails to the
    handler and, unless the clock is only due soon, the responsible leader (包案领导).

    Set-based, for the sweep over a million cases: three bulk inserts whatever the number of clocks,
    which must come with their rule and their case's number, handler and leader already loaded.
    A record that already exists is left as it is. Returns how many clocks were given.
    """
    if not deadlines:
        return 0
    headline = gettext(_HEADLINES[Supervision.Kind(kind)])
    with transaction.atomic():
        Supervision.objects.bulk_create(
            [Supervision(case_id=d.case_id, deadline=d, kind=kind, created_at=now,
                         leader_id=d.case.responsible_leader_id) for d in deadlines],
            ignore_conflicts=True, batch_size=2000,
        )
        TimelineEvent.objects.bulk_create(
            [TimelineEvent(case_id=d.case_id, at=now, kind=f"supervision_{kind}",
                           message=f"{headline}：{d.rule.step}，届满日 {d.due_on}",
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
                        subject=gettext("【%(kind)s】案件%(number)s") % {
                            "kind": Supervision.Kind(kind).label, "number": d.case.number},
                        body=gettext("%(headline)s：案件%(number)s“%(step)s”届满日为%(due_on)s（%(basis)s）。") % {
                            "headline": headline, "number": d.case.number, "step": d.rule.step,
                            "due_on": d.due_on, "basis": d.rule.basis},
                        next_attempt_at=now,
                    ))
        Notification.objects.bulk_create(notes, batch_size=2000)
    return len(deadlines)
