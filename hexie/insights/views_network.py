"""The mediation network page: success per body and station, station coverage, reception days."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from hexie.insights.network import network_figures
from hexie.insights.views_dashboard import _period, _staff_or_404


@login_required
def network(request: HttpRequest) -> HttpResponse:
    _staff_or_404(request)
    form, start, end = _period(request)
    return render(request, "insights/network.html",
                  {"form": form, "start": start, "end": end, **network_figures(request.user, start, end)})
