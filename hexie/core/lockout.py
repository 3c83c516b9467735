"""Password guessing: the client address every per-address limit counts, and what a locked-out
log-in or token request is told.

django-axes counts failed log-ins (the staff log-in page, the admin and `POST /api/v1/auth/token/`)
per account and, separately, per address; after ``LOGIN_FAILURE_LIMIT`` failures within the cool-off
the account or the address is refused until the cool-off has passed or an administrator unlocks it
(admin: 访问尝试 Access attempts, delete the rows; or ``manage.py axes_reset_username <name>`` /
``axes_reset_ip <address>``). Every lockout goes into the audit log.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import APIException

from hexie.core import audit
from hexie.core.models import AuditEvent

LOCKED_MESSAGE = (_("登录失败次数过多，账号或地址已被暂时锁定，请{minutes}分钟后再试或联系管理员解锁"))


def client_ip(request: HttpRequest) -> str:
    """The address a per-address limit counts against.

    Without a proxy it is REMOTE_ADDR. Behind TRUSTED_PROXY_COUNT reverse proxies it is the entry
    of X-Forwarded-For that the outermost trusted proxy appended; entries further left were
    written by the client and are never trusted, or anyone could pick the address counted.
    """
    proxies = settings.TRUSTED_PROXY_COUNT
    forwarded = [p.strip() for p in str(request.META.get("HTTP_X_FORWARDED_FOR") or "").split(",") if p.strip()]
    if proxies > 0 and len(forwarded) >= proxies:
        return forwarded[-proxies]
    return str(request.META.get("REMOTE_ADDR") or "")


def locked_message() -> str:
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return LOCKED_MESSAGE.format(minutes=minutes)


def locked_out(request: HttpRequest, original_response: Any = None, credentials: Any = None) -> HttpResponse:
    """The answer to a locked-out log-in: 429, JSON under /api/, a short bilingual page elsewhere."""
    message = locked_message()
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message, "code": "locked_out"}, status=429)
    return HttpResponse(f"<!doctype html><meta charset=utf-8><title>登录已锁定</title><p>{message}</p>",
                        status=429, content_type="text/html; charset=utf-8")


def record_lockout(sender: Any, request: HttpRequest | None = None, username: str | None = None,
                   ip_address: str | None = None, **kwargs: Any) -> None:
    """Audit entry for a lockout (the username as typed; never the password), in the jurisdiction of
    the account when one has that name, so that its leaders read it."""
    from hexie.orgs.models import User

    unit = User.objects.filter(username=username or "").values_list("org_unit_id", flat=True).first()
    with transaction.atomic():
        audit.record(actor=None, action=AuditEvent.Action.LOCKED_OUT, object_type="auth.login",
                     object_repr=(username or "")[:150], org_unit_id=unit,
                     message=gettext("登录失败次数过多，已锁定") % {"value": ip_address or '—'})


class LockedOut(APIException):
    """Raised by an API log-in (the token endpoint) that django-axes has refused."""

    status_code = 429
    default_code = "locked_out"

    def __init__(self) -> None:
        super().__init__(detail=locked_message(), code="locked_out")


def refuse_if_locked_out(request: Any) -> None:
    """After ``authenticate`` returned no user: a lockout answers 429 rather than "wrong password"."""
    if getattr(request, "axes_locked_out", False):
        raise LockedOut()
