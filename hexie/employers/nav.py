"""The registry's pages in the staff menu, each with the role set its view checks."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from hexie.core.nav import REGISTRY, NavEntry, register
from hexie.orgs.scoping import BUREAU_STAFF

# The registry is the bureau's: partner agencies reach nothing of it (scoping's rule table).
EMPLOYERS = NavEntry(group=REGISTRY, label=_("用人单位"), url_name="employers:list", roles=BUREAU_STAFF,
                     order=10, prefixes=("/registry/employers/",))
PROJECTS = NavEntry(group=REGISTRY, label=_("工程项目"), url_name="employers:projects", roles=BUREAU_STAFF,
                    order=20)
POINTS = NavEntry(group=REGISTRY, label=_("监测点"), url_name="employers:points", roles=BUREAU_STAFF, order=30)


def register_entries() -> None:
    register(EMPLOYERS, PROJECTS, POINTS)
