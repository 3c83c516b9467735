"""Admin for warnings: rules a bureau tunes (threshold, grade, on/off), minimum wages, and the
job's results (read-only: warnings change only through the detection run)."""

from typing import Any

from django.contrib import admin
from django.db.models import ForeignKey
from django.http import HttpRequest

from hexie.core.admin import AuditedAdmin, ReadOnlyAdmin
from hexie.monitoring.models import MinimumWage, MonitoringCase, MonitorRun, Warning, WarningRule
from hexie.orgs.admin_scoping import JurisdictionAdminMixin, is_scoped_admin, jurisdiction_units


@admin.register(WarningRule)
class WarningRuleAdmin(JurisdictionAdminMixin, AuditedAdmin):
    list_display = ["code", "name", "grade", "threshold", "threshold_label", "is_active", "sort"]
    list_editable = ["grade", "threshold", "is_active"]
    list_filter = ["grade", "is_active"]
    search_fields = ["code", "name", "basis"]
    # The code is what the pipeline knows the rule by: renaming it would silently switch it off.
    readonly_fields = ["code"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # a new rule needs code in the pipeline, not just a row

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # switch a rule off instead; its warnings keep pointing at it


@admin.register(MinimumWage)
class MinimumWageAdmin(JurisdictionAdminMixin, AuditedAdmin):
    list_display = ["org_unit", "monthly_amount", "effective_from", "basis"]
    list_filter = ["effective_from"]
    search_fields = ["org_unit__name", "org_unit__code"]
    autocomplete_fields = ["org_unit"]

    def formfield_for_foreignkey(self, db_field: ForeignKey[Any, Any], request: HttpRequest, **kwargs: Any) -> Any:
        # A district administrator sets the minimum wage of the areas in their jurisdiction only.
        if db_field.name == "org_unit" and is_scoped_admin(request.user):
            kwargs["queryset"] = jurisdiction_units(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Warning)
class WarningAdmin(ReadOnlyAdmin):
    list_display = ["month", "rule", "grade", "project", "state", "summary", "case", "last_detected_at"]
    list_filter = ["state", "grade", "rule", "month"]
    search_fields = ["project__name", "project__code", "employer__name", "summary"]
    list_select_related = ["rule", "project", "case"]
    raw_id_fields = ["project", "employer", "case", "org_unit"]


@admin.register(MonitoringCase)
class MonitoringCaseAdmin(ReadOnlyAdmin):
    list_display = ["project", "month", "case", "created_at"]
    list_filter = ["month"]
    search_fields = ["project__name", "case__number"]
    list_select_related = ["project", "case"]
    raw_id_fields = ["project", "case"]


@admin.register(MonitorRun)
class MonitorRunAdmin(ReadOnlyAdmin):
    list_display = ["started_at", "month", "engine", "ok", "finished_at", "message"]
    list_filter = ["ok", "engine", "month"]
