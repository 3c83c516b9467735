"""Risk grades of projects and employers, and the reasons behind them (reads only; the monitoring
run writes them through ``services.grades.recompute_grades``).

A project's grade is the highest of: its open warnings' grades; yellow for an open case on the
project (linked to it); yellow when two or more of its red warnings were resolved in the last six months (a
project that keeps falling behind). An employer's grade is the highest grade among the projects
it works on as general contractor or subcontractor, yellow for an open case linked to it, orange
for a compliance grade C in force and red while it is on the joint-punishment list (credit).
Every grade keeps its reasons, [{grade, source, text, ref, id, url}], so a page can say why and
link to each item it cites (the warning, the case, the project).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping
from datetime import date
from typing import Any

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from hexie.cases.models import OPEN_STATUSES, Case
from hexie.core.enums import RISK_ORDER, RiskLevel
from hexie.credit.selectors import c_grades_in_force, listings_in_force
from hexie.employers.models import Project
from hexie.monitoring.models import MonitoringCase, Warning
from hexie.monitoring.months import add_months, month_key, month_label

HISTORY_MONTHS = 6
HISTORY_RED_COUNT = 2
REASONS_PER_SOURCE = 10  # a project with fifty open cases needs ten named, and the count

GRADE_TEXT = {"red": _("红"), "orange": _("橙"), "yellow": _("黄"), "green": _("绿")}
Reason = dict[str, Any]


def highest(reasons: list[Reason]) -> str:
    """The highest grade among the reasons; green when there are none."""
    return max((str(r["grade"]) for r in reasons), key=lambda g: RISK_ORDER[RiskLevel(g)], default=RiskLevel.GREEN)


def _open_cases_by_project() -> dict[int, list[Any]]:
    """Open cases on each registered project: the cases linked to it (``Case.project``), and the
    monitoring cases its warnings opened. A typed project name never counts: two projects in
    different districts may share one."""
    linked: dict[int, set[int]] = defaultdict(set)
    for case_id, project_id in MonitoringCase.objects.filter(case__status__in=OPEN_STATUSES).values_list(
            "case_id", "project_id"):
        linked[case_id].add(project_id)
    out: dict[int, list[Any]] = defaultdict(list)
    rows = Case.objects.filter(Q(pk__in=list(linked)) | Q(project__isnull=False), status__in=OPEN_STATUSES)
    for c in rows.values("pk", "number", "project_id", "channel").order_by("received_at", "pk"):
        targets = ({c["project_id"]} if c["project_id"] else set()) | linked.get(c["pk"], set())
        for pk in targets:
            out[pk].append(c)
    return out


def _case_reason(c: Mapping[str, Any], text: str) -> Reason:
    return {"grade": RiskLevel.YELLOW, "source": "complaint", "ref": c["number"], "id": c["pk"],
            "url": reverse("cases:detail", args=[c["pk"]]), "text": text}


def project_reasons(*, as_of: date) -> dict[int, list[Reason]]:
    """The reasons behind each project's grade (projects without any are green)."""
    reasons: dict[int, list[Reason]] = defaultdict(list)
    for w in (Warning.objects.filter(state=Warning.State.OPEN)
              .values("pk", "project_id", "grade", "month", "summary", "rule__name")
              .order_by("-month", "rule__sort", "pk")):
        reasons[w["project_id"]].append({
            "grade": w["grade"], "source": "warning", "ref": w["pk"], "id": w["pk"],
            "url": reverse("monitoring:warning", args=[w["pk"]]),
            "text": gettext("预警 · %(rule)s（%(month)s）：%(summary)s") % {
                "rule": w["rule__name"], "month": month_label(w["month"]), "summary": w["summary"]},
        })
    for project_id, cases in _open_cases_by_project().items():
        for c in cases[:REASONS_PER_SOURCE]:
            what = gettext("监测立案") if c["channel"] == "monitoring" else gettext("在办投诉")
            reasons[project_id].append(_case_reason(c, gettext("%(what)s：%(number)s") % {"what": what, "number": c["number"]}))
        if len(cases) > REASONS_PER_SOURCE:
            reasons[project_id].append({
                "grade": RiskLevel.YELLOW, "source": "complaint", "ref": None,
                "text": gettext("另有在办案件%(value)s件") % {"value": len(cases) - REASONS_PER_SOURCE}})
    since = add_months(month_key(as_of), -(HISTORY_MONTHS - 1))
    history = Counter(Warning.objects.filter(state=Warning.State.RESOLVED, grade=RiskLevel.RED, month__gte=since)
                      .values_list("project_id", flat=True))
    for project_id, n in history.items():
        if n >= HISTORY_RED_COUNT:
            reasons[project_id].append({
                "grade": RiskLevel.YELLOW, "source": "history", "ref": None,
                "text": gettext("近%(HISTORY_MONTHS)s个月已消除的红色预警%(n)s项") % {"HISTORY_MONTHS": HISTORY_MONTHS, "n": n}})
    return reasons


def employer_reasons(project_grades: dict[int, tuple[str, str]]) -> dict[int, list[Reason]]:
    """Reasons behind each employer's grade. `project_grades`: project id → (grade, name)."""
    reasons: dict[int, list[Reason]] = defaultdict(list)
    roles: dict[tuple[int, int], str] = {}
    for pk, gc in Project.objects.values_list("pk", "general_contractor_id"):
        roles[(gc, pk)] = gettext("施工总承包")
    for pk, emp in Project.subcontractors.through.objects.values_list("project_id", "employer_id"):
        roles.setdefault((emp, pk), gettext("分包"))
    for (employer_id, project_id), role in sorted(roles.items()):
        grade, name = project_grades.get(project_id, (RiskLevel.GREEN, ""))
        if grade != RiskLevel.GREEN:
            reasons[employer_id].append({
                "grade": grade, "source": "project", "ref": project_id, "id": project_id,
                "url": reverse("employers:project", args=[project_id]),
                "text": gettext("项目“%(name)s”（%(role)s）：%(grade)s") % {
                    "name": name, "role": role, "grade": GRADE_TEXT[grade]}})
    cases: dict[int, list[Any]] = defaultdict(list)
    for row in (Case.objects.filter(status__in=OPEN_STATUSES, employer__isnull=False)
                .order_by("received_at", "pk").values("pk", "number", "employer_id")):
        cases[row["employer_id"]].append(row)
    for employer_id, numbers in cases.items():
        for item in numbers[:REASONS_PER_SOURCE]:
            reasons[employer_id].append(_case_reason(item, gettext("在办案件：%(number)s") % {"number": item["number"]}))
        if len(numbers) > REASONS_PER_SOURCE:
            reasons[employer_id].append({
                "grade": RiskLevel.YELLOW, "source": "complaint", "ref": None,
                "text": gettext("另有在办案件%(value)s件") % {"value": len(numbers) - REASONS_PER_SOURCE}})
    for employer_id, c_grade in c_grades_in_force().items():
        reasons[employer_id].append({
            "grade": RiskLevel.ORANGE, "source": "credit", "ref": c_grade.year, "id": c_grade.pk,
            "url": reverse("credit:grade", args=[c_grade.pk]),
            "text": gettext("%(year)s年度劳动保障守法诚信等级C级") % {"year": c_grade.year}})
    for employer_id, listing in listings_in_force().items():
        reasons[employer_id].append({
            "grade": RiskLevel.RED, "source": "credit", "ref": None, "id": listing.pk,
            "url": reverse("credit:listing", args=[listing.pk]),
            "text": gettext("列入拖欠农民工工资失信联合惩戒对象名单（至%(expires_on)s）") % {
                "expires_on": listing.expires_on}})
    return reasons
