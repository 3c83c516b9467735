"""The staff pages' left navigation, grouped by the bureau's work, showing each user only what
their role can open.

Every app declares its pages' entries next to its views (``<app>/nav.py``) with the role set of
the one scoping module that the view itself checks, and registers them from its
``AppConfig.ready()``::

    REGISTER = NavEntry(group=CASES, label=_("登记"), url_name="cases:register", roles=BUREAU_STAFF)

    @login_required
    @role_required(REGISTER.roles)            # the same set: the menu and the page cannot disagree
    def register(request): ...

The frame asks :func:`menu` for the groups of the current user, with the entry of the current
page marked; core knows no app above it, so the entries of cases, monitoring or insights arrive
through the registry, never through an import.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from hexie.orgs.scoping import as_staff, has_role

# The groups of the menu, in the order the bureau's work runs.
CASES, SUPERVISION, MONITORING, PREVENTION, REGISTRY, INSIGHTS, SYSTEM = (
    "cases", "supervision", "monitoring", "prevention", "registry", "insights", "system")
GROUPS: dict[str, str | Promise] = {
    CASES: _("案件办理"),
    SUPERVISION: _("督办"),
    MONITORING: _("监测预警"),
    PREVENTION: _("源头预防"),
    REGISTRY: _("名册"),
    INSIGHTS: _("分析与通报"),
    SYSTEM: _("系统管理"),
}


@dataclass(frozen=True)
class NavEntry:
    """One page in the menu: its group, its label, where it lives, and the roles that may open it.

    ``roles`` is the role set the page's view checks (``role_required``); ``django_staff`` marks
    the admin, which Django itself opens only to users with ``is_staff``. ``prefixes`` are the
    paths below the page that belong to it (a case page highlights the queue); by default the
    page's own path.
    """

    group: str
    label: str | Promise
    url_name: str
    roles: frozenset[str]
    order: int = 100
    prefixes: tuple[str, ...] = field(default=())
    django_staff: bool = False

    def url(self) -> str:
        return reverse(self.url_name)

    def opens_for(self, user: Any) -> bool:
        if self.django_staff:
            return bool(getattr(user, "is_staff", False)) and as_staff(user) is not None
        return has_role(user, self.roles)


_ENTRIES: dict[str, NavEntry] = {}


def register(*entries: NavEntry) -> None:
    """Add entries to the menu (from an ``AppConfig.ready()``); registering the same entry twice is harmless."""
    for entry in entries:
        if entry.group not in GROUPS:
            raise ValueError(f"navigation group {entry.group!r} does not exist; use one of {sorted(GROUPS)}")
        known = _ENTRIES.get(entry.url_name)
        if known is not None and known != entry:
            raise ValueError(f"a navigation entry for {entry.url_name!r} is already registered")
        _ENTRIES[entry.url_name] = entry
    _VISIBLE.clear()


def entries() -> list[NavEntry]:
    """Every registered entry, in menu order."""
    order = list(GROUPS)
    return sorted(_ENTRIES.values(), key=lambda e: (order.index(e.group), e.order, e.url_name))


@dataclass(frozen=True)
class MenuItem:
    label: str | Promise
    url: str
    active: bool


@dataclass(frozen=True)
class MenuGroup:
    key: str
    label: str | Promise
    items: list[MenuItem]

    @property
    def active(self) -> bool:
        return any(i.active for i in self.items)


def _match_length(entry: NavEntry, url: str, path: str) -> int:
    """How much of ``path`` the entry claims: the longest of its own path and prefixes."""
    best = 0
    for prefix in (url, *entry.prefixes):
        if path == prefix or (path.startswith(prefix) and prefix.endswith("/") and prefix != "/"):
            best = max(best, len(prefix))
    return best


# The entries a kind of user can open, with their URLs, per process: the menu is on every staff
# page, and deciding each entry's roles and reversing its URL cost more than the rest of the menu.
# What an entry's visibility depends on is the key (see _audience), with the URL configuration and
# script prefix the request runs under; labels stay lazy, so one list serves every language.
# Registering an entry drops the lists.
_VISIBLE: dict[tuple[Any, ...], list[tuple[NavEntry, str]]] = {}


def _audience(user: Any) -> tuple[Any, ...]:
    """All that ``NavEntry.opens_for`` reads of a user: whether they are active staff, a
    superuser, Django staff, and their role."""
    staff = as_staff(user)
    if staff is None:
        return (False,)
    return (True, bool(staff.is_superuser), bool(staff.is_staff), staff.role)


def _visible(user: Any) -> list[tuple[NavEntry, str]]:
    key = (_audience(user), get_urlconf() or settings.ROOT_URLCONF, get_script_prefix())
    known = _VISIBLE.get(key)
    if known is not None:
        return known
    visible: list[tuple[NavEntry, str]] = []
    for entry in entries():
        if not entry.opens_for(user):
            continue
        try:
            visible.append((entry, entry.url()))
        except NoReverseMatch:  # an app's URLs not mounted in this installation
            continue
    _VISIBLE[key] = visible
    return visible


def menu(user: Any, path: str) -> list[MenuGroup]:
    """The groups and entries ``user`` can open, with the entry for ``path`` marked active (the
    one whose path is the longest prefix of it, so /cases/supervision/ is 督办, not 案件队列)."""
    visible = _visible(user)
    lengths = [_match_length(e, url, path) for e, url in visible]
    best = max(lengths, default=0)
    groups: dict[str, list[MenuItem]] = {}
    for (entry, url), length in zip(visible, lengths, strict=True):
        groups.setdefault(entry.group, []).append(MenuItem(entry.label, url, active=best > 0 and length == best))
    return [MenuGroup(key, GROUPS[key], groups[key]) for key in GROUPS if key in groups]


def current(user: Any, path: str) -> tuple[MenuGroup, MenuItem] | None:
    """The group and entry of the current page, for the breadcrumbs."""
    return active_in(menu(user, path))


def active_in(groups: list[MenuGroup]) -> tuple[MenuGroup, MenuItem] | None:
    """The group and entry marked active in a menu already built (the frame builds it once)."""
    for group in groups:
        for item in group.items:
            if item.active:
                return group, item
    return None


View = Callable[..., HttpResponse]


def role_required(roles: frozenset[str], *, hide: bool = False) -> Callable[[View], View]:
    """Refuse a page to a role outside ``roles`` before anything is shown or filled in: 403 with
    a message, or 404 with ``hide`` (a page whose very existence is the jurisdiction's business).
    Put it below ``login_required``, so that a visitor is sent to the log-in page first."""

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not has_role(request.user, roles):
                if hide:
                    raise Http404(_("未找到"))
                raise PermissionDenied(_("您的角色不能使用此页面"))
            return view(request, *args, **kwargs)

        wrapper.nav_roles = roles  # type: ignore[attr-defined]
        return wrapper

    return decorate
