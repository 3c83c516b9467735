"""Statutory clocks: the rules they come from, each clock on a case, and the supervision of late ones."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from hexie.cases.models.case import Case
from hexie.cases.models.choices import Complexity, Track
from hexie.cases.periods import period_words


class DeadlineRule(models.Model):
    """A statutory (or local) clock: track, step, length in working or calendar days, and its basis."""

    class Unit(models.TextChoices):
        WORKING = "working", _("工作日 Working days")
        CALENDAR = "calendar", _("自然日 Calendar days")

    class Trigger(models.TextChoices):
        INTAKE = "intake", _("登记时 On intake")
        ACCEPT = "accept", _("受理时 On acceptance")
        # A track is entered when the case is accepted onto it, and again when it changes track or
        # is reopened (see the transition table, hexie.cases.workflow).
        START = "start", _("进入办理途径时（受理、变更途径） On entering a track (acceptance, change of track)")
        # A step of the chain between procedures (`starts_with` names it): the arbitration
        # commission's receipt of a failed mediation, an award, a mediation agreement.
        STEP = "step", _("指定环节发生时")

    class CountsFrom(models.TextChoices):
        """The day the period is counted from when the clock starts at acceptance."""

        STEP = "step", _("起算环节之日（受理、立案） The day of the step that starts it")
        # Mediation (调解仲裁法 Art. 14): 15 days from the mediation body's receipt of the application,
        # however long acceptance took.
        RECEIPT = "receipt", _("收到申请之日 The day the application was received")

    class Ends(models.TextChoices):
        DECISION = "decision", _("受理或不予受理时 On accepting or refusing")
        RESOLUTION = "resolution", _("办结时 On resolution")
        # A party's window that closes when the party goes to court (sues, applies for judicial
        # confirmation or a payment order), or lapses.
        COURT = "court", _("向法院提出时")

    code = models.CharField(_("代码 Code"), max_length=40)
    track = models.CharField(_("途径 Track"), max_length=16, blank=True, choices=Track.choices)
    case_types = models.JSONField(_("适用类型 Case types"), default=list, blank=True)
    complexity = models.CharField(_("仅限繁简 Only for"), max_length=8, blank=True, choices=Complexity.choices)
    trigger = models.CharField(_("起算 Starts"), max_length=8, choices=Trigger.choices)
    ends_on = models.CharField(_("止算 Ends"), max_length=10, choices=Ends.choices, default=Ends.RESOLUTION)
    step = models.CharField(_("环节 Step"), max_length=100)
    unit = models.CharField(_("计算单位 Unit"), max_length=8, choices=Unit.choices)
    length = models.PositiveSmallIntegerField(_("期限 Length"))
    extension_length = models.PositiveSmallIntegerField(_("可延长 Extension"), default=0)
    counts_from = models.CharField(_("起算日 Counted from"), max_length=8, choices=CountsFrom.choices,
                                   default=CountsFrom.STEP)
    # How documents name that day: 自{counts_from_words}之日起六十个工作日内 (e.g. 立案, 受理, 收到申请).
    counts_from_words = models.CharField(_("起算表述 Counted from (words)"), max_length=20, blank=True)
    basis = models.CharField(_("法律依据 Legal basis"), max_length=200)
    # For trigger "step": the workflow step that starts the clock (its transition name), or
    # "<step>.<variant>" for a clock only some outcomes of the step start (a final award).
    starts_with = models.CharField(_("起算环节"), max_length=40, blank=True)
    # A party's window (to sue, to apply to the court), not the bureau's time limit: when it
    # passes, the bureau is not late, the window has lapsed. Never supervised, never "overdue".
    binds_party = models.BooleanField(_("当事人期限"), default=False)
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
