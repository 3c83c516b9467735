"""The case file and what goes out from it: timeline entries, referrals, evidence files, the outbox."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from hexie.cases.models.case import Case
from hexie.cases.models.choices import Status
from hexie.core.pii import EncryptedTextField

# What each kind of timeline entry is called on screen (transitions are named by their own kind).
EVENT_LABELS = {
    "registered": _("登记"),
    "accept": _("受理"),
    "refuse": _("不予受理"),
    "assign": _("交办"),
    "start_handling": _("开始办理"),
    "transfer_track": _("变更办理途径"),
    "suspend": _("中止"),
    "resume": _("恢复办理"),
    "resolve": _("办结"),
    "start_follow_up": _("回访"),
    "close": _("结案"),
    "reopen": _("重新办理"),
    "rated": _("群众评价"),
    "extended": _("期限延长"),
    "clock_restarted": _("期限重新计算"),
    "deadline_recomputed": _("期限重新计算"),
    "clocks_started": _("补足法定期限"),
    "attachment": _("上传附件"),
    "referral_answered": _("联动单位答复"),
    "supervision_due_soon": _("临期提醒"),
    "supervision_overdue": _("超期督办"),
    "supervision_escalated": _("提级督办"),
    "supervision_acknowledged": _("签收督办"),
    "warning_raised": _("监测预警"),
    "warning_updated": _("监测预警更新"),
    "warning_resolved": _("预警消除"),
    "document_generated": _("生成文书"),
    # the chain between procedures
    "to_arbitration": _("调解不成转仲裁"),
    "accept_application": _("受理仲裁申请"),
    "award": _("作出仲裁裁决"),
    "apply_confirmation": _("申请司法确认"),
    "apply_payment_order": _("申请支付令"),
    "go_to_court": _("裁决后诉至法院"),
    "court_result": _("登记法院结果"),
    "order_payment": _("责令限期支付"),
    "additional_compensation": _("责令加付赔偿金"),
    "refer_police": _("涉嫌犯罪移送公安"),
    "route_to_body": _("分流至调解组织"),
    "reception_taken": _("领导接访包案"),
    # work orders from other systems (hexie.bridge)
    "order_received": _("收到工单"),
    "order_signed": _("签收工单"),
    "order_handed_back": _("回退工单"),
    "order_extension_requested": _("工单申请延期"),
    "order_replied": _("工单办结答复"),
    "order_rated": _("工单群众评价"),
    "order_resend": _("工单消息重发"),
}


class TimelineEvent(models.Model):
    """An entry in the case file: every write appends one in the same transaction."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events", verbose_name=_("案件"))
    at = models.DateTimeField(db_index=True, verbose_name=_("时间"))
    kind = models.CharField(max_length=32, verbose_name=_("类型"))
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, verbose_name=_("操作人"))
    from_status = models.CharField(max_length=16, blank=True, verbose_name=_("原状态"))
    to_status = models.CharField(max_length=16, blank=True, verbose_name=_("新状态"))
    message = models.TextField(blank=True, verbose_name=_("说明"))
    # Shown to the worker on the portal (without staff names or internal notes).
    public_message = models.CharField(max_length=200, blank=True, verbose_name=_("对群众公开的说明"))
    is_public = models.BooleanField(default=False, verbose_name=_("对群众公开"))
    data = models.JSONField(default=dict, blank=True, verbose_name=_("数据"))

    class Meta:
        verbose_name = _("案件记录")
        verbose_name_plural = pgettext_lazy("plural", "案件记录")
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

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="referrals", verbose_name=_("案件"))
    agency = models.ForeignKey("orgs.PartnerAgency", on_delete=models.PROTECT, related_name="referrals", verbose_name=_("联动单位"))
    referred_at = models.DateTimeField(verbose_name=_("移送时间"))
    referred_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, verbose_name=_("移送人"))
    note = models.TextField(blank=True, verbose_name=_("移送说明"))
    answered_at = models.DateTimeField(null=True, blank=True, verbose_name=_("答复时间"))
    answer = models.TextField(blank=True, verbose_name=_("答复"))

    class Meta:
        verbose_name = _("移送")
        verbose_name_plural = pgettext_lazy("plural", "移送")
        ordering = ["-referred_at"]


def attachment_path(instance: Attachment, filename: str) -> str:
    return f"cases/{instance.case_id}/{filename}"


class Attachment(models.Model):
    """Evidence a worker or clerk uploaded: type- and size-checked before it is stored."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("案件"))
    file = models.FileField(upload_to=attachment_path, verbose_name=_("文件"))
    original_name = models.CharField(max_length=200, verbose_name=_("原文件名"))
    content_type = models.CharField(max_length=100, verbose_name=_("文件类型"))
    size = models.PositiveIntegerField(verbose_name=_("大小（字节）"))
    uploaded_at = models.DateTimeField(auto_now_add=True, verbose_name=_("上传时间"))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, verbose_name=_("上传人"))

    class Meta:
        verbose_name = _("附件")
        verbose_name_plural = pgettext_lazy("plural", "附件")


class Notification(models.Model):
    """Outbox: a message is written in the same transaction as the event, delivered by the worker."""

    class Channel(models.TextChoices):
        SMS = "sms", _("短信")
        EMAIL = "email", _("邮件")

    class State(models.TextChoices):
        PENDING = "pending", _("待发送")
        SENT = "sent", _("已发送")
        FAILED = "failed", _("发送失败")

    case = models.ForeignKey(Case, null=True, blank=True, on_delete=models.CASCADE, related_name="notifications", verbose_name=_("案件"))
    channel = models.CharField(max_length=8, choices=Channel.choices, verbose_name=_("渠道"))
    recipient = EncryptedTextField(verbose_name=_("接收人"))
    subject = models.CharField(max_length=200, blank=True, verbose_name=_("主题"))
    body = models.TextField(verbose_name=_("内容"))
    state = models.CharField(max_length=8, choices=State.choices, default=State.PENDING, db_index=True, verbose_name=_("状态"))
    attempts = models.PositiveSmallIntegerField(default=0, verbose_name=_("尝试次数"))
    next_attempt_at = models.DateTimeField(db_index=True, verbose_name=_("下次尝试时间"))
    last_error = models.TextField(blank=True, verbose_name=_("最近错误"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("创建时间"))
    sent_at = models.DateTimeField(null=True, blank=True, verbose_name=_("发送时间"))

    class Meta:
        verbose_name = _("通知")
        verbose_name_plural = pgettext_lazy("plural", "通知")
