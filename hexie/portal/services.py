"""The portal's writes: a public filing under the per-IP limit, tracking look-ups under a
throttle, and the worker's rating. The case itself is written by ``hexie.cases.services``.

IP addresses are never stored: only a keyed hash (``lookup_hash``), enough to count per address.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from hexie.cases import services as case_services
from hexie.cases.models import Case
from hexie.cases.services import IntakeData
from hexie.core import clock
from hexie.core.errors import DomainError
from hexie.core.pii import lookup_hash
from hexie.portal import selectors
from hexie.portal.models import PortalAddress, PortalSubmission, TrackingFailure

WINDOW = timedelta(hours=1)

FILING_LIMIT_MESSAGE = (
    _("您所在网络本小时内提交的投诉已达上限，请稍后再试，或拨打12345、12333热线、到人社窗口反映")
)
TRACK_LIMIT_MESSAGE = (
    _("查询失败次数过多，请一小时后再试，或拨打12345、12333热线查询")
)
# One answer for an unknown code and for a known code with the wrong digits, so that the answer
# never tells a guesser which codes exist.
NOT_FOUND_MESSAGE = (
    _("未找到与查询码和手机号后四位相符的案件，请核对后重试")
)


class RateLimited(DomainError):
    """Too many filings, or too many failed look-ups, from one address within the hour."""

    code = "rate_limited"
    http_status = 429


class CaseNotFound(DomainError):
    code = "not_found"
    http_status = 404


def ip_hash(ip: str) -> str:
    # A prefix keeps these hashes apart from hashes of phones or ID numbers made with the same key.
    return lookup_hash("ip:" + (ip or "unknown"))


def filing_allowed(*, ip: str) -> bool:
    """Whether this address may file again: successful filings within the hour are under the limit."""
    since = clock.now() - WINDOW
    used = PortalSubmission.objects.filter(ip_hash=ip_hash(ip), at__gte=since).count()
    return used < settings.PORTAL_RATE_LIMIT_PER_HOUR


@transaction.atomic
def file_complaint(
    *, data: IntakeData, ip: str, attachments: Iterable[UploadedFile] = ()
) -> Case:
    """File a complaint from the public portal (web or QR channel) with no account.

    The filing is counted in the same transaction as the case, so a refused filing (bad input)
    does not count toward the address's hourly limit.
    """
    if data.channel not in ("web", "qr"):
        raise DomainError(gettext("公众渠道只能是网上或扫码"),
                          field="channel")
    now = clock.now()
    address = ip_hash(ip)
    # Parallel filings from one address queue here, one at a time, until this transaction ends:
    # the count below then sees every filing that went before (see PortalAddress).
    PortalAddress.objects.get_or_create(ip_hash=address)
    PortalAddress.objects.filter(ip_hash=address).update(last_filed_at=now)
    if not filing_allowed(ip=ip):
        raise RateLimited(FILING_LIMIT_MESSAGE)
    case = case_services.register_case(data=data, actor=None, attachments=attachments)
    # Only the last hour counts: older rows are dropped so that no trace of addresses accumulates.
    PortalSubmission.objects.filter(at__lt=now - WINDOW).delete()
    PortalAddress.objects.filter(last_filed_at__lt=now - WINDOW).exclude(ip_hash=address).delete()
    PortalSubmission.objects.create(ip_hash=address, at=now)
    return case


def tracking_allowed(*, ip: str) -> bool:
    since = clock.now() - WINDOW
    return TrackingFailure.objects.filter(ip_hash=ip_hash(ip), at__gte=since).count() < settings.PORTAL_TRACK_FAILURES_PER_HOUR


def _record_failure(ip: str) -> None:
    now = clock.now()
    TrackingFailure.objects.filter(at__lt=now - WINDOW).delete()
    TrackingFailure.objects.create(ip_hash=ip_hash(ip), at=now)


def find_case(*, tracking_code: str, phone_last4: str, ip: str) -> Case:
    """The case matching a tracking code and the last four digits of the complainant's phone.

    Raises RateLimited once the address has failed too often this hour (even for a right code, so
    that the throttle itself tells nothing), and CaseNotFound with one message for every miss.
    Call it outside a transaction that may roll back, so that a failure is counted.
    """
    if not tracking_allowed(ip=ip):
        raise RateLimited(TRACK_LIMIT_MESSAGE)
    case = selectors.case_by_tracking(tracking_code=tracking_code, phone_last4=phone_last4)
    if case is None:
        _record_failure(ip)
        raise CaseNotFound(NOT_FOUND_MESSAGE)
    return case


def rate_case(*, tracking_code: str, phone_last4: str, satisfaction: int, comment: str, ip: str) -> Case:
    """The worker's rating, allowed only to someone who knows the code and the phone's last digits.

    3–5 closes the case, 1–2 reopens it and tells the handler and the responsible leader
    (``cases.services.record_rating``).
    """
    case = find_case(tracking_code=tracking_code, phone_last4=phone_last4, ip=ip)
    return case_services.record_rating(case=case, satisfaction=satisfaction, comment=comment.strip())
