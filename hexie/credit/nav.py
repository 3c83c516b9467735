"""The credit pages in the staff menu, each with the role set its view checks."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from hexie.core.nav import PREVENTION, NavEntry, register
from hexie.orgs.scoping import BUREAU_STAFF

# Grades, listings and publications are the bureau's (scoping's rule table): no partner agency.
GRADES = NavEntry(group=PREVENTION, label=_("信用等级"), url_name="credit:grades", roles=BUREAU_STAFF, order=30)
LISTINGS = NavEntry(group=PREVENTION, label=_("失信惩戒名单"), url_name="credit:listings", roles=BUREAU_STAFF,
                    order=40)
PUBLICATIONS = NavEntry(group=PREVENTION, label=_("社会公布"), url_name="credit:publications",
                        roles=BUREAU_STAFF, order=50)


def register_entries() -> None:
    register(GRADES, LISTINGS, PUBLICATIONS)
