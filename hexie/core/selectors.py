"""Reads of the kernel's records, limited to the user's jurisdiction: the audit log."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.apps import apps
from django.db.models import Q, QuerySet
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext

from hexie.core.models import AuditEvent
from hexie.orgs.scoping import restrict


def object_type_label(label: str) -> str:
    """A model's name as people read it ("用人单位 Employer"), or the label itself."""
    try:
        return str(apps.get_model(label)._meta.verbose_name)
    except (LookupError, ValueError):
        return label


@dataclass
class AuditFilter:
    """The audit log's filters, parsed; ``errors`` names each bad one (field → message)."""

    object_type: str = ""
    action: str = ""
    q: str = ""
    since: date | None = None
    until: date | None = None
    errors: dict[str, str] | None = None

    @classmethod
    def parse(cls, params: QueryDict) -> AuditFilter:
        errors: dict[str, str] = {}
        out = cls(object_type=params.get("object_type", "").strip()[:64], q=params.get("q", "").strip()[:100])
        action = params.get("action", "").strip()
        if action and action not in AuditEvent.Action.values:
            errors["action"] = gettext("操作类型无效")
        else:
            out.action = action
        for name in ("since", "until"):
            raw = params.get(name, "").strip()
            if raw:
                try:
                    setattr(out, name, date.fromisoformat(raw))
                except ValueError:
                    errors[name] = gettext("日期格式应为 2026-03-01")
        out.errors = errors
        return out


def _start(d: date) -> datetime:
    return timezone.make_aware(datetime.combine(d, time.min))


def audit_log(user: Any, flt: AuditFilter | None = None) -> QuerySet[AuditEvent]:
    """Audit entries of the user's jurisdiction (leaders and administrators), newest first."""
    qs = restrict(AuditEvent.objects.select_related("actor", "org_unit"), user)
    if flt is None:
        return qs
    if flt.object_type:
        qs = qs.filter(object_type=flt.object_type)
    if flt.action:
        qs = qs.filter(action=flt.action)
    if flt.q:
        qs = qs.filter(Q(object_repr__icontains=flt.q) | Q(message__icontains=flt.q) | Q(object_id=flt.q))
    if flt.since:
        qs = qs.filter(at__gte=_start(flt.since))
    if flt.until:
        qs = qs.filter(at__lt=_start(flt.until + timedelta(days=1)))
    return qs


def audit_object_types(user: Any) -> list[tuple[str, str]]:
    """The kinds of object the user's audit log has entries for, with their names."""
    types = audit_log(user).order_by().values_list("object_type", flat=True).distinct()
    return sorted(((t, object_type_label(t)) for t in types), key=lambda pair: pair[1])
