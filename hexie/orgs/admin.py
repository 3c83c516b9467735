"""Admin for the org tree, partner agencies and staff: a superuser manages everything; an
administrator of a district their own units and staff (``admin_scoping``)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.db.models import ForeignKey, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext

from hexie.crypto.forms import SecretInput
from hexie.orgs.admin_scoping import (
    JurisdictionAdminMixin,
    is_scoped_admin,
    jurisdiction_units,
    require_unit_in_jurisdiction,
)
from hexie.orgs.models import OrgLevel, OrgUnit, PartnerAgency, User

_LEVELS = [level.value for level in OrgLevel]


@admin.register(OrgUnit)
class OrgUnitAdmin(JurisdictionAdminMixin, admin.ModelAdmin):
    list_display = ["code", "name", "level", "parent"]
    list_filter = ["level"]
    search_fields = ["code", "name"]
    ordering = ["path"]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # The unit at the top of a district's jurisdiction is where its administrator stands:
        # renaming or moving it is for whoever holds the unit above.
        if obj is not None and is_scoped_admin(request.user) and obj.pk == request.user.org_unit_id:  # type: ignore[union-attr]
            return False
        return super().has_change_permission(request, obj)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        # A unit's code and parent make the path of every unit below it: a district administrator
        # adds and renames units, and leaves the tree's shape to the superuser.
        if obj is not None and is_scoped_admin(request.user):
            return ["code", "parent"]
        return super().get_readonly_fields(request, obj)

    def formfield_for_foreignkey(self, db_field: ForeignKey[Any, Any], request: HttpRequest,
                                 **kwargs: Any) -> Any:
        if db_field.name == "parent" and is_scoped_admin(request.user):
            kwargs["queryset"] = jurisdiction_units(request.user)
            kwargs["required"] = True
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        base = super().get_form(request, obj, change=change, **kwargs)
        if not is_scoped_admin(request.user):
            return base

        class ScopedOrgUnitForm(base):  # type: ignore[misc, valid-type]
            def clean(self) -> dict[str, Any]:
                data: dict[str, Any] = super().clean()
                require_unit_in_jurisdiction(self, "parent", request.user)
                parent, level = data.get("parent"), data.get("level")
                if parent is not None and level and _LEVELS.index(level) <= _LEVELS.index(parent.level):
                    self.add_error("level", forms.ValidationError(
                        gettext("下级单位的层级应低于上级单位")))
                return data

        return ScopedOrgUnitForm


@admin.register(PartnerAgency)
class PartnerAgencyAdmin(JurisdictionAdminMixin, admin.ModelAdmin):
    list_display = ["name", "kind", "org_unit"]
    list_filter = ["kind"]


# Fields of Django's user admin a scoped administrator never sets: they grant more than a role.
_ABOVE_ANY_ROLE = ("is_staff", "is_superuser", "groups", "user_permissions")


@admin.register(User)
class StaffAdmin(JurisdictionAdminMixin, UserAdmin):
    list_display = ["username", "full_name", "role", "handler_kind", "org_unit", "agency", "is_active"]
    list_filter = ["role", "handler_kind", "is_active"]
    search_fields = ["username", "full_name"]
    fieldsets = (
        *(UserAdmin.fieldsets or ()),
        ("Hexie", {"fields": ["full_name", "org_unit", "role", "handler_kind", "agency", "phone"]}),
    )
    _scoped_add_fieldsets = (
        *(UserAdmin.add_fieldsets or ()),
        ("Hexie", {"fields": ["full_name", "org_unit", "role", "handler_kind", "agency", "phone"]}),
    )

    def formfield_for_dbfield(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "phone":
            # The phone is never sent back in clear: shown masked, a blank answer keeps it.
            return forms.CharField(label=db_field.verbose_name, max_length=20, required=False, widget=SecretInput())
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def save_model(self, request: HttpRequest, obj: User, form: Any, change: bool) -> None:
        if change and not form.cleaned_data.get("phone"):
            obj.phone = User.objects.filter(pk=obj.pk).values_list("phone", flat=True).first() or ""
        super().save_model(request, obj, form, change)

    def get_queryset(self, request: HttpRequest) -> QuerySet[User]:
        qs = super().get_queryset(request)
        # A superuser's account is the superuser's business, wherever its unit.
        return qs.filter(is_superuser=False) if is_scoped_admin(request.user) else qs

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        if not is_scoped_admin(request.user):
            return super().get_fieldsets(request, obj)
        if obj is None:
            return self._scoped_add_fieldsets
        return [(name, {**opts, "fields": [f for f in opts["fields"] if f not in _ABOVE_ANY_ROLE]})
                for name, opts in super().get_fieldsets(request, obj)]

    def formfield_for_foreignkey(self, db_field: ForeignKey[Any, Any], request: HttpRequest,
                                 **kwargs: Any) -> Any:
        if is_scoped_admin(request.user):
            if db_field.name == "org_unit":
                kwargs["queryset"] = jurisdiction_units(request.user)
            elif db_field.name == "agency":
                kwargs["queryset"] = PartnerAgency.objects.filter(org_unit__in=jurisdiction_units(request.user))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        base = super().get_form(request, obj, change=change, **kwargs)
        if not is_scoped_admin(request.user):
            return base

        class ScopedStaffForm(base):  # type: ignore[misc, valid-type]
            def clean(self) -> dict[str, Any]:
                data: dict[str, Any] = super().clean()
                require_unit_in_jurisdiction(self, "org_unit", request.user)
                return data

        return ScopedStaffForm
