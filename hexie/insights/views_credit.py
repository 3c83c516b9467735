"""Download the credit documents as .docx: whoever may open the listing or the publication may
download its documents; anyone else gets the same 404 (the credit selectors' scope)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse

from hexie.credit import selectors as credit
from hexie.insights.credit_documents import available, render_listing, render_publication

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _docx(body: bytes, name: str) -> HttpResponse:
    response = HttpResponse(body, content_type=DOCX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def listing_docx(request: HttpRequest, listing_id: int, kind: str) -> HttpResponse:
    listing = credit.listing_detail(request.user, listing_id)
    if kind not in available(listing):
        raise Http404("该文书尚未形成。")
    return _docx(render_listing(listing, kind), f"listing-{listing.pk}-{kind}.docx")


@login_required
def publication_docx(request: HttpRequest, publication_id: int) -> HttpResponse:
    return _docx(render_publication(credit.publication_detail(request.user, publication_id)),
                 f"publication-{publication_id}.docx")
