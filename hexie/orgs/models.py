"""Org units (city → district/county → street → community), partner agencies, and staff."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from hexie.crypto.fields import EncryptedTextField


class OrgLevel(models.TextChoices):
    CITY = "city", _("市")
    DISTRICT = "district", _("区县")
    STREET = "street", _("街道乡镇")
    COMMUNITY = "community", _("社区")
    # The mediation network (rules.md §8; 调解仲裁法 Art. 10): bodies and service stations sit below
    # (or beside, under the same district) the street they serve, so "a unit and below" reaches them.
    MEDIATION_BODY = "mediation", _("调解组织")
    STATION = "station", _("劳动关系服务站")


class MediationBodyKind(models.TextChoices):
    """The kinds of labour-dispute mediation body (调解仲裁法 Art. 10, and the sources' 商会调解)."""

    ENTERPRISE = "enterprise", _("企业劳动争议调解委员会")
    TOWNSHIP = "township", _("乡镇（街道）劳动争议调解组织")
    INDUSTRY = "industry", _("行业性劳动争议调解组织")
    CHAMBER = "chamber", _("商会劳动争议调解组织")
    UNION = "union", _("工会劳动争议调解组织")


class OrgUnit(models.Model):
    """A node of the administrative tree, identified by its GB/T 2260 (or statistical) code.

    `path` is the chain of codes from the root ("430100/430102/430102001/"), so "this unit and
    everything below it" is one indexed prefix match instead of a recursive query.
    """

    code = models.CharField(_("区划代码"), max_length=12, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    level = models.CharField(_("层级"), max_length=12, choices=OrgLevel.choices)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children",
        verbose_name=_("上级"),
    )
    path = models.CharField(max_length=255, db_index=True, editable=False, verbose_name=_("层级路径"))
    # For a mediation body: its kind; for a body or a station: the area it serves, in words.
    body_kind = models.CharField(_("调解组织类型"), max_length=12, choices=MediationBodyKind.choices, blank=True)
    area = models.CharField(_("服务区域"), max_length=200, blank=True)

    class Meta:
        ordering = ["path"]
        verbose_name = _("组织单位")
        verbose_name_plural = pgettext_lazy("plural", "组织单位")

    def __str__(self) -> str:
        return f"{self.name}（{self.code}）"

    def save(self, *args: object, **kwargs: object) -> None:
        self.path = (self.parent.path if self.parent else "") + self.code + "/"
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def is_within(self, other: OrgUnit) -> bool:
        """True when this unit is `other` or below it."""
        return self.path.startswith(other.path)


class AgencyKind(models.TextChoices):
    COURT = "court", _("法院")
    UNION = "union", _("工会")
    HOUSING = "housing", _("住建")
    POLICE = "police", _("公安")
    OTHER = "other", _("其他")


class PartnerAgency(models.Model):
    """An agency cases are referred to (联动单位); its staff see only what was referred to it."""

    name = models.CharField(_("名称"), max_length=100, unique=True)
    kind = models.CharField(_("类别"), max_length=12, choices=AgencyKind.choices)
    org_unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, verbose_name=_("所在区划"))

    class Meta:
        ordering = ["name"]
        verbose_name = _("联动单位")
        verbose_name_plural = pgettext_lazy("plural", "联动单位")

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    FRONT_DESK = "front_desk", _("窗口/热线")
    HANDLER = "handler", _("承办人")
    LEADER = "leader", _("领导")
    PARTNER = "partner", _("联动单位")
    ADMIN = "admin", _("管理员")
    # An employer's own log-in (hexie.prevention): no unit, sees only its own employer's file.
    EMPLOYER = "employer", _("用人单位账号")
    # A labour-relations coordinator (劳动关系协调员) of a mediation body or service station: sees and
    # answers only the cases routed to it (hexie.orgs.scoping).
    COORDINATOR = "coordinator", _("劳动关系协调员")


class HandlerKind(models.TextChoices):
    INSPECTOR = "inspector", _("监察员")
    MEDIATOR = "mediator", _("调解员")
    ARBITRATOR = "arbitrator", _("仲裁员")


class User(AbstractUser):
    """A member of staff: belongs to one org unit and sees it and everything below it."""

    full_name = models.CharField(_("姓名"), max_length=50, blank=True)
    org_unit = models.ForeignKey(
        OrgUnit, null=True, blank=True, on_delete=models.PROTECT, related_name="staff",
        verbose_name=_("所属单位"),
    )
    role = models.CharField(_("角色"), max_length=12, choices=Role.choices, default=Role.FRONT_DESK)
    handler_kind = models.CharField(
        _("承办类别"), max_length=12, choices=HandlerKind.choices, blank=True
    )
    agency = models.ForeignKey(
        PartnerAgency, null=True, blank=True, on_delete=models.PROTECT, related_name="staff",
        verbose_name=_("联动单位"),
    )
    # Encrypted at rest like every phone (hexie.crypto); shown masked, never prefilled in clear.
    phone = EncryptedTextField(_("电话"), blank=True)

    class Meta:
        verbose_name = _("工作人员")
        verbose_name_plural = pgettext_lazy("plural", "工作人员")

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def display_name(self) -> str:
        return self.full_name or self.username

    @property
    def is_bureau_admin(self) -> bool:
        return self.is_superuser or self.role == Role.ADMIN
