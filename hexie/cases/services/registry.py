"""A case's link to the registry (one employer, one file): resolved at intake, suggested by name,
confirmed or changed by a clerk.

At intake the link is certain or absent: the employer by its credit code (exact, normalised), the
project by the id picked in a project picker (staff form, API, the worker's form, a project's QR
poster). A project picked sets the employer to its general contractor unless the complainant named
another employer with a credit code. A name is only ever a *suggestion* (``suggestions``): a clerk
confirms it with ``link_registry``, which writes the case's timeline.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext

from hexie.cases.models import Case
from hexie.cases.selectors import get_case_for_update
from hexie.cases.services.timeline import add_event
from hexie.core.permissions import require_role
from hexie.core.validators import normalise_credit_code
from hexie.employers.models import Employer, Project
from hexie.orgs.models import User
from hexie.orgs.scoping import BUREAU_STAFF, district_of, restrict


@dataclass(frozen=True)
class Link:
    """The registry rows a complaint resolves to at intake (either may be None)."""

    employer: Employer | None
    project: Project | None


def resolve_link(*, credit_code: str, project_id: int | None, actor: User | None) -> Link:
    """The employer and project a new complaint is about, from what identifies them beyond doubt.

    `credit_code` is already normalised. A project id the actor may not see (or that does not exist)
    is refused on the ``project`` field; staff pick among the projects of their jurisdiction, the
    public portal among all registered projects.
    """
    project = None
    if project_id is not None:
        projects = Project.objects.all() if actor is None else restrict(Project.objects.all(), actor)
        project = projects.select_related("general_contractor").filter(pk=project_id).first()
        if project is None:
            raise ValidationError({"project": [gettext("所选工程项目不存在")]})
    # A credit code names one employer wherever it is registered: the code is its identity.
    employer = Employer.objects.filter(credit_code=credit_code).first() if credit_code else None
    if employer is None and project is not None and not credit_code:
        employer = project.general_contractor
    return Link(employer=employer, project=project)


def project_candidates(case: Case) -> QuerySet[Project]:
    """Registered projects named as the case names its project, in the case's own district only:
    a project of the same name in another district is another project."""
    if not case.project_name.strip():
        return Project.objects.none()
    district = district_of(case.org_unit) or case.org_unit
    return (Project.objects.filter(name=case.project_name.strip(), org_unit__path__startswith=district.path)
            .select_related("org_unit", "general_contractor").order_by("pk"))


def employer_candidates(case: Case) -> QuerySet[Employer]:
    """Registered employers named exactly as the case names its employer."""
    if not case.employer_name.strip():
        return Employer.objects.none()
    return Employer.objects.filter(name=case.employer_name.strip()).select_related("org_unit").order_by("pk")


def suggestions(case: Case, user: Any) -> dict[str, list[Any]]:
    """What a clerk may confirm for a case not yet linked: name matches the user may see (never
    applied without a clerk's confirmation)."""
    out: dict[str, list[Any]] = {"employers": [], "projects": []}
    if case.employer_id is None:
        out["employers"] = list(restrict(employer_candidates(case), user)[:5])
    if case.project_id is None:
        out["projects"] = list(restrict(project_candidates(case), user)[:5])
    return out


@transaction.atomic
def link_registry(
    *, case_id: int, actor: User, employer_id: int | None = None, project_id: int | None = None,
    code: str = "", unlink_employer: bool = False, unlink_project: bool = False, reason: str = "",
) -> Case:
    """Link a case to a registered employer and/or project, change the link, or remove it.

    The clerk confirms what the case is about (a suggestion's id, or a credit code or project code
    typed in `code`); the timeline records the change with the before and after. Registry rows
    outside the clerk's jurisdiction are refused as unknown.
    """
    require_role(actor, BUREAU_STAFF, gettext("您的角色不能修改案件关联"))
    case = get_case_for_update(case_id=case_id, actor=actor)  # staff who see a case may change it
    errors: dict[str, list[str]] = {}
    code = normalise_credit_code(code)  # a credit code or a project code, both typed in capitals
    if code:
        found_employer = restrict(Employer.objects.filter(credit_code=code), actor).first()
        found_project = None if found_employer else restrict(Project.objects.filter(code=code), actor).first()
        if found_employer is None and found_project is None:
            raise ValidationError({"code": [gettext("辖区内没有该信用代码的单位或该编码的项目")]})
        employer_id = found_employer.pk if found_employer else employer_id
        project_id = found_project.pk if found_project else project_id
    employer, project = case.employer, case.project
    if employer_id is not None:
        employer = restrict(Employer.objects.all(), actor).filter(pk=employer_id).first()
        if employer is None:
            errors["employer"] = [gettext("所选用人单位不存在")]
    elif unlink_employer:
        employer = None
    if project_id is not None:
        project = restrict(Project.objects.all(), actor).filter(pk=project_id).first()
        if project is None:
            errors["project"] = [gettext("所选工程项目不存在")]
    elif unlink_project:
        project = None
    if errors:
        raise ValidationError(errors)
    if employer == case.employer and project == case.project:
        raise ValidationError({"employer": [gettext("关联未变化")]})
    before = {"employer": case.employer_id, "project": case.project_id}
    case.employer, case.project = employer, project
    Case.objects.filter(pk=case.pk).update(employer=employer, project=project)
    none = gettext("未关联")
    parts = [gettext("用人单位：%(name)s") % {"name": employer.name if employer else none},
             gettext("工程项目：%(name)s") % {"name": project.name if project else none}]
    add_event(case=case, kind="registry_link", actor=actor,
              message=gettext("关联登记信息") + "；".join(parts) + (f"（{reason.strip()}）" if reason.strip() else ""),
              data={"before": before, "after": {"employer": case.employer_id, "project": case.project_id}})
    return case


def same_subject_q(*, employer: Employer | None, credit_code: str, employer_name: str,
                   project: Project | None) -> Q:
    """Cases about the same employer (by link, else credit code, else exact name) or the same
    registered project: what "again" means for a repeat complaint."""
    if employer is not None:
        q = Q(employer=employer) | Q(employer__isnull=True, employer_credit_code=employer.credit_code)
    elif credit_code:
        q = Q(employer_credit_code=credit_code)
    else:
        q = Q(employer__isnull=True, employer_credit_code="", employer_name=employer_name.strip())
    if project is not None:
        q |= Q(project=project)
    return q
