"""What insights adds to the case page (``cases.panels.CASE_FILE``): the official documents issued
on the case and the kinds the user may issue now; and to a rectification order's page
(``prevention.panels.ORDER_PAGE``) its Word document; to a joint-punishment listing and a
publication (``credit.panels``) theirs. None of those apps imports insights."""

from __future__ import annotations

from typing import Any

from hexie.cases.models import Case
from hexie.cases.panels import CASE_FILE
from hexie.core.panels import Panel
from hexie.credit.panels import LISTING_PAGE, PUBLICATION_PAGE
from hexie.insights.credit_documents import TITLES, available
from hexie.insights.documents import documents_panel
from hexie.prevention.panels import ORDER_PAGE


def _documents(user: Any, case: Case) -> dict[str, Any]:
    return documents_panel(case, user)


def register() -> None:
    CASE_FILE.register(Panel(name="documents", order=10, template="insights/panels/case_documents.html",
                             context=_documents))
    ORDER_PAGE.register(Panel(name="order_document", order=10, template="insights/panels/order_document.html",
                              context=lambda user, order: {"order_id": order.pk}))
    LISTING_PAGE.register(Panel(
        name="listing_documents", order=10, template="insights/panels/listing_documents.html",
        context=lambda user, listing: {"listing_id": listing.pk,
                                       "kinds": [(k, TITLES[k]) for k in available(listing)]}))
    PUBLICATION_PAGE.register(Panel(
        name="publication_document", order=10, template="insights/panels/publication_document.html",
        context=lambda user, pub: {"publication_id": pub.pk}))
