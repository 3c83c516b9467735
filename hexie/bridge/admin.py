"""Admin: the order clocks are rules a bureau tunes; orders and the outbox change only through the services."""

from django.contrib import admin

from hexie.bridge.models import OrderRule, OutboundMessage, WorkOrder
from hexie.core.admin import AuditedAdmin, ReadOnlyAdmin
from hexie.orgs.admin_scoping import JurisdictionAdminMixin


@admin.register(OrderRule)
class OrderRuleAdmin(JurisdictionAdminMixin, AuditedAdmin):
    list_display = ["source", "step", "working_days", "basis", "is_verified", "effective_from", "effective_to"]
    list_filter = ["source", "step"]


@admin.register(WorkOrder)
class WorkOrderAdmin(JurisdictionAdminMixin, ReadOnlyAdmin):
    list_display = ["external_ref", "source", "state", "received_at", "reply_by", "case"]
    list_filter = ["source", "state"]
    search_fields = ["external_ref"]


@admin.register(OutboundMessage)
class OutboundMessageAdmin(ReadOnlyAdmin):
    list_display = ["message_id", "kind", "state", "attempts", "next_attempt_at", "last_error", "sent_at"]
    list_filter = ["state", "kind"]
