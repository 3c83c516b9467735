"""Role checks that refuse with a 403 naming what the role may not do (the role sets and the
jurisdiction rules live in ``hexie.orgs.scoping``)."""

from __future__ import annotations

from typing import Any

from hexie.core.errors import NotPermitted
from hexie.orgs.models import User
from hexie.orgs.scoping import as_staff


def require_role(user: Any, roles: frozenset[str], message: str) -> User:
    """The member of staff if a superuser or their role is one of ``roles``; otherwise 403."""
    staff = as_staff(user)
    if staff is None or not (staff.is_superuser or staff.role in roles):
        raise NotPermitted(message)
    return staff
