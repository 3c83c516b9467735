"""The one place that limits what a user may see (DESIGN principle 2).

Every page and API view that lists or opens cases passes its queryset through
`restrict_cases`. Anything outside the result answers 404, exactly like a case that does not exist.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar

from django.contrib.auth.models import AnonymousUser
from django.db.models import Model, QuerySet

from hexie.orgs.models import OrgUnit, Role, User

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser

M = TypeVar("M", bound=Model)


def as_staff(user: AbstractBaseUser | AnonymousUser | Any) -> User | None:
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    return user if isinstance(user, User) else None


def restrict_cases(
    qs: QuerySet[M], user: AbstractBaseUser | AnonymousUser | Any, *, single: bool = False
) -> QuerySet[M]:
    """Cases the user may see: own org unit and below; a partner agency only what was referred to it.

    `single=True` says the queryset already picks one case by its key: the org tree is then
    joined in the same statement, which for one row costs less than resolving the unit ids first.
    """
    staff = as_staff(user)
    if staff is None:
        return qs.none()
    if staff.is_superuser:
        return qs
    if staff.role == Role.PARTNER:
        if staff.agency_id is None:
            return qs.none()
        return qs.filter(referrals__agency_id=staff.agency_id).distinct()
    if staff.org_unit_id is None:
        return qs.none()
    unit: OrgUnit = staff.org_unit  # type: ignore[assignment]
    if single:
        return qs.filter(org_unit__path__startswith=unit.path)
    # The units are looked up first (one small query on the org tree) and the cases filtered by
    # their ids. A join on the path, or an IN subquery that PostgreSQL turns into the same join,
    # lets the planner repeat the case-side index scans once per org unit: at a million cases that
    # made a search in a district's queue twice as slow (bench/README.md).
    unit_ids = list(OrgUnit.objects.filter(path__startswith=unit.path).values_list("pk", flat=True))
    return qs.filter(org_unit_id__in=unit_ids)


def restrict_org_units(qs: QuerySet[OrgUnit], user: Any) -> QuerySet[OrgUnit]:
    """Org units the user may pick or filter by: own unit and below."""
    staff = as_staff(user)
    if staff is None:
        return qs.none()
    if staff.is_superuser or (staff.org_unit_id is None and staff.role == Role.ADMIN):
        return qs
    if staff.org_unit_id is None:
        return qs.none()
    return qs.filter(path__startswith=staff.org_unit.path)  # type: ignore[union-attr]


def restrict_staff(qs: QuerySet[User], user: Any) -> QuerySet[User]:
    """Staff a user may assign work to: those in the user's own unit and below."""
    staff = as_staff(user)
    if staff is None:
        return qs.none()
    if staff.is_superuser:
        return qs
    if staff.org_unit_id is None:
        return qs.none()
    return qs.filter(org_unit__path__startswith=staff.org_unit.path)  # type: ignore[union-attr]


def restrict_by_unit(qs: QuerySet[M], user: Any, *, field: str = "org_unit") -> QuerySet[M]:
    """Registry rows (employers, projects, warnings, imports…) in the user's unit and below.

    The same rule as cases: a bureau sees its own jurisdiction. Partner agencies see none of it.
    """
    staff = as_staff(user)
    if staff is None:
        return qs.none()
    if staff.is_superuser:
        return qs
    if staff.role == Role.PARTNER or staff.org_unit_id is None:
        return qs.none()
    unit_ids = list(
        OrgUnit.objects.filter(path__startswith=staff.org_unit.path).values_list("pk", flat=True)  # type: ignore[union-attr]
    )
    return qs.filter(**{f"{field}_id__in": unit_ids})
