"""The case itself (one file from intake to close) and the counter its numbers come from."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from hexie.cases.models.choices import (
    OPEN_STATUSES,
    AttentionLevel,
    CaseType,
    Channel,
    ClosureConclusion,
    Complexity,
    DisputeCause,
    Outcome,
    Status,
    Track,
)
from hexie.cases.models.triage import Cluster
from hexie.core.enums import RiskLevel
from hexie.core.pii import EncryptedTextField, mask_id_number, mask_phone


class CaseNumberSequence(models.Model):
    """The last case number issued per bureau and year; bumped with one atomic UPDATE."""

    bureau_code = models.CharField(max_length=12, verbose_name=_("机关代码"))
    year = models.PositiveSmallIntegerField(verbose_name=_("年度"))
    last = models.PositiveIntegerField(default=0, verbose_name=_("已用到的序号"))

    class Meta:
        verbose_name = _("案件编号序列")
        verbose_name_plural = pgettext_lazy("plural", "案件编号序列")
        constraints = [models.UniqueConstraint(fields=["bureau_code", "year"], name="uniq_case_seq")]


class Case(models.Model):
    """One complaint, dispute, petition or consultation, from intake to close: one file per case."""

    number = models.CharField(_("案件编号"), max_length=32, unique=True)
    tracking_code = models.CharField(_("查询码"), max_length=12, unique=True)
    case_type = models.CharField(_("类型"), max_length=20, choices=CaseType.choices)
    channel = models.CharField(_("渠道"), max_length=16, choices=Channel.choices)
    status = models.CharField(
        _("状态"), max_length=16, choices=Status.choices, default=Status.REGISTERED
    )
    track = models.CharField(_("办理途径"), max_length=16, choices=Track.choices, blank=True)
    received_at = models.DateTimeField(_("收到时间"))
    external_ref = models.CharField(_("外部工单号"), max_length=64, blank=True)

    complainant_name = models.CharField(_("投诉人"), max_length=50)
    complainant_phone = EncryptedTextField(_("联系电话"))
    complainant_phone_hash = models.CharField(max_length=64, db_index=True, editable=False, verbose_name=_("电话查找摘要"))
    complainant_phone_last4 = models.CharField(max_length=4, editable=False, verbose_name=_("电话后四位"))
    complainant_id_number = EncryptedTextField(_("身份证号"), blank=True)
    complainant_id_hash = models.CharField(max_length=64, db_index=True, blank=True, editable=False, verbose_name=_("身份证号查找摘要"))

    employer_name = models.CharField(_("用人单位"), max_length=200)
    employer_credit_code = models.CharField(
        _("统一社会信用代码"), max_length=18, blank=True, db_index=True
    )
    employer_address = models.CharField(_("单位地址"), max_length=200, blank=True)
    project_name = models.CharField(_("工程项目"), max_length=200, blank=True)
    # The registry's employer and project the case is about (one employer, one file): resolved at
    # intake from the credit code or the project picked, or confirmed later by a clerk. Null when
    # the complaint names someone the registry does not know; the typed name and code above stay
    # as the complainant gave them. SET_NULL: removing a registry row must not lose case files.
    employer = models.ForeignKey(
        "employers.Employer", null=True, blank=True, on_delete=models.SET_NULL, related_name="cases",
        verbose_name=_("登记的用人单位"),
    )
    project = models.ForeignKey(
        "employers.Project", null=True, blank=True, on_delete=models.SET_NULL, related_name="cases",
        verbose_name=_("登记的工程项目"),
    )
    org_unit = models.ForeignKey(
        "orgs.OrgUnit", on_delete=models.PROTECT, related_name="cases",
        verbose_name=_("发生地"),
    )
    workers_count = models.PositiveIntegerField(
        _("涉及人数"), default=1, validators=[MinValueValidator(1), MaxValueValidator(100000)]
    )
    amount_claimed = models.DecimalField(
        _("诉求金额（元）"), max_digits=14, decimal_places=2, default=Decimal("0")
    )
    description = models.TextField(_("诉求内容"))

    # Triage (explained in triage_reasons: which rule fired, and why).
    complexity = models.CharField(_("繁简"), max_length=8, choices=Complexity.choices)
    is_collective = models.BooleanField(_("集体（10人以上）"), default=False)
    is_repeat = models.BooleanField(_("重复"), default=False)
    is_backlog = models.BooleanField(_("积案"), default=False)
    risk_level = models.CharField(_("风险等级"), max_length=8, choices=RiskLevel.choices)
    attention_level = models.CharField(_("关注等级"), max_length=8, choices=AttentionLevel.choices)
    triage_reasons = models.JSONField(_("分流依据"), default=list)
    cluster = models.ForeignKey(
        Cluster, null=True, blank=True, on_delete=models.SET_NULL, related_name="cases",
        verbose_name=_("聚集"),
    )

    # Who handles it, who answers for it.
    # The mediation body or service station the case was routed to (hexie.orgs: the mediation
    # network); its coordinators see and answer the case there.
    mediation_body = models.ForeignKey(
        "orgs.OrgUnit", null=True, blank=True, on_delete=models.PROTECT, related_name="routed_cases",
        verbose_name=_("调解组织"),
    )
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
        related_name="handled_cases", verbose_name=_("承办人"),
    )
    responsible_leader = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
        related_name="led_cases", verbose_name=_("包案领导"),
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="registered_cases", verbose_name=_("登记人"),
    )

    refusal_reason = models.TextField(_("不予受理理由"), blank=True)
    closure_conclusion = models.CharField(
        _("办结结论"), max_length=20, choices=ClosureConclusion.choices, blank=True
    )
    # Recorded on resolution, for the arbitration statistics table (rules.md §6); blank when unknown.
    dispute_cause = models.CharField(
        _("争议原因"), max_length=20, choices=DisputeCause.choices, blank=True
    )
    outcome = models.CharField(_("裁决结果"), max_length=16, choices=Outcome.choices, blank=True)
    amount_recovered = models.DecimalField(
        _("追回金额（元）"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    workers_benefited = models.PositiveIntegerField(_("受益人数"), null=True, blank=True)
    satisfaction = models.PositiveSmallIntegerField(
        _("满意度"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    reopen_count = models.PositiveSmallIntegerField(default=0, verbose_name=_("重新办理次数"))

    # The earliest due date among running deadlines: stored so that "overdue" and "due first"
    # are indexed comparisons at query time (clocks are derived, not swept); see case_queue.
    next_due_on = models.DateField(null=True, blank=True, verbose_name=_("最近届满日"))
    # The earliest due date the case missed or will miss: the earliest of `next_due_on` and the due
    # dates of its clocks met late or paused after their due date. The case is late (超期, the
    # "limit" filters and the within-limit KPIs) on any day after it: `late_after < today`. Kept by
    # the clock services with every change of a clock or of `next_due_on` (`services.clocks`).
    late_after = models.DateField(null=True, blank=True, verbose_name=_("超期判定届满日"))
    # The file's first acceptance by the bureau: the chain never moves it.
    accepted_at = models.DateTimeField(null=True, blank=True, verbose_name=_("受理时间"))
    # The acceptance onto the track the case is on now (the arbitration commission's acceptance of a
    # case that came from mediation, the new body's on a change of track); empty while the track's
    # body has not accepted it (an arbitration application pending, a court or police referral).
    # The arbitration statistics count "accepted in the period" by it (rules.md §2, §6).
    track_accepted_at = models.DateTimeField(null=True, blank=True, verbose_name=_("本途径受理时间"))
    resolved_at = models.DateTimeField(null=True, blank=True, verbose_name=_("办结时间"))
    closed_at = models.DateTimeField(null=True, blank=True, verbose_name=_("结案时间"))
    # When the case was refused (不予受理): refused is final, so the dashboards' roll-up counts
    # refused cases once, like closed ones, with this as their watermark column.
    refused_at = models.DateTimeField(null=True, blank=True, verbose_name=_("不予受理时间"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("创建时间"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("更新时间"))
    version = models.PositiveIntegerField(default=0, verbose_name=_("版本"))

    class Meta:
        ordering = ["-received_at"]
        verbose_name = _("案件")
        verbose_name_plural = pgettext_lazy("plural", "案件")
        # Measured at a million cases (bench/README.md). PostgreSQL also gets trigram indexes for the
        # queue's text search, made in migration 0004 because SQLite has no equivalent.
        indexes = [
            models.Index(fields=["status", "next_due_on"], name="case_status_due"),
            # The queue's order (due first, then newest), so a page is read in order instead of
            # sorting the scope; org_unit last lets "overdue" be counted from the index alone.
            models.Index(fields=["next_due_on", "-received_at", "-id", "org_unit"], name="case_queue"),
            # Counting a filtered queue within a jurisdiction (the paginator's COUNT) without
            # reading the table; it also serves every (org_unit, status) lookup.
            models.Index(fields=["org_unit", "status", "risk_level", "case_type", "channel", "is_collective"],
                         name="case_scope_filters"),
            models.Index(fields=["handler", "status"], name="case_handler_status"),
            models.Index(fields=["received_at"], name="case_received"),
            # Equality look-ups: repeat detection and clustering on intake (employers without a credit
            # code), and the queue search's exact match on the complainant's name.
            models.Index(fields=["employer_name"], name="case_employer_name"),
            models.Index(fields=["complainant_name"], name="case_complainant_name"),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def phone_masked(self) -> str:
        return mask_phone(self.complainant_phone or "")

    @property
    def id_number_masked(self) -> str:
        return mask_id_number(self.complainant_id_number or "")

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES
