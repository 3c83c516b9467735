"""Admin for the registry. Workers' ID numbers and phones, and the contact phones of employers,
projects and monitoring points, are shown masked only and cannot be edited here: they are entered
through the registry pages and their checks."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from hexie.core.admin import AuditedAdmin
from hexie.core.pii import mask_bank_card, mask_phone
from hexie.employers.models import (
    Employer,
    MonitoringPoint,
    MonitoringReport,
    Project,
    RosterEntry,
    Worker,
    WorkTeam,
)


@admin.register(Employer)
class EmployerAdmin(AuditedAdmin):
    list_display = ["name", "credit_code", "industry", "size", "org_unit", "risk_grade", "graded_at"]
    list_filter = ["risk_grade", "industry", "size"]
    search_fields = ["name", "credit_code", "legal_representative"]
    autocomplete_fields = ["org_unit"]
    exclude = ["contact_phone"]
    readonly_fields = ["contact_phone_masked", "risk_grade", "risk_reasons", "graded_at", "created_at", "updated_at"]

    @admin.display(description=_("联系电话"))
    def contact_phone_masked(self, obj: Employer) -> str:
        return mask_phone(obj.contact_phone)


@admin.register(Project)
class ProjectAdmin(AuditedAdmin):
    list_display = ["name", "code", "general_contractor", "org_unit", "status", "risk_grade", "has_notice_board"]
    list_filter = ["status", "risk_grade", "has_notice_board"]
    search_fields = ["name", "code", "general_contractor__name", "general_contractor__credit_code"]
    autocomplete_fields = ["org_unit", "owner", "general_contractor", "subcontractors"]
    # Changed on the project's own edit page (or the API), never shown in clear here.
    exclude = ["wage_officer_phone", "special_account_number"]
    readonly_fields = ["wage_officer_phone_masked", "special_account_number_masked", "risk_grade", "risk_reasons", "graded_at", "created_at",
                       "updated_at"]

    @admin.display(description=_("专管员电话"))
    def wage_officer_phone_masked(self, obj: Project) -> str:
        return mask_phone(obj.wage_officer_phone)

    @admin.display(description=_("工资专户账号"))
    def special_account_number_masked(self, obj: Project) -> str:
        return mask_bank_card(obj.special_account_number)


@admin.register(WorkTeam)
class WorkTeamAdmin(AuditedAdmin):
    list_display = ["name", "project", "employer", "leader_name"]
    search_fields = ["name", "leader_name", "project__name", "project__code", "employer__name"]
    autocomplete_fields = ["project", "employer"]
    list_select_related = ["project", "employer"]


@admin.register(Worker)
class WorkerAdmin(AuditedAdmin):
    """Masked identifiers only; search by name or the last four characters of the ID number."""

    list_display = ["name", "id_masked", "phone_masked", "created_at"]
    search_fields = ["name", "=id_last4"]
    fields = ["name", "id_masked", "phone_masked", "created_at"]
    readonly_fields = ["id_masked", "phone_masked", "created_at"]

    @admin.display(description=_("身份证号"))
    def id_masked(self, obj: Worker) -> str:
        # The list never decrypts: the last four characters are stored in clear for this purpose.
        return f"{'*' * 14}{obj.id_last4}"

    @admin.display(description=_("手机号"))
    def phone_masked(self, obj: Worker) -> str:
        return mask_phone(obj.phone) if obj.phone else ""

    def has_add_permission(self, request: object) -> bool:
        return False

    def get_search_results(self, request, queryset, search_term):  # type: ignore[no-untyped-def]
        # A full ID number typed into the search box is found through its HMAC, never by clear text.
        from hexie.core.pii import lookup_hash
        from hexie.core.validators import is_valid_id_number

        if is_valid_id_number(search_term or ""):
            return queryset.filter(id_hash=lookup_hash(search_term.strip().upper())), False
        return super().get_search_results(request, queryset, search_term)


@admin.register(RosterEntry)
class RosterEntryAdmin(AuditedAdmin):
    list_display = ["worker_name", "worker_id_masked", "project", "team", "trade", "entry_date", "exit_date"]
    list_filter = ["exit_date"]
    search_fields = ["worker__name", "=worker__id_last4", "project__name", "project__code"]
    autocomplete_fields = ["worker", "project", "team"]
    list_select_related = ["worker", "project", "team"]
    date_hierarchy = "entry_date"

    @admin.display(description=_("姓名"), ordering="worker__name")
    def worker_name(self, obj: RosterEntry) -> str:
        return obj.worker.name

    @admin.display(description=_("身份证号"))
    def worker_id_masked(self, obj: RosterEntry) -> str:
        return f"{'*' * 14}{obj.worker.id_last4}"


class MonitoringReportInline(admin.TabularInline):
    model = MonitoringReport
    extra = 0
    ordering = ["-month"]


@admin.register(MonitoringPoint)
class MonitoringPointAdmin(AuditedAdmin):
    list_display = ["employer", "since", "contact_name", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["employer__name", "employer__credit_code", "contact_name"]
    autocomplete_fields = ["employer"]
    exclude = ["contact_phone"]
    readonly_fields = ["contact_phone_masked"]
    inlines = [MonitoringReportInline]

    @admin.display(description=_("联系电话"))
    def contact_phone_masked(self, obj: MonitoringPoint) -> str:
        return mask_phone(obj.contact_phone)


@admin.register(MonitoringReport)
class MonitoringReportAdmin(AuditedAdmin):
    list_display = ["point", "month", "headcount", "hires", "departures", "wages_paid", "arrears", "reported_at"]
    list_filter = ["month"]
    search_fields = ["point__employer__name", "=month"]
    autocomplete_fields = ["point"]
    list_select_related = ["point__employer"]

