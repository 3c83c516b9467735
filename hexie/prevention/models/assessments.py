"""Plans, assessments carried out item by item, and the evidence behind each answer."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from hexie.prevention.models.sheets import POINTS, ScoreSheet, SheetItem, SheetKind


class PlanMethod(models.TextChoices):
    LIST = "list", _("指定名单")
    GRID = "grid", _("网格（区域）")
    RANDOM = "random", _("双随机抽取")


class PlanState(models.TextChoices):
    DRAFT = "draft", _("草拟")
    ACTIVE = "active", _("实施中")
    CLOSED = "closed", _("已结束")


class Plan(models.Model):
    """A campaign of check-ups, verifications or evaluations: which employers, who goes, by when.

    A random draw (双随机) records its seed and the pools it drew from, so that anyone can draw
    again and get the same employers and inspectors (``services.plans.recheck_draw``).
    """

    name = models.CharField(_("计划名称"), max_length=120)
    sheet = models.ForeignKey(ScoreSheet, on_delete=models.PROTECT, related_name="plans", verbose_name=_("量表"))
    org_unit = models.ForeignKey(
        "orgs.OrgUnit", on_delete=models.PROTECT, related_name="prevention_plans", verbose_name=_("实施单位"),
    )
    method = models.CharField(_("方式"), max_length=10, choices=PlanMethod.choices)
    grid_unit = models.ForeignKey(
        "orgs.OrgUnit", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("网格"),
    )
    state = models.CharField(_("状态"), max_length=10, choices=PlanState.choices, default=PlanState.ACTIVE)
    starts_on = models.DateField(_("开始日期"))
    due_on = models.DateField(_("完成期限"))
    draw_seed = models.CharField(_("抽取种子"), max_length=64, blank=True)
    draw_employers = models.PositiveIntegerField(_("抽取单位数"), null=True, blank=True)
    draw_inspectors = models.PositiveIntegerField(_("抽取检查人员数"), null=True, blank=True)
    #: {"algorithm": …, "employer_pool": [ids], "inspector_pool": [ids], "employers": [ids], "inspectors": [ids]}
    draw_record = models.JSONField(_("抽取记录"), default=dict, blank=True)
    inspectors = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="prevention_plans", verbose_name=_("检查人员"),
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_on", "-pk"]
        verbose_name = _("检查计划")
        verbose_name_plural = _("检查计划")

    def __str__(self) -> str:
        return self.name


class AssessmentOrigin(models.TextChoices):
    INSPECTION = "inspection", _("现场检查")
    SELF = "self", _("企业自查")


class AssessmentState(models.TextChoices):
    IN_PROGRESS = "in_progress", _("填写中")
    SUBMITTED = "submitted", _("待审核")
    SIGNED_OFF = "signed_off", _("已签发")
    RETURNED = "returned", _("已退回")


class Assessment(models.Model):
    """One employer assessed on one version of a sheet: its answers, its score and who signed it off.

    ``sheet`` is the exact version it was scored on; editing a sheet later never changes the score.
    """

    sheet = models.ForeignKey(ScoreSheet, on_delete=models.PROTECT, related_name="assessments",
                              verbose_name=_("量表版本"))
    kind = models.CharField(_("类别"), max_length=20, choices=SheetKind.choices)
    plan = models.ForeignKey(Plan, null=True, blank=True, on_delete=models.PROTECT, related_name="assessments",
                             verbose_name=_("检查计划"))
    employer = models.ForeignKey("employers.Employer", on_delete=models.PROTECT, related_name="assessments",
                                 verbose_name=_("用人单位"))
    origin = models.CharField(_("来源"), max_length=12, choices=AssessmentOrigin.choices,
                              default=AssessmentOrigin.INSPECTION)
    year = models.PositiveSmallIntegerField(_("年度"))
    inspector = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="prevention_assessments", verbose_name=_("检查人员"))
    state = models.CharField(_("状态"), max_length=12, choices=AssessmentState.choices,
                             default=AssessmentState.IN_PROGRESS, db_index=True)
    bonus = models.DecimalField(_("加分"), default=Decimal(0), **POINTS)  # type: ignore[arg-type]
    penalty = models.DecimalField(_("减分"), default=Decimal(0), **POINTS)  # type: ignore[arg-type]
    score = models.DecimalField(_("得分"), null=True, blank=True, max_digits=6, decimal_places=1)
    passed = models.BooleanField(_("合格"), null=True, blank=True)
    #: {section code: {"points": "…", "max": "…", "pass": "…" or None, "passed": bool}}
    section_scores = models.JSONField(_("分项得分"), default=dict, blank=True)
    started_at = models.DateTimeField(_("开始时间"))
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")
    signed_off_at = models.DateTimeField(_("签发时间"), null=True, blank=True)
    signed_off_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                      related_name="+", verbose_name=_("签发领导"))
    sign_off_note = models.TextField(_("审核意见"), blank=True)

    class Meta:
        ordering = ["-started_at", "-pk"]
        verbose_name = _("检查评价")
        verbose_name_plural = _("检查评价")
        indexes = [models.Index(fields=["employer", "kind", "year"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.year}"


class AnswerResult(models.TextChoices):
    COMPLIES = "complies", _("符合")
    PARTLY = "partly", _("部分符合")
    FAILS = "fails", _("不符合")
    NOT_APPLICABLE = "na", _("不适用")


class Answer(models.Model):
    """The answer to one item, saved as soon as it is given (a phone on a bad connection loses nothing).

    Answering again replaces the answer: a resent answer from the phone's queue is harmless.
    """

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="answers")
    item = models.ForeignKey(SheetItem, on_delete=models.PROTECT, related_name="answers")
    result = models.CharField(_("结论"), max_length=10, choices=AnswerResult.choices)
    deduction = models.DecimalField(_("扣分"), default=Decimal(0), **POINTS)  # type: ignore[arg-type]
    points = models.DecimalField(_("得分"), max_digits=6, decimal_places=1)
    note = models.TextField(_("情况说明"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("记录时间"))
    answered_at = models.DateTimeField(_("填写时间"), help_text=_("在手机上填写的时间（离线填写后补传时早于记录时间）"))

    class Meta:
        ordering = ["item__section__order", "item__order", "pk"]
        verbose_name = _("检查结果")
        verbose_name_plural = _("检查结果")
        constraints = [models.UniqueConstraint(fields=["assessment", "item"], name="prevention_answer_unique")]

    @property
    def failed(self) -> bool:
        return self.result in (AnswerResult.PARTLY, AnswerResult.FAILS)


def evidence_path(instance: Evidence, filename: str) -> str:
    return f"prevention/{instance.employer_id}/{filename}"


class Evidence(models.Model):
    """A photo or file behind an answer, or behind an employer's reply to an order (type-checked)."""

    employer = models.ForeignKey("employers.Employer", on_delete=models.PROTECT, related_name="+")
    answer = models.ForeignKey(Answer, null=True, blank=True, on_delete=models.CASCADE, related_name="evidence")
    order = models.ForeignKey("prevention.RectificationOrder", null=True, blank=True, on_delete=models.CASCADE,
                              related_name="evidence")
    file = models.FileField(upload_to=evidence_path)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField()

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name = _("证据材料")
        verbose_name_plural = _("证据材料")
        constraints = [models.CheckConstraint(
            condition=models.Q(answer__isnull=False) | models.Q(order__isnull=False), name="prevention_evidence_parent",
        )]

