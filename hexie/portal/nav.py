"""The portal's staff page in the menu: the QR posters a district puts up."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from hexie.core.nav import REGISTRY, NavEntry, register
from hexie.orgs.scoping import BUREAU_STAFF

POSTERS = NavEntry(group=REGISTRY, label=_("二维码海报"), url_name="portal:posters", roles=BUREAU_STAFF, order=40,
                   prefixes=("/portal/posters/",))


def register_entries() -> None:
    register(POSTERS)
