"""What intake triage reads and writes beside the case: configurable rules, and clusters of complaints."""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

from hexie.cases.models.choices import AttentionLevel
from hexie.core.enums import RiskLevel


class Cluster(models.Model):
    """Several separate complaints about one employer or project within a few days (a 苗头 to watch)."""

    key = models.CharField(_("聚集对象 Key"), max_length=120, db_index=True)
    label = models.CharField(_("名称 Label"), max_length=200)
    first_received_at = models.DateTimeField()
    last_received_at = models.DateTimeField()
    risk_level = models.CharField(_("风险等级 Risk"), max_length=8, choices=RiskLevel.choices)
    case_count = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("聚集 Cluster")
        verbose_name_plural = _("聚集 Clusters")

    def __str__(self) -> str:
        return f"{self.label}（{self.case_count}）"


class TriageRule(models.Model):
    """A configurable triage rule: when it fires it sets a floor on risk and attention."""

    class Kind(models.TextChoices):
        WORKERS_AT_LEAST = "workers_at_least", _("涉及人数≥ Workers at least")
        AMOUNT_AT_LEAST = "amount_at_least", _("金额≥ Amount at least")
        REPEAT_AT_LEAST = "repeat_at_least", _("重复次数≥ Repeat count at least")
        KEYWORDS = "keywords", _("关键词 Keywords")
        CLUSTER = "cluster", _("聚集 Cluster of complaints")

    code = models.CharField(_("代码 Code"), max_length=40, unique=True)
    name = models.CharField(_("名称 Name"), max_length=100)
    kind = models.CharField(_("类型 Kind"), max_length=20, choices=Kind.choices)
    threshold = models.DecimalField(_("阈值 Threshold"), max_digits=14, decimal_places=2, default=Decimal(0))
    keywords = models.TextField(_("关键词（逗号分隔） Keywords"), blank=True)
    window_days = models.PositiveSmallIntegerField(_("时间窗（天） Window (days)"), default=0)
    risk_level = models.CharField(_("风险等级 Risk"), max_length=8, choices=RiskLevel.choices)
    attention_level = models.CharField(_("关注等级 Attention"), max_length=8, choices=AttentionLevel.choices)
    makes_complex = models.BooleanField(_("转为复杂 Makes complex"), default=True)
    basis = models.CharField(_("依据 Basis"), max_length=200, blank=True)
    is_active = models.BooleanField(_("启用 Active"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("分流规则 Triage rule")
        verbose_name_plural = _("分流规则 Triage rules")

    def __str__(self) -> str:
        return self.name
