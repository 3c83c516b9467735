"""Admin for cases: the rules a bureau tunes (deadlines, triage) are edited here; the case file
itself (cases, clocks, timeline, referrals, supervision, attachments, the outbox) is read-only,
because it changes only through the workflow, which writes each change to the case's timeline.
The rules are installation-wide: an administrator of the whole installation changes them, a
district administrator reads them (``hexie.orgs.admin_scoping``)."""

from django.contrib import admin

from hexie.cases.models import (
    Attachment,
    Case,
    ChainThreshold,
    Cluster,
    Deadline,
    DeadlineRule,
    Notification,
    ReceptionDay,
    ReceptionVisit,
    Referral,
    Supervision,
    TimelineEvent,
    TriageRule,
)
from hexie.core.admin import AuditedAdmin, ReadOnlyAdmin
from hexie.orgs.admin_scoping import JurisdictionAdminMixin


@admin.register(DeadlineRule)
class DeadlineRuleAdmin(JurisdictionAdminMixin, AuditedAdmin):
    list_display = ["code", "step", "track", "trigger", "starts_with", "binds_party", "counts_from", "unit", "length", "extension_length",
                    "basis", "is_verified", "is_active", "effective_from", "effective_to"]
    list_filter = ["track", "trigger", "unit", "is_verified", "is_active"]
    search_fields = ["code", "step", "basis"]


@admin.register(ChainThreshold)
class ChainThresholdAdmin(JurisdictionAdminMixin, AuditedAdmin):
    list_display = ["code", "name", "unit", "low", "high", "basis", "is_verified", "effective_from", "effective_to"]
    list_filter = ["unit", "is_verified"]


@admin.register(TriageRule)
class TriageRuleAdmin(JurisdictionAdminMixin, AuditedAdmin):
    list_display = ["code", "name", "kind", "threshold", "window_days", "risk_level", "attention_level",
                    "makes_complex", "is_active"]
    list_filter = ["kind", "risk_level", "is_active"]


class _ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request: object, obj: object = None) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False


class TimelineInline(_ReadOnlyInline):
    model = TimelineEvent
    fields = ("at", "kind", "actor", "from_status", "to_status", "message", "public_message")


class DeadlineInline(_ReadOnlyInline):
    model = Deadline
    fields = ("rule", "state", "starts_on", "due_on", "is_provisional", "extended", "paused_days")


@admin.register(Case)
class CaseAdmin(ReadOnlyAdmin):
    list_display = ["number", "case_type", "channel", "status", "risk_level", "org_unit", "received_at",
                    "next_due_on"]
    list_filter = ["case_type", "channel", "status", "risk_level", "is_collective"]
    search_fields = ["number", "employer_name", "complainant_name"]
    # Encrypted identifiers are not shown at all here; the case page shows them masked.
    exclude = ["complainant_phone", "complainant_id_number"]
    inlines = [DeadlineInline, TimelineInline]


@admin.register(Cluster)
class ClusterAdmin(ReadOnlyAdmin):
    list_display = ["label", "key", "case_count", "risk_level", "first_received_at", "last_received_at"]


@admin.register(Supervision)
class SupervisionAdmin(ReadOnlyAdmin):
    list_display = ["case", "kind", "created_at", "leader", "acknowledged_at"]
    list_filter = ["kind"]


@admin.register(Referral)
class ReferralAdmin(ReadOnlyAdmin):
    list_display = ["case", "agency", "referred_at", "answered_at"]


@admin.register(Attachment)
class AttachmentAdmin(ReadOnlyAdmin):
    list_display = ["case", "original_name", "content_type", "size", "uploaded_at"]


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "channel", "subject", "state", "attempts", "sent_at"]
    list_filter = ["state", "channel"]
    exclude = ["recipient"]


@admin.register(ReceptionDay)
class ReceptionDayAdmin(JurisdictionAdminMixin, ReadOnlyAdmin):
    list_display = ["on", "org_unit", "leader", "place", "topic"]
    list_filter = ["on"]


@admin.register(ReceptionVisit)
class ReceptionVisitAdmin(JurisdictionAdminMixin, ReadOnlyAdmin):
    list_display = ["day", "at", "people", "case"]
