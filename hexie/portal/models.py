"""What the public portal keeps for itself: filings and failed tracking look-ups per IP hash, for
the per-IP limits."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class TrackingFailure(models.Model):
    """A tracking look-up that matched no case, per IP hash (no IP kept in clear).

    Counted per hour so that tracking codes cannot be guessed by trying many of them; rows older
    than the window are deleted when new ones are written.
    """

    ip_hash = models.CharField(max_length=64, db_index=True, verbose_name=_("地址摘要"))
    at = models.DateTimeField(db_index=True, verbose_name=_("时间"))

    class Meta:
        verbose_name = _("查询失败记录")
        verbose_name_plural = pgettext_lazy("plural", "查询失败记录")


class PortalSubmission(models.Model):
    """One public filing attempt per IP hash, for the per-IP rate limit (no IP kept in clear)."""

    ip_hash = models.CharField(max_length=64, db_index=True, verbose_name=_("地址摘要"))
    at = models.DateTimeField(db_index=True, verbose_name=_("时间"))

    class Meta:
        verbose_name = _("网上投诉提交记录")
        verbose_name_plural = pgettext_lazy("plural", "网上投诉提交记录")


class PortalAddress(models.Model):
    """One row per IP hash that filed within the hour: the lock that makes the per-address limit
    hold under parallel filings.

    A filing first updates its address's row, which makes parallel filings from one address wait
    for each other (a row lock on PostgreSQL, the write lock on SQLite); only then does it count
    the address's filings of the hour, so none can slip past the limit between the count and the
    insert. Rows of addresses that have not filed for an hour are deleted.
    """

    ip_hash = models.CharField(max_length=64, unique=True, verbose_name=_("地址摘要"))
    last_filed_at = models.DateTimeField(null=True, verbose_name=_("最近提交时间"))

    class Meta:
        verbose_name = _("投诉来源地址")
        verbose_name_plural = pgettext_lazy("plural", "投诉来源地址")
