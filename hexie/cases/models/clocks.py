"""Statutory clocks: the rules they come from, each clock on a case, and the supervision of late ones."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from hexie.cases.models.case import Case
from hexie.cases.models.choices import Complexity, Track
from hexie.cases.periods import period_words


class DeadlineRule(models.Model):
    """A statutory (or local) clock: track, step, length in working or calendar days, and its basis."""

    class Unit(models.TextChoices):
        WORKING = "working", _("工作日")
        CALENDAR = "calendar", _("自然日")

    class Trigger(models.TextChoices):
        INTAKE = "intake", _("登记时")
        ACCEPT = "accept", _("受理时")
        # A track is entered when the case is accepted onto it, and again when it changes track or
        # is reopened (see the transition table, hexie.cases.workflow).
        START = "start", _("进入办理途径时（受理、变更途径）")
        # A step of the chain between procedures (`starts_with` names it): the arbitration
        # commission's receipt of a failed mediation, an award, a mediation agreement.
        STEP = "step", _("指定环节发生时")

    class CountsFrom(models.TextChoices):
        """The day the period is counted from when the clock starts at acceptance."""

        STEP = "step", _("起算环节之日（受理、立案）")
        # Mediation (调解仲裁法 Art. 14): 15 days from the mediation body's receipt of the application,
        # however long acceptance took.
        RECEIPT = "receipt", _("收到申请之日")

    class Ends(models.TextChoices):
        DECISION = "decision", _("受理或不予受理时")
        RESOLUTION = "resolution", _("办结时")
        # A party's window that closes when the party goes to court (sues, applies for judicial
        # confirmation or a payment order), or lapses.
        COURT = "court", _("向法院提出时")

    code = models.CharField(_("代码"), max_length=40)
    track = models.CharField(_("途径"), max_length=16, blank=True, choices=Track.choices)
    case_types = models.JSONField(_("适用类型"), default=list, blank=True)
    complexity = models.CharField(_("仅限繁简"), max_length=8, blank=True, choices=Complexity.choices)
    trigger = models.CharField(_("起算"), max_length=8, choices=Trigger.choices)
    ends_on = models.CharField(_("止算"), max_length=10, choices=Ends.choices, default=Ends.RESOLUTION)
    step = models.CharField(_("环节"), max_length=100)
    unit = models.CharField(_("计算单位"), max_length=8, choices=Unit.choices)
    length = models.PositiveSmallIntegerField(_("期限"))
    extension_length = models.PositiveSmallIntegerField(_("可延长"), default=0)
    counts_from = models.CharField(_("起算日"), max_length=8, choices=CountsFrom.choices,
                                   default=CountsFrom.STEP)
    # How documents name that day: 自{counts_from_words}之日起六十个工作日内 (e.g. 立案, 受理, 收到申请).
    counts_from_words = models.CharField(_("起算表述"), max_length=20, blank=True)
    basis = models.CharField(_("法律依据"), max_length=200)
    # For trigger "step": the workflow step that starts the clock (its transition name), or
    # "<step>.<variant>" for a clock only some outcomes of the step start (a final award).
    starts_with = models.CharField(_("起算环节"), max_length=40, blank=True)
    # A party's window (to sue, to apply to the court), not the bureau's time limit: when it
    # passes, the bureau is not late, the window has lapsed. Never supervised, never "overdue".
    binds_party = models.BooleanField(_("当事人期限"), default=False)
    is_verified = models.BooleanField(_("已核实"), default=True)
    is_active = models.BooleanField(_("启用"), default=True)
    effective_from = models.DateField(_("生效日期"))
    effective_to = models.DateField(_("失效日期"), null=True, blank=True)
    # When the row was last saved: the rule cache's cross-process fingerprint (hexie.cases.rulecache).
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        ordering = ["track", "code", "-effective_from"]
        verbose_name = _("期限规则")
        verbose_name_plural = pgettext_lazy("plural", "期限规则")
        constraints = [
            models.UniqueConstraint(fields=["code", "effective_from"], name="uniq_deadline_rule_version")
        ]

    def __str__(self) -> str:
        unit = "工作日" if self.unit == self.Unit.WORKING else "日"
        return f"{self.step}：{self.length}{unit}（{self.basis}）"

    @property
    def start_words(self) -> str:
        """The day the period counts from, as documents name it (立案, 受理, 收到申请)."""
        if self.counts_from_words:
            return self.counts_from_words
        received = self.trigger == self.Trigger.INTAKE or self.counts_from == self.CountsFrom.RECEIPT
        return "收到申请" if received else "受理"

    def period_words(self) -> str:
        """The statutory period in words: 自立案之日起六十个工作日内."""
        return period_words(length=self.length, unit=self.unit, since=f"{self.start_words}之日")


class Deadline(models.Model):
    """One running (or finished) clock on a case, with the rule it comes from."""

    class State(models.TextChoices):
        RUNNING = "running", _("计时中")
        PAUSED = "paused", _("已中止计时")
        MET = "met", _("已完成")
        CANCELLED = "cancelled", _("已取消")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="deadlines", verbose_name=_("案件"))
    rule = models.ForeignKey(DeadlineRule, on_delete=models.PROTECT, related_name="deadlines", verbose_name=_("期限规则"))
    state = models.CharField(max_length=10, choices=State.choices, default=State.RUNNING, verbose_name=_("状态"))
    starts_on = models.DateField(_("起算日"))
    due_on = models.DateField(_("届满日"), db_index=True)
    is_provisional = models.BooleanField(_("暂定"), default=False)
    extended = models.BooleanField(_("已延长"), default=False)
    paused_on = models.DateField(null=True, blank=True, verbose_name=_("中止日期"))
    paused_days = models.PositiveIntegerField(default=0, verbose_name=_("中止天数"))
    finished_at = models.DateTimeField(null=True, blank=True, verbose_name=_("完成时间"))
    finished_on_time = models.BooleanField(null=True, verbose_name=_("按期完成"))

    class Meta:
        verbose_name = _("办理期限")
        verbose_name_plural = pgettext_lazy("plural", "办理期限")
        ordering = ["due_on"]
        indexes = [models.Index(fields=["state", "due_on"], name="deadline_state_due")]

    def __str__(self) -> str:
        return f"{self.rule.step} → {self.due_on}"


class Supervision(models.Model):
    """A supervision record (督办): due soon, overdue, or escalated to the responsible leader."""

    class Kind(models.TextChoices):
        DUE_SOON = "due_soon", _("临期提醒")
        OVERDUE = "overdue", _("超期督办")
        ESCALATED = "escalated", _("提级督办")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="supervisions", verbose_name=_("案件"))
    deadline = models.ForeignKey(Deadline, on_delete=models.CASCADE, related_name="supervisions", verbose_name=_("期限"))
    kind = models.CharField(max_length=10, choices=Kind.choices, verbose_name=_("类型"))
    created_at = models.DateTimeField(verbose_name=_("创建时间"))
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="supervisions"
    , verbose_name=_("督办领导"))
    acknowledged_at = models.DateTimeField(null=True, blank=True, verbose_name=_("签收时间"))
    note = models.TextField(blank=True, verbose_name=_("批示"))

    class Meta:
        verbose_name = _("督办记录")
        verbose_name_plural = pgettext_lazy("plural", "督办记录")
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["deadline", "kind"], name="uniq_supervision_kind")]
