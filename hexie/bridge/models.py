"""Work orders from other systems (the 12345 hotline, the national wage-clue platform), their
clocks as rules with their basis, and the outbox of the messages sent back.

An order is registered as a case the moment it arrives (nothing is lost: the case is committed
before the order is acknowledged); the order keeps what the sending system needs back: its own
reference, the sign-for, hand-back, extension and replies, the worker's rating, and their clocks.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from hexie.cases.models import Channel


class Source(models.TextChoices):
    """The systems orders come from, each with its own reference space."""

    HOTLINE_12345 = "12345", _("12345政务服务便民热线")
    WAGE_CLUE = "wage_clue", Channel.WAGE_CLUE.label


class OrderRule(models.Model):
    """A clock of the work-order loop, in working days, with its basis: the Shandong rule's defaults
    (reply within 5 working days, an extension of at most 10, a hand-back within 2)."""

    class Step(models.TextChoices):
        HAND_BACK = "hand_back", _("回退时限")
        REPLY = "reply", _("答复时限")
        EXTENSION = "extension", _("延期上限")

    source = models.CharField(_("来源"), max_length=12, choices=Source.choices)
    step = models.CharField(_("环节"), max_length=12, choices=Step.choices)
    working_days = models.PositiveSmallIntegerField(_("工作日"))
    basis = models.CharField(_("依据"), max_length=200)
    is_verified = models.BooleanField(_("已核实"), default=True)
    effective_from = models.DateField(_("生效日期"))
    effective_to = models.DateField(_("失效日期"), null=True, blank=True)

    class Meta:
        ordering = ["source", "step", "-effective_from"]
        verbose_name = _("工单时限规则")
        verbose_name_plural = _("工单时限规则")
        constraints = [models.UniqueConstraint(fields=["source", "step", "effective_from"], name="uniq_order_rule")]

    def __str__(self) -> str:
        return f"{self.get_source_display()} {self.get_step_display()}：{self.working_days}个工作日（{self.basis}）"


class WorkOrder(models.Model):
    """One order from another system, the case it became, and where it stands in that system's loop."""

    class State(models.TextChoices):
        RECEIVED = "received", _("待签收")
        SIGNED = "signed", _("已签收")
        HANDED_BACK = "handed_back", _("已回退")
        REPLIED = "replied", _("已办结答复")
        RATED = "rated", _("已评价")

    source = models.CharField(_("来源"), max_length=12, choices=Source.choices)
    external_ref = models.CharField(_("工单编号"), max_length=64)
    # The hash of the order as first received: the same order sent again changes nothing, a
    # different order under the same reference is refused.
    payload_hash = models.CharField(max_length=64, editable=False)
    case = models.OneToOneField("cases.Case", on_delete=models.PROTECT, related_name="work_order")
    org_unit = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="+")
    state = models.CharField(_("状态"), max_length=12, choices=State.choices, default=State.RECEIVED)
    title = models.CharField(_("标题"), max_length=200)
    received_at = models.DateTimeField(_("收到时间"))
    hand_back_by = models.DateField(_("回退截止"))
    reply_by = models.DateField(_("答复截止"))
    signed_at = models.DateTimeField(null=True, blank=True)
    handed_back_at = models.DateTimeField(null=True, blank=True)
    hand_back_reason = models.TextField(_("回退理由"), blank=True)
    extension_days = models.PositiveSmallIntegerField(_("延期工作日"), default=0)
    extension_reason = models.TextField(_("延期理由"), blank=True)
    replied_at = models.DateTimeField(null=True, blank=True)
    reply_text = models.TextField(_("答复内容"), blank=True)
    result = models.CharField(_("办理结果"), max_length=20, blank=True)
    rating = models.PositiveSmallIntegerField(_("群众评价"), null=True, blank=True)
    version = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = _("工单")
        verbose_name_plural = _("工单")
        constraints = [models.UniqueConstraint(fields=["source", "external_ref"], name="uniq_order_ref")]
        indexes = [models.Index(fields=["org_unit", "state"], name="order_unit_state")]

    def __str__(self) -> str:
        return f"{self.get_source_display()} {self.external_ref}"


class OutboundMessage(models.Model):
    """The outbox: a message to the sending system, written in the transaction of the step it
    reports and delivered (with retries) by the sender; its id goes with it, so that the
    receiving system can drop a repeat."""

    class State(models.TextChoices):
        PENDING = "pending", _("待发送")
        SENT = "sent", _("已发送")
        FAILED = "failed", _("发送失败")

    message_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    order = models.ForeignKey(WorkOrder, on_delete=models.CASCADE, related_name="messages")
    kind = models.CharField(max_length=20)
    payload = models.JSONField()
    state = models.CharField(max_length=8, choices=State.choices, default=State.PENDING, db_index=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(db_index=True)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("对接发件箱")
        verbose_name_plural = _("对接发件箱")

    def __str__(self) -> str:
        return f"{self.kind} {self.message_id}"
