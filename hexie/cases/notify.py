"""Delivering the notification outbox: email through Django, SMS through a backend class, with retries."""

from __future__ import annotations

import logging
import re
from datetime import timedelta
from typing import Protocol

from django.conf import settings
from django.core.mail import send_mail
from django.utils.module_loading import import_string

from hexie.cases.models import Notification
from hexie.core import clock

log = logging.getLogger("hexie.notify")

# What an SMS quotes that lets anyone who reads it open the case (the tracking code, which with the
# phone's last four digits is the worker's key to the portal): never written to a log.
_TRACKING_CODE = re.compile(r"(查询码|tracking code)\s*[0-9A-Za-z]+", re.IGNORECASE)


def redacted(text: str) -> str:
    """An SMS as it may appear in a log: the tracking code replaced by asterisks."""
    return _TRACKING_CODE.sub(lambda m: f"{m.group(1)}********", text)


class SmsBackend(Protocol):
    def send(self, *, phone: str, text: str) -> None: ...


class LoggingSmsBackend:
    """Writes each SMS to the log: the default until a bureau connects its SMS gateway."""

    sent: list[tuple[str, str]] = []

    def send(self, *, phone: str, text: str) -> None:
        log.info("SMS to %s****: %s", phone[:3], redacted(text))
        LoggingSmsBackend.sent.append((phone, text))


def sms_backend() -> SmsBackend:
    backend: SmsBackend = import_string(settings.SMS_BACKEND)()
    return backend


def send_email(*, to: str, subject: str, body: str) -> None:
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [to], fail_silently=False)


def deliver_notifications(*, limit: int = 200) -> dict[str, int]:
    """Send what the outbox holds; failures are retried with back-off, then marked failed."""
    now = clock.now()
    sent = failed = 0
    batch = list(Notification.objects.filter(state=Notification.State.PENDING, next_attempt_at__lte=now)
                 .order_by("next_attempt_at")[:limit])
    sms = sms_backend()
    for n in batch:
        try:
            if n.channel == Notification.Channel.SMS:
                sms.send(phone=n.recipient, text=n.body)
            else:
                send_email(to=n.recipient, subject=n.subject or "和谐劳动维权", body=n.body)
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
