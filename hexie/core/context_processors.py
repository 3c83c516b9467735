"""What the staff pages' frame needs to know about the user: the menu their role can open, where
the current page sits in it (highlight and breadcrumbs), and which links to show."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from hexie.core import nav
from hexie.core.models import AuditEvent
from hexie.orgs.scoping import may


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    path = getattr(request, "path", "")
    # Lazy: the public portal and the JSON API never render the menu, so they never pay for it.
    # Built once per page: the breadcrumbs read the same menu as the sidebar.
    menu = SimpleLazyObject(lambda: nav.menu(user, path))
    return {
        "can_read_audit": user is not None and may(user, AuditEvent),
        "nav_menu": menu,
        "nav_current": SimpleLazyObject(lambda: nav.active_in(menu) or ()),  # type: ignore[arg-type]
    }
