"""The named values a case takes: its type, channel, status, track, grades, conclusion and cause."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class CaseType(models.TextChoices):
    WAGE_ARREARS = "wage_arrears", _("欠薪")
    LABOUR_DISPUTE = "labour_dispute", _("劳动争议")
    PETITION = "petition", _("信访")
    CONSULTATION = "consultation", _("咨询")


class Channel(models.TextChoices):
    WEB = "web", _("网上")
    QR = "qr", _("扫码")
    PHONE = "phone", _("来电")
    VISIT = "visit", _("来访")
    LETTER = "letter", _("来信")
    HOTLINE_12345 = "hotline_12345", _("12345热线")
    API = "api", _("接口")
    # Clues of the national wage-clue platform (全国根治欠薪线索反映平台), received through the bridge
    # with the platform's own reference; the result goes back to it when the case closes.
    WAGE_CLUE = "wage_clue", _("全国根治欠薪线索反映平台")
    MONITORING = "monitoring", _("监测预警")
    # An order to rectify (hexie.prevention) not complied with by its deadline.
    RECTIFICATION = "rectification", _("逾期未整改")


class Status(models.TextChoices):
    REGISTERED = "registered", _("已登记")
    ACCEPTED = "accepted", _("已受理")
    REFUSED = "refused", _("不予受理")
    ASSIGNED = "assigned", _("已交办")
    IN_HANDLING = "in_handling", _("办理中")
    SUSPENDED = "suspended", _("已中止")
    RESOLVED = "resolved", _("已办结")
    FOLLOW_UP = "follow_up", _("回访中")
    CLOSED = "closed", _("已结案")


OPEN_STATUSES = (
    Status.REGISTERED, Status.ACCEPTED, Status.ASSIGNED, Status.IN_HANDLING, Status.SUSPENDED,
)


class Track(models.TextChoices):
    MEDIATION = "mediation", _("调解")
    INSPECTION = "inspection", _("劳动保障监察")
    ARBITRATION = "arbitration", _("仲裁")
    PETITION = "petition", _("信访")
    REFERRAL = "referral", _("移送联动单位")
    CONSULTATION = "consultation", _("咨询答复")
    # The court's part of the chain (judicial confirmation, payment order, a suit after an award):
    # reached only by the chain's own steps from a resolved case, never chosen at acceptance.
    COURT = "court", _("法院")


class Complexity(models.TextChoices):
    SIMPLE = "simple", _("简易")
    COMPLEX = "complex", _("复杂")


class AttentionLevel(models.TextChoices):
    NORMAL = "normal", _("普通关注")
    KEY = "key", _("重点关注")
    SPECIAL = "special", _("特别关注")


ATTENTION_ORDER = {AttentionLevel.NORMAL: 0, AttentionLevel.KEY: 1, AttentionLevel.SPECIAL: 2}


class ClosureConclusion(models.TextChoices):
    PAID_IN_FULL = "paid_in_full", _("已足额支付")
    PAID_IN_PART = "paid_in_part", _("部分支付")
    MEDIATED = "mediated", _("调解成功")
    AWARDED = "awarded", _("仲裁裁决")
    ORDER_ISSUED = "order_issued", _("责令改正/行政处理")
    REFERRED_CLOSED = "referred_closed", _("移送办结")
    NOT_SUBSTANTIATED = "not_substantiated", _("查无实据")
    WITHDRAWN = "withdrawn", _("撤回")
    ANSWERED = "answered", _("已答复")
    TO_COURT = "to_court", _("引导诉讼")


class DisputeCause(models.TextChoices):
    """The cause of a dispute as the arbitration statistics table counts it (rules.md §6)."""

    PAY = "pay", _("劳动报酬")
    SOCIAL_INSURANCE = "social_insurance", _("社会保险")
    CONTRACT = "contract", _("变更/解除/终止劳动合同")
    OTHER = "other", _("其他")


class Outcome(models.TextChoices):
    """Who an award or settlement favoured, as the arbitration statistics table counts it (rules.md §6)."""

    WORKER_WON = "worker_won", _("劳动者胜诉")
    EMPLOYER_WON = "employer_won", _("用人单位胜诉")
    SPLIT = "split", _("双方部分支持")
