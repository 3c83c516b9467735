"""Cases and everything hung on them: clocks, timeline, supervision, referrals, files, outbox."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from hexie.core.enums import RiskLevel
from hexie.core.pii import EncryptedTextField, mask_id_number, mask_phone


class CaseType(models.TextChoices):
    WAGE_ARREARS = "wage_arrears", _("欠薪 Wage arrears")
    LABOUR_DISPUTE = "labour_dispute", _("劳动争议 Labour dispute")
    PETITION = "petition", _("信访 Petition")
    CONSULTATION = "consultation", _("咨询 Consultation")


class Channel(models.TextChoices):
    WEB = "web", _("网上 Web")
    QR = "qr", _("扫码 QR code")
    PHONE = "phone", _("来电 Phone")
    VISIT = "visit", _("来访 Visit")
    LETTER = "letter", _("来信 Letter")
    HOTLINE_12345 = "hotline_12345", _("12345热线 12345 hotline")
    API = "api", _("接口 API")
    MONITORING = "monitoring", _("监测预警 Monitoring")


class Status(models.TextChoices):
    REGISTERED = "registered", _("已登记 Registered")
    ACCEPTED = "accepted", _("已受理 Accepted")
    REFUSED = "refused", _("不予受理 Refused")
    ASSIGNED = "assigned", _("已交办 Assigned")
    IN_HANDLING = "in_handling", _("办理中 In handling")
    SUSPENDED = "suspended", _("已中止 Suspended")
    RESOLVED = "resolved", _("已办结 Resolved")
    FOLLOW_UP = "follow_up", _("回访中 Follow-up")
    CLOSED = "closed", _("已结案 Closed")


OPEN_STATUSES = (
    Status.REGISTERED, Status.ACCEPTED, Status.ASSIGNED, Status.IN_HANDLING, Status.SUSPENDED,
)


class Track(models.TextChoices):
    MEDIATION = "mediation", _("调解 Mediation")
    INSPECTION = "inspection", _("劳动保障监察 Inspection")
    ARBITRATION = "arbitration", _("仲裁 Arbitration")
    PETITION = "petition", _("信访 Petition")
    REFERRAL = "referral", _("移送联动单位 Referral")


class Complexity(models.TextChoices):
    SIMPLE = "simple", _("简易 Simple")
    COMPLEX = "complex", _("复杂 Complex")


class AttentionLevel(models.TextChoices):
    NORMAL = "normal", _("普通关注 Normal")
    KEY = "key", _("重点关注 Key")
    SPECIAL = "special", _("特别关注 Special")


ATTENTION_ORDER = {AttentionLevel.NORMAL: 0, AttentionLevel.KEY: 1, AttentionLevel.SPECIAL: 2}


class ClosureConclusion(models.TextChoices):
    PAID_IN_FULL = "paid_in_full", _("已足额支付 Paid in full")
    PAID_IN_PART = "paid_in_part", _("部分支付 Paid in part")
    MEDIATED = "mediated", _("调解成功 Settled by mediation")
    AWARDED = "awarded", _("仲裁裁决 Arbitration award")
    ORDER_ISSUED = "order_issued", _("责令改正/行政处理 Order issued")
    REFERRED_CLOSED = "referred_closed", _("移送办结 Closed by partner agency")
    NOT_SUBSTANTIATED = "not_substantiated", _("查无实据 Not substantiated")
    WITHDRAWN = "withdrawn", _("撤回 Withdrawn")
    ANSWERED = "answered", _("已答复 Answered (consultation)")
    TO_COURT = "to_court", _("引导诉讼 Directed to court")


class DisputeCause(models.TextChoices):
    """The cause of a dispute as the arbitration statistics table counts it (rules.md §6)."""

    PAY = "pay", _("劳动报酬 Pay")
    SOCIAL_INSURANCE = "social_insurance", _("社会保险 Social insurance")
    CONTRACT = "contract", _("变更/解除/终止劳动合同 Contract change or termination")
    OTHER = "other", _("其他 Other")


class Outcome(models.TextChoices):
    """Who an award or settlement favoured, as the arbitration statistics table counts it (rules.md §6)."""

    WORKER_WON = "worker_won", _("劳动者胜诉 Worker won")
    EMPLOYER_WON = "employer_won", _("用人单位胜诉 Employer won")
    SPLIT = "split", _("双方部分支持 Split")


class CaseNumberSequence(models.Model):
    """The last case number issued per bureau and year; bumped with one atomic UPDATE."""

    bureau_code = models.CharField(max_length=12)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["bureau_code", "year"], name="uniq_case_seq")]


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


class Case(models.Model):
    """One complaint, dispute, petition or consultation, from intake to close: one file per case."""

    number = models.CharField(_("案件编号 Case number"), max_length=32, unique=True)
    tracking_code = models.CharField(_("查询码 Tracking code"), max_length=12, unique=True)
    case_type = models.CharField(_("类型 Type"), max_length=20, choices=CaseType.choices)
    channel = models.CharField(_("渠道 Channel"), max_length=16, choices=Channel.choices)
    status = models.CharField(
        _("状态 Status"), max_length=16, choices=Status.choices, default=Status.REGISTERED
    )
    track = models.CharField(_("办理途径 Track"), max_length=16, choices=Track.choices, blank=True)
    received_at = models.DateTimeField(_("收到时间 Received at"))
    external_ref = models.CharField(_("外部工单号 External ref."), max_length=64, blank=True)

    complainant_name = models.CharField(_("投诉人 Complainant"), max_length=50)
    complainant_phone = EncryptedTextField(_("联系电话 Phone"))
    complainant_phone_hash = models.CharField(max_length=64, db_index=True, editable=False)
    complainant_phone_last4 = models.CharField(max_length=4, editable=False)
    complainant_id_number = EncryptedTextField(_("身份证号 ID number"), blank=True)
    complainant_id_hash = models.CharField(max_length=64, db_index=True, blank=True, editable=False)

    employer_name = models.CharField(_("用人单位 Employer"), max_length=200)
    employer_credit_code = models.CharField(
        _("统一社会信用代码 Credit code"), max_length=18, blank=True, db_index=True
    )
    employer_address = models.CharField(_("单位地址 Employer address"), max_length=200, blank=True)
    project_name = models.CharField(_("工程项目 Construction project"), max_length=200, blank=True)
    org_unit = models.ForeignKey(
        "orgs.OrgUnit", on_delete=models.PROTECT, related_name="cases",
        verbose_name=_("发生地 Where the work happened"),
    )
    workers_count = models.PositiveIntegerField(
        _("涉及人数 Workers involved"), default=1, validators=[MinValueValidator(1), MaxValueValidator(100000)]
    )
    amount_claimed = models.DecimalField(
        _("诉求金额（元） Amount claimed (yuan)"), max_digits=14, decimal_places=2, default=Decimal("0")
    )
    description = models.TextField(_("诉求内容 Description"))

    # Triage (explained in triage_reasons: which rule fired, and why).
    complexity = models.CharField(_("繁简 Complexity"), max_length=8, choices=Complexity.choices)
    is_collective = models.BooleanField(_("集体（10人以上） Collective"), default=False)
    is_repeat = models.BooleanField(_("重复 Repeat"), default=False)
    is_backlog = models.BooleanField(_("积案 Backlog"), default=False)
    risk_level = models.CharField(_("风险等级 Risk"), max_length=8, choices=RiskLevel.choices)
    attention_level = models.CharField(_("关注等级 Attention"), max_length=8, choices=AttentionLevel.choices)
    triage_reasons = models.JSONField(_("分流依据 Triage reasons"), default=list)
    cluster = models.ForeignKey(
        Cluster, null=True, blank=True, on_delete=models.SET_NULL, related_name="cases",
        verbose_name=_("聚集 Cluster"),
    )

    # Who handles it, who answers for it.
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
        related_name="handled_cases", verbose_name=_("承办人 Handler"),
    )
    responsible_leader = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
        related_name="led_cases", verbose_name=_("包案领导 Responsible leader"),
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="registered_cases", verbose_name=_("登记人 Registered by"),
    )

    refusal_reason = models.TextField(_("不予受理理由 Refusal reason"), blank=True)
    closure_conclusion = models.CharField(
        _("办结结论 Conclusion"), max_length=20, choices=ClosureConclusion.choices, blank=True
    )
    # Recorded on resolution, for the arbitration statistics table (rules.md §6); blank when unknown.
    dispute_cause = models.CharField(
        _("争议原因 Cause"), max_length=20, choices=DisputeCause.choices, blank=True
    )
    outcome = models.CharField(_("裁决结果 Outcome"), max_length=16, choices=Outcome.choices, blank=True)
    amount_recovered = models.DecimalField(
        _("追回金额（元） Amount recovered"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    workers_benefited = models.PositiveIntegerField(_("受益人数 Workers benefited"), null=True, blank=True)
    satisfaction = models.PositiveSmallIntegerField(
        _("满意度 Satisfaction"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    reopen_count = models.PositiveSmallIntegerField(default=0)

    # The earliest due date among running deadlines: stored so that "overdue" and "due first"
    # are indexed comparisons at query time (clocks are derived, not swept); see case_queue.
    next_due_on = models.DateField(null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    # When the case was refused (不予受理): refused is final, so the dashboards' roll-up counts
    # refused cases once, like closed ones, with this as their watermark column.
    refused_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-received_at"]
        verbose_name = _("案件 Case")
        verbose_name_plural = _("案件 Cases")
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


class DeadlineRule(models.Model):
    """A statutory (or local) clock: track, step, length in working or calendar days, and its basis."""

    class Unit(models.TextChoices):
        WORKING = "working", _("工作日 Working days")
        CALENDAR = "calendar", _("自然日 Calendar days")

    class Trigger(models.TextChoices):
        INTAKE = "intake", _("登记时 On intake")
        ACCEPT = "accept", _("受理时 On acceptance")
        START = "start", _("进入办理途径时 On starting the track")

    code = models.CharField(_("代码 Code"), max_length=40)
    track = models.CharField(_("途径 Track"), max_length=16, blank=True, choices=Track.choices)
    case_types = models.JSONField(_("适用类型 Case types"), default=list, blank=True)
    complexity = models.CharField(_("仅限繁简 Only for"), max_length=8, blank=True, choices=Complexity.choices)
    class Ends(models.TextChoices):
        DECISION = "decision", _("受理或不予受理时 On accepting or refusing")
        RESOLUTION = "resolution", _("办结时 On resolution")

    trigger = models.CharField(_("起算 Starts"), max_length=8, choices=Trigger.choices)
    ends_on = models.CharField(_("止算 Ends"), max_length=10, choices=Ends.choices, default=Ends.RESOLUTION)
    step = models.CharField(_("环节 Step"), max_length=100)
    unit = models.CharField(_("计算单位 Unit"), max_length=8, choices=Unit.choices)
    length = models.PositiveSmallIntegerField(_("期限 Length"))
    extension_length = models.PositiveSmallIntegerField(_("可延长 Extension"), default=0)
    basis = models.CharField(_("法律依据 Legal basis"), max_length=200)
    is_verified = models.BooleanField(_("已核实 Verified"), default=True)
    is_active = models.BooleanField(_("启用 Active"), default=True)
    effective_from = models.DateField(_("生效日期 Effective from"))
    effective_to = models.DateField(_("失效日期 Effective to"), null=True, blank=True)

    class Meta:
        ordering = ["track", "code", "-effective_from"]
        verbose_name = _("期限规则 Deadline rule")
        verbose_name_plural = _("期限规则 Deadline rules")
        constraints = [
            models.UniqueConstraint(fields=["code", "effective_from"], name="uniq_deadline_rule_version")
        ]

    def __str__(self) -> str:
        unit = "工作日" if self.unit == self.Unit.WORKING else "日"
        return f"{self.step}：{self.length}{unit}（{self.basis}）"


class Deadline(models.Model):
    """One running (or finished) clock on a case, with the rule it comes from."""

    class State(models.TextChoices):
        RUNNING = "running", _("计时中 Running")
        PAUSED = "paused", _("已中止计时 Paused")
        MET = "met", _("已完成 Met")
        CANCELLED = "cancelled", _("已取消 Cancelled")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="deadlines")
    rule = models.ForeignKey(DeadlineRule, on_delete=models.PROTECT, related_name="deadlines")
    state = models.CharField(max_length=10, choices=State.choices, default=State.RUNNING)
    starts_on = models.DateField(_("起算日 Starts on"))
    due_on = models.DateField(_("届满日 Due on"), db_index=True)
    is_provisional = models.BooleanField(_("暂定 Provisional"), default=False)
    extended = models.BooleanField(_("已延长 Extended"), default=False)
    paused_on = models.DateField(null=True, blank=True)
    paused_days = models.PositiveIntegerField(default=0)
    finished_at = models.DateTimeField(null=True, blank=True)
    finished_on_time = models.BooleanField(null=True)

    class Meta:
        ordering = ["due_on"]
        indexes = [models.Index(fields=["state", "due_on"], name="deadline_state_due")]

    def __str__(self) -> str:
        return f"{self.rule.step} → {self.due_on}"


# What each kind of timeline entry is called on screen (transitions are named by their own kind).
EVENT_LABELS = {
    "registered": _("登记 Registered"),
    "accept": _("受理 Accepted"),
    "refuse": _("不予受理 Refused"),
    "assign": _("交办 Assigned"),
    "start_handling": _("开始办理 Handling started"),
    "suspend": _("中止 Suspended"),
    "resume": _("恢复办理 Resumed"),
    "resolve": _("办结 Resolved"),
    "start_follow_up": _("回访 Follow-up"),
    "close": _("结案 Closed"),
    "reopen": _("重新办理 Reopened"),
    "rated": _("群众评价 Rated by the worker"),
    "extended": _("期限延长 Deadline extended"),
    "clock_restarted": _("期限重新计算 Clock restarted"),
    "deadline_recomputed": _("期限重新计算 Deadline recomputed"),
    "attachment": _("上传附件 File added"),
    "referral_answered": _("联动单位答复 Partner agency answered"),
    "supervision_due_soon": _("临期提醒 Due soon"),
    "supervision_overdue": _("超期督办 Overdue notice"),
    "supervision_escalated": _("提级督办 Escalated to the responsible leader"),
    "supervision_acknowledged": _("签收督办 Supervision acknowledged"),
    "warning_raised": _("监测预警 Monitoring warning"),
    "warning_updated": _("监测预警更新 Monitoring warning updated"),
    "warning_resolved": _("预警消除 Monitoring warning cleared"),
    "document_generated": _("生成文书 Document issued"),
}


class TimelineEvent(models.Model):
    """An entry in the case file: every write appends one in the same transaction."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(db_index=True)
    kind = models.CharField(max_length=32)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    from_status = models.CharField(max_length=16, blank=True)
    to_status = models.CharField(max_length=16, blank=True)
    message = models.TextField(blank=True)
    # Shown to the worker on the portal (without staff names or internal notes).
    public_message = models.CharField(max_length=200, blank=True)
    is_public = models.BooleanField(default=False)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.case_id} {self.kind}"

    @property
    def label(self) -> str:
        return str(EVENT_LABELS.get(self.kind, self.kind))

    @property
    def to_status_label(self) -> str:
        return str(Status(self.to_status).label) if self.to_status in Status.values else self.to_status


class Referral(models.Model):
    """A case referred to a partner agency, and the agency's answer."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="referrals")
    agency = models.ForeignKey("orgs.PartnerAgency", on_delete=models.PROTECT, related_name="referrals")
    referred_at = models.DateTimeField()
    referred_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    note = models.TextField(blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    answer = models.TextField(blank=True)

    class Meta:
        ordering = ["-referred_at"]


class Supervision(models.Model):
    """A supervision record (督办): due soon, overdue, or escalated to the responsible leader."""

    class Kind(models.TextChoices):
        DUE_SOON = "due_soon", _("临期提醒 Due soon")
        OVERDUE = "overdue", _("超期督办 Overdue")
        ESCALATED = "escalated", _("提级督办 Escalated to leader")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="supervisions")
    deadline = models.ForeignKey(Deadline, on_delete=models.CASCADE, related_name="supervisions")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    created_at = models.DateTimeField()
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="supervisions"
    )
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["deadline", "kind"], name="uniq_supervision_kind")]


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


def attachment_path(instance: Attachment, filename: str) -> str:
    return f"cases/{instance.case_id}/{filename}"


class Attachment(models.Model):
    """Evidence a worker or clerk uploaded: type- and size-checked before it is stored."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=attachment_path)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_at = models.DateTimeField(auto_now_add=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)


class Notification(models.Model):
    """Outbox: a message is written in the same transaction as the event, delivered by the worker."""

    class Channel(models.TextChoices):
        SMS = "sms", _("短信 SMS")
        EMAIL = "email", _("邮件 Email")

    class State(models.TextChoices):
        PENDING = "pending", _("待发送 Pending")
        SENT = "sent", _("已发送 Sent")
        FAILED = "failed", _("发送失败 Failed")

    case = models.ForeignKey(Case, null=True, blank=True, on_delete=models.CASCADE, related_name="notifications")
    channel = models.CharField(max_length=8, choices=Channel.choices)
    recipient = EncryptedTextField()
    subject = models.CharField(max_length=200, blank=True)
    body = models.TextField()
    state = models.CharField(max_length=8, choices=State.choices, default=State.PENDING, db_index=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(db_index=True)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
