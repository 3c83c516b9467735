"""The dashboards: a city view with drill-down to districts, a district view, and Excel exports.

Thin: the figures come from `selectors.compute_dashboard`, the workbook from `exports`.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from hexie.core import clock
from hexie.core.nav import role_required
from hexie.insights import credit_kpis, exports, nav, selectors
from hexie.insights.kpi_catalogue import CATALOGUE
from hexie.insights.kpis import KPI_LIST
from hexie.insights.prevention_kpis import figures
from hexie.orgs.models import OrgUnit
from hexie.orgs.scoping import BUREAU_STAFF, has_role, may

# Longer periods are refused: the dashboard reads every case received in the period.
MAX_PERIOD_DAYS = 366 * 5


class PeriodForm(forms.Form):
    """The dashboard's filters: the period, and (on the city view) the area to look at."""

    start = forms.DateField(label=_("开始日期"), required=False,
                            error_messages={"invalid": _("开始日期格式应为 2026-01-31")})
    end = forms.DateField(label=_("结束日期"), required=False,
                          error_messages={"invalid": _("结束日期格式应为 2026-01-31")})

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        default_start, default_end = selectors.default_period(clock.today())
        start: date = data.get("start") or default_start
        end: date = data.get("end") or default_end
        if end < start:
            raise forms.ValidationError(gettext("结束日期早于开始日期"))
        if (end - start).days > MAX_PERIOD_DAYS:
            raise forms.ValidationError(gettext("统计期最长五年"))
        data["start"], data["end"] = start, end
        return data


def _period(request: HttpRequest) -> tuple[PeriodForm, date, date]:
    form = PeriodForm(request.GET or None)
    if form.is_bound and form.is_valid():
        return form, form.cleaned_data["start"], form.cleaned_data["end"]
    start, end = selectors.default_period(clock.today())
    if not form.is_bound:
        form = PeriodForm(initial={"start": start, "end": end})
    return form, start, end


def _staff_or_404(request: HttpRequest) -> Any:
    if not may(request.user, OrgUnit):
        raise Http404(gettext("未找到"))
    return request.user


def _render(request: HttpRequest, district_code: str | None) -> HttpResponse:
    staff = _staff_or_404(request)
    form, start, end = _period(request)
    # Figures computed in the last few minutes for the same scope and period are shown again
    # (with the time they were computed), unless the user asks for them afresh.
    # Prevention and credit are counted by calendar year over the user's own jurisdiction: shown
    # on the user's own dashboard (for the year the period ends in), not on a drill-down.
    data = selectors.dashboard_figures(
        user=staff, start=start, end=end, district_code=district_code, refresh=request.GET.get("refresh") == "1",
        sources=None if district_code else lambda: prevention_credit_cards(staff, end.year))
    params = request.GET.copy()
    params.pop("refresh", None)
    query = params.urlencode()
    for area in data["series"]["by_area"]:
        area["dashboard"] = (reverse("insights:district", args=[area["code"]]) + "?" +
                             query) if area["level"] == "district" else ""
    ctx = {
        "form": form, "data": data, "units": selectors.viewable_units(staff), "district_code": data["scope"]["code"],
        "kpi_cards": [data["kpis"][k.code] for k in KPI_LIST],
        "charts": exports.CHARTS, "query": query,
        "export_base": reverse("insights:export") + "?" + (query + "&" if query else "")
        + (f"district={data['scope']['code']}&" if district_code else ""),
        "chart_data": _chart_payload(data), "tables": chart_tables(data),
        "refresh_url": "?" + (query + "&" if query else "") + "refresh=1",
        "figures_ttl_minutes": selectors.FIGURES_TTL_SECONDS // 60,
        "period_error": form.non_field_errors() if form.is_bound else [],
        "source": data["sources"],
    }
    return render(request, "insights/dashboard.html", ctx, status=400 if form.is_bound and form.errors else 200)


def _cell(text: Any, link: str = "") -> dict[str, Any]:
    return {"text": "—" if text is None else text, "link": link}


def chart_tables(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The table view of each chart: the same figures, each linked to the cases behind it."""
    s = data["series"]
    return {
        "by_month": {"headers": [gettext("月份"), gettext("案件量"), gettext("上年同期")],
                     "rows": [[_cell(r["month"]), _cell(r["count"], r["link"]), _cell(r["last_year"], r["link_last_year"])]
                              for r in s["by_month"]]},
        "by_channel": {"headers": [gettext("渠道"), gettext("案件量")],
                       "rows": [[_cell(r["label"]), _cell(r["count"], r["link"])] for r in s["by_channel"]]},
        "by_type": {"headers": [gettext("类型"), gettext("案件量")],
                    "rows": [[_cell(r["label"]), _cell(r["count"], r["link"])] for r in s["by_type"]]},
        "by_area": {"headers": [gettext("区域"), gettext("案件量")],
                    "rows": [[_cell(r["name"], r.get("dashboard", "")), _cell(r["count"], r["link"])]
                             for r in s["by_area"]]},
        "within_by_area": {"headers": [gettext("区域"), gettext("期限内办结"), gettext("已办结或超期"), gettext("比率")],
                           "rows": [[_cell(r["name"]), _cell(r["within"], r["within_link"]),
                                     _cell(r["assessed"], r["assessed_link"]), _cell(r["within_limit_rate"])]
                                    for r in s["by_area"]]},
        "amount_by_area": {"headers": [gettext("区域"), gettext("办结案件"), gettext("追回金额（元）")],
                           "rows": [[_cell(r["name"]), _cell(r["resolved"], r["resolved_link"]),
                                     _cell(r["amount_recovered"])] for r in s["by_area"]]},
    }


def _chart_payload(data: dict[str, Any]) -> dict[str, Any]:
    """What the charts need, JSON-ready (dates as text)."""
    return {"series": data["series"], "scope": data["scope"],
            "last_year": {k: v.isoformat() for k, v in data["last_year"].items()}}


@login_required
@role_required(nav.DASHBOARD.roles, hide=True)
def dashboard(request: HttpRequest) -> HttpResponse:
    """The user's own jurisdiction (the city for the city bureau, a district for a district bureau)."""
    code = request.GET.get("district", "").strip() or None
    return _render(request, code)


@login_required
def district(request: HttpRequest, code: str) -> HttpResponse:
    """One area inside the user's jurisdiction; 404 outside it."""
    return _render(request, code)


@login_required
def export(request: HttpRequest) -> HttpResponse:
    """One chart's table (or every table) as .xlsx, with the definitions on top."""
    staff = _staff_or_404(request)
    chart = request.GET.get("chart", "all")
    if chart != "all" and chart not in exports.CHARTS:
        raise Http404(gettext("没有这个图表"))
    form, start, end = _period(request)
    if form.is_bound and form.errors:
        return HttpResponse("；".join(str(e) for errs in form.errors.values() for e in errs), status=400,
                            content_type="text/plain; charset=utf-8")
    code = request.GET.get("district", "").strip() or None
    data = selectors.compute_dashboard(user_or_scope=staff, start=start, end=end, district_code=code)
    body = exports.workbook(data, chart)
    name = f"hexie-{chart}-{data['scope']['code'] or 'all'}-{start.isoformat()}-{end.isoformat()}.xlsx"
    response = HttpResponse(body, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def catalogue(request: HttpRequest) -> HttpResponse:
    """Every KPI with its definition, what it counts and its unit, by group, linked to its figures."""
    if not has_role(request.user, BUREAU_STAFF):
        raise Http404(gettext("未找到"))
    return render(request, "insights/catalogue.html", {"groups": CATALOGUE})


def prevention_credit_cards(user: Any, year: int) -> dict[str, Any]:
    """The prevention and credit figures of ``year`` the dashboard shows beside the case figures."""
    return {"year": year, "prevention": figures(user, year=year), "credit": credit_kpis.figures(user, year=year)}


@login_required
def prevention(request: HttpRequest) -> HttpResponse:
    """The prevention figures of a year for the user's jurisdiction, each with its definition."""
    if not has_role(request.user, BUREAU_STAFF):
        raise Http404(gettext("未找到"))
    today = clock.today()
    raw = request.GET.get("year", "")
    year = int(raw) if raw.isdigit() and 2000 <= int(raw) <= today.year else today.year
    return render(request, "insights/prevention.html", {
        "figures": figures(request.user, year=year, today=today), "year": year,
        "years": list(range(today.year, today.year - 5, -1))})


@login_required
def credit(request: HttpRequest) -> HttpResponse:
    """The credit figures of a year for the user's jurisdiction, each with its definition and list."""
    if not has_role(request.user, BUREAU_STAFF):
        raise Http404(gettext("未找到"))
    today = clock.today()
    raw = request.GET.get("year", "")
    year = int(raw) if raw.isdigit() and 2000 <= int(raw) <= today.year else today.year - 1
    return render(request, "insights/credit.html", {
        "figures": credit_kpis.figures(request.user, year=year), "year": year,
        "years": list(range(today.year, today.year - 5, -1))})
