"""The case timeline and the notification outbox, which every write to a case appends to.

These run inside the caller's transaction: an entry or a message is written together with the
change it tells of, or not at all (DESIGN principle 5). Within ``rows.held_rows()`` (a step of the
workflow) they are written with the case row, in the statement that writes it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext

from hexie.cases.models import Case, Notification, TimelineEvent
from hexie.cases.services.rows import hold
from hexie.core import clock
from hexie.core.validators import is_mobile
from hexie.orgs.models import User


def add_event(
    *, case: Case, kind: str, actor: User | None = None, message: str = "", public_message: str = "",
    from_status: str = "", to_status: str = "", data: dict[str, Any] | None = None, at: datetime | None = None,
) -> TimelineEvent:
    """Append an entry to the case file; a public message also shows on the worker's page."""
    event = TimelineEvent(
        case=case, kind=kind, actor=actor, message=message, public_message=public_message,
        is_public=bool(public_message), from_status=from_status, to_status=to_status,
        data=data or {}, at=at or clock.now(),
    )
    if not hold(event):
        event.save(force_insert=True)
    return event


def queue_notification(
    *, case: Case | None, channel: str, recipient: str, body: str, subject: str = ""
) -> Notification | None:
    """Put a message in the outbox for the delivery job; nothing when there is no one to send it to."""
    if not recipient:
        return None
    message = Notification(
        case=case, channel=channel, recipient=recipient, subject=subject, body=body,
        next_attempt_at=clock.now(),
    )
    if not hold(message):
        message.save(force_insert=True)
    return message


def notify_worker(*, case: Case, text: str) -> None:
    """An SMS to the complainant, quoting the case number and the tracking code; none to a
    landline (a front desk may record one for a visitor without a mobile), which cannot receive it."""
    if not is_mobile(case.complainant_phone):
        return
    # Texts go to Chinese mobile numbers: written in the bureau's language whatever the clerk's screen shows.
    with translation.override(settings.LANGUAGE_CODE):
        body = gettext("【和谐劳动维权】案件%(number)s：%(text)s 查询码%(code)s。") % {
            "number": case.number, "text": str(text), "code": case.tracking_code}
    queue_notification(case=case, channel=Notification.Channel.SMS, recipient=case.complainant_phone, body=body)


def notify_staff(*, case: Case, user: User | None, subject: str, body: str) -> None:
    """An email to a member of staff about the case, if there is one with an address."""
    if user is not None and user.email:
        queue_notification(case=case, channel=Notification.Channel.EMAIL, recipient=user.email,
                           subject=subject, body=body)
