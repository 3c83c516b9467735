"""The cases pages in the staff menu, each with the role set its view checks."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from hexie.core.nav import CASES, SUPERVISION, NavEntry, register
from hexie.orgs.scoping import BUREAU_STAFF, EVERYONE

#: The queue: the bureau's staff see their jurisdiction, a partner agency what was referred to it.
QUEUE = NavEntry(group=CASES, label=_("案件队列"), url_name="cases:queue", roles=EVERYONE, order=10,
                 prefixes=("/cases/",))
#: Registering a visit, call, letter or work order is the bureau's own work.
REGISTER = NavEntry(group=CASES, label=_("登记案件"), url_name="cases:register", roles=BUREAU_STAFF, order=20)
SUPERVISION_LIST = NavEntry(group=SUPERVISION, label=_("督办案件"), url_name="cases:supervision",
                            roles=BUREAU_STAFF, order=10)

#: Leaders' reception days: the schedule per unit, the visits and the cases taken (包案).
RECEPTION = NavEntry(group=SUPERVISION, label=_("领导接访日"), url_name="reception:days", roles=BUREAU_STAFF,
                     order=20, prefixes=("/reception/",))


def register_entries() -> None:
    register(QUEUE, REGISTER, SUPERVISION_LIST, RECEPTION)
