"""Wage-payment monitoring: imported feeds, warning rules (data), warnings, and the cases they open.

The feed rows themselves (daily attendance, monthly payroll, special-account deposits) are stored
as Parquet files in the data lake (settings.LAKE_DIR), one file per accepted import, because the
detection job reads them with DuckDB or Spark at a scale a row store would not carry. The database
keeps the registry, the import ledger, the rules and what the job found.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from hexie.core.enums import RiskLevel
from hexie.core.models import LeasedJob
from hexie.monitoring.months import month_text


class Feed(models.TextChoices):
    ATTENDANCE = "attendance", _("考勤")
    PAYROLL = "payroll", _("工资发放")
    DEPOSIT = "deposit", _("专户拨付")


class ImportBatch(LeasedJob):
    """One uploaded file or API batch: checked whole, stored whole or not at all.

    While it runs, its worker holds it by lease (``hexie.core.leases``): a batch whose worker was
    killed is marked failed by the reaper and can be retried."""

    class Source(models.TextChoices):
        UPLOAD = "upload", _("文件上传")
        API = "api", _("接口")

    class State(models.TextChoices):
        QUEUED = "queued", _("排队中")
        RUNNING = "running", _("导入中")
        DONE = "done", _("已导入")
        REJECTED = "rejected", _("已拒绝（有错误行）")
        FAILED = "failed", _("失败")
        WITHDRAWN = "withdrawn", _("已撤回")

    feed = models.CharField(_("数据类型"), max_length=12, choices=Feed.choices)
    source = models.CharField(_("来源"), max_length=8, choices=Source.choices)
    original_name = models.CharField(_("文件名"), max_length=200)
    file = models.FileField(upload_to="imports/%Y/%m/", verbose_name=_("文件"))
    sha256 = models.CharField(max_length=64, verbose_name=_("文件摘要（SHA-256）"))
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default=State.QUEUED)
    rows_total = models.PositiveIntegerField(_("总行数"), default=0)
    rows_done = models.PositiveIntegerField(_("已检查行数"), default=0)
    rows_imported = models.PositiveIntegerField(_("导入行数"), default=0)
    error_count = models.PositiveIntegerField(_("错误数"), default=0)
    # The first errors, for the page; the full list is in the downloadable report.
    errors = models.JSONField(default=list, blank=True, verbose_name=_("错误"))
    error_report = models.FileField(upload_to="imports/errors/%Y/%m/", blank=True, verbose_name=_("错误报告"))
    lake_path = models.CharField(max_length=300, blank=True, verbose_name=_("数据湖路径"))
    months = models.JSONField(_("涉及月份"), default=list, blank=True)
    message = models.TextField(_("说明"), blank=True)
    org_unit = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("所属单位"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("上传人"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("上传时间"))
    finished_at = models.DateTimeField(null=True, blank=True, verbose_name=_("完成时间"))
    # A whole import taken back out of the lake (its file kept aside), by whom and why.
    withdrawn_at = models.DateTimeField(_("撤回时间"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+", verbose_name=_("撤回人"))
    withdraw_reason = models.CharField(_("撤回原因"), max_length=300, blank=True)

    class Meta:
        ordering = ["-created_at"]
        # One jurisdiction never imports the same content twice; another unit's identical file is its own batch.
        constraints = [models.UniqueConstraint(fields=["feed", "org_unit", "sha256"], name="uniq_import_per_unit_content")]
        verbose_name = _("数据导入")
        verbose_name_plural = pgettext_lazy("plural", "数据导入")

    def __str__(self) -> str:
        return f"{self.get_feed_display()} {self.original_name}"


class WarningRule(models.Model):
    """A warning rule (rules.md §3): threshold, grade and on/off are data a bureau may change."""

    code = models.CharField(_("代码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    description = models.TextField(_("说明"))
    grade = models.CharField(_("预警等级"), max_length=8, choices=RiskLevel.choices)
    threshold = models.DecimalField(_("阈值"), max_digits=14, decimal_places=4, default=Decimal(0))
    threshold_label = models.CharField(_("阈值含义"), max_length=100, blank=True)
    basis = models.CharField(_("依据"), max_length=200, blank=True)
    is_active = models.BooleanField(_("启用"), default=True)
    sort = models.PositiveSmallIntegerField(default=0, verbose_name=_("排序"))

    class Meta:
        ordering = ["sort", "code"]
        verbose_name = _("预警规则")
        verbose_name_plural = pgettext_lazy("plural", "预警规则")

    def __str__(self) -> str:
        return self.name


class MinimumWage(models.Model):
    """The local monthly minimum wage by area and effective date (used by the below-minimum rule)."""

    org_unit = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("区划"))
    monthly_amount = models.DecimalField(_("月最低工资（元）"), max_digits=10, decimal_places=2)
    effective_from = models.DateField(_("生效日期"))
    basis = models.CharField(_("依据"), max_length=200, blank=True)

    class Meta:
        ordering = ["org_unit", "-effective_from"]
        constraints = [
            models.UniqueConstraint(fields=["org_unit", "effective_from"], name="uniq_min_wage_from")
        ]
        verbose_name = _("最低工资标准")
        verbose_name_plural = pgettext_lazy("plural", "最低工资标准")


class Warning(models.Model):
    """What one rule found on one project in one month, with the evidence an inspector needs."""

    class State(models.TextChoices):
        OPEN = "open", _("未消除")
        RESOLVED = "resolved", _("已消除")

    rule = models.ForeignKey(WarningRule, on_delete=models.PROTECT, related_name="warnings", verbose_name=_("预警规则"))
    grade = models.CharField(_("等级"), max_length=8, choices=RiskLevel.choices)
    project = models.ForeignKey("employers.Project", on_delete=models.CASCADE, related_name="warnings", verbose_name=_("工程项目"))
    employer = models.ForeignKey("employers.Employer", on_delete=models.PROTECT, related_name="warnings", verbose_name=_("用人单位"))
    org_unit = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("区划"))
    month = models.PositiveIntegerField(_("月份"))  # yyyymm
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default=State.OPEN)
    summary = models.CharField(_("摘要"), max_length=300)
    # {"workers": n, "amount_fen": …, "worker_ids": [...], ...}: what the rule saw.
    evidence = models.JSONField(_("证据"), default=dict)
    first_detected_at = models.DateTimeField(_("首次发现"))
    last_detected_at = models.DateTimeField(_("最近发现"))
    resolved_at = models.DateTimeField(_("消除时间"), null=True, blank=True)
    resolution = models.CharField(_("消除原因"), max_length=300, blank=True)
    case = models.ForeignKey(
        "cases.Case", null=True, blank=True, on_delete=models.SET_NULL, related_name="warnings"
    , verbose_name=_("案件"))

    class Meta:
        ordering = ["-month", "project"]
        constraints = [
            models.UniqueConstraint(fields=["rule", "project", "month"], name="uniq_warning_rule_project_month")
        ]
        indexes = [models.Index(fields=["state", "grade"], name="warning_state_grade")]
        verbose_name = _("预警")
        verbose_name_plural = pgettext_lazy("plural", "预警")

    def __str__(self) -> str:
        return f"{self.rule.name} · {self.project} · {month_text(self.month)}"


class MonitoringCase(models.Model):
    """The one case a project's red warnings of one month opened (updated, never duplicated)."""

    project = models.ForeignKey("employers.Project", on_delete=models.CASCADE, related_name="monitoring_cases", verbose_name=_("工程项目"))
    month = models.PositiveIntegerField(verbose_name=_("月份"))
    case = models.OneToOneField("cases.Case", on_delete=models.CASCADE, related_name="monitoring", verbose_name=_("案件"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("创建时间"))

    class Meta:
        verbose_name = _("监测立案记录")
        verbose_name_plural = pgettext_lazy("plural", "监测立案记录")
        constraints = [models.UniqueConstraint(fields=["project", "month"], name="uniq_case_per_project_month")]


class MonitorRun(LeasedJob):
    """One run of the detection job: which month, which engine, what it found, how long it took.

    Running while ``finished_at`` is empty, held by its worker's lease (``hexie.core.leases``)."""

    month = models.PositiveIntegerField(_("月份"))
    engine = models.CharField(_("引擎"), max_length=10)
    started_at = models.DateTimeField(_("开始"))
    finished_at = models.DateTimeField(_("结束"), null=True, blank=True)
    ok = models.BooleanField(default=False, verbose_name=_("成功"))
    stats = models.JSONField(default=dict, blank=True, verbose_name=_("统计"))
    message = models.TextField(blank=True, verbose_name=_("说明"))

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("监测运行")
        verbose_name_plural = pgettext_lazy("plural", "监测运行")


class NightlyRun(LeasedJob):
    """One night of the scheduled job: the day it ran for and the months it evaluated. The last
    successful night tells the next one from when rules have fallen due. Running while
    ``finished_at`` is empty, held by its worker's lease (``hexie.core.leases``)."""

    day = models.DateField(_("日期"))
    months = models.JSONField(_("涉及月份"), default=list, blank=True)
    started_at = models.DateTimeField(_("开始"))
    finished_at = models.DateTimeField(_("结束"), null=True, blank=True)
    ok = models.BooleanField(default=False, verbose_name=_("成功"))
    stats = models.JSONField(default=dict, blank=True, verbose_name=_("统计"))

    class Meta:
        ordering = ["-day", "-started_at"]
        verbose_name = _("夜间监测")
        verbose_name_plural = pgettext_lazy("plural", "夜间监测")
