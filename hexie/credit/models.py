"""Compliance credit: the rules (criteria and periods, data with their basis), the violation
records an inspector enters on an employer's file, the yearly A/B/C grade with what decided it,
the joint-punishment list (失信联合惩戒对象名单) with its listed persons, and the quarterly
publications (major violations, harmonious enterprises)."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from hexie.core.pii import EncryptedTextField, mask_id_number


class Grade(models.TextChoices):
    A = "A", _("A级（守法诚信）")
    B = "B", _("B级（基本守法诚信）")
    C = "C", _("C级（不守法诚信）")


#: Worse grades sort higher.
GRADE_ORDER = {Grade.A: 0, Grade.B: 1, Grade.C: 2}


class RecordKind(models.TextChoices):
    """What a violation record says happened; each kind is counted by the grade criteria."""

    SANCTION = "sanction", _("行政处罚或行政处理")
    IGNORED_ORDER = "ignored_order", _("拒不履行责令改正、行政处理或处罚决定")
    OBSTRUCTION = "obstruction", _("阻挠劳动保障监察")
    MASS_INCIDENT = "mass_incident", _("因违法引发群体性或极端事件")
    CHILD_LABOUR = "child_labour", _("使用童工")
    FORCED_LABOUR = "forced_labour", _("强迫劳动")
    CRIMINAL = "criminal", _("移送司法机关追究刑事责任")
    EVALUATION_PASSED = "evaluation_passed", _("劳动关系和谐企业评价达标")


class GradeCriterion(models.Model):
    """One rule of the grade: ``min_count`` records of ``kind`` in the year give ``grade``.

    A and the worst grade wins among criteria that fire; a criterion of kind
    ``evaluation_passed`` with grade A instead *raises* a B to A (never a C), where a province's
    rules say a passed harmonious-enterprise evaluation counts as A.
    """

    code = models.SlugField(_("代码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    kind = models.CharField(_("记录种类"), max_length=24, choices=RecordKind.choices)
    min_count = models.PositiveSmallIntegerField(_("起算次数"), default=1)
    grade = models.CharField(_("评定等级"), max_length=1, choices=Grade.choices)
    basis = models.CharField(_("依据"), max_length=300)
    verified = models.BooleanField(_("已核对原文"), default=False)
    effective_from = models.DateField(_("生效日期"), default=date(2017, 1, 1))
    effective_to = models.DateField(_("失效日期"), null=True, blank=True)
    is_active = models.BooleanField(_("启用"), default=True)
    sort = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["sort", "code"]
        verbose_name = _("诚信等级评价标准")
        verbose_name_plural = _("诚信等级评价标准")

    def __str__(self) -> str:
        return self.name


class CreditSetting(models.Model):
    """A period or threshold of the credit procedures (objection windows, listing term,
    criminal-threshold amounts), with its basis; the code reads the row, never a constant."""

    class Unit(models.TextChoices):
        CALENDAR = "calendar", _("日")
        WORKING = "working", _("工作日")
        MONTHS = "months", _("月")
        YEARS = "years", _("年")
        YUAN = "yuan", _("元")
        PEOPLE = "people", _("人")

    code = models.SlugField(_("代码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    value = models.DecimalField(_("数值"), max_digits=12, decimal_places=2)
    unit = models.CharField(_("单位"), max_length=10, choices=Unit.choices)
    basis = models.CharField(_("依据"), max_length=300)
    verified = models.BooleanField(_("已核对原文"), default=False)

    class Meta:
        ordering = ["code"]
        verbose_name = _("信用管理期限与标准")
        verbose_name_plural = _("信用管理期限与标准")

    def __str__(self) -> str:
        return self.name


class CreditRecord(models.Model):
    """A violation (or a passed evaluation) on an employer's file, with the case that proves it.

    Sanctions from closed inspection cases are read off the cases themselves; a record of kind
    ``sanction`` is for one decided outside the case file. Amount, workers and months describe
    the arrears of an ignored order to pay (the listing conditions read them).
    """

    employer = models.ForeignKey("employers.Employer", on_delete=models.PROTECT, related_name="credit_records",
                                 verbose_name=_("用人单位"))
    kind = models.CharField(_("种类"), max_length=24, choices=RecordKind.choices)
    occurred_on = models.DateField(_("发生日期"))
    case = models.ForeignKey("cases.Case", null=True, blank=True, on_delete=models.PROTECT,
                             related_name="credit_records", verbose_name=_("关联案件"))
    description = models.TextField(_("情况"))
    amount = models.DecimalField(_("拖欠金额（元）"), max_digits=14, decimal_places=2, null=True, blank=True)
    workers = models.PositiveIntegerField(_("涉及人数"), null=True, blank=True)
    months = models.PositiveSmallIntegerField(_("拖欠月数"), null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name=_("登记人"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-occurred_on", "-id"]
        verbose_name = _("违法失信记录")
        verbose_name_plural = _("违法失信记录")
        indexes = [models.Index(fields=["occurred_on", "employer", "kind"], name="credit_record_year")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.occurred_on}"


class DeliveryMethod(models.TextChoices):
    """How a notice was served (送达): the window it opens runs from the day it was delivered."""

    IN_PERSON = "in_person", _("直接送达")
    LEFT = "left", _("留置送达")
    POST = "post", _("邮寄送达")
    ELECTRONIC = "electronic", _("电子送达")
    ENTRUSTED = "entrusted", _("委托送达")
    PUBLIC = "public", _("公告送达")


class CreditGrade(models.Model):
    """An employer's compliance grade for one record year, the counts that decided it, the cases
    and records behind them, and its objection procedure (notified → objected → decided)."""

    class State(models.TextChoices):
        COMPUTED = "computed", _("已评定")
        NOTIFIED = "notified", _("已告知")
        OBJECTED = "objected", _("异议中")
        FINAL = "final", _("已确定")

    # No index of its own on employer or unit: the unique (employer, year) and the (year, unit,
    # grade) indexes serve every look-up, and each index less is a cheaper yearly bulk insert.
    # No database constraint either: the only writer is the yearly INSERT … SELECT, which reads
    # both keys from the employers table itself, and a deleted employer's grades go with it through
    # the ORM (CASCADE). The deferred per-row checks took a third of the computation's time.
    employer = models.ForeignKey("employers.Employer", on_delete=models.CASCADE, related_name="credit_grades",
                                 verbose_name=_("用人单位"), db_index=False, db_constraint=False)
    # The employer's unit when graded: scoping and the district figures read it without a join.
    org_unit = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("所在区划"), db_index=False, db_constraint=False)
    year = models.PositiveSmallIntegerField(_("评价年度"))
    computed_grade = models.CharField(_("评定等级"), max_length=1, choices=Grade.choices)
    grade = models.CharField(_("等级"), max_length=1, choices=Grade.choices)
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default=State.COMPUTED)
    sanctions = models.PositiveIntegerField(_("行政处罚、处理次数"), default=0)
    ignored_orders = models.PositiveIntegerField(_("拒不履行次数"), default=0)
    obstructions = models.PositiveIntegerField(_("阻挠监察次数"), default=0)
    mass_incidents = models.PositiveIntegerField(_("群体性或极端事件"), default=0)
    child_labour = models.PositiveIntegerField(_("使用童工"), default=0)
    forced_labour = models.PositiveIntegerField(_("强迫劳动"), default=0)
    criminal = models.PositiveIntegerField(_("追究刑事责任"), default=0)
    evaluations_passed = models.PositiveIntegerField(_("和谐企业评价达标"), default=0)
    computed_at = models.DateTimeField(_("评定时间"))
    # What decided the grade, by key, written by the same INSERT that computes it (a link table
    # cost three times the computation itself at 40,000 employers: bench/README.md).
    case_ids = models.JSONField(_("依据案件"), default=list, blank=True)
    record_ids = models.JSONField(_("依据记录"), default=list, blank=True)
    order_ids = models.JSONField(_("逾期未整改的整改指令"), default=list, blank=True)
    notified_on = models.DateField(_("告知日期"), null=True, blank=True)
    delivered_on = models.DateField(_("送达日期"), null=True, blank=True)
    delivery_method = models.CharField(_("送达方式"), max_length=12, choices=DeliveryMethod.choices, blank=True,
                                       db_default="")
    objection_due_on = models.DateField(_("异议截止日期"), null=True, blank=True)
    objection = models.TextField(_("异议理由"), blank=True)
    objection_on = models.DateField(_("提出异议日期"), null=True, blank=True)
    decision = models.TextField(_("复核意见"), blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("复核领导"), db_index=False)
    decided_at = models.DateTimeField(_("复核时间"), null=True, blank=True)

    class Meta:
        ordering = ["-year", "employer_id"]
        verbose_name = _("守法诚信等级")
        verbose_name_plural = _("守法诚信等级")
        constraints = [models.UniqueConstraint(fields=["employer", "year"], name="uniq_credit_grade_year")]
        indexes = [models.Index(fields=["year", "org_unit", "grade"], name="credit_grade_district")]

    def __str__(self) -> str:
        return f"{self.year} {self.grade}"

    #: Field of each record kind's count.
    COUNT_FIELDS: dict[str, str] = {
        RecordKind.SANCTION: "sanctions", RecordKind.IGNORED_ORDER: "ignored_orders",
        RecordKind.OBSTRUCTION: "obstructions", RecordKind.MASS_INCIDENT: "mass_incidents",
        RecordKind.CHILD_LABOUR: "child_labour", RecordKind.FORCED_LABOUR: "forced_labour",
        RecordKind.CRIMINAL: "criminal", RecordKind.EVALUATION_PASSED: "evaluations_passed",
    }

    def cases(self) -> models.QuerySet:  # type: ignore[type-arg]
        """The sanction cases behind the grade."""
        from django.apps import apps

        return apps.get_model("cases", "Case").objects.filter(pk__in=self.case_ids or [])

    def records(self) -> models.QuerySet[CreditRecord]:
        return CreditRecord.objects.filter(pk__in=self.record_ids or [])

    def orders(self) -> models.QuerySet:  # type: ignore[type-arg]
        from django.apps import apps

        return apps.get_model("prevention", "RectificationOrder").objects.filter(pk__in=self.order_ids or [])

    def counts(self) -> dict[str, int]:
        return {kind: getattr(self, name) for kind, name in self.COUNT_FIELDS.items()}


class Listing(models.Model):
    """An employer on (or proposed for) the joint-punishment list for wage arrears, 人社部令第45号:
    proposal → notice (告知书) → statement window → decision (列入决定书) → publication → expiry
    after the term, or early removal on credit repair."""

    class State(models.TextChoices):
        PROPOSED = "proposed", _("拟列入")
        NOTIFIED = "notified", _("已告知")
        LISTED = "listed", _("已列入")
        PUBLISHED = "published", _("已公布")
        EXPIRED = "expired", _("期满移出")
        REMOVED = "removed", _("提前移出")
        WITHDRAWN = "withdrawn", _("不予列入")

    employer = models.ForeignKey("employers.Employer", on_delete=models.PROTECT, related_name="listings",
                                 verbose_name=_("用人单位"))
    org_unit = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("认定机关所在区划"))
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default=State.PROPOSED)
    order_record = models.ForeignKey(CreditRecord, on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("逾期未支付的限期支付指令"))
    incident_record = models.ForeignKey(CreditRecord, null=True, blank=True, on_delete=models.PROTECT,
                                        related_name="+", verbose_name=_("群体性或极端事件"))
    reasons = models.TextField(_("列入事由"))
    conditions = models.JSONField(_("核查的列入条件"), default=list)
    basis = models.CharField(_("依据"), max_length=300)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("提出人"))
    proposed_at = models.DateTimeField(_("提出时间"))
    notified_on = models.DateField(_("告知日期"), null=True, blank=True)
    delivered_on = models.DateField(_("送达日期"), null=True, blank=True)
    delivery_method = models.CharField(_("送达方式"), max_length=12, choices=DeliveryMethod.choices, blank=True,
                                       db_default="")
    statement_due_on = models.DateField(_("陈述申辩截止日期"), null=True, blank=True)
    statement = models.TextField(_("陈述申辩"), blank=True)
    statement_on = models.DateField(_("陈述申辩日期"), null=True, blank=True)
    decided_on = models.DateField(_("决定日期"), null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("决定人"))
    decision_reason = models.TextField(_("决定理由"), blank=True)
    published_on = models.DateField(_("公布日期"), null=True, blank=True)
    expires_on = models.DateField(_("列入期满日期"), null=True, blank=True)
    # Early removal (信用修复): all three are required before a leader may decide it.
    paid_on = models.DateField(_("清偿日期"), null=True, blank=True)
    corrected_on = models.DateField(_("纠正失信行为日期"), null=True, blank=True)
    pledge_on = models.DateField(_("信用修复承诺书日期"), null=True, blank=True)
    ended_on = models.DateField(_("移出日期"), null=True, blank=True)

    class Meta:
        ordering = ["-proposed_at", "-id"]
        verbose_name = _("失信联合惩戒对象")
        verbose_name_plural = _("失信联合惩戒对象名单")
        indexes = [models.Index(fields=["state", "expires_on"], name="credit_listing_expiry")]

    def __str__(self) -> str:
        return f"{self.employer} ({self.get_state_display()})"

    @property
    def is_in_force(self) -> bool:
        return self.state in (self.State.LISTED, self.State.PUBLISHED)


class ListedPerson(models.Model):
    """The legal representative or a responsible person named with a listing (ID number encrypted)."""

    class Role(models.TextChoices):
        LEGAL_REPRESENTATIVE = "legal_rep", _("法定代表人")
        RESPONSIBLE = "responsible", _("其他责任人")

    listing = models.ForeignKey(Listing, on_delete=models.CASCADE, related_name="persons")
    role = models.CharField(_("身份"), max_length=12, choices=Role.choices)
    name = models.CharField(_("姓名"), max_length=50)
    id_number = EncryptedTextField(_("身份证号"))
    id_hash = models.CharField(max_length=64, db_index=True, editable=False)

    class Meta:
        ordering = ["role", "id"]
        verbose_name = _("失信责任人")
        verbose_name_plural = _("失信责任人")

    def __str__(self) -> str:
        return self.name

    @property
    def id_masked(self) -> str:
        return mask_id_number(self.id_number or "")


class ViolationCategory(models.TextChoices):
    """The categories of 重大劳动保障违法行为社会公布办法 (人社部令第29号) 第五条."""

    WAGES = "wages", _("克扣、无故拖欠劳动报酬，数额较大")
    REFUSED_PAY = "refused_pay", _("拒不支付劳动报酬，移送司法机关追究刑事责任")
    SOCIAL_INSURANCE = "social_insurance", _("不依法参加或缴纳社会保险，情节严重")
    HOURS = "hours", _("违反工作时间和休息休假规定，情节严重")
    WOMEN_MINORS = "women_minors", _("违反女职工和未成年工特殊劳动保护规定，情节严重")
    CHILD_LABOUR = "child_labour", _("违反禁止使用童工规定")
    SOCIAL_IMPACT = "social_impact", _("因劳动保障违法行为造成严重不良社会影响")


class Publication(models.Model):
    """A quarterly list a city or county bureau publishes: major violations (社会公布) or the white
    list of harmonious enterprises; generated as a draft, reviewed, issued, shown on the portal."""

    class Kind(models.TextChoices):
        MAJOR_VIOLATIONS = "violations", _("重大劳动保障违法行为社会公布")
        HARMONIOUS = "harmonious", _("劳动关系和谐企业名单")

    class State(models.TextChoices):
        DRAFT = "draft", _("草稿")
        REVIEWED = "reviewed", _("已审核")
        ISSUED = "issued", _("已发布")

    kind = models.CharField(_("种类"), max_length=12, choices=Kind.choices)
    org_unit = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("发布机关所在区划"))
    year = models.PositiveSmallIntegerField(_("年度"))
    quarter = models.PositiveSmallIntegerField(_("季度"))
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default=State.DRAFT)
    basis = models.CharField(_("依据"), max_length=300)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    issued_on = models.DateField(_("发布日期"), null=True, blank=True)

    class Meta:
        ordering = ["-year", "-quarter", "kind"]
        verbose_name = _("社会公布")
        verbose_name_plural = _("社会公布")
        constraints = [models.UniqueConstraint(fields=["kind", "org_unit", "year", "quarter"],
                                               name="uniq_credit_publication")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.year}Q{self.quarter}"


class PublicationEntry(models.Model):
    """One employer in a publication, with the facts and handling (or the incentives granted)."""

    publication = models.ForeignKey(Publication, on_delete=models.CASCADE, related_name="entries")
    employer = models.ForeignKey("employers.Employer", on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("用人单位"))
    case = models.ForeignKey("cases.Case", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("案件"))
    category = models.CharField(_("违法类别"), max_length=20, choices=ViolationCategory.choices, blank=True)
    facts = models.TextField(_("主要违法事实或评价结果"))
    handling = models.TextField(_("查处情况或激励措施"))

    class Meta:
        ordering = ["id"]
        verbose_name = _("公布条目")
        verbose_name_plural = _("公布条目")

    def __str__(self) -> str:
        return str(self.employer)
