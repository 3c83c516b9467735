"""The staff pages of leaders' reception days: the schedule of the jurisdiction (per unit, sortable,
with each day's figures) and one day with its visits and the form to register one. Reads through
``selectors`` (an outside day answers 404), writes through the reception service."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from hexie.cases import nav, selectors, services
from hexie.cases.forms_reception import ScheduleForm, VisitForm
from hexie.cases.models import Case, ReceptionVisit
from hexie.core.nav import role_required
from hexie.core.tables import Table
from hexie.core.views import form_field_errors, run_service
from hexie.orgs.models import OrgUnit
from hexie.orgs.scoping import LEADERS, has_role, restrict

# The schedule's sortable columns, each with its tie-break.
DAY_SORTS = {
    "on": ("on", "id"),
    "unit": ("org_unit__code", "-on", "id"),
    "leader": ("leader__username", "-on", "id"),
    "people": ("people_n", "-on", "id"),
    "cases": ("cases_n", "-on", "id"),
}


@login_required
@role_required(nav.RECEPTION.roles)
def day_list(request: HttpRequest) -> HttpResponse:
    """The reception days of my jurisdiction, of one unit if chosen, with their figures and totals."""
    errors: list[str] = []
    units = restrict(OrgUnit.objects.order_by("code"), request.user)
    code = str(request.GET.get("unit") or "").strip()
    unit = units.filter(code=code).first() if code else None
    if code and unit is None:
        errors.append(gettext("单位“%(value)s”不存在或不在辖区内") % {"value": code[:20]})
    qs = selectors.reception_days(request.user, unit=unit)
    if errors:
        qs = qs.none()
    table = Table.from_request(request, qs, sorts=DAY_SORTS, default="-on")
    if table.errors:
        qs = qs.none()
    totals = {"sessions": qs.count(),
              **selectors.reception_figures_of(ReceptionVisit.objects.filter(day__in=qs.values("pk")))}
    return render(request, "cases/reception_list.html", {
        "page": table.page, "table": table, "query": request.GET.copy(), "units": units, "totals": totals,
        "filter_errors": errors + table.errors, "can_schedule": has_role(request.user, LEADERS),
        "form": ScheduleForm(user=request.user, initial={"org_unit": request.user.org_unit_id}),  # type: ignore[union-attr]
    }, status=400 if errors or table.errors else 200)


@login_required
@role_required(nav.RECEPTION.roles)
@require_POST
def day_create(request: HttpRequest) -> HttpResponse:
    """Put a leader's reception day on the schedule (leaders; the service checks it again)."""
    form = ScheduleForm(request.POST, user=request.user)
    if not form.is_valid():
        messages.error(request, form_field_errors(form))
        return redirect("reception:days")
    d = form.cleaned_data
    day = run_service(request, lambda: services.schedule_reception_day(
        actor=request.user, org_unit_id=d["org_unit"].pk, leader_id=d["leader"].pk,  # type: ignore[arg-type]
        on=d["on"], place=d["place"], topic=d.get("topic") or ""), success=gettext("已安排接访日"))
    return redirect("reception:day", pk=day.pk) if day is not None else redirect("reception:days")


@login_required
@role_required(nav.RECEPTION.roles)
def day_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One reception day: its figures, the visits registered and the cases they took."""
    day = selectors.reception_day(request.user, pk)
    return render(request, "cases/reception_detail.html", {
        "day": day, "visits": day.visits.select_related("case", "case__responsible_leader"),
        "form": VisitForm(user=request.user)})


@login_required
@role_required(nav.RECEPTION.roles)
@require_POST
def visit_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Register a visit on the day: people received, and the case taken (new or on file)."""
    day = selectors.reception_day(request.user, pk)  # 404 outside the jurisdiction, before any form message
    form = VisitForm(request.POST, user=request.user)
    if not form.is_valid():
        messages.error(request, form_field_errors(form))
        return redirect("reception:day", pk=day.pk)
    d = form.cleaned_data
    case_id = None
    if d["take"] == "link":
        case = selectors.case_queryset(request.user).filter(number=d["case_number"].strip()).only("pk").first()
        if case is None:
            messages.error(request, gettext("已有案件编号：案件%(number)s不存在或不在辖区内") % {
                "number": d["case_number"][:40]})
            return redirect("reception:day", pk=day.pk)
        case_id = case.pk
    run_service(request, lambda: services.register_reception_visit(
        actor=request.user, day_id=day.pk, people=d["people"], summary=d.get("summary") or "",  # type: ignore[arg-type]
        complaint=form.complaint(), case_id=case_id), success=_visit_done)
    return redirect("reception:day", pk=day.pk)


def _visit_done(visit: object) -> str:
    case: Case | None = getattr(visit, "case", None)
    if case is None:
        return gettext("已登记接访")
    return gettext("已登记接访，案件%(number)s由接访领导包案") % {"number": case.number}
