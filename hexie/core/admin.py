"""Admin base classes: an object's history is the one audit log (every change made in the admin
is copied there, ``hexie.core.audit.mirror_admin_log``), and rows that services or jobs write are
read-only here (a case's file changes only through the workflow, which writes its timeline)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.http import Http404, HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext

from hexie.core import audit
from hexie.core.models import AuditEvent


class AuditedAdminMixin:
    """Shows the one audit log as an object's history: what the admin changed (mirrored from its
    own log, ``audit.mirror_admin_log``) and what services and jobs changed."""

    def history_view(self, request: HttpRequest, object_id: str, extra_context: Any = None) -> HttpResponse:
        model = self.model  # type: ignore[attr-defined]
        obj = self.get_object(request, unquote(object_id))  # type: ignore[attr-defined]
        # A row the user may not view answers exactly like a row that does not exist: the log of
        # another district's case is neither shown nor confirmed (DESIGN principle 2).
        if obj is None or not self.has_view_or_change_permission(request, obj):  # type: ignore[attr-defined]
            raise Http404(gettext("未找到"))
        context = {
            **self.admin_site.each_context(request),  # type: ignore[attr-defined]
            "title": gettext("%(object)s — 操作日志") % {"object": obj},
            "opts": model._meta,
            "object": obj,
            "entries": audit.entries_for(obj).select_related("actor")[:500],
            **(extra_context or {}),
        }
        return TemplateResponse(request, "admin/audit_history.html", context)


class AuditedAdmin(AuditedAdminMixin, admin.ModelAdmin):
    """The base of every admin page of Hexie."""


class ReadOnlyAdmin(AuditedAdmin):
    """Viewable, never edited here: rows a service or a job writes, with their own checks."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ["at", "actor", "action", "object_type", "object_repr", "org_unit", "message"]
    list_filter = ["action", "object_type"]
    search_fields = ["object_repr", "message", "object_id"]
    date_hierarchy = "at"
    list_select_related = ["actor", "org_unit"]
