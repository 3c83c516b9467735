"""Org units (city → district/county → street → community), partner agencies, and staff."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class OrgLevel(models.TextChoices):
    CITY = "city", _("市 City")
    DISTRICT = "district", _("区县 District/county")
    STREET = "street", _("街道乡镇 Street/township")
    COMMUNITY = "community", _("社区 Community")
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

    code = models.CharField(_("区划代码 Division code"), max_length=12, unique=True)
    name = models.CharField(_("名称 Name"), max_length=100)
    level = models.CharField(_("层级 Level"), max_length=12, choices=OrgLevel.choices)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children",
        verbose_name=_("上级 Parent"),
    )
    path = models.CharField(max_length=255, db_index=True, editable=False)
    # For a mediation body: its kind; for a body or a station: the area it serves, in words.
    body_kind = models.CharField(_("调解组织类型"), max_length=12, choices=MediationBodyKind.choices, blank=True)
    area = models.CharField(_("服务区域"), max_length=200, blank=True)

    class Meta:
        ordering = ["path"]
        verbose_name = _("组织单位 Org unit")
        verbose_name_plural = _("组织单位 Org units")

    def __str__(self) -> str:
        return f"{self.name}（{self.code}）"

    def save(self, *args: object, **kwargs: object) -> None:
        self.path = (self.parent.path if self.parent else "") + self.code + "/"
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def is_within(self, other: OrgUnit) -> bool:
        """True when this unit is `other` or below it."""
        return self.path.startswith(other.path)


class AgencyKind(models.TextChoices):
    COURT = "court", _("法院 Court")
    UNION = "union", _("工会 Trade union")
    HOUSING = "housing", _("住建 Housing & construction")
    POLICE = "police", _("公安 Police")
    OTHER = "other", _("其他 Other")


class PartnerAgency(models.Model):
    """An agency cases are referred to (联动单位); its staff see only what was referred to it."""

    name = models.CharField(_("名称 Name"), max_length=100, unique=True)
    kind = models.CharField(_("类别 Kind"), max_length=12, choices=AgencyKind.choices)
    org_unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, verbose_name=_("所在区划 Org unit"))

    class Meta:
        ordering = ["name"]
        verbose_name = _("联动单位 Partner agency")
        verbose_name_plural = _("联动单位 Partner agencies")

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    FRONT_DESK = "front_desk", _("窗口/热线 Front desk")
    HANDLER = "handler", _("承办人 Handler")
    LEADER = "leader", _("领导 Leader")
    PARTNER = "partner", _("联动单位 Partner agency")
    ADMIN = "admin", _("管理员 Administrator")
    # A labour-relations coordinator (劳动关系协调员) of a mediation body or service station: sees and
    # answers only the cases routed to it (hexie.orgs.scoping).
    COORDINATOR = "coordinator", _("劳动关系协调员")


class HandlerKind(models.TextChoices):
    INSPECTOR = "inspector", _("监察员 Inspector")
    MEDIATOR = "mediator", _("调解员 Mediator")
    ARBITRATOR = "arbitrator", _("仲裁员 Arbitrator")


class User(AbstractUser):
    """A member of staff: belongs to one org unit and sees it and everything below it."""

    full_name = models.CharField(_("姓名 Name"), max_length=50, blank=True)
    org_unit = models.ForeignKey(
        OrgUnit, null=True, blank=True, on_delete=models.PROTECT, related_name="staff",
        verbose_name=_("所属单位 Org unit"),
    )
    role = models.CharField(_("角色 Role"), max_length=12, choices=Role.choices, default=Role.FRONT_DESK)
    handler_kind = models.CharField(
        _("承办类别 Handler kind"), max_length=12, choices=HandlerKind.choices, blank=True
    )
    agency = models.ForeignKey(
        PartnerAgency, null=True, blank=True, on_delete=models.PROTECT, related_name="staff",
        verbose_name=_("联动单位 Partner agency"),
    )
    phone = models.CharField(_("电话 Phone"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("工作人员 Staff member")
        verbose_name_plural = _("工作人员 Staff")

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def display_name(self) -> str:
        return self.full_name or self.username

    @property
    def is_bureau_admin(self) -> bool:
        return self.is_superuser or self.role == Role.ADMIN
