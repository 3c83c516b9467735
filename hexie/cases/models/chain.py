"""The thresholds of the chain between procedures, as data with their legal basis (rules.md §2, §8)."""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _


class ChainThreshold(models.Model):
    """A threshold a step of the chain checks: the range of the additional compensation an unpaid
    order to pay adds, the amounts above which unpaid wages are referred to the police.

    A province fixes the criminal amounts inside the national range (法释〔2013〕3号 第三条), so the
    seeded figures are the range's lower ends, marked unverified until the bureau enters its own.
    """

    class Unit(models.TextChoices):
        PERCENT = "percent", _("百分比")
        YUAN = "yuan", _("元")
        WORKERS = "workers", _("人")

    code = models.CharField(_("代码"), max_length=40)
    name = models.CharField(_("名称"), max_length=100)
    unit = models.CharField(_("单位"), max_length=8, choices=Unit.choices)
    low = models.DecimalField(_("下限"), max_digits=14, decimal_places=2)
    high = models.DecimalField(_("上限"), max_digits=14, decimal_places=2, null=True, blank=True)
    basis = models.CharField(_("法律依据"), max_length=200)
    is_verified = models.BooleanField(_("已核实"), default=True)
    effective_from = models.DateField(_("生效日期"))
    effective_to = models.DateField(_("失效日期"), null=True, blank=True)
    # When the row was last saved: the rule cache's cross-process fingerprint (hexie.cases.rulecache).
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        ordering = ["code", "-effective_from"]
        verbose_name = _("衔接阈值")
        verbose_name_plural = _("衔接阈值")
        constraints = [models.UniqueConstraint(fields=["code", "effective_from"], name="uniq_chain_threshold")]

    def __str__(self) -> str:
        high = f"–{self.high}" if self.high is not None else ""
        return f"{self.name}：{self.low}{high}（{self.basis}）"

    def within(self, value: Decimal) -> bool:
        """True when `value` is at or above the low end and, if there is one, at or below the high end."""
        return value >= self.low and (self.high is None or value <= self.high)
