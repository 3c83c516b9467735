"""The leaders' reading pages in the staff menu, each with the role set its view checks."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from hexie.core.nav import INSIGHTS, NavEntry, register
from hexie.orgs.scoping import BUREAU_STAFF

# Figures of a whole jurisdiction: never a partner agency's (it sees only what was referred to it).
DASHBOARD = NavEntry(group=INSIGHTS, label=_("分析看板"), url_name="insights:dashboard", roles=BUREAU_STAFF,
                     order=10, prefixes=("/insights/district/",))
BULLETINS = NavEntry(group=INSIGHTS, label=_("通报"), url_name="insights:bulletins", roles=BUREAU_STAFF, order=20)
CREDIT_FIGURES = NavEntry(group=INSIGHTS, label=_("信用监管指标"), url_name="insights:credit", roles=BUREAU_STAFF,
                          order=40)
PREVENTION_FIGURES = NavEntry(group=INSIGHTS, label=_("源头预防指标"), url_name="insights:prevention",
                              roles=BUREAU_STAFF, order=30)
# The mediation network: bodies, stations and reception days of the jurisdiction.
NETWORK = NavEntry(group=INSIGHTS, label=_("调解网络"), url_name="insights:network", roles=BUREAU_STAFF, order=25)


def register_entries() -> None:
    register(DASHBOARD, BULLETINS, NETWORK, PREVENTION_FIGURES, CREDIT_FIGURES)
