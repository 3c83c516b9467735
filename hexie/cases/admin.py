from django.contrib import admin

from hexie.cases.models import (
    Attachment,
    Case,
    Cluster,
    Deadline,
    DeadlineRule,
    Notification,
    Referral,
    Supervision,
    TimelineEvent,
    TriageRule,
)


@admin.register(DeadlineRule)
class DeadlineRuleAdmin(admin.ModelAdmin):
    list_display = ["code", "step", "track", "trigger", "unit", "length", "extension_length", "basis",
                    "is_verified", "is_active", "effective_from", "effective_to"]
    list_filter = ["track", "trigger", "unit", "is_verified", "is_active"]
    search_fields = ["code", "step", "basis"]


@admin.register(TriageRule)
class TriageRuleAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "threshold", "window_days", "risk_level", "attention_level",
                    "makes_complex", "is_active"]
    list_filter = ["kind", "risk_level", "is_active"]


class TimelineInline(admin.TabularInline):
    model = TimelineEvent
    extra = 0
    readonly_fields = ("at", "kind", "actor", "from_status", "to_status", "message", "public_message")
    fields = readonly_fields
    can_delete = False


class DeadlineInline(admin.TabularInline):
    model = Deadline
    extra = 0
    readonly_fields = ("rule", "state", "starts_on", "due_on", "is_provisional", "extended", "paused_days")
    fields = readonly_fields
    can_delete = False


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin):
    """Read-mostly: cases change through the staff pages, where the workflow is enforced."""

    list_display = ["number", "case_type", "channel", "status", "risk_level", "org_unit", "received_at",
                    "next_due_on"]
    list_filter = ["case_type", "channel", "status", "risk_level", "is_collective"]
    search_fields = ["number", "employer_name", "complainant_name"]
    exclude = ["complainant_phone", "complainant_id_number"]
    readonly_fields = [f.name for f in Case._meta.fields if f.name not in ("complainant_phone",
                                                                           "complainant_id_number")]
    inlines = [DeadlineInline, TimelineInline]

    def has_add_permission(self, request: object) -> bool:
        return False


admin.site.register(Cluster)
admin.site.register(Supervision)
admin.site.register(Referral)
admin.site.register(Attachment)


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["created_at", "channel", "subject", "state", "attempts", "sent_at"]
    list_filter = ["state", "channel"]
    exclude = ["recipient"]
