"""The named values a case takes: its type, channel, status, track, grades, conclusion and cause."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


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
    CONSULTATION = "consultation", _("咨询答复 Answer a consultation")
    # The court's part of the chain (judicial confirmation, payment order, a suit after an award):
    # reached only by the chain's own steps from a resolved case, never chosen at acceptance.
    COURT = "court", _("法院")


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
