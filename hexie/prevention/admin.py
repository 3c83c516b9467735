"""Admin: score sheets are edited here (points checked on every page, see ``sheet_problems``);
plans, assessments and orders change only through the services, so they are read-only here."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from hexie.core.admin import AuditedAdmin, ReadOnlyAdmin
from hexie.orgs.admin_scoping import JurisdictionAdminMixin
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


@admin.register(ScoreSheet)
class ScoreSheetAdmin(JurisdictionAdminMixin, AuditedAdmin):
    list_display = ["name", "code", "version", "kind", "owner_unit", "effective_from", "effective_to",
                    "total_points", "verified", "points_check"]
    list_filter = ["kind", "verified"]
    search_fields = ["name", "code", "legal_basis"]
    inlines = [SectionInline]
    readonly_fields = ["points_check"]
    raw_id_fields = ["owner_unit"]

    @admin.display(description=_("分值核对"))
    def points_check(self, obj: ScoreSheet) -> str:
        problems = sheet_problems(obj) if obj.pk else []
        return "；".join(problems) if problems else str(_("分值相符"))


@admin.register(SheetSection)
class SheetSectionAdmin(JurisdictionAdminMixin, AuditedAdmin):
    list_display = ["sheet", "order", "code", "title", "max_points", "pass_points"]
    list_filter = ["sheet"]
    inlines = [ItemInline]


@admin.register(SheetItem)
class SheetItemAdmin(JurisdictionAdminMixin, AuditedAdmin):
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
