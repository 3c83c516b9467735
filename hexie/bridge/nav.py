"""The bridge's pages in the staff menu, with the role set their views check."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from hexie.core.nav import CASES, NavEntry, register
from hexie.orgs.scoping import BUREAU_STAFF

#: The work orders of the 12345 hotline and the wage-clue platform: the bureau's own work.
ORDERS = NavEntry(group=CASES, label=_("对接工单"), url_name="bridge:orders", roles=BUREAU_STAFF, order=30,
                  prefixes=("/bridge/",))


def register_entries() -> None:
    register(ORDERS)
