"""The registry that monitoring hangs on: employers, construction projects, work teams, the
real-name worker roster, and monitoring points (sample employers reporting monthly)."""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from hexie.core.enums import RiskLevel
from hexie.core.pii import EncryptedTextField
from hexie.core.validators import validate_credit_code


class Industry(models.TextChoices):
    CONSTRUCTION = "construction", _("建筑施工")
    LABOUR = "labour", _("建筑劳务")
    DECORATION = "decoration", _("装饰装修")
    MANUFACTURING = "manufacturing", _("制造业")
    ELECTRONICS = "electronics", _("电子")
    GARMENT = "garment", _("服装")
    FOOD = "food", _("食品")
    CATERING = "catering", _("餐饮")
    PROPERTY = "property", _("物业")
    LOGISTICS = "logistics", _("物流")
    SECURITY = "security", _("保安")
    HOUSEKEEPING = "housekeeping", _("家政")
    HOTEL = "hotel", _("酒店")
    TRADE = "trade", _("商贸")
    INDIVIDUAL = "individual", _("个体工商户")
    OTHER = "other", _("其他")


class EmployerSize(models.TextChoices):
    MICRO = "micro", _("微型")
    SMALL = "small", _("小型")
    MEDIUM = "medium", _("中型")
    LARGE = "large", _("大型")


class GradedMixin(models.Model):
    """A risk grade with the findings behind it, written by the monitoring job."""

    risk_grade = models.CharField(
        _("风险等级"), max_length=8, choices=RiskLevel.choices, default=RiskLevel.GREEN
    )
    # [{"source": "warning"|"complaint"|"history", "grade": "red", "text": "…", "ref": …}, …]
    risk_reasons = models.JSONField(_("评级依据"), default=list, blank=True)
    graded_at = models.DateTimeField(_("评级时间"), null=True, blank=True)

    class Meta:
        abstract = True


class Employer(GradedMixin):
    """An employer (用人单位), identified by its unified social credit code."""

    credit_code = models.CharField(
        _("统一社会信用代码"), max_length=18, unique=True, validators=[validate_credit_code]
    )
    name = models.CharField(_("单位名称"), max_length=200, db_index=True)
    legal_representative = models.CharField(_("法定代表人"), max_length=50, blank=True)
    industry = models.CharField(_("行业"), max_length=16, choices=Industry.choices, default=Industry.OTHER)
    size = models.CharField(_("规模"), max_length=8, choices=EmployerSize.choices, default=EmployerSize.SMALL)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    org_unit = models.ForeignKey(
        "orgs.OrgUnit", on_delete=models.PROTECT, related_name="employers", verbose_name=_("所在区划")
    )
    contact_phone = EncryptedTextField(_("联系电话"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("创建时间"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("更新时间"))

    class Meta:
        ordering = ["name"]
        verbose_name = _("用人单位")
        verbose_name_plural = pgettext_lazy("plural", "用人单位")

    def __str__(self) -> str:
        return self.name


class ProjectStatus(models.TextChoices):
    PREPARING = "preparing", _("筹备")
    BUILDING = "building", _("在建")
    SUSPENDED = "suspended", _("停工")
    COMPLETED = "completed", _("竣工")


class Project(GradedMixin):
    """A construction project (工程建设项目) with its parties, wage special account and deposit."""

    code = models.CharField(_("项目编码"), max_length=32, unique=True)
    name = models.CharField(_("项目名称"), max_length=200, db_index=True)
    org_unit = models.ForeignKey(
        "orgs.OrgUnit", on_delete=models.PROTECT, related_name="projects", verbose_name=_("所在区划")
    )
    address = models.CharField(_("项目地址"), max_length=200, blank=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=ProjectStatus.choices, default=ProjectStatus.BUILDING
    )
    owner = models.ForeignKey(
        Employer, on_delete=models.PROTECT, null=True, blank=True, related_name="owned_projects",
        verbose_name=_("建设单位"),
    )
    general_contractor = models.ForeignKey(
        Employer, on_delete=models.PROTECT, related_name="contracted_projects",
        verbose_name=_("施工总承包单位"),
    )
    subcontractors = models.ManyToManyField(
        Employer, blank=True, related_name="subcontracted_projects", verbose_name=_("分包单位")
    )
    contract_value = models.DecimalField(
        _("合同金额（元）"), max_digits=16, decimal_places=2, default=Decimal(0),
        validators=[MinValueValidator(Decimal(0))],
    )
    start_date = models.DateField(_("开工日期"), null=True, blank=True)
    planned_end_date = models.DateField(_("计划竣工日期"), null=True, blank=True)
    special_account_bank = models.CharField(_("工资专户开户行"), max_length=100, blank=True)
    special_account_number = models.CharField(_("工资专户账号"), max_length=40, blank=True)
    special_account_opened_on = models.DateField(_("专户开立日期"), null=True, blank=True)
    guarantee_deposit = models.DecimalField(
        _("工资保证金（元）"), max_digits=14, decimal_places=2, default=Decimal(0),
        validators=[MinValueValidator(Decimal(0))],
    )
    wage_officer_name = models.CharField(_("劳资专管员"), max_length=50, blank=True)
    wage_officer_phone = EncryptedTextField(_("专管员电话"), blank=True)
    has_notice_board = models.BooleanField(_("维权告示牌"), default=False)
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("创建时间"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("更新时间"))

    class Meta:
        ordering = ["name"]
        verbose_name = _("工程项目")
        verbose_name_plural = pgettext_lazy("plural", "工程项目")

    def __str__(self) -> str:
        return self.name


class WorkTeam(models.Model):
    """A work team (班组) on a project, employed by a subcontractor, led by a foreman."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="teams", verbose_name=_("项目"))
    name = models.CharField(_("班组名称"), max_length=100)
    employer = models.ForeignKey(
        Employer, on_delete=models.PROTECT, related_name="teams", verbose_name=_("所属单位")
    )
    leader_name = models.CharField(_("班组长"), max_length=50, blank=True)

    class Meta:
        ordering = ["project", "name"]
        constraints = [models.UniqueConstraint(fields=["project", "name"], name="uniq_team_per_project")]
        verbose_name = _("班组")
        verbose_name_plural = pgettext_lazy("plural", "班组")

    def __str__(self) -> str:
        return f"{self.project.name} · {self.name}"


class Worker(models.Model):
    """A person on the real-name roster: the ID number and phone are encrypted, found by HMAC."""

    name = models.CharField(_("姓名"), max_length=50)
    id_number = EncryptedTextField(_("身份证号"))
    id_hash = models.CharField(max_length=64, unique=True, editable=False, verbose_name=_("身份证号查找摘要"))
    id_last4 = models.CharField(max_length=4, editable=False, verbose_name=_("身份证号后四位"))
    phone = EncryptedTextField(_("手机号"), blank=True)
    phone_last4 = models.CharField(max_length=4, blank=True, editable=False, verbose_name=_("电话后四位"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("创建时间"))

    class Meta:
        ordering = ["name"]
        verbose_name = _("农民工")
        verbose_name_plural = pgettext_lazy("plural", "农民工")

    def __str__(self) -> str:
        return f"{self.name}（****{self.id_last4}）"


class RosterEntry(models.Model):
    """A worker's engagement on a project (实名制进退场): team, entry and exit dates."""

    worker = models.ForeignKey(Worker, on_delete=models.PROTECT, related_name="engagements", verbose_name=_("农民工"))
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="roster", verbose_name=_("工程项目"))
    team = models.ForeignKey(WorkTeam, on_delete=models.PROTECT, null=True, blank=True, related_name="members", verbose_name=_("班组"))
    trade = models.CharField(_("工种"), max_length=30, blank=True)
    entry_date = models.DateField(_("进场日期"))
    exit_date = models.DateField(_("退场日期"), null=True, blank=True)

    class Meta:
        ordering = ["project", "worker"]
        constraints = [models.UniqueConstraint(fields=["worker", "project"], name="uniq_worker_per_project")]
        verbose_name = _("实名制登记")
        verbose_name_plural = pgettext_lazy("plural", "实名制登记")

    def __str__(self) -> str:
        return f"{self.worker} @ {self.project}"


class MonitoringPoint(models.Model):
    """A sample employer (监测点) that reports its headcount and wages every month."""

    employer = models.OneToOneField(Employer, on_delete=models.CASCADE, related_name="monitoring_point", verbose_name=_("用人单位"))
    since = models.DateField(_("设立日期"))
    contact_name = models.CharField(_("联系人"), max_length=50, blank=True)
    contact_phone = EncryptedTextField(_("联系电话"), blank=True)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        ordering = ["employer__name"]
        verbose_name = _("监测点")
        verbose_name_plural = pgettext_lazy("plural", "监测点")

    def __str__(self) -> str:
        return str(self.employer)


class MonitoringReport(models.Model):
    """One month's report of a monitoring point: headcount, hires, departures, wages paid, arrears."""

    point = models.ForeignKey(MonitoringPoint, on_delete=models.CASCADE, related_name="reports", verbose_name=_("监测点"))
    month = models.PositiveIntegerField(_("月份（YYYYMM）"))
    headcount = models.PositiveIntegerField(_("在岗人数"))
    hires = models.PositiveIntegerField(_("新增人数"), default=0)
    departures = models.PositiveIntegerField(_("减少人数"), default=0)
    wages_paid = models.DecimalField(_("应发工资总额（元）"), max_digits=14, decimal_places=2)
    arrears = models.DecimalField(_("欠薪金额（元）"), max_digits=14, decimal_places=2, default=Decimal(0))
    reported_at = models.DateTimeField(_("填报时间"))

    class Meta:
        ordering = ["-month"]
        constraints = [models.UniqueConstraint(fields=["point", "month"], name="uniq_report_per_month")]
        verbose_name = _("监测点月报")
        verbose_name_plural = pgettext_lazy("plural", "监测点月报")
