"""The one audit helper: every write outside a case file records what changed, who did it and
when, in the same transaction as the change (pretix's ``log_action``, Zulip's ``RealmAuditLog``).

A case's own history is its timeline (``cases.services``); the registry, the monitoring job and
its imports, issued documents and bulletins, and configuration edited in the admin are recorded
here, and leaders read the entries of their jurisdiction at ``/audit/``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any, cast

from django.conf import settings
from django.contrib.admin.models import ADDITION, CHANGE, DELETION, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist, ImproperlyConfigured
from django.db import connection, models
from django.db.models import Model
from django.utils.translation import gettext

from hexie.core import clock
from hexie.core.models import AuditEvent
from hexie.orgs.models import OrgUnit, User
from hexie.orgs.scoping import rule_for

Action = AuditEvent.Action


def _bureau_unit() -> int | None:
    """The unit of the bureau this installation serves, where the work of no one unit is filed (a
    nightly monitoring run), so that its leaders read it."""
    return OrgUnit.objects.filter(code=settings.HEXIE_BUREAU_CODE).values_list("pk", flat=True).first()


def _unit_of(obj: Model, actor: User | None) -> int | None:
    """The org unit the changed row belongs to, by the scoping rule of its model; for a city-wide
    row (a rule, a template) the unit of whoever changed it, or the bureau's for the schedule."""
    if isinstance(obj, OrgUnit):
        return obj.pk
    try:
        lookup = rule_for(type(obj)).unit
    except ImproperlyConfigured:  # a model no user reaches on its own: file it under the actor's unit
        lookup = None
    if lookup:
        *path, last = lookup.split("__")
        holder: Any = obj
        for name in path:
            holder = getattr(holder, name, None) if holder is not None else None
        if holder is not None:
            return getattr(holder, f"{last}_id", None)
    return actor.org_unit_id if actor is not None and actor.org_unit_id else _bureau_unit()


def field_labels(obj: Model, names: Iterable[str]) -> list[str]:
    """The fields' names as people read them (their verbose names), for a change's summary."""
    out = []
    for name in names:
        try:
            out.append(str(getattr(obj._meta.get_field(name), "verbose_name", name)))
        except FieldDoesNotExist:
            out.append(name)
    return out


def record(
    *, actor: User | Any | None, action: str, obj: Model | None = None, object_type: str = "",
    object_id: str = "", object_repr: str = "", org_unit_id: int | None = None, message: str = "",
    fields: Iterable[str] = (),
) -> AuditEvent:
    """Write one audit entry in the caller's transaction.

    ``obj`` names the changed row (its type, key, text and jurisdiction are read off it); without
    one, name what ran in ``object_type``/``object_repr`` (a monitoring run, a scheduled bulletin).
    ``fields`` are the names of the fields that changed, never their values: personal data stays
    out of the log.
    """
    if not connection.in_atomic_block:
        raise RuntimeError("audit.record must be called inside the transaction that makes the change")
    staff = actor if isinstance(actor, User) and actor.pk is not None else None
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_repr = object_repr or str(obj)
        if org_unit_id is None:
            org_unit_id = _unit_of(obj, staff)
    elif org_unit_id is None:
        org_unit_id = staff.org_unit_id if staff is not None and staff.org_unit_id else _bureau_unit()
    return AuditEvent.objects.create(
        at=clock.now(), actor=staff, action=action, object_type=object_type,
        object_id=str(obj.pk) if obj is not None and obj.pk is not None else object_id,
        object_repr=object_repr[:200], org_unit_id=org_unit_id, message=message,
        fields=field_labels(obj, fields) if obj is not None else list(fields),
    )


def entries_for(obj: Model) -> models.QuerySet[AuditEvent]:
    """The audit entries of one row, newest first."""
    return AuditEvent.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk))


def mirror_admin_log(sender: Any, instance: LogEntry, created: bool, **kwargs: Any) -> None:
    """Copy each line the Django admin writes to its own log into the audit log, in the admin's
    transaction: configuration, staff and org-tree edits are read where every other change is."""
    if not created or kwargs.get("raw"):
        return
    action = {ADDITION: Action.CREATE, CHANGE: Action.UPDATE, DELETION: Action.DELETE}[instance.action_flag]
    ct = cast("ContentType | None", instance.content_type)
    obj = None
    model = ct.model_class() if ct is not None else None
    if model is not None and instance.object_id and action != Action.DELETE:
        # A proxy's key may not be the row's (the token admin keys tokens by user): then none.
        obj = model._base_manager.filter(pk=instance.object_id).first()
    default = {Action.CREATE: gettext("管理后台新增"), Action.DELETE: gettext("管理后台删除")}
    changed = [f for part in _json_list(instance.change_message) for f in part.get("changed", {}).get("fields", [])]
    record(actor=instance.user, action=action, obj=obj,
           object_type=f"{ct.app_label}.{ct.model}" if ct is not None else "admin",
           object_id=instance.object_id or "", object_repr=instance.object_repr, message=instance.get_change_message() or default.get(action, ""),
           fields=changed)


def _json_list(text: str) -> list[dict[str, Any]]:
    try:
        value = json.loads(text or "[]")
    except ValueError:
        return []
    return [part for part in value if isinstance(part, dict)] if isinstance(value, list) else []
