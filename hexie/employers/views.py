"""Staff pages of the registry: employers, projects, teams, the roster, monitoring points.

Thin: reads through ``selectors`` (scoped; outside the jurisdiction is 404), writes through
``services`` (whose errors land on the form field they name).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from hexie.core.forms import submit
from hexie.core.nav import role_required
from hexie.core.tables import Table
from hexie.core.views import form_errors_text, run_service
from hexie.employers import nav, selectors, services
from hexie.employers.forms import (
    BilingualForm,
    EmployerForm,
    ExitForm,
    PointForm,
    ProjectForm,
    ReportForm,
    WorkerForm,
    WorkTeamForm,
)
from hexie.employers.models import Employer, Industry, ProjectStatus
from hexie.employers.panels import EMPLOYER_FILE, PROJECT_FILE
from hexie.employers.services import EmployerData, ProjectData
from hexie.orgs.models import User
from hexie.orgs.scoping import CHANGE, may

RiskChoices = [("red", _("红")), ("orange", _("橙")), ("yellow", _("黄")), ("green", _("绿"))]
PAGE_SIZE = 50
ROSTER_PAGE_SIZE = 100


def _actor(request: HttpRequest) -> User:
    # Every view here is behind login_required: the user is a member of staff.
    return cast(User, request.user)


def _can_write(user: Any) -> bool:
    return may(user, Employer, CHANGE)


# Each list's sortable columns (whitelists for ?sort=), each with the list's own tie-breaks.
EMPLOYER_SORTS = {"grade": ("grade_rank", "name", "pk"), "name": ("name", "pk"), "code": ("credit_code", "pk"),
                  "industry": ("industry", "name", "pk"), "area": ("org_unit__path", "name", "pk")}
PROJECT_SORTS = {"grade": ("grade_rank", "name", "pk"), "name": ("name", "pk"), "code": ("code", "pk"),
                 "contractor": ("general_contractor__name", "name", "pk"), "area": ("org_unit__path", "name", "pk"),
                 "status": ("status", "name", "pk"), "workers": ("workers_on_site", "name", "pk")}
ROSTER_SORTS = {"name": ("worker__name", "pk"), "team": ("team__name", "worker__name", "pk"),
                "entry": ("entry_date", "pk"), "exit": ("exit_date", "pk")}
POINT_SORTS = {"employer": ("employer__name", "pk"), "industry": ("employer__industry", "employer__name", "pk"),
               "area": ("employer__org_unit__path", "employer__name", "pk"), "since": ("since", "pk"),
               "active": ("-is_active", "employer__name", "pk")}


def _table_page(request: HttpRequest, template: str, table: Table, ctx: dict[str, Any]) -> HttpResponse:
    """A list page: 400 with the message when the sort or page size in the URL is not one the list offers."""
    return render(request, template, {**ctx, "table": table, "page": table.page, "query": _query(request),
                                      "filter_errors": table.errors}, status=400 if table.errors else 200)


def _query(request: HttpRequest) -> dict[str, str]:
    return {k: request.GET.get(k, "") for k in request.GET if k != "page"}


def _valid(value: str, allowed: list[str]) -> str:
    """A filter value the list knows, or "" (a stale or tampered link lists everything)."""
    return value if value in allowed else ""


def _save(form: BilingualForm, request: HttpRequest, write: Callable[[], Any], done: str) -> Any:
    """Run a service write for a valid form; put its refusal on the form. Returns the result or None."""
    if not form.is_valid():
        return None
    result = submit(form, write)
    if result is not None:
        messages.success(request, done)
    return result


def _form_page(request: HttpRequest, template: str, ctx: dict[str, Any]) -> HttpResponse:
    form = ctx["form"]
    return render(request, template, ctx, status=400 if form.is_bound and form.errors else 200)


# --- employers ------------------------------------------------------------------------------


@login_required
@role_required(nav.EMPLOYERS.roles)
def employer_list(request: HttpRequest) -> HttpResponse:
    """Employers in my jurisdiction: search, filters, worst grade first."""
    g = request.GET
    districts = selectors.districts(request.user)
    qs = selectors.employer_list(
        request.user, q=g.get("q", "")[:100],
        district=_valid(g.get("district", ""), [d.code for d in districts]),
        industry=_valid(g.get("industry", ""), list(Industry.values)),
        grade=_valid(g.get("grade", ""), [c for c, _ in RiskChoices]),
    )
    table = Table.from_request(request, qs, sorts=EMPLOYER_SORTS, default="grade", default_size=PAGE_SIZE)
    return _table_page(request, "employers/employer_list.html", table, {
        "districts": districts, "industries": Industry.choices, "grades": RiskChoices,
        "can_write": _can_write(request.user)})


@login_required
def employer_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One screen: facts, grade with reasons, projects, and what other apps add (open cases, warnings)."""
    bundle = selectors.employer_bundle(request.user, pk)
    return render(request, "employers/employer_detail.html", {
        "b": bundle, "e": bundle.employer, "can_write": _can_write(request.user),
        "is_point": hasattr(bundle.employer, "monitoring_point"),
        "panels": EMPLOYER_FILE.render(request.user, bundle.employer)})


@login_required
def employer_create(request: HttpRequest) -> HttpResponse:
    form = EmployerForm(request.POST or None, user=request.user)
    if request.method == "POST":
        employer = _save(form, request, lambda: services.create_employer(actor=_actor(request), data=form.to_data()),
                         gettext("已登记用人单位"))
        if employer is not None:
            return redirect("employers:detail", pk=employer.pk)
    return _form_page(request, "employers/form.html", {
        "form": form, "title": gettext("登记用人单位"), "back": "employers:list"})


@login_required
def employer_edit(request: HttpRequest, pk: int) -> HttpResponse:
    employer = selectors.employer_detail(request.user, pk)
    initial = EmployerForm.initial_from(EmployerData.of(employer))
    form = EmployerForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST":
        saved = _save(form, request, lambda: services.update_employer(
            actor=_actor(request), employer_id=employer.pk, data=form.to_data()), gettext("已保存"))
        if saved is not None:
            return redirect("employers:detail", pk=employer.pk)
    return _form_page(request, "employers/form.html", {
        "form": form, "title": gettext("修改用人单位 · %(name)s") % {"name": employer.name}, "object": employer})


# --- projects -------------------------------------------------------------------------------


@login_required
@role_required(nav.PROJECTS.roles)
def project_list(request: HttpRequest) -> HttpResponse:
    g = request.GET
    districts = selectors.districts(request.user)
    qs = selectors.project_list(
        request.user, q=g.get("q", "")[:100],
        district=_valid(g.get("district", ""), [d.code for d in districts]),
        grade=_valid(g.get("grade", ""), [c for c, _ in RiskChoices]),
        status=_valid(g.get("status", ""), list(ProjectStatus.values)),
    )
    table = Table.from_request(request, qs, sorts=PROJECT_SORTS, default="grade", default_size=PAGE_SIZE)
    return _table_page(request, "employers/project_list.html", table, {
        "districts": districts, "statuses": ProjectStatus.choices, "grades": RiskChoices,
        "can_write": _can_write(request.user)})


@login_required
def project_detail(request: HttpRequest, pk: int) -> HttpResponse:
    bundle = selectors.project_bundle(request.user, pk)
    return render(request, "employers/project_detail.html", {
        "b": bundle, "p": bundle.project, "can_write": _can_write(request.user),
        "panels": PROJECT_FILE.render(request.user, bundle.project)})


@login_required
def project_create(request: HttpRequest) -> HttpResponse:
    form = ProjectForm(request.POST or None, user=request.user)
    if request.method == "POST":
        project = _save(form, request, lambda: services.create_project(actor=_actor(request), data=form.to_data()),
                        gettext("已登记工程项目"))
        if project is not None:
            return redirect("employers:project", pk=project.pk)
    return _form_page(request, "employers/form.html", {
        "form": form, "title": gettext("登记工程项目"), "back": "employers:projects"})


@login_required
def project_edit(request: HttpRequest, pk: int) -> HttpResponse:
    project = selectors.project_detail(request.user, pk)
    form = ProjectForm(request.POST or None, user=request.user, project=project,
                       initial=ProjectForm.initial_from(ProjectData.of(project)))
    if request.method == "POST":
        saved = _save(form, request, lambda: services.update_project(
            actor=_actor(request), project_id=project.pk, data=form.to_data()), gettext("已保存"))
        if saved is not None:
            return redirect("employers:project", pk=project.pk)
    return _form_page(request, "employers/form.html", {
        "form": form, "title": gettext("修改工程项目 · %(name)s") % {"name": project.name}, "project": project})


@login_required
def team_create(request: HttpRequest, pk: int) -> HttpResponse:
    project = selectors.project_detail(request.user, pk)
    form = WorkTeamForm(request.POST or None, project=project)
    if request.method == "POST":
        team = _save(form, request, lambda: services.create_work_team(
            actor=_actor(request), project_id=project.pk, name=form.cleaned_data["name"],
            employer_id=form.cleaned_data["employer"].pk, leader_name=form.cleaned_data.get("leader_name") or ""),
            gettext("已添加班组"))
        if team is not None:
            return redirect("employers:project", pk=project.pk)
    return _form_page(request, "employers/form.html", {
        "form": form, "title": gettext("添加班组 · %(name)s") % {"name": project.name}, "project": project})


@login_required
def roster(request: HttpRequest, pk: int) -> HttpResponse:
    """The project's real-name roster, masked; search by name or the ID number's last four."""
    project = selectors.project_detail(request.user, pk)
    on_site = {"yes": True, "no": False}.get(request.GET.get("on_site", ""))
    qs = selectors.project_roster(project, q=request.GET.get("q", "")[:50], on_site=on_site)
    table = Table.from_request(request, qs, sorts=ROSTER_SORTS, default="team", default_size=ROSTER_PAGE_SIZE)
    return _table_page(request, "employers/roster.html", table, {
        "project": project, "rows": selectors.masked_rows(table.page.object_list),
        "can_write": _can_write(request.user), "exit_form": ExitForm()})


@login_required
def register_worker(request: HttpRequest, pk: int) -> HttpResponse:
    project = selectors.project_detail(request.user, pk)
    form = WorkerForm(request.POST or None, project=project)
    if request.method == "POST":
        entry = _save(form, request, lambda: services.register_worker(
            actor=_actor(request), project_id=project.pk, data=form.to_data()), gettext("已完成实名制登记"))
        if entry is not None:
            return redirect("employers:roster", pk=project.pk)
    return _form_page(request, "employers/form.html", {
        "form": form, "title": gettext("实名制进场登记 · %(name)s") % {"name": project.name}, "project": project})


@login_required
@require_POST
def record_exit(request: HttpRequest, pk: int, entry_id: int) -> HttpResponse:
    project = selectors.project_detail(request.user, pk)
    entry = selectors.roster_entry(request.user, project, entry_id)
    form = ExitForm(request.POST)
    if form.is_valid():
        run_service(request, lambda: services.record_exit(
            actor=_actor(request), entry_id=entry.pk, exit_date=form.cleaned_data["exit_date"]),
            success=gettext("已登记退场"))
    else:
        messages.error(request, form_errors_text(form.errors))
    return redirect("employers:roster", pk=project.pk)


# --- monitoring points ----------------------------------------------------------------------


@login_required
@role_required(nav.POINTS.roles)
def point_list(request: HttpRequest) -> HttpResponse:
    g = request.GET
    districts = selectors.districts(request.user)
    active = {"yes": True, "no": False}.get(g.get("active", ""))
    qs = selectors.point_list(request.user, q=g.get("q", "")[:100],
                              district=_valid(g.get("district", ""), [d.code for d in districts]), active=active)
    table = Table.from_request(request, qs, sorts=POINT_SORTS, default="employer", default_size=PAGE_SIZE)
    return _table_page(request, "employers/point_list.html", table, {
        "districts": districts, "can_write": _can_write(request.user)})


@login_required
def point_create(request: HttpRequest) -> HttpResponse:
    form = PointForm(request.POST or None, user=request.user)
    if request.method == "POST":
        point = _save(form, request, lambda: services.create_monitoring_point(
            actor=_actor(request), employer_id=form.cleaned_data["employer"].pk, since=form.cleaned_data["since"],
            contact_name=form.cleaned_data.get("contact_name") or "",
            contact_phone=form.cleaned_data.get("contact_phone") or "",
            is_active=form.cleaned_data.get("is_active", True)), gettext("已设立监测点"))
        if point is not None:
            return redirect("employers:point", pk=point.pk)
    return _form_page(request, "employers/form.html", {
        "form": form, "title": gettext("设立监测点"), "back": "employers:points"})


@login_required
def point_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A monitoring point's monthly reports and the form to file one (a second report for a month corrects it)."""
    point = selectors.point_detail(request.user, pk)
    form = ReportForm(request.POST or None)
    if request.method == "POST":
        report = _save(form, request, lambda: services.record_monitoring_report(
            actor=_actor(request), point_id=point.pk, data=form.to_data()), gettext("已保存月报"))
        if report is not None:
            return redirect("employers:point", pk=point.pk)
    ctx = {"point": point, "reports": selectors.point_reports(point)[:36], "form": form,
           "can_write": _can_write(request.user)}
    return render(request, "employers/point_detail.html", ctx, status=400 if form.is_bound and form.errors else 200)
