"""Staff pages for monitoring results: warnings (list, detail), the job's runs, graded projects.

Thin: reads go through `selectors`, which scope every row to the user's jurisdiction; a warning
outside it answers 404, exactly like one that does not exist.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext

from hexie.core.enums import RiskLevel
from hexie.monitoring import rules as R
from hexie.monitoring import selectors
from hexie.monitoring.models import Warning
from hexie.monitoring.months import month_text


def project_url(project_id: int) -> str:
    """The registry's page of a project (its URL name, or the documented path)."""
    try:
        return reverse("employers:project", args=[project_id])
    except NoReverseMatch:
        return f"/registry/projects/{project_id}/"


@login_required
def warning_list(request: HttpRequest) -> HttpResponse:
    """Warnings in my jurisdiction, newest month first, with filters."""
    flt = selectors.WarningFilter.parse(request.GET)
    qs = selectors.warning_list(request.user, flt) if not flt.errors else selectors.warning_list(request.user).none()
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    for w in page:
        w.month_text = month_text(w.month)  # type: ignore[attr-defined]
    ctx = {
        "page": page, "flt": flt, "query": request.GET.copy(),
        "filter_errors": list(flt.errors.values()),
        "months": selectors.month_choices(request.user), "rules": selectors.rule_list(),
        "grades": [(v, label) for v, label in RiskLevel.choices if v != RiskLevel.GREEN],
        "states": Warning.State.choices, "districts": selectors.district_choices(request.user),
    }
    template = "monitoring/warning_table.html" if request.htmx else "monitoring/warning_list.html"  # type: ignore[attr-defined]
    return render(request, template, ctx, status=400 if flt.errors else 200)


@login_required
def warning_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One warning with its evidence, the rule and its basis, the project and the case."""
    w = selectors.warning_detail(request.user, pk)
    ev = w.evidence or {}
    detail_rows = [(k, v) for k, v in (ev.get("detail") or {}).items()]
    ctx = {
        "w": w, "ev": ev, "detail_rows": detail_rows, "project_url": project_url(w.project_id),
        "month_text": month_text(w.month), "amount": R.yuan_grouped(int(ev.get("amount_fen") or 0)),
        "more_workers": max(0, int(ev.get("workers") or 0) - len(ev.get("worker_list") or [])),
        "others": selectors.warning_list(request.user).filter(project_id=w.project_id, month=w.month)
        .exclude(pk=w.pk),
    }
    return render(request, "monitoring/warning_detail.html", ctx)


@login_required
def run_list(request: HttpRequest) -> HttpResponse:
    """The detection job's runs, with what each found and changed."""
    page = Paginator(selectors.run_list(request.user), 30).get_page(request.GET.get("page"))
    for run in page:
        run.month_text = month_text(run.month)  # type: ignore[attr-defined]
    return render(request, "monitoring/run_list.html", {"page": page})


@login_required
def graded_projects(request: HttpRequest) -> HttpResponse:
    """Projects in my jurisdiction with their risk grade and the reasons for it."""
    grade = str(request.GET.get("grade") or "").strip()
    errors = []
    if grade and grade not in RiskLevel.values:
        errors.append(gettext("等级“%(grade)s”无效") % {"grade": grade[:20]})
        grade = ""
    page = Paginator(selectors.graded_projects(request.user, grade=grade), 50).get_page(request.GET.get("page"))
    for p in page:
        p.url = project_url(p.pk)  # type: ignore[attr-defined]
    ctx = {"page": page, "grade": grade, "grades": RiskLevel.choices, "filter_errors": errors,
           "query": request.GET.copy()}
    return render(request, "monitoring/warning_grades.html", ctx, status=400 if errors else 200)
