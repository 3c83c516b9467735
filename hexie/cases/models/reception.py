"""Leaders' reception days (领导接访日): a schedule per unit, and the visits received on each."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from hexie.cases.models.case import Case


class ReceptionDay(models.Model):
    """A day on which a leader receives visitors at a unit; the cases taken become the leader's (包案)."""

    org_unit = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("接访单位"))
    leader = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="reception_days",
                               verbose_name=_("接访领导"))
    on = models.DateField(_("接访日期"))
    place = models.CharField(_("地点"), max_length=200)
    topic = models.CharField(_("主题"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-on", "-id"]
        verbose_name = _("领导接访日")
        verbose_name_plural = _("领导接访日")
        constraints = [models.UniqueConstraint(fields=["org_unit", "leader", "on"], name="uniq_reception_day")]

    def __str__(self) -> str:
        return f"{self.on} {self.place}"


class ReceptionVisit(models.Model):
    """A visit received on a reception day: how many people came, and the case taken, if any."""

    day = models.ForeignKey(ReceptionDay, on_delete=models.CASCADE, related_name="visits")
    at = models.DateTimeField(_("接待时间"))
    people = models.PositiveIntegerField(_("来访人数"), default=1)
    case = models.OneToOneField(Case, null=True, blank=True, on_delete=models.PROTECT, related_name="reception_visit",
                                verbose_name=_("接访案件"))
    summary = models.CharField(_("接访摘要"), max_length=500, blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("接访登记")
        verbose_name_plural = _("接访登记")

    def __str__(self) -> str:
        return f"{self.day} {self.people}人"
