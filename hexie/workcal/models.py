"""Tables of the working-day calendar: which years are known, and which dates break the weekly pattern.

Deadlines in labour cases are counted in working days or end on the next working day, and only the
State Council's yearly notice says which days those are. The platform keeps that notice as data a
bureau can correct in the admin, instead of trusting a library release to be current.
"""

from __future__ import annotations

from typing import ClassVar

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

# Years outside this range are almost certainly typing mistakes, and a stray year 1 or 9999 would
# make the in-memory calendar index needlessly large.
MIN_YEAR = 1949
MAX_YEAR = 2200


class CalendarYear(models.Model):
    """One calendar year, and whether its holidays and make-up working days have all been entered.

    A year counts as known only when its row says ``is_complete``: until then a half-entered year
    would silently give wrong deadlines, so deadlines touching it are computed provisionally
    (weekends and fixed-date holidays only) and recomputed once the year is marked complete.
    """

    year = models.PositiveSmallIntegerField(
        _("年份"),
        unique=True,
        validators=[MinValueValidator(MIN_YEAR), MaxValueValidator(MAX_YEAR)],
    )
    is_complete = models.BooleanField(
        _("已完整录入"),
        default=False,
        help_text=_(
            "全部法定节假日和调休上班日均已录入。"
        ),
    )
    source = models.CharField(
        _("来源"),
        max_length=100,
        blank=True,
        help_text=_('例如："chinesecalendar 1.11.0"、"manual"、国务院办公厅通知文号'),
    )
    note = models.TextField(_("备注"), blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("日历年度")
        verbose_name_plural = pgettext_lazy("plural", "日历年度")
        ordering: ClassVar[list[str]] = ["-year"]

    def __str__(self) -> str:
        state = _("完整") if self.is_complete else _("未完整")
        return f"{self.year} ({state})"


class SpecialDay(models.Model):
    """A date that does not follow the Monday-to-Friday pattern: a rest day or a make-up working day.

    Holiday rows may fall on weekends (holiday periods are published as whole runs of days); a
    make-up working day (调休上班) is a Saturday or Sunday worked in exchange for a day off.
    """

    class Kind(models.TextChoices):
        """Whether the date is a rest day or a working day, regardless of its weekday."""

        HOLIDAY = "holiday", _("法定节假日")
        WORKDAY = "workday", _("调休上班")

    date = models.DateField(_("日期"), unique=True)
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices)
    name = models.CharField(_("名称"), max_length=100, help_text=_("例如：国庆节"))
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("特殊日期")
        verbose_name_plural = pgettext_lazy("plural", "特殊日期")
        ordering: ClassVar[list[str]] = ["date"]

    def __str__(self) -> str:
        return f"{self.date.isoformat()} {self.name} ({self.get_kind_display()})"

    def clean(self) -> None:
        """Reject a make-up working day on a weekday: it is already a working day, so it is a typo."""
        super().clean()
        if self.kind == self.Kind.WORKDAY and self.date is not None and self.date.weekday() < 5:
            raise ValidationError(
                {
                    "date": _("调休上班日应为周六或周日。")
                }
            )
