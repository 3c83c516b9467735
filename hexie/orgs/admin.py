from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from hexie.orgs.models import OrgUnit, PartnerAgency, User


@admin.register(OrgUnit)
class OrgUnitAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "level", "parent"]
    list_filter = ["level"]
    search_fields = ["code", "name"]
    ordering = ["path"]


@admin.register(PartnerAgency)
class PartnerAgencyAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "org_unit"]
    list_filter = ["kind"]


@admin.register(User)
class StaffAdmin(UserAdmin):
    list_display = ["username", "full_name", "role", "handler_kind", "org_unit", "agency", "is_active"]
    list_filter = ["role", "handler_kind", "is_active"]
    search_fields = ["username", "full_name"]
    fieldsets = (
        *(UserAdmin.fieldsets or ()),
        ("Hexie", {"fields": ["full_name", "org_unit", "role", "handler_kind", "agency", "phone"]}),
    )
