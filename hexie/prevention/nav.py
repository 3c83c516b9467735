"""The prevention pages in the staff menu, each with the role set its view checks."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from hexie.core.nav import PREVENTION, NavEntry, register
from hexie.orgs.scoping import BUREAU_STAFF

# Check-ups, evaluations and orders are the bureau's own work: no partner agency reaches them.
HOME = NavEntry(group=PREVENTION, label=_("体检与评价"), url_name="prevention:home", roles=BUREAU_STAFF, order=10,
                prefixes=("/prevention/assessments/", "/prevention/orders/", "/prevention/plans/"))
SHEETS = NavEntry(group=PREVENTION, label=_("评分表"), url_name="prevention:sheets", roles=BUREAU_STAFF, order=20)


def register_entries() -> None:
    register(HOME, SHEETS)
