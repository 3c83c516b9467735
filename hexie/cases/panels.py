"""What cases adds to the registry's pages, and the case page's own slot for upper apps.

``CASE_FILE`` is the case page's slot: insights adds the issued documents there. On the
registry's employer file cases adds the open cases about the employer (matched by credit code).
"""

from __future__ import annotations

from typing import Any

from hexie.cases import selectors
from hexie.cases.serializers import CaseRefSerializer
from hexie.core.panels import Panel, Slot
from hexie.employers.models import Employer
from hexie.employers.panels import EMPLOYER_FILE

CASE_FILE = Slot("case file")

LIMIT = 50  # rows a panel lists; the count says how many there are


def _employer_cases(user: Any, employer: Employer) -> dict[str, Any]:
    cases = selectors.employer_open_cases(user, employer.credit_code)
    return {"cases": list(cases[:LIMIT]), "count": cases.count()}


def register() -> None:
    EMPLOYER_FILE.register(Panel(
        name="open_cases", order=10, template="cases/panels/employer_cases.html", context=_employer_cases,
        field=lambda: CaseRefSerializer(many=True, help_text="在办案件（未结案且未不予受理），最新的在前 / "
                                                             "Open cases (not closed or refused), newest first"),
        data=lambda user, employer: list(selectors.employer_open_cases(user, employer.credit_code)[:LIMIT]),
    ))
