"""What intake triage reads and writes beside the case: configurable rules, and clusters of complaints."""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from hexie.cases.models.choices import AttentionLevel
from hexie.core.enums import RiskLevel


class Cluster(models.Model):
    """Several separate complaints about one employer or project within a few days (a 苗头 to watch)."""

    key = models.CharField(_("聚集对象"), max_length=120, db_index=True)
    label = models.CharField(_("名称"), max_length=200)
    first_received_at = models.DateTimeField(verbose_name=_("首次收到"))
    last_received_at = models.DateTimeField(verbose_name=_("最近收到"))
    risk_level = models.CharField(_("风险等级"), max_length=8, choices=RiskLevel.choices)
    case_count = models.PositiveIntegerField(default=0, verbose_name=_("案件数"))

    class Meta:
        verbose_name = _("聚集")
        verbose_name_plural = pgettext_lazy("plural", "聚集")

    def __str__(self) -> str:
        return f"{self.label}（{self.case_count}）"


class TriageRule(models.Model):
    """A configurable triage rule: when it fires it sets a floor on risk and attention."""

    class Kind(models.TextChoices):
        WORKERS_AT_LEAST = "workers_at_least", _("涉及人数≥")
        AMOUNT_AT_LEAST = "amount_at_least", _("金额≥")
        REPEAT_AT_LEAST = "repeat_at_least", _("重复次数≥")
        KEYWORDS = "keywords", _("关键词")
        CLUSTER = "cluster", _("聚集")

    code = models.CharField(_("代码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices)
    threshold = models.DecimalField(_("阈值"), max_digits=14, decimal_places=2, default=Decimal(0))
    keywords = models.TextField(_("关键词（逗号分隔）"), blank=True)
    window_days = models.PositiveSmallIntegerField(_("时间窗（天）"), default=0)
    risk_level = models.CharField(_("风险等级"), max_length=8, choices=RiskLevel.choices)
    attention_level = models.CharField(_("关注等级"), max_length=8, choices=AttentionLevel.choices)
    makes_complex = models.BooleanField(_("转为复杂"), default=True)
    basis = models.CharField(_("依据"), max_length=200, blank=True)
    is_active = models.BooleanField(_("启用"), default=True)
    # When the row was last saved: the rule cache's cross-process fingerprint (hexie.cases.rulecache).
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("分流规则")
        verbose_name_plural = pgettext_lazy("plural", "分流规则")

    def __str__(self) -> str:
        return self.name
