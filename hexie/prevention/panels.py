"""What prevention adds to the registry's employer file: its check-ups, verifications and
evaluations, and its rectification orders (overdue ones marked)."""

from __future__ import annotations

from hexie.core.panels import Panel, Slot
from hexie.employers.panels import EMPLOYER_FILE
from hexie.prevention import selectors

#: The page of a rectification order (staff and employer): insights adds its Word document here.
ORDER_PAGE = Slot("rectification order page")


def register() -> None:
    EMPLOYER_FILE.register(Panel(
        name="prevention", order=40, template="prevention/panels/employer.html",
        context=lambda user, employer: selectors.employer_summary(user, employer),
    ))
