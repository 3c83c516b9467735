"""The public part of credit on the portal: the published joint-punishment list (in its term)
and the issued quarterly publications, read from the credit selectors (no account needed; no
ID number of a listed person is ever shown here)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from hexie.credit import selectors as credit


def credit_lists(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/credit.html", {
        "listings": credit.public_listings()[:200], "publications": credit.public_publications()[:40]})


def publication(request: HttpRequest, pk: int) -> HttpResponse:
    pub = credit.public_publication(pk)
    return render(request, "portal/publication.html", {
        "p": pub, "entries": pub.entries.select_related("employer")})
