"""The admin, scoped to a jurisdiction: an administrator of a district manages its own staff, org
units and (where the rules are theirs) rules, without being a superuser.

Django's admin asks its own per-model permissions and lets in only ``is_staff`` accounts. Hexie's
rule for who sees and changes what is the one scoping module (``hexie.orgs.scoping``), so here:

* the admin site (``HexieAdminSite``) also lets in an *administrator with a unit* (role ``admin``,
  active, with an org unit) — a *scoped administrator*; superusers and ``is_staff`` accounts keep
  the admin exactly as before;
* ``JurisdictionAdminMixin`` answers the permission questions for a scoped administrator from the
  scoping rules (``may``), lists rows through ``restrict`` and checks each row's unit: a row outside
  the jurisdiction is not there. Rules without a unit (deadline, triage and warning rules, partner
  agencies) are installation-wide: only an administrator whose unit is the top of the org tree
  changes them; a district administrator reads them.

Nothing else of the admin opens to a scoped administrator: a model admin without the mixin still
asks Django's permissions, which such an account does not hold. Deleting stays with superusers:
staff are deactivated and units kept, so the files that name them still read right.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.core.exceptions import ValidationError
from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from hexie.orgs.models import OrgUnit, Role
from hexie.orgs.scoping import CHANGE, VIEW, as_staff, may, restrict, rule_for


def is_scoped_admin(user: Any) -> bool:
    """An active administrator with an org unit who is not a superuser: the admin, within their unit."""
    staff = as_staff(user)
    return (staff is not None and not staff.is_superuser and staff.role == Role.ADMIN
            and staff.org_unit_id is not None)


def covers_installation(user: Any) -> bool:
    """Whether the user's jurisdiction is the whole installation (a unit at the top of the tree)."""
    staff = as_staff(user)
    if staff is None:
        return False
    return staff.is_superuser or (staff.org_unit is not None and staff.org_unit.parent_id is None)


class HexieAdminAuthenticationForm(AdminAuthenticationForm):
    """The admin's log-in form, which also lets a scoped administrator in."""

    def confirm_login_allowed(self, user: Any) -> None:
        if is_scoped_admin(user):
            return
        super().confirm_login_allowed(user)


def bureau_name() -> str:
    """The bureau this installation serves: HEXIE_BUREAU_NAME when set, else named after the unit of
    HEXIE_BUREAU_CODE (or the root of the org tree): 长沙市人力资源和社会保障局."""
    if settings.HEXIE_BUREAU_NAME:
        return str(settings.HEXIE_BUREAU_NAME)
    unit = (OrgUnit.objects.filter(code=settings.HEXIE_BUREAU_CODE).first()
            or OrgUnit.objects.filter(parent__isnull=True).order_by("code").first())
    if unit is None:
        return gettext("人力资源和社会保障局")
    return gettext("%(unit)s人力资源和社会保障局") % {"unit": unit.name}


class HexieAdminSite(admin.AdminSite):
    """The admin site: staff accounts as before, and administrators within their jurisdiction."""

    site_header = _("系统配置")
    site_title = _("和谐")
    login_form = HexieAdminAuthenticationForm

    def each_context(self, request: HttpRequest) -> dict[str, Any]:
        # The bureau's own name heads its configuration pages, not Django's.
        context = super().each_context(request)
        context["site_header"] = gettext("%(bureau)s · 系统配置") % {"bureau": bureau_name()}
        return context

    def has_permission(self, request: HttpRequest) -> bool:
        user = request.user
        return bool(user.is_active and (user.is_staff or is_scoped_admin(user)))


class JurisdictionAdminMixin:
    """Permissions and querysets of a model admin from the scoping rules, for a scoped administrator.

    Put it before the admin base class. A superuser or a staff account with Django permissions
    is answered as before.
    """

    model: type[Model]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        qs: QuerySet[Any] = super().get_queryset(request)  # type: ignore[misc]
        return restrict(qs, request.user) if is_scoped_admin(request.user) else qs

    def row_in_jurisdiction(self, request: HttpRequest, obj: Model | None, action: str) -> bool:
        """Whether a scoped administrator may ``action`` this row (or rows of the model, for None)."""
        if not may(request.user, self.model, action):
            return False
        if action == VIEW:
            return obj is None or restrict(type(obj)._default_manager.filter(pk=obj.pk), request.user,
                                           single=True).exists()
        if rule_for(self.model).unit is None:
            return covers_installation(request.user)  # an installation-wide row
        return obj is None or restrict(type(obj)._default_manager.filter(pk=obj.pk), request.user, CHANGE,
                                       single=True).exists()

    def has_module_permission(self, request: HttpRequest) -> bool:
        if super().has_module_permission(request):  # type: ignore[misc]
            return True
        return is_scoped_admin(request.user) and may(request.user, self.model, VIEW)

    def has_view_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        if super().has_view_permission(request, obj):  # type: ignore[misc]
            return True
        return is_scoped_admin(request.user) and self.row_in_jurisdiction(request, obj, VIEW)

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        if super().has_change_permission(request, obj):  # type: ignore[misc]
            return True
        return is_scoped_admin(request.user) and self.row_in_jurisdiction(request, obj, CHANGE)

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        if super().has_add_permission(request, *args):  # type: ignore[misc]
            return True
        return is_scoped_admin(request.user) and self.row_in_jurisdiction(request, None, CHANGE)


def jurisdiction_units(user: Any) -> QuerySet[OrgUnit]:
    """The org units a scoped administrator may pick: their unit and every unit below it."""
    return restrict(OrgUnit.objects.all(), user).order_by("path")


def require_unit_in_jurisdiction(form: forms.ModelForm, field: str, user: Any) -> None:
    """A scoped administrator's form must name a unit of their jurisdiction (the choices already
    hold only those; an empty one would put the row outside every jurisdiction, theirs included)."""
    if is_scoped_admin(user) and field in form.fields and not form.cleaned_data.get(field):
        form.add_error(field, ValidationError(
            gettext("请选择您辖区内的单位"), code="required"))
