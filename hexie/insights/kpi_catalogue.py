"""The KPI catalogue: every figure the bureau publishes, by group, each defined once where it is
computed (case figures in ``kpis``, prevention in ``prevention_kpis``, credit in ``credit_kpis``).

The catalogue page and the dashboards read it; a code appears in exactly one group."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from django.utils.translation import gettext_lazy as _

from hexie.insights.credit_kpis import CREDIT_KPIS
from hexie.insights.kpis import KPI_LIST, KpiDefinition
from hexie.insights.prevention_kpis import PREVENTION_KPIS


@dataclass(frozen=True)
class KpiGroup:
    code: str
    title: object  # a lazy translation
    page: str  # the page that shows the group's figures (a URL name)
    kpis: tuple[KpiDefinition, ...]


CATALOGUE: Final = (
    KpiGroup("cases", _("案件办理"), "insights:dashboard", tuple(KPI_LIST)),
    KpiGroup("prevention", _("源头预防"), "insights:prevention", tuple(PREVENTION_KPIS)),
    KpiGroup("credit", _("信用监管"), "insights:credit", tuple(CREDIT_KPIS)),
)

ALL_KPIS: Final[dict[str, KpiDefinition]] = {k.code: k for g in CATALOGUE for k in g.kpis}
