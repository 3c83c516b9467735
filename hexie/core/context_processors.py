"""What the staff pages' frame needs to know about the user: which links to show."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from hexie.core.models import AuditEvent
from hexie.orgs.scoping import may


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    return {"can_read_audit": user is not None and may(user, AuditEvent)}
