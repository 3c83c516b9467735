"""Employer accounts: issued by an administrator for one employer, logged in with password + SMS code."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from hexie.cases.models import Notification
from hexie.cases.services.timeline import queue_notification
from hexie.core import audit, clock
from hexie.core.models import AuditEvent
from hexie.core.permissions import require_role
from hexie.core.validators import is_mobile, normalise_phone
from hexie.employers.models import Employer
from hexie.orgs.models import Role, User
from hexie.orgs.scoping import ADMINS, CHANGE, restrict
from hexie.prevention.models import EmployerAccount, LoginCode

CODE_TTL = timedelta(minutes=5)
CODE_ATTEMPTS = 5
#: How often a new code may be sent to one account (an SMS costs money and annoys).
RESEND_AFTER = timedelta(seconds=60)


@dataclass(frozen=True)
class IssuedAccount:
    account: EmployerAccount
    password: str  # shown once to the administrator, to hand to the employer


def _hash(code: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), code.encode(), hashlib.sha256).hexdigest()


@transaction.atomic
def issue_account(*, actor: User, employer_id: int, username: str, phone: str) -> IssuedAccount:
    """Issue a log-in for an employer of the administrator's jurisdiction, with a one-time password
    and the mobile that will receive each log-in's code."""
    staff = require_role(actor, ADMINS, _("只有管理员可以开通用人单位账号"))
    employer = restrict(Employer.objects.filter(pk=employer_id), staff, CHANGE, single=True).first()
    if employer is None:
        raise ValidationError({"employer": [_("该单位不存在或不在您的辖区内")]})
    username = username.strip()
    if not username or len(username) > 150:
        raise ValidationError({"username": [_("请填写登录名（不超过150个字符）")]})
    if User.objects.filter(username=username).exists():
        raise ValidationError({"username": [_("登录名已被使用")]})
    phone = normalise_phone(phone)
    if not is_mobile(phone):
        raise ValidationError({"phone": [_("请填写接收验证码的手机号码")]})
    password = secrets.token_urlsafe(12)
    user = User.objects.create_user(username=username, password=password, role=Role.EMPLOYER,
                                    full_name=employer.name[:50])
    account = EmployerAccount.objects.create(user=user, employer=employer, phone=phone, phone_last4=phone[-4:],
                                             issued_by=staff, issued_at=clock.now())
    audit.record(actor=staff, action=AuditEvent.Action.CREATE, obj=account,
                 message=_("为%(e)s开通单位账号 %(u)s") % {"e": employer.name, "u": username})
    return IssuedAccount(account=account, password=password)


@transaction.atomic
def send_login_code(*, account: EmployerAccount) -> bool:
    """Put a fresh 6-digit code in the SMS outbox (after the password was right); False when one
    was sent less than a minute ago, which stays valid."""
    now = clock.now()
    EmployerAccount.objects.select_for_update().filter(pk=account.pk).first()
    if LoginCode.objects.filter(account=account, created_at__gt=now - RESEND_AFTER, used_at__isnull=True).exists():
        return False
    code = f"{secrets.randbelow(10 ** 6):06d}"
    LoginCode.objects.filter(account=account, used_at__isnull=True).update(used_at=now)  # older codes die
    LoginCode.objects.create(account=account, code_hash=_hash(code), created_at=now, expires_at=now + CODE_TTL)
    queue_notification(case=None, channel=Notification.Channel.SMS, recipient=account.phone,
                       body=_("【和谐劳动】您的单位账号登录验证码为%(code)s，5分钟内有效。") % {"code": code})
    return True


@transaction.atomic
def verify_login_code(*, account: EmployerAccount, code: str) -> bool:
    """Whether ``code`` is the account's live code; each wrong try counts, five end the code."""
    now = clock.now()
    live = (LoginCode.objects.select_for_update().filter(account=account, used_at__isnull=True, expires_at__gt=now)
            .order_by("-created_at").first())
    if live is None:
        return False
    if not hmac.compare_digest(live.code_hash, _hash(code.strip())):
        live.attempts += 1
        if live.attempts >= CODE_ATTEMPTS:
            live.used_at = now
        live.save(update_fields=["attempts", "used_at"])
        return False
    live.used_at = now
    live.save(update_fields=["used_at"])
    audit.record(actor=account.user, action=AuditEvent.Action.UPDATE, obj=account, message=_("单位账号登录"))
    return True
