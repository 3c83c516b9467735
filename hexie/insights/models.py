"""Official documents of a case and the periodic bulletins, with the Word templates they come from.

Templates are data: the platform ships a default .docx for every kind (doc_templates/), and a
bureau administrator may upload its own version in the admin; each issued document records the
template version it was rendered from.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from hexie.core.models import LeasedJob


class DocumentKind(models.TextChoices):
    ACCEPTANCE_NOTICE = "acceptance_notice", _("受理通知书")
    REFUSAL_NOTICE = "refusal_notice", _("不予受理通知书")
    SUPERVISION_LETTER = "supervision_letter", _("督办函")
    REFERRAL_LETTER = "referral_letter", _("移送函")
    MEDIATION_AGREEMENT = "mediation_agreement", _("调解协议书")
    # The court's part of the chain: the package a party files, prepared from the case file.
    CONFIRMATION_REQUEST = "confirmation_request", _("司法确认申请书")
    PAYMENT_ORDER_REQUEST = "payment_order_request", _("支付令申请书")
    BULLETIN_WEEKLY = "bulletin_weekly", _("周调度通报")
    BULLETIN_MONTHLY = "bulletin_monthly", _("月度通报")
    BULLETIN_QUARTERLY = "bulletin_quarterly", _("季度通报")


CASE_DOCUMENT_KINDS: tuple[str, ...] = (
    DocumentKind.ACCEPTANCE_NOTICE,
    DocumentKind.REFUSAL_NOTICE,
    DocumentKind.SUPERVISION_LETTER,
    DocumentKind.REFERRAL_LETTER,
    DocumentKind.MEDIATION_AGREEMENT,
    DocumentKind.CONFIRMATION_REQUEST,
    DocumentKind.PAYMENT_ORDER_REQUEST,
)


class PeriodKind(models.TextChoices):
    WEEKLY = "weekly", _("周")
    MONTHLY = "monthly", _("月")
    QUARTERLY = "quarterly", _("季")


BULLETIN_TEMPLATE_KIND: dict[str, str] = {
    PeriodKind.WEEKLY: DocumentKind.BULLETIN_WEEKLY,
    PeriodKind.MONTHLY: DocumentKind.BULLETIN_MONTHLY,
    PeriodKind.QUARTERLY: DocumentKind.BULLETIN_QUARTERLY,
}


def template_path(instance: DocumentTemplate, filename: str) -> str:
    return f"doc_templates/{instance.kind}/v{instance.version}-{filename}"


class DocumentTemplate(models.Model):
    """The Word template of one kind of document: the packaged default, or the bureau's own upload.

    One row per kind. With no uploaded file, or with `is_active` off, the packaged default in
    hexie/insights/doc_templates/ is used, so switching an upload off is how a bureau goes back
    to the default. Every upload bumps `version`, which each issued document records.
    """

    kind = models.CharField(_("文书种类"), max_length=24, choices=DocumentKind.choices, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    file = models.FileField(_("模板文件（.docx）"), upload_to=template_path, blank=True)
    is_active = models.BooleanField(
        _("启用上传的模板"), default=True,
        help_text=_("关闭或未上传时使用系统默认模板"),
    )
    version = models.PositiveIntegerField(_("版本"), default=1)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("更新人"),
    )

    class Meta:
        ordering = ["kind"]
        verbose_name = _("文书模板")
        verbose_name_plural = pgettext_lazy("plural", "文书模板")

    def __str__(self) -> str:
        return f"{self.name}（v{self.version}）"

    @property
    def uses_upload(self) -> bool:
        return bool(self.file) and self.is_active


def case_document_path(instance: CaseDocument, filename: str) -> str:
    return f"cases/{instance.case_id}/documents/{filename}"


class CaseDocument(models.Model):
    """An official document issued on a case (受理通知书, 督办函…): numbered, stored in the case file."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="documents", verbose_name=_("案件"))
    kind = models.CharField(_("文书种类"), max_length=24, choices=DocumentKind.choices)
    template = models.ForeignKey(
        DocumentTemplate, null=True, blank=True, on_delete=models.SET_NULL, related_name="documents",
        verbose_name=_("模板"),
    )
    template_version = models.PositiveIntegerField(_("模板版本"), default=1)
    # True when the packaged default was used rather than an administrator's upload.
    template_is_default = models.BooleanField(default=True, verbose_name=_("使用默认模板"))
    number = models.CharField(_("文号"), max_length=40)
    file = models.FileField(upload_to=case_document_path, verbose_name=_("文件"))
    issuer = models.ForeignKey(
        "orgs.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("出具单位"),
    )
    generated_at = models.DateTimeField(_("生成时间"))
    generated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("生成人"),
    )

    class Meta:
        ordering = ["-generated_at", "-id"]
        verbose_name = _("案件文书")
        verbose_name_plural = pgettext_lazy("plural", "案件文书")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}"

    @property
    def download_name(self) -> str:
        label = str(DocumentKind(self.kind).label).split(" ")[0]
        return f"{label}-{self.case.number}-{self.pk}.docx"


class DocumentNumberSequence(models.Model):
    """The last document number (文号) issued per issuing unit, kind and year; bumped atomically."""

    issuer = models.ForeignKey("orgs.OrgUnit", on_delete=models.CASCADE, related_name="+", verbose_name=_("发文机关"))
    kind = models.CharField(max_length=24, choices=DocumentKind.choices, verbose_name=_("文书类型"))
    year = models.PositiveSmallIntegerField(verbose_name=_("年度"))
    last = models.PositiveIntegerField(default=0, verbose_name=_("已用到的序号"))

    class Meta:
        verbose_name = _("文书编号序列")
        verbose_name_plural = pgettext_lazy("plural", "文书编号序列")
        constraints = [
            models.UniqueConstraint(fields=["issuer", "kind", "year"], name="uniq_document_number_seq")
        ]


def bulletin_path(instance: Bulletin, filename: str) -> str:
    return f"bulletins/{instance.kind}/{instance.period_start:%Y}/{filename}"


class Bulletin(models.Model):
    """A weekly, monthly or quarterly bulletin (通报) of one org unit: the .docx, its PDF, its figures.

    One row per kind, period and unit: regenerating replaces the files and the figures in place.
    `generated_by` is empty when the scheduled job made it.
    """

    kind = models.CharField(_("周期"), max_length=10, choices=PeriodKind.choices)
    period_start = models.DateField(_("起始日"))
    period_end = models.DateField(_("截止日"))
    org_unit = models.ForeignKey(
        "orgs.OrgUnit", on_delete=models.PROTECT, related_name="bulletins", verbose_name=_("范围"),
    )
    title = models.CharField(_("标题"), max_length=200)
    docx = models.FileField(_("Word文件"), upload_to=bulletin_path)
    pdf = models.FileField(_("PDF文件"), upload_to=bulletin_path, blank=True)
    # Why there is no PDF (LibreOffice missing, conversion failed); empty when there is one.
    pdf_note = models.CharField(_("PDF说明"), max_length=300, blank=True)
    # What the document itself says about how it was made (e.g. no CJK font for chart labels).
    note = models.TextField(_("说明"), blank=True)
    figures = models.JSONField(_("数据"), default=dict, blank=True)
    generated_at = models.DateTimeField(_("生成时间"))
    generated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("生成人"),
    )

    class Meta:
        ordering = ["-period_start", "kind", "org_unit__path"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "period_start", "org_unit"], name="uniq_bulletin_period_unit")
        ]
        verbose_name = _("通报")
        verbose_name_plural = pgettext_lazy("plural", "通报")

    def __str__(self) -> str:
        return self.title


class BulletinRun(LeasedJob):
    """One generation of a bulletin, scheduled or on demand: running, then done or failed.

    Rendering takes seconds (charts, a PDF conversion), so its worker holds it by lease
    (``hexie.core.leases``): a generation whose worker was killed is marked failed by the reaper
    and shown on the bulletins page with a button to generate it again. ``bulletin`` is the row
    it produced.
    """

    class State(models.TextChoices):
        RUNNING = "running", _("生成中")
        DONE = "done", _("已生成")
        FAILED = "failed", _("生成失败")

    kind = models.CharField(_("周期"), max_length=10, choices=PeriodKind.choices)
    period_start = models.DateField(_("起始日"))
    org_unit = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("范围"))
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+", verbose_name=_("发起人"))
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default=State.RUNNING)
    started_at = models.DateTimeField(_("开始"))
    finished_at = models.DateTimeField(_("结束"), null=True, blank=True)
    message = models.TextField(_("说明"), blank=True)
    bulletin = models.ForeignKey(Bulletin, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-started_at", "-pk"]
        verbose_name = _("通报生成")
        verbose_name_plural = _("通报生成")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.period_start:%Y-%m-%d} {self.get_state_display()}"


class RollupWindow(models.TextChoices):
    RECEIVED = "received", _("收到")
    RESOLVED = "resolved", _("办结")
    ACCEPTED = "accepted", _("受理（仲裁）")


class RollupGrain(models.TextChoices):
    DAY = "day", _("日")
    MONTH = "month", _("月")


class CaseRollup(models.Model):
    """One figure's part over the closed cases of one org unit, one day (or month) and one date window.

    A closed case can no longer change (no transition leads out of `closed`), so its share of every
    dashboard figure is added up once by `hexie.insights.services.rollup.refresh_rollup` and read from here.
    `window` says which date of the case `day` is (received, resolved, accepted); `measure` is the
    dashboard's aggregate key; a month row (`day` = the 1st) is the sum of that month's day rows.
    Only cases closed before the watermark in `RollupState` are counted here; the dashboard counts
    every other case live, with the same conditions.
    """

    window = models.CharField(max_length=8, choices=RollupWindow.choices, verbose_name=_("统计口径"))
    grain = models.CharField(max_length=5, choices=RollupGrain.choices, verbose_name=_("粒度"))
    day = models.DateField(verbose_name=_("日期"))
    org_unit = models.ForeignKey("orgs.OrgUnit", on_delete=models.CASCADE, related_name="+", verbose_name=_("区划"))
    measure = models.CharField(max_length=40, verbose_name=_("指标"))
    value = models.DecimalField(max_digits=20, decimal_places=2, verbose_name=_("数值"))

    class Meta:
        verbose_name = _("已结案汇总")
        verbose_name_plural = pgettext_lazy("plural", "已结案汇总")
        constraints = [
            # Also the read path: window, grain and a range of days.
            models.UniqueConstraint(fields=["window", "grain", "day", "org_unit", "measure"], name="rollup_key"),
        ]

    def __str__(self) -> str:
        return f"{self.window} {self.grain} {self.day} {self.org_unit_id} {self.measure}={self.value}"


class RollupState(models.Model):
    """The roll-up's watermark: cases closed before it are in `CaseRollup`, the rest are counted live.

    One row. `signature` fingerprints the measures' definitions and the working-day calendar the
    roll-up was built with; when either changes, the roll-up is not read (everything is counted
    live) until the next refresh rebuilds it.
    """

    key = models.CharField(max_length=16, primary_key=True, default="cases", verbose_name=_("键"))
    watermark = models.DateTimeField(null=True, blank=True, verbose_name=_("水位"))
    signature = models.CharField(max_length=64, blank=True, verbose_name=_("签名"))
    refreshed_at = models.DateTimeField(null=True, blank=True, verbose_name=_("刷新时间"))
    last_seconds = models.FloatField(default=0, verbose_name=_("上次耗时（秒）"))
    last_cases = models.PositiveIntegerField(default=0, verbose_name=_("上次案件数"))
    # Counts the refreshes that wrote rows: what was read of the roll-up is kept under it (and the
    # watermark), so a rebuild that keeps the watermark still makes the kept reads stale.
    generation = models.PositiveBigIntegerField(default=0, verbose_name=_("刷新次数"))

    class Meta:
        verbose_name = _("汇总水位")
        verbose_name_plural = pgettext_lazy("plural", "汇总水位")

    def __str__(self) -> str:
        return f"{self.key} < {self.watermark}"
