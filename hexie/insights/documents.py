"""The official documents of a case as its page shows them: those issued, the kinds the user may
issue now, one issued document within the user's scope. Reads only; issuing one is
`services.documents.generate_case_document`.
"""

from __future__ import annotations

from typing import Any

from hexie.cases.models import Case
from hexie.insights.document_rules import role_refusal, state_refusal
from hexie.insights.models import CASE_DOCUMENT_KINDS, CaseDocument, DocumentKind
from hexie.orgs.scoping import as_staff, restrict


def allowed_document_kinds(case: Case, user: Any) -> list[tuple[str, str]]:
    """The kinds the user may issue on the case now, as (value, label) for the case page."""
    staff = as_staff(user)
    if staff is None:
        return []
    return [(k, str(DocumentKind(k).label)) for k in CASE_DOCUMENT_KINDS
            if role_refusal(k, staff) is None and state_refusal(k, case) is None]


def documents_panel(case: Case, user: Any) -> dict[str, Any]:
    """What the case page's documents panel shows: the issued documents and what may be issued."""
    return {
        "case_documents": list(case.documents.select_related("generated_by").order_by("-generated_at", "-id")),
        "document_kinds": allowed_document_kinds(case, user),
    }


def case_documents_for(user: Any, document_id: int) -> CaseDocument | None:
    """An issued document if the user may see its case (the same scope as the case itself)."""
    return restrict(CaseDocument.objects.select_related("case").filter(pk=document_id), user, single=True).first()
