"""What insights makes of the loaded demo city: the dashboard roll-up, a few issued documents on demo
cases, and last month's city bulletin, made through the real services after the cases are loaded.

Every call the demo makes into `hexie.insights` is here.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from hexie.cases.models import Case, ClosureConclusion, Status
from hexie.core import clock
from hexie.demo.city import DEMO_ADMIN
from hexie.insights.models import CaseDocument, DocumentKind, PeriodKind
from hexie.insights.periods import last_complete_period
from hexie.insights.services.bulletins import generate_bulletin
from hexie.insights.services.documents import generate_case_document
from hexie.insights.services.rollup import refresh_rollup
from hexie.orgs.models import OrgLevel, OrgUnit, User

PER_KIND = 3


def _candidates(kind: str) -> Any:
    cases = Case.objects.order_by("-received_at")
    if kind == DocumentKind.REFUSAL_NOTICE:
        return cases.filter(status=Status.REFUSED)
    if kind == DocumentKind.ACCEPTANCE_NOTICE:
        return cases.filter(accepted_at__isnull=False).exclude(status=Status.REFUSED)
    if kind == DocumentKind.SUPERVISION_LETTER:
        return cases.filter(supervisions__isnull=False).distinct()
    if kind == DocumentKind.REFERRAL_LETTER:
        return cases.filter(referrals__isnull=False).distinct()
    return cases.filter(closure_conclusion=ClosureConclusion.MEDIATED)


def load_demo_documents(*, actor_username: str = DEMO_ADMIN) -> dict[str, int]:
    """Issue a few of each kind of document and the city's bulletin for last month (idempotent)."""
    actor = User.objects.filter(username=actor_username).first()
    if actor is None:
        return {}
    made: dict[str, int] = {}
    for kind in (DocumentKind.ACCEPTANCE_NOTICE, DocumentKind.REFUSAL_NOTICE, DocumentKind.SUPERVISION_LETTER,
                 DocumentKind.REFERRAL_LETTER, DocumentKind.MEDIATION_AGREEMENT):
        n = 0
        for case in _candidates(kind)[:PER_KIND]:
            if CaseDocument.objects.filter(case=case, kind=kind).exists():
                continue
            generate_case_document(case_id=case.pk, kind=kind, actor=actor)
            n += 1
        made[str(kind)] = n
    city = OrgUnit.objects.filter(level=OrgLevel.CITY).order_by("path").first()
    if city is not None:
        period = last_complete_period(PeriodKind.MONTHLY, clock.today())
        generate_bulletin(kind=PeriodKind.MONTHLY, period_start=period.start, org_unit=city, actor=None)
        made["bulletin_monthly"] = 1
    return made


def load_documents(*, now: datetime) -> tuple[dict[str, Any], dict[str, int]]:
    """Build the dashboard's roll-up, then issue the documents and the bulletin as of `now`."""
    # The dashboard reads closed cases from the roll-up the worker keeps; build it now.
    rollup = refresh_rollup(now=now)
    # A few official documents of each kind and last month's city bulletin, as a bureau would have.
    with clock.at(now):
        documents = load_demo_documents()
    return rollup, documents
