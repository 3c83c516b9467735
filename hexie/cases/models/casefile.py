"""The case file and what goes out from it: timeline entries, referrals, evidence files, the outbox."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from hexie.cases.models.case import Case
from hexie.cases.models.choices import Status
from hexie.core.pii import EncryptedTextField

# What each kind of timeline entry is called on screen (transitions are named by their own kind).
EVENT_LABELS = {
    "registered": _("登记 Registered"),
    "accept": _("受理 Accepted"),
    "refuse": _("不予受理 Refused"),
    "assign": _("交办 Assigned"),
    "start_handling": _("开始办理 Handling started"),
    "transfer_track": _("变更办理途径 Track changed"),
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
    "clocks_started": _("补足法定期限 Missing clocks started"),
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
