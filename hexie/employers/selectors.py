"""Every read of the registry, already limited to the user's jurisdiction (``scoping.restrict``).

A row outside it raises Http404, the same as a row that does not exist. The employer and project
pages read their bundle here: parties, projects, teams, the roster with masked identifiers, and the
risk grade with the findings behind it (what other apps add to those pages, such as cases and
warnings, comes through ``employers.panels``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Case as DbCase
from django.db.models import Count, IntegerField, Q, QuerySet, Value, When
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from hexie.core.enums import RISK_ORDER, RiskLevel
from hexie.core.pii import mask_id_number, mask_phone
from hexie.employers.models import (
    Employer,
    MonitoringPoint,
    MonitoringReport,
    Project,
    RosterEntry,
    WorkTeam,
)
from hexie.orgs.models import OrgUnit
from hexie.orgs.scoping import restrict, unit_ids_under

NOT_FOUND = _("未找到")

def grade_order(field: str = "risk_grade") -> DbCase:
    """Red first: the grade as a number for ordering."""
    return DbCase(*[When(**{field: g}, then=Value(-n)) for g, n in RISK_ORDER.items()],
                 default=Value(0), output_field=IntegerField())


def _district_units(code: str) -> list[int] | None:
    """Ids of the unit with this code and everything below it (None when no unit has the code)."""
    unit = OrgUnit.objects.filter(code=code).first()
    return None if unit is None else unit_ids_under(unit)


# --- employers ------------------------------------------------------------------------------


def employer_queryset(user: Any) -> QuerySet[Employer]:
    return restrict(Employer.objects.all(), user)


def employer_list(
    user: Any, *, q: str = "", district: str = "", industry: str = "", grade: str = ""
) -> QuerySet[Employer]:
    """Employers in the user's jurisdiction, worst grade first; `q` matches the name or the credit code."""
    qs = employer_queryset(user).select_related("org_unit")
    q = q.strip()
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(credit_code__iexact=q) | Q(credit_code__startswith=q.upper()))
    if district:
        ids = _district_units(district)
        qs = qs.filter(org_unit_id__in=ids or [])
    if industry:
        qs = qs.filter(industry=industry)
    if grade:
        qs = qs.filter(risk_grade=grade)
    return qs.annotate(grade_rank=grade_order()).order_by("grade_rank", "name", "pk")


def employer_detail(user: Any, pk: int) -> Employer:
    employer = employer_queryset(user).select_related("org_unit").filter(pk=pk).first()
    if employer is None:
        raise Http404(NOT_FOUND)
    return employer


def projects_of(employer: Employer) -> QuerySet[Project]:
    """Every project where the employer is general contractor, subcontractor or owner (unscoped:
    callers restrict what they show)."""
    return Project.objects.filter(Q(general_contractor=employer) | Q(owner=employer) | Q(subcontractors=employer))


def employer_projects(user: Any, employer: Employer) -> QuerySet[Project]:
    """Projects in the user's jurisdiction where the employer is general contractor, subcontractor or owner."""
    return project_queryset(user).filter(pk__in=projects_of(employer).values("pk")).select_related(
        "org_unit", "general_contractor")


@dataclass
class EmployerBundle:
    """Everything the employer page shows on one screen."""

    employer: Employer
    projects: list[Project]
    reasons: list[dict[str, Any]]


def grade_reasons(obj: Employer | Project) -> list[dict[str, Any]]:
    """The findings behind a grade, worst first, each with its grade and text (tolerant of odd rows)."""
    out = []
    for r in obj.risk_reasons or []:
        if isinstance(r, dict):
            grade = str(r.get("grade") or "")
            out.append({**r, "grade": grade if grade in RiskLevel.values else "", "text": str(r.get("text") or "")})
        elif r:
            out.append({"grade": "", "text": str(r), "source": ""})
    return sorted(out, key=lambda r: -RISK_ORDER.get(r["grade"], -1))


def employer_bundle(user: Any, pk: int, *, limit: int = 50) -> EmployerBundle:
    """The employer with its projects and grade reasons (404 outside scope)."""
    employer = employer_detail(user, pk)
    return EmployerBundle(employer=employer, projects=list(employer_projects(user, employer)[:limit]),
                          reasons=grade_reasons(employer))


# --- projects -------------------------------------------------------------------------------


def project_queryset(user: Any) -> QuerySet[Project]:
    return restrict(Project.objects.all(), user)


def project_list(
    user: Any, *, q: str = "", district: str = "", grade: str = "", status: str = ""
) -> QuerySet[Project]:
    """Projects in the user's jurisdiction, worst grade first; `q` matches name, project code or a party's
    credit code."""
    qs = project_queryset(user).select_related("org_unit", "general_contractor")
    q = q.strip()
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(code__iexact=q) | Q(code__startswith=q.upper())
                       | Q(general_contractor__credit_code=q.upper()) | Q(general_contractor__name__icontains=q))
    if district:
        qs = qs.filter(org_unit_id__in=_district_units(district) or [])
    if grade:
        qs = qs.filter(risk_grade=grade)
    if status:
        qs = qs.filter(status=status)
    return qs.annotate(grade_rank=grade_order(),
                       workers_on_site=Count("roster", filter=Q(roster__exit_date__isnull=True))
                       ).order_by("grade_rank", "name", "pk")


def project_detail(user: Any, pk: int) -> Project:
    project = (project_queryset(user).select_related("org_unit", "owner", "general_contractor")
               .filter(pk=pk).first())
    if project is None:
        raise Http404(NOT_FOUND)
    return project


def project_teams(project: Project) -> QuerySet[WorkTeam]:
    return project.teams.select_related("employer").annotate(
        members_count=Count("members", filter=Q(members__exit_date__isnull=True))).order_by("name")


def project_roster(project: Project, *, q: str = "", on_site: bool | None = None) -> QuerySet[RosterEntry]:
    """The project's roster; `q` matches a name or the last four characters of the ID number."""
    qs = project.roster.select_related("worker", "team")
    q = q.strip()
    if q:
        cond = Q(worker__name__icontains=q)
        if len(q) == 4:
            cond |= Q(worker__id_last4=q.upper())
        qs = qs.filter(cond)
    if on_site is True:
        qs = qs.filter(exit_date__isnull=True)
    elif on_site is False:
        qs = qs.filter(exit_date__isnull=False)
    return qs.order_by("team__name", "worker__name", "pk")


@dataclass(frozen=True)
class RosterRow:
    """A roster line as staff see it: identifiers masked."""

    entry: RosterEntry
    name: str
    id_masked: str
    phone_masked: str


def masked_rows(entries: Any) -> list[RosterRow]:
    """Roster lines for display; the ID number and phone are decrypted only to be masked."""
    return [RosterRow(e, e.worker.name, mask_id_number(e.worker.id_number), mask_phone(e.worker.phone))
            for e in entries]


@dataclass
class ProjectBundle:
    """Everything the project page shows on one screen (the full roster has its own page)."""

    project: Project
    subcontractors: list[Employer]
    teams: list[WorkTeam]
    roster: list[RosterRow]
    on_site: int
    roster_total: int
    reasons: list[dict[str, Any]]
    # Parties whose own page the user may open (a contractor registered in another district is not).
    visible_party_ids: set[int]


def project_bundle(user: Any, pk: int, *, roster_rows: int = 20) -> ProjectBundle:
    project = project_detail(user, pk)
    roster = project_roster(project)
    subs = list(project.subcontractors.all())
    parties = {project.general_contractor_id, project.owner_id, *(s.pk for s in subs)} - {None}
    return ProjectBundle(
        project=project,
        subcontractors=subs,
        teams=list(project_teams(project)),
        roster=masked_rows(roster[:roster_rows]),
        on_site=roster.filter(exit_date__isnull=True).count(),
        roster_total=roster.count(),
        reasons=grade_reasons(project),
        visible_party_ids=set(employer_queryset(user).filter(pk__in=parties).values_list("pk", flat=True)),
    )


def roster_entry(user: Any, project: Project, entry_id: int) -> RosterEntry:
    entry = project.roster.select_related("worker", "team").filter(pk=entry_id).first()
    if entry is None:
        raise Http404(NOT_FOUND)
    return entry


# --- monitoring points ----------------------------------------------------------------------


def point_queryset(user: Any) -> QuerySet[MonitoringPoint]:
    return restrict(MonitoringPoint.objects.all(), user)


def point_list(user: Any, *, q: str = "", district: str = "", active: bool | None = None) -> QuerySet[MonitoringPoint]:
    qs = point_queryset(user).select_related("employer", "employer__org_unit")
    q = q.strip()
    if q:
        qs = qs.filter(Q(employer__name__icontains=q) | Q(employer__credit_code__iexact=q))
    if district:
        qs = qs.filter(employer__org_unit_id__in=_district_units(district) or [])
    if active is not None:
        qs = qs.filter(is_active=active)
    return qs.order_by("employer__name", "pk")


def point_detail(user: Any, pk: int) -> MonitoringPoint:
    point = point_queryset(user).select_related("employer", "employer__org_unit").filter(pk=pk).first()
    if point is None:
        raise Http404(NOT_FOUND)
    return point


def point_reports(point: MonitoringPoint) -> QuerySet[MonitoringReport]:
    return point.reports.order_by("-month")


def districts(user: Any) -> QuerySet[OrgUnit]:
    """The city and districts a user may filter by."""
    return restrict(OrgUnit.objects.all(), user).filter(level__in=["city", "district"])
