"""Writing the risk grades of projects and employers, at the end of every monitoring run (the
run's audit entry records it); what a grade is and why, in ``hexie.monitoring.grades``."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime
from typing import Any

from django.db import transaction

from hexie.employers.models import Employer, Project
from hexie.monitoring.grades import employer_reasons, highest, project_reasons


@transaction.atomic
def recompute_grades(*, as_of: date, now: datetime) -> dict[str, Any]:
    """Grade every project and employer again; write only the rows whose grade or reasons changed
    (and the grading time on all). Returns how many of each grade, and how many changed."""
    p_reasons = project_reasons(as_of=as_of)
    projects = list(Project.objects.only("pk", "name", "risk_grade", "risk_reasons"))
    changed_p = []
    grades_p: dict[int, tuple[str, str]] = {}
    for p in projects:
        reasons = p_reasons.get(p.pk, [])
        grade = highest(reasons)
        grades_p[p.pk] = (grade, p.name)
        if grade != p.risk_grade or reasons != p.risk_reasons:
            p.risk_grade, p.risk_reasons, p.graded_at = grade, reasons, now
            changed_p.append(p)
    Project.objects.bulk_update(changed_p, ["risk_grade", "risk_reasons", "graded_at"], batch_size=500)
    Project.objects.update(graded_at=now)

    e_reasons = employer_reasons(grades_p)
    employers = list(Employer.objects.only("pk", "risk_grade", "risk_reasons"))
    changed_e = []
    count_e: Counter[str] = Counter()
    for e in employers:
        reasons = e_reasons.get(e.pk, [])
        grade = highest(reasons)
        count_e[grade] += 1
        if grade != e.risk_grade or reasons != e.risk_reasons:
            e.risk_grade, e.risk_reasons, e.graded_at = grade, reasons, now
            changed_e.append(e)
    Employer.objects.bulk_update(changed_e, ["risk_grade", "risk_reasons", "graded_at"], batch_size=500)
    Employer.objects.update(graded_at=now)
    return {
        "projects": dict(Counter(g for g, _name in grades_p.values())), "employers": dict(count_e),
        "changed": len(changed_p) + len(changed_e),
    }
