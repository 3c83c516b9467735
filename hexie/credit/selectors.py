"""Every read of the credit app, scoped to the user (``orgs.scoping.restrict``), and the
unscoped facts other apps ask about one employer they already hold (triage, monitoring grades)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from hexie.core import clock
from hexie.credit.models import (
    CreditGrade,
    CreditRecord,
    CreditSetting,
    GradeCriterion,
    Listing,
    Publication,
)
from hexie.credit.rules import Thresholds, grade_for
from hexie.orgs.scoping import as_staff, restrict


class MissingSetting(LookupError):
    pass


def last_record_year() -> int:
    """The year grades are computed for by default: the last whole year of record."""
    return clock.today().year - 1


def setting(code: str) -> Decimal:
    """The value of a credit period or threshold row; a missing row is a configuration error."""
    value = CreditSetting.objects.filter(code=code).values_list("value", flat=True).first()
    if value is None:
        raise MissingSetting(f"credit setting {code!r} is missing: run the migrations or add it in the admin")
    return value


def setting_row(code: str) -> CreditSetting:
    return CreditSetting.objects.get(code=code)


def thresholds() -> Thresholds:
    return Thresholds(
        single_amount=setting("criminal_single_amount"), single_months=int(setting("criminal_single_months")),
        collective_amount=setting("criminal_collective_amount"),
        collective_workers=int(setting("criminal_collective_workers")),
    )


def criteria_for(year: int) -> list[GradeCriterion]:
    """The active criteria in force at the end of the record year."""
    end = date(year, 12, 31)
    return list(GradeCriterion.objects.filter(is_active=True, effective_from__lte=end)
                .filter(Q(effective_to__isnull=True) | Q(effective_to__gte=end)))


# --- grades -----------------------------------------------------------------------------------


def grades(user: Any, action: str = "view") -> QuerySet[CreditGrade]:
    return restrict(CreditGrade.objects.select_related("employer", "org_unit"), user, action)


def grade_detail(user: Any, pk: int) -> CreditGrade:
    grade = restrict(CreditGrade.objects.select_related("employer", "decided_by").filter(pk=pk), user,
                     single=True).first()
    if grade is None:
        raise Http404
    return grade


def explain(grade: CreditGrade) -> list[dict[str, Any]]:
    """The criteria that decided the grade, with their basis (read against the year's criteria)."""
    # Model rows satisfy CriterionLike at run time; their fields are descriptors to mypy.
    verdict = grade_for(grade.counts(), criteria_for(grade.year))  # type: ignore[arg-type]
    return [{"code": c.code, "name": c.name, "grade": c.grade, "basis": c.basis, "count": grade.counts()[c.kind],
             "min_count": c.min_count} for c in verdict.fired]


def grade_distribution(user: Any, year: int) -> list[dict[str, Any]]:
    """Grades of the year per district unit: [{org_unit__name, A, B, C}]."""
    rows = (grades(user).filter(year=year).values("org_unit_id", "org_unit__name")
            .annotate(A=Count("id", filter=Q(grade="A")), B=Count("id", filter=Q(grade="B")),
                      C=Count("id", filter=Q(grade="C"))).order_by("org_unit__name"))
    return list(rows)


def latest_grade(employer_id: int) -> CreditGrade | None:
    """The employer's most recent notified or final grade (one the employer has been told of), for
    the apps above that already hold the employer: triage of a new complaint, the risk grade."""
    return (CreditGrade.objects.filter(employer_id=employer_id)
            .exclude(state=CreditGrade.State.COMPUTED).order_by("-year").first())


def c_grades_in_force() -> dict[int, CreditGrade]:
    """Employers whose latest notified or final grade is C, with that grade (for the monitoring
    risk grade: two statements for every employer, not one per employer)."""
    latest: dict[int, CreditGrade] = {}
    for g in (CreditGrade.objects.exclude(state=CreditGrade.State.COMPUTED).only("pk", "employer_id", "year", "grade")
              .order_by("employer_id", "-year")):
        latest.setdefault(g.employer_id, g)
    return {pk: g for pk, g in latest.items() if g.grade == "C"}


def listings_in_force() -> dict[int, Listing]:
    """Employers on the joint-punishment list today, with their listing."""
    return {lst.employer_id: lst for lst in Listing.objects.filter(
        state__in=[Listing.State.LISTED, Listing.State.PUBLISHED], expires_on__gt=clock.today())}


def employer_credit(user: Any, employer_id: int, *, with_records: bool = True) -> dict[str, Any]:
    """What the employer's file shows: its grades (newest first), its listings and its records.

    The caller has already found the employer in the user's jurisdiction (the file's own scope);
    its credit rows are part of its file, so they are read by the employer's key alone: three
    statements, not three more look-ups of the user's units."""
    if as_staff(user) is None:
        return {"grades": [], "listings": [], "records": []}
    return {
        "grades": list(CreditGrade.objects.filter(employer_id=employer_id).order_by("-year")[:5]),
        "listings": list(Listing.objects.filter(employer_id=employer_id)[:5]),
        "records": list(CreditRecord.objects.filter(employer_id=employer_id).select_related("case")[:20])
        if with_records else [],
    }


def own_grades(user: Any) -> list[CreditGrade]:
    """An employer account's own grades it has been told of (newest first); none for staff."""
    from hexie.prevention.selectors import account_of

    account = account_of(user)
    if account is None:
        return []
    return list(CreditGrade.objects.filter(employer_id=account.employer_id).exclude(
        state=CreditGrade.State.COMPUTED).order_by("-year")[:5])


# --- records --------------------------------------------------------------------------------


def records(user: Any, action: str = "view") -> QuerySet[CreditRecord]:
    return restrict(CreditRecord.objects.all(), user, action)


# --- the joint-punishment list -------------------------------------------------------------


def listings(user: Any, action: str = "view") -> QuerySet[Listing]:
    return restrict(Listing.objects.select_related("employer", "org_unit"), user, action)


def listing_detail(user: Any, pk: int) -> Listing:
    listing = restrict(Listing.objects.select_related("employer", "order_record__case").filter(pk=pk), user,
                       single=True).first()
    if listing is None:
        raise Http404
    return listing


def listing_in_force(employer_id: int) -> Listing | None:
    """The employer's listing in force today, if any (unscoped: for apps that hold the employer)."""
    return (Listing.objects.filter(employer_id=employer_id, state__in=[Listing.State.LISTED, Listing.State.PUBLISHED],
                                   expires_on__gt=clock.today()).order_by("-decided_on").first())


def public_listings() -> QuerySet[Listing]:
    """The published part of the list, for the public portal: published and not yet expired. The
    persons' ID numbers never leave the bureau."""
    return (Listing.objects.filter(state=Listing.State.PUBLISHED, expires_on__gt=clock.today())
            .select_related("employer", "org_unit").prefetch_related("persons").order_by("-published_on", "-id"))


# --- publications -----------------------------------------------------------------------------


def publications(user: Any, action: str = "view") -> QuerySet[Publication]:
    return restrict(Publication.objects.select_related("org_unit"), user, action)


def publication_detail(user: Any, pk: int) -> Publication:
    pub = restrict(Publication.objects.filter(pk=pk), user, single=True).first()
    if pub is None:
        raise Http404
    return pub


def public_publications() -> QuerySet[Publication]:
    return Publication.objects.filter(state=Publication.State.ISSUED).select_related("org_unit").order_by(
        "-year", "-quarter", "kind")


def public_publication(pk: int) -> Publication:
    pub = public_publications().filter(pk=pk).first()
    if pub is None:
        raise Http404
    return pub
