"""The credit rules are edited here (criteria and periods, installation-wide); what the services
write is read-only."""

from __future__ import annotations

from django.contrib import admin

from hexie.core.admin import AuditedAdmin, ReadOnlyAdmin
from hexie.credit.models import CreditGrade, CreditRecord, CreditSetting, GradeCriterion, Listing, Publication


@admin.register(GradeCriterion)
class GradeCriterionAdmin(AuditedAdmin):
    list_display = ["code", "name", "kind", "min_count", "grade", "verified", "effective_from", "effective_to",
                    "is_active"]
    list_filter = ["grade", "kind", "is_active", "verified"]


@admin.register(CreditSetting)
class CreditSettingAdmin(AuditedAdmin):
    list_display = ["code", "name", "value", "unit", "verified", "basis"]


@admin.register(CreditRecord)
class CreditRecordAdmin(ReadOnlyAdmin):
    list_display = ["employer", "kind", "occurred_on", "case"]
    list_filter = ["kind"]


@admin.register(CreditGrade)
class CreditGradeAdmin(ReadOnlyAdmin):
    list_display = ["employer", "year", "grade", "computed_grade", "state"]
    list_filter = ["year", "grade", "state"]


@admin.register(Listing)
class ListingAdmin(ReadOnlyAdmin):
    list_display = ["employer", "state", "decided_on", "expires_on"]
    list_filter = ["state"]
    exclude = ["conditions"]


@admin.register(Publication)
class PublicationAdmin(ReadOnlyAdmin):
    list_display = ["kind", "org_unit", "year", "quarter", "state"]
