"""Rectification orders (责令限期整改指令书): issued for the failed items of a signed-off assessment."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class OrderState(models.TextChoices):
    ISSUED = "issued", _("已下达")
    ANSWERED = "answered", _("单位已答复")
    COMPLIED = "complied", _("复查合格")
    ESCALATED = "escalated", _("逾期未整改，已立案")


#: Orders still waiting on the employer or on the re-check.
OPEN_ORDER_STATES = (OrderState.ISSUED, OrderState.ANSWERED)


class RectificationOrder(models.Model):
    """An order to put the failed items right by a deadline counted in working days.

    A re-check closes it (``complied``); an order still open after its deadline opens an
    inspection case on the normal clocks (``escalated``, ``case``).
    """

    number = models.CharField(_("文书编号"), max_length=40, unique=True)
    assessment = models.ForeignKey("prevention.Assessment", on_delete=models.PROTECT, related_name="orders",
                                   verbose_name=_("检查评价"))
    employer = models.ForeignKey("employers.Employer", on_delete=models.PROTECT, related_name="rectification_orders",
                                 verbose_name=_("用人单位"))
    answers = models.ManyToManyField("prevention.Answer", related_name="orders", verbose_name=_("整改事项"))
    requirements = models.TextField(_("整改要求"))
    legal_basis = models.TextField(_("依据"))
    state = models.CharField(_("状态"), max_length=10, choices=OrderState.choices, default=OrderState.ISSUED,
                             db_index=True)
    issued_on = models.DateField(_("下达日期"))
    working_days = models.PositiveSmallIntegerField(_("整改期限（工作日）"))
    deadline = models.DateField(_("整改期限"), db_index=True)
    deadline_provisional = models.BooleanField(_("期限为暂定"), default=False)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("下达人"))
    response = models.TextField(_("单位整改情况"), blank=True)
    responded_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    responded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")
    rechecked_at = models.DateTimeField(_("复查时间"), null=True, blank=True)
    rechecked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+", verbose_name=_("复查人"))
    recheck_note = models.TextField(_("复查意见"), blank=True)
    closed_on = models.DateField(_("办结日期"), null=True, blank=True)
    case = models.ForeignKey("cases.Case", null=True, blank=True, on_delete=models.PROTECT,
                             related_name="rectification_orders", verbose_name=_("立案案件"))

    class Meta:
        ordering = ["-issued_on", "-pk"]
        verbose_name = _("责令限期整改指令书")
        verbose_name_plural = _("责令限期整改指令书")
        indexes = [models.Index(fields=["state", "deadline"])]

    def __str__(self) -> str:
        return self.number


class OrderNumberSequence(models.Model):
    """The yearly counter behind order numbers, one row per year taken with a row lock."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)
