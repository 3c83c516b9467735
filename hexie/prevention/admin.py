"""Admin: score sheets are edited here (points checked on every page, see ``sheet_problems``);
plans, assessments and orders change only through the services, so they are read-only here."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from hexie.core.admin import AuditedAdmin, ReadOnlyAdmin
from hexie.orgs.admin_scoping import (
    JurisdictionAdminMixin,
    covers_installation,
    is_scoped_admin,
    jurisdiction_units,
)
from hexie.prevention.models import (
    Assessment,
    EmployerAccount,
    Plan,
    RectificationOrder,
    ScoreSheet,
    SheetItem,
    SheetSection,
)
from hexie.prevention.rules import sheet_problems


class SectionInline(admin.TabularInline):
    model = SheetSection
    extra = 0
    fields = ["order", "code", "title", "max_points", "pass_points", "basis"]


class ItemInline(admin.TabularInline):
    model = SheetItem
    extra = 0
    fields = ["order", "code", "title", "max_points", "deduction_rule", "evidence_required", "evidence_mandatory",
              "basis", "verified"]


def _sheet_of(obj: Any) -> ScoreSheet | None:
    if isinstance(obj, ScoreSheet):
        return obj
    if isinstance(obj, SheetSection):
        return obj.sheet
    if isinstance(obj, SheetItem):
        return obj.section.sheet
    return None


class SheetOwnerMixin(JurisdictionAdminMixin):
    """A bureau changes only its own sheets: a district reads the city's and the installation's
    defaults (to copy them into its own version) but cannot change them. A version an assessment
    was scored on is never changed: a change is a new version (import one, or add one here)."""

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        sheet = _sheet_of(obj)
        if sheet is not None and sheet.pk and sheet.assessments.exists():
            return False
        if sheet is not None and is_scoped_admin(request.user):
            unit = sheet.owner_unit
            own = request.user.org_unit  # type: ignore[union-attr]
            if unit is None and not covers_installation(request.user):
                return False
            if unit is not None and (own is None or not unit.path.startswith(own.path)):
                return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.has_change_permission(request, obj) and super().has_delete_permission(request, obj)  # type: ignore[misc]


@admin.register(ScoreSheet)
class ScoreSheetAdmin(SheetOwnerMixin, AuditedAdmin):
    list_display = ["name", "code", "version", "kind", "owner_unit", "effective_from", "effective_to",
                    "total_points", "verified", "points_check"]
    list_filter = ["kind", "verified"]
    search_fields = ["name", "code", "legal_basis"]
    inlines = [SectionInline]
    readonly_fields = ["points_check"]

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        # A district administrator's own version belongs to a unit of the district.
        if db_field.name == "owner_unit" and is_scoped_admin(request.user):
            kwargs["queryset"] = jurisdiction_units(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request: HttpRequest, obj: ScoreSheet, form: Any, change: bool) -> None:
        if obj.owner_unit_id is None and is_scoped_admin(request.user) and not covers_installation(request.user):
            obj.owner_unit = request.user.org_unit  # type: ignore[union-attr]
        super().save_model(request, obj, form, change)

    @admin.display(description=_("分值核对"))
    def points_check(self, obj: ScoreSheet) -> str:
        problems = sheet_problems(obj) if obj.pk else []
        return "；".join(problems) if problems else str(_("分值相符"))


@admin.register(SheetSection)
class SheetSectionAdmin(SheetOwnerMixin, AuditedAdmin):
    list_display = ["sheet", "order", "code", "title", "max_points", "pass_points"]
    list_filter = ["sheet"]
    inlines = [ItemInline]


@admin.register(SheetItem)
class SheetItemAdmin(SheetOwnerMixin, AuditedAdmin):
    list_display = ["section", "order", "code", "title", "max_points", "evidence_mandatory", "verified"]
    list_filter = ["section__sheet", "verified"]
    search_fields = ["title", "basis"]


@admin.register(Plan)
class PlanAdmin(ReadOnlyAdmin):
    list_display = ["name", "sheet", "method", "org_unit", "starts_on", "due_on", "state", "draw_seed"]
    list_filter = ["method", "state"]


@admin.register(Assessment)
class AssessmentAdmin(ReadOnlyAdmin):
    list_display = ["employer", "kind", "year", "origin", "state", "score", "passed", "inspector", "signed_off_by"]
    list_filter = ["kind", "state", "origin", "year"]
    search_fields = ["employer__name", "employer__credit_code"]
    raw_id_fields = ["employer", "plan", "sheet"]


@admin.register(RectificationOrder)
class RectificationOrderAdmin(ReadOnlyAdmin):
    list_display = ["number", "employer", "issued_on", "deadline", "state", "case"]
    list_filter = ["state"]
    search_fields = ["number", "employer__name"]


@admin.register(EmployerAccount)
class EmployerAccountAdmin(ReadOnlyAdmin):
    """Accounts are issued through ``services.accounts.issue_account`` (the 开通 page), never typed here."""

    list_display = ["user", "employer", "issued_by", "issued_at"]
    search_fields = ["employer__name", "employer__credit_code", "user__username"]
    exclude = ["phone"]

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(request.user.is_superuser)
