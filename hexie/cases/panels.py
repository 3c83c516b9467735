"""What cases adds to the registry's pages, and the case page's own slot for upper apps.

``CASE_FILE`` is the case page's slot: insights adds the issued documents there. On the
registry's employer and project files cases adds the open cases linked to them (``Case.employer``,
``Case.project``).
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext

from hexie.cases import selectors
from hexie.cases.serializers import CaseRefSerializer
from hexie.core.panels import Panel, Slot
from hexie.employers.models import Employer, Project
from hexie.employers.panels import EMPLOYER_FILE, PROJECT_FILE

CASE_FILE = Slot("case file")

LIMIT = 50  # rows a panel lists; the count says how many there are


def _employer_cases(user: Any, employer: Employer) -> dict[str, Any]:
    cases = selectors.employer_open_cases(user, employer)
    return {"cases": list(cases[:LIMIT]), "count": cases.count()}


def _project_cases(user: Any, project: Project) -> dict[str, Any]:
    cases = selectors.project_open_cases(user, project)
    return {"cases": list(cases[:LIMIT]), "count": cases.count()}


def register() -> None:
    help_text = gettext("在办案件（未结案且未不予受理），最新的在前")
    EMPLOYER_FILE.register(Panel(
        name="open_cases", order=10, template="cases/panels/employer_cases.html", context=_employer_cases,
        field=lambda: CaseRefSerializer(many=True, help_text=help_text),
        data=lambda user, employer: list(selectors.employer_open_cases(user, employer)[:LIMIT]),
    ))
    PROJECT_FILE.register(Panel(
        name="open_cases", order=10, template="cases/panels/employer_cases.html", context=_project_cases,
        field=lambda: CaseRefSerializer(many=True, help_text=help_text),
        data=lambda user, project: list(selectors.project_open_cases(user, project)[:LIMIT]),
    ))
