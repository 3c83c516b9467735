"""The registry that monitoring hangs on: employers, construction projects, work teams, the
real-name worker roster, and monitoring points (sample employers reporting monthly)."""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from hexie.core.enums import RiskLevel
from hexie.core.pii import EncryptedTextField
from hexie.core.validators import validate_credit_code


class Industry(models.TextChoices):
    CONSTRUCTION = "construction", _("建筑施工 Construction")
    LABOUR = "labour", _("建筑劳务 Construction labour")
    DECORATION = "decoration", _("装饰装修 Decoration")
    MANUFACTURING = "manufacturing", _("制造业 Manufacturing")
    ELECTRONICS = "electronics", _("电子 Electronics")
    GARMENT = "garment", _("服装 Garments")
    FOOD = "food", _("食品 Food")
    CATERING = "catering", _("餐饮 Catering")
    PROPERTY = "property", _("物业 Property services")
    LOGISTICS = "logistics", _("物流 Logistics")
    SECURITY = "security", _("保安 Security")
    HOUSEKEEPING = "housekeeping", _("家政 Housekeeping")
    HOTEL = "hotel", _("酒店 Hotels")
    TRADE = "trade", _("商贸 Trade")
    INDIVIDUAL = "individual", _("个体工商户 Sole trader")
    OTHER = "other", _("其他 Other")


class EmployerSize(models.TextChoices):
    MICRO = "micro", _("微型 Micro")
    SMALL = "small", _("小型 Small")
    MEDIUM = "medium", _("中型 Medium")
    LARGE = "large", _("大型 Large")


class GradedMixin(models.Model):
    """A risk grade with the findings behind it, written by the monitoring job."""

    risk_grade = models.CharField(
        _("风险等级 Risk grade"), max_length=8, choices=RiskLevel.choices, default=RiskLevel.GREEN
    )
    # [{"source": "warning"|"complaint"|"history", "grade": "red", "text": "…", "ref": …}, …]
    risk_reasons = models.JSONField(_("评级依据 Grade reasons"), default=list, blank=True)
    graded_at = models.DateTimeField(_("评级时间 Graded at"), null=True, blank=True)

    class Meta:
        abstract = True


class Employer(GradedMixin):
    """An employer (用人单位), identified by its unified social credit code."""

    credit_code = models.CharField(
        _("统一社会信用代码 Credit code"), max_length=18, unique=True, validators=[validate_credit_code]
    )
    name = models.CharField(_("单位名称 Name"), max_length=200, db_index=True)
    legal_representative = models.CharField(_("法定代表人 Legal representative"), max_length=50, blank=True)
    industry = models.CharField(_("行业 Industry"), max_length=16, choices=Industry.choices, default=Industry.OTHER)
    size = models.CharField(_("规模 Size"), max_length=8, choices=EmployerSize.choices, default=EmployerSize.SMALL)
    address = models.CharField(_("地址 Address"), max_length=200, blank=True)
    org_unit = models.ForeignKey(
        "orgs.OrgUnit", on_delete=models.PROTECT, related_name="employers", verbose_name=_("所在区划 Org unit")
    )
    contact_phone = EncryptedTextField(_("联系电话 Contact phone"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("用人单位 Employer")
        verbose_name_plural = _("用人单位 Employers")

    def __str__(self) -> str:
        return self.name


class ProjectStatus(models.TextChoices):
    PREPARING = "preparing", _("筹备 Preparing")
    BUILDING = "building", _("在建 Under construction")
    SUSPENDED = "suspended", _("停工 Suspended")
    COMPLETED = "completed", _("竣工 Completed")


class Project(GradedMixin):
    """A construction project (工程建设项目) with its parties, wage special account and deposit."""

    code = models.CharField(_("项目编码 Project code"), max_length=32, unique=True)
    name = models.CharField(_("项目名称 Name"), max_length=200, db_index=True)
    org_unit = models.ForeignKey(
        "orgs.OrgUnit", on_delete=models.PROTECT, related_name="projects", verbose_name=_("所在区划 Org unit")
    )
    address = models.CharField(_("项目地址 Address"), max_length=200, blank=True)
    status = models.CharField(
        _("状态 Status"), max_length=10, choices=ProjectStatus.choices, default=ProjectStatus.BUILDING
    )
    owner = models.ForeignKey(
        Employer, on_delete=models.PROTECT, null=True, blank=True, related_name="owned_projects",
        verbose_name=_("建设单位 Owner"),
    )
    general_contractor = models.ForeignKey(
        Employer, on_delete=models.PROTECT, related_name="contracted_projects",
        verbose_name=_("施工总承包单位 General contractor"),
    )
    subcontractors = models.ManyToManyField(
        Employer, blank=True, related_name="subcontracted_projects", verbose_name=_("分包单位 Subcontractors")
    )
    contract_value = models.DecimalField(
        _("合同金额（元） Contract value (yuan)"), max_digits=16, decimal_places=2, default=Decimal(0),
        validators=[MinValueValidator(Decimal(0))],
    )
    start_date = models.DateField(_("开工日期 Start date"), null=True, blank=True)
    planned_end_date = models.DateField(_("计划竣工日期 Planned end"), null=True, blank=True)
    special_account_bank = models.CharField(_("工资专户开户行 Special-account bank"), max_length=100, blank=True)
    special_account_number = models.CharField(_("工资专户账号 Special account"), max_length=40, blank=True)
    special_account_opened_on = models.DateField(_("专户开立日期 Account opened on"), null=True, blank=True)
    guarantee_deposit = models.DecimalField(
        _("工资保证金（元） Guarantee deposit (yuan)"), max_digits=14, decimal_places=2, default=Decimal(0),
        validators=[MinValueValidator(Decimal(0))],
    )
    wage_officer_name = models.CharField(_("劳资专管员 Wage officer"), max_length=50, blank=True)
    wage_officer_phone = EncryptedTextField(_("专管员电话 Wage officer phone"), blank=True)
    has_notice_board = models.BooleanField(_("维权告示牌 Notice board on site"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("工程项目 Construction project")
        verbose_name_plural = _("工程项目 Construction projects")

    def __str__(self) -> str:
        return self.name


class WorkTeam(models.Model):
    """A work team (班组) on a project, employed by a subcontractor, led by a foreman."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="teams", verbose_name=_("项目 Project"))
    name = models.CharField(_("班组名称 Team"), max_length=100)
    employer = models.ForeignKey(
        Employer, on_delete=models.PROTECT, related_name="teams", verbose_name=_("所属单位 Employer")
    )
    leader_name = models.CharField(_("班组长 Team leader"), max_length=50, blank=True)

    class Meta:
        ordering = ["project", "name"]
        constraints = [models.UniqueConstraint(fields=["project", "name"], name="uniq_team_per_project")]
        verbose_name = _("班组 Work team")
        verbose_name_plural = _("班组 Work teams")

    def __str__(self) -> str:
        return f"{self.project.name} · {self.name}"


class Worker(models.Model):
    """A person on one district's real-name roster: the ID number and phone are encrypted, found by HMAC.

    Each district keeps its own record of a person (``org_unit``: the district, or the unit above
    the districts that registered them): registering someone another district already holds
    creates this district's record and neither reads nor changes the other (docs/architecture.md,
    "The registry across districts"). Rows without a unit predate that rule."""

    name = models.CharField(_("姓名 Name"), max_length=50)
    id_number = EncryptedTextField(_("身份证号 ID number"))
    id_hash = models.CharField(max_length=64, db_index=True, editable=False)
    org_unit = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                 editable=False)
    id_last4 = models.CharField(max_length=4, editable=False)
    phone = EncryptedTextField(_("手机号 Phone"), blank=True)
    phone_last4 = models.CharField(max_length=4, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["id_hash", "org_unit"], name="uniq_worker_per_district")]
        verbose_name = _("农民工 Worker")
        verbose_name_plural = _("农民工 Workers")

    def __str__(self) -> str:
        return f"{self.name}（****{self.id_last4}）"


class RosterEntry(models.Model):
    """A worker's engagement on a project (实名制进退场): team, entry and exit dates."""

    worker = models.ForeignKey(Worker, on_delete=models.PROTECT, related_name="engagements")
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="roster")
    team = models.ForeignKey(WorkTeam, on_delete=models.PROTECT, null=True, blank=True, related_name="members")
    trade = models.CharField(_("工种 Trade"), max_length=30, blank=True)
    entry_date = models.DateField(_("进场日期 Entry date"))
    exit_date = models.DateField(_("退场日期 Exit date"), null=True, blank=True)

    class Meta:
        ordering = ["project", "worker"]
        constraints = [models.UniqueConstraint(fields=["worker", "project"], name="uniq_worker_per_project")]
        verbose_name = _("实名制登记 Roster entry")
        verbose_name_plural = _("实名制登记 Roster")

    def __str__(self) -> str:
        return f"{self.worker} @ {self.project}"


class MonitoringPoint(models.Model):
    """A sample employer (监测点) that reports its headcount and wages every month."""

    employer = models.OneToOneField(Employer, on_delete=models.CASCADE, related_name="monitoring_point")
    since = models.DateField(_("设立日期 Since"))
    contact_name = models.CharField(_("联系人 Contact"), max_length=50, blank=True)
    contact_phone = EncryptedTextField(_("联系电话 Phone"), blank=True)
    is_active = models.BooleanField(_("启用 Active"), default=True)

    class Meta:
        ordering = ["employer__name"]
        verbose_name = _("监测点 Monitoring point")
        verbose_name_plural = _("监测点 Monitoring points")

    def __str__(self) -> str:
        return str(self.employer)


class MonitoringReport(models.Model):
    """One month's report of a monitoring point: headcount, hires, departures, wages paid, arrears."""

    point = models.ForeignKey(MonitoringPoint, on_delete=models.CASCADE, related_name="reports")
    month = models.PositiveIntegerField(_("月份（YYYYMM） Month"))
    headcount = models.PositiveIntegerField(_("在岗人数 Headcount"))
    hires = models.PositiveIntegerField(_("新增人数 Hires"), default=0)
    departures = models.PositiveIntegerField(_("减少人数 Departures"), default=0)
    wages_paid = models.DecimalField(_("应发工资总额（元） Wages paid"), max_digits=14, decimal_places=2)
    arrears = models.DecimalField(_("欠薪金额（元） Arrears"), max_digits=14, decimal_places=2, default=Decimal(0))
    reported_at = models.DateTimeField(_("填报时间 Reported at"))

    class Meta:
        ordering = ["-month"]
        constraints = [models.UniqueConstraint(fields=["point", "month"], name="uniq_report_per_month")]
        verbose_name = _("监测点月报 Monitoring report")
        verbose_name_plural = _("监测点月报 Monitoring reports")
