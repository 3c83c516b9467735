"""Score sheets: versioned data with their legal basis (DESIGN principle 1).

A sheet is one version of a scale (the check-up over the nine items of 劳动保障监察条例 第十一条,
the annual verification of 第十四条, a province's 100-point harmonious-enterprise evaluation). A
bureau overrides a province's sheet by adding a sheet with the same ``code`` owned by its own unit;
the sheet in force for an employer is the one owned by the nearest unit above it. A sheet that an
assessment was scored on is never changed: a change is a new version.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

POINTS = {"max_digits": 6, "decimal_places": 1, "validators": [MinValueValidator(Decimal(0))]}


class SheetKind(models.TextChoices):
    CHECKUP = "checkup", _("用工体检")
    ANNUAL = "annual_verification", _("年度核验")
    EVALUATION = "evaluation", _("和谐企业评价")


class ScoreSheet(models.Model):
    """One version of a score sheet: its sections, items, pass marks, caps and legal basis."""

    code = models.SlugField(_("量表代码"), max_length=40)
    version = models.PositiveIntegerField(_("版本"), default=1)
    kind = models.CharField(_("类别"), max_length=20, choices=SheetKind.choices)
    name = models.CharField(_("名称"), max_length=120)
    # Empty for the installation-wide defaults (the province's scale); a bureau's own version names its unit.
    owner_unit = models.ForeignKey(
        "orgs.OrgUnit", null=True, blank=True, on_delete=models.PROTECT, related_name="score_sheets",
        verbose_name=_("制定单位"), help_text=_("留空为全系统默认量表"),
    )
    effective_from = models.DateField(_("生效日期"))
    effective_to = models.DateField(_("失效日期"), null=True, blank=True)
    total_points = models.DecimalField(_("满分"), **POINTS)  # type: ignore[arg-type]
    pass_total = models.DecimalField(_("合格总分"), null=True, blank=True, **POINTS)  # type: ignore[arg-type]
    bonus_cap = models.DecimalField(_("加分上限"), default=Decimal(0), **POINTS)  # type: ignore[arg-type]
    penalty_cap = models.DecimalField(_("扣分上限"), default=Decimal(0), **POINTS)  # type: ignore[arg-type]
    legal_basis = models.TextField(_("依据"))
    verified = models.BooleanField(
        _("已核实"), default=False,
        help_text=_("依据条文与分值已与正式文本核对；未核实的量表在页面上标注。"),
    )
    # How long a failed item may take to put right, and why (an order's deadline is read from here).
    rectify_working_days = models.PositiveSmallIntegerField(_("整改期限（工作日）"), default=15)
    rectify_basis = models.CharField(
        _("整改期限依据"), max_length=200, blank=True, default="劳动保障监察条例（责令限期改正）；条文与期限为本局设定，待核实",
    )
    note = models.TextField(_("说明"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["kind", "code", "-version"]
        verbose_name = _("评分量表")
        verbose_name_plural = _("评分量表")
        constraints = [
            models.UniqueConstraint(fields=["code", "version", "owner_unit"], name="prevention_sheet_version_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.name} v{self.version}"


class SheetSection(models.Model):
    """A section of a sheet (基本指标, 制度建设…) with its points and, where the scale has one, its pass mark."""

    sheet = models.ForeignKey(ScoreSheet, on_delete=models.CASCADE, related_name="sections")
    order = models.PositiveSmallIntegerField(_("序号"), default=1)
    code = models.CharField(_("代码"), max_length=20)
    title = models.CharField(_("名称"), max_length=120)
    max_points = models.DecimalField(_("分值"), **POINTS)  # type: ignore[arg-type]
    pass_points = models.DecimalField(_("合格分"), null=True, blank=True, **POINTS)  # type: ignore[arg-type]
    basis = models.TextField(_("依据"), blank=True)

    class Meta:
        ordering = ["sheet", "order", "pk"]
        verbose_name = _("量表部分")
        verbose_name_plural = _("量表部分")
        constraints = [models.UniqueConstraint(fields=["sheet", "code"], name="prevention_section_code_unique")]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class SheetItem(models.Model):
    """An item to check and score: its maximum points, how points are deducted, the evidence it needs."""

    section = models.ForeignKey(SheetSection, on_delete=models.CASCADE, related_name="items")
    order = models.PositiveSmallIntegerField(_("序号"), default=1)
    code = models.CharField(_("代码"), max_length=20)
    title = models.CharField(_("检查内容"), max_length=300)
    max_points = models.DecimalField(_("分值"), **POINTS)  # type: ignore[arg-type]
    deduction_rule = models.TextField(_("扣分规则"), blank=True)
    evidence_required = models.CharField(_("所需材料"), max_length=300, blank=True)
    evidence_mandatory = models.BooleanField(_("不合格须附证据"), default=False)
    basis = models.TextField(_("依据"), blank=True)
    verified = models.BooleanField(_("已核实"), default=False)

    class Meta:
        ordering = ["section", "order", "pk"]
        verbose_name = _("检查项目")
        verbose_name_plural = _("检查项目")
        constraints = [models.UniqueConstraint(fields=["section", "code"], name="prevention_item_code_unique")]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"
