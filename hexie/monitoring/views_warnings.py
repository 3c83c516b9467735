"""Staff pages for monitoring results: warnings (list, detail), the job's runs, graded projects.

Thin: reads go through `selectors`, which scope every row to the user's jurisdiction; a warning
outside it answers 404, exactly like one that does not exist.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext

from hexie.core.enums import RiskLevel
from hexie.core.errors import DomainError
from hexie.core.nav import role_required
from hexie.core.tables import Table
from hexie.monitoring import figures, nav, selectors
from hexie.monitoring import rules as R
from hexie.monitoring.models import Warning
from hexie.monitoring.months import month_text
from hexie.monitoring.services.runs import retry_run
from hexie.orgs.scoping import ADMINS, has_role


def project_url(project_id: int) -> str:
    """The registry's page of a project (its URL name, or the documented path)."""
    try:
        return reverse("employers:project", args=[project_id])
    except NoReverseMatch:
        return f"/registry/projects/{project_id}/"


# The warning list's sortable columns, each with the list's own tie-breaks.
WARNING_SORTS = {
    "month": ("month", "state", "rule__sort", "project__name", "pk"),
    "rule": ("rule__sort", "-month", "project__name", "pk"),
    "project": ("project__name", "-month", "rule__sort", "pk"),
    "area": ("org_unit__code", "-month", "rule__sort", "pk"),
    "state": ("state", "-month", "rule__sort", "pk"),
}


@login_required
@role_required(nav.WARNINGS.roles)
def warning_list(request: HttpRequest) -> HttpResponse:
    """Warnings in my jurisdiction, newest month first, with filters."""
    flt = selectors.WarningFilter.parse(request.GET)
    qs = selectors.warning_list(request.user, flt) if not flt.errors else selectors.warning_list(request.user).none()
    table = Table.from_request(request, qs, sorts=WARNING_SORTS, default="-month")
    page = table.page
    for w in page:
        w.month_text = month_text(w.month)  # type: ignore[attr-defined]
    ctx = {
        "page": page, "flt": flt, "query": request.GET.copy(),
        "filter_errors": list(flt.errors.values()) + table.errors, "table": table,
        "months": selectors.month_choices(request.user), "rules": selectors.rule_list(),
        "grades": [(v, label) for v, label in RiskLevel.choices if v != RiskLevel.GREEN],
        "states": Warning.State.choices, "districts": selectors.district_choices(request.user),
    }
    template = "monitoring/warning_table.html" if request.htmx else "monitoring/warning_list.html"  # type: ignore[attr-defined]
    return render(request, template, ctx, status=400 if flt.errors or table.errors else 200)


@login_required
def warning_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One warning with its evidence, the rule and its basis, the project and the case."""
    w = selectors.warning_detail(request.user, pk)
    ev = w.evidence or {}
    listed = len(ev.get("worker_list") or [])
    ctx = {
        "w": w, "ev": ev, "detail_rows": figures.figure_rows(ev.get("detail") or {}),
        "project_url": project_url(w.project_id),
        "month_text": month_text(w.month), "amount": R.yuan_grouped(int(ev.get("amount_fen") or 0)),
        # Workers beyond those named: only where some are named ("the first 0 listed" says nothing).
        "listed": listed, "more_workers": max(0, int(ev.get("workers") or 0) - listed) if listed else 0,
        # "(verify)" is a note for whoever keeps the rules, not for the inspector reading the warning.
        "basis": figures.basis_text(w.rule.basis),
        "show_unverified": figures.unverified(w.rule.basis) and has_role(request.user, ADMINS),
        "others": selectors.warning_list(request.user).filter(project_id=w.project_id, month=w.month)
        .exclude(pk=w.pk),
    }
    return render(request, "monitoring/warning_detail.html", ctx)


RUN_SORTS = {"started": ("started_at", "pk"), "month": ("month", "started_at", "pk"),
             "engine": ("engine", "-started_at", "-pk")}
GRADE_SORTS = {"grade": ("grade_order", "name", "pk"), "name": ("name", "pk"),
               "contractor": ("general_contractor__name", "name", "pk"), "area": ("org_unit__path", "name", "pk"),
               "graded": ("graded_at", "pk")}


@login_required
@role_required(nav.RUNS.roles)
def run_list(request: HttpRequest) -> HttpResponse:
    """The detection job's runs, with what each found and changed."""
    table = Table.from_request(request, selectors.run_list(request.user), sorts=RUN_SORTS, default="-started",
                               default_size=20)
    page = table.page
    # A run counts its findings by rule code: the page names each rule instead.
    rule_names = {r.code: r.name for r in selectors.rule_list()}
    for run in page:
        run.month_text = month_text(run.month)  # type: ignore[attr-defined]
        run.engine_label = figures.engine_label(run.engine)  # type: ignore[attr-defined]
        found = (run.stats or {}).get("findings") or {}
        run.findings_named = [(rule_names.get(code, code), n) for code, n in found.items() if n]  # type: ignore[attr-defined]
    return render(request, "monitoring/run_list.html", {
        "page": page, "table": table, "filter_errors": table.errors, "can_retry": has_role(request.user, ADMINS)},
        status=400 if table.errors else 200)


@login_required
def run_retry(request: HttpRequest, pk: int) -> HttpResponse:
    """Evaluate a failed run's month again (POST, administrators): queued for the worker."""
    if request.method != "POST":
        return redirect("monitoring:runs")
    try:
        run = retry_run(run_id=pk, actor=request.user)  # type: ignore[arg-type]
    except DomainError as exc:
        if exc.http_status == 403:
            raise PermissionDenied from None
        messages.warning(request, exc.message)
    else:
        messages.info(request, gettext("已排队重新运行%(month)s的监测") % {"month": month_text(run.month)})
    return redirect("monitoring:runs")


@login_required
@role_required(nav.GRADES.roles)
def graded_projects(request: HttpRequest) -> HttpResponse:
    """Projects in my jurisdiction with their risk grade and the reasons for it."""
    grade = str(request.GET.get("grade") or "").strip()
    errors = []
    if grade and grade not in RiskLevel.values:
        errors.append(gettext("等级“%(grade)s”无效") % {"grade": grade[:20]})
        grade = ""
    table = Table.from_request(request, selectors.graded_projects(request.user, grade=grade), sorts=GRADE_SORTS,
                               default="grade")
    errors += table.errors
    page = table.page
    for p in page:
        p.url = project_url(p.pk)  # type: ignore[attr-defined]
    ctx = {"page": page, "table": table, "grade": grade, "grades": RiskLevel.choices, "filter_errors": errors,
           "query": request.GET.copy()}
    return render(request, "monitoring/warning_grades.html", ctx, status=400 if errors else 200)
