"""Delivery adapters for the notification outbox: email through Django, SMS through a backend class."""

from __future__ import annotations

import logging
from typing import Protocol

from django.conf import settings
from django.core.mail import send_mail
from django.utils.module_loading import import_string

log = logging.getLogger("hexie.notify")


class SmsBackend(Protocol):
    def send(self, *, phone: str, text: str) -> None: ...


class LoggingSmsBackend:
    """Writes each SMS to the log: the default until a bureau connects its SMS gateway."""

    sent: list[tuple[str, str]] = []

    def send(self, *, phone: str, text: str) -> None:
        log.info("SMS to %s****: %s", phone[:3], text)
        LoggingSmsBackend.sent.append((phone, text))


def sms_backend() -> SmsBackend:
    backend: SmsBackend = import_string(settings.SMS_BACKEND)()
    return backend


def send_email(*, to: str, subject: str, body: str) -> None:
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [to], fail_silently=False)
