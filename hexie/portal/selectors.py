"""Every read the public portal makes: areas to choose from, a case found by its tracking code,
and only the public part of its file (public timeline entries, running clocks)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.urls import reverse

from hexie.cases.models import Case, Deadline, Status, TimelineEvent
from hexie.employers.models import Project
from hexie.orgs.models import OrgLevel, OrgUnit
from hexie.orgs.scoping import restrict

# Levels a worker may name as the place where the work happened: a district, or a street in it.
FILING_LEVELS = (OrgLevel.DISTRICT, OrgLevel.STREET)


def districts() -> QuerySet[OrgUnit]:
    """Districts and counties of the installation, in code order."""
    return OrgUnit.objects.filter(level=OrgLevel.DISTRICT).order_by("code")


def areas() -> QuerySet[OrgUnit]:
    """Districts with their streets (``street_list``), for the filing form and the areas API."""
    streets = OrgUnit.objects.filter(level=OrgLevel.STREET).order_by("code")
    return districts().prefetch_related(Prefetch("children", queryset=streets, to_attr="street_list"))


def filing_units() -> QuerySet[OrgUnit]:
    """Org units a complaint may be filed against."""
    return OrgUnit.objects.filter(level__in=FILING_LEVELS)


def normalise_tracking_code(value: str) -> str:
    """Codes are printed in capitals; people type them with spaces, dashes or in lower case."""
    return "".join(ch for ch in (value or "").upper() if ch.isalnum())


def case_by_tracking(*, tracking_code: str, phone_last4: str) -> Case | None:
    """The case with this tracking code whose complainant's phone ends in these four digits."""
    code = normalise_tracking_code(tracking_code)
    if not code or len(phone_last4) != 4:
        return None
    return (
        Case.objects.filter(tracking_code=code, complainant_phone_last4=phone_last4)
        .only("pk", "number", "tracking_code", "case_type", "status", "received_at", "satisfaction")
        .first()
    )


def public_timeline(case: Case) -> QuerySet[TimelineEvent]:
    """Timeline entries meant for the worker: public ones only, without actor or internal notes."""
    return case.events.filter(is_public=True).only("pk", "at", "public_message", "case_id").order_by("at", "id")


def running_deadlines(case: Case) -> QuerySet[Deadline]:
    """Clocks still running (or stopped while handling is suspended), with their legal basis."""
    return (
        case.deadlines.filter(state__in=[Deadline.State.RUNNING, Deadline.State.PAUSED])
        .select_related("rule")
        .order_by("due_on")
    )


def can_rate(case: Case) -> bool:
    return case.status in (Status.RESOLVED, Status.FOLLOW_UP)


def public_case_view(case: Case) -> dict[str, Any]:
    """What a worker may see of their case: nothing about staff, nothing internal, no identifiers."""
    return {
        "case": case,
        "events": list(public_timeline(case)),
        "deadlines": list(running_deadlines(case)),
        "can_rate": can_rate(case),
    }


# --- QR posters ------------------------------------------------------------------------------


def poster_districts(user: Any) -> QuerySet[OrgUnit]:
    """Districts in the user's jurisdiction: the posters this member of staff may print."""
    return restrict(districts(), user).select_related("parent")


def poster_district(code: str) -> OrgUnit:
    district = districts().select_related("parent").filter(code=code).first()
    if district is None:
        raise Http404("未找到 / Not found.")
    return district


def poster_project(project_id: Any) -> Project | None:
    """The registered project a poster's address names (None for anything else: the form then
    simply has no project chosen)."""
    try:
        pk = int(str(project_id))
    except ValueError:
        return None
    if not 0 < pk < 2**63:
        return None
    return Project.objects.select_related("org_unit").filter(pk=pk).first()


def district_of_unit(unit: OrgUnit) -> OrgUnit | None:
    """The district a unit lies in (itself when it is one); None above district level."""
    if unit.level == OrgLevel.DISTRICT:
        return unit
    return districts().filter(code__in=[c for c in unit.path.split("/") if c]).first()


def project_filing_url(project: Project, district_url: str) -> str:
    """The address a project's site poster points to: the filing page with the project and its
    district already chosen, so that the case is filed linked to the project. `district_url` is the
    district poster's address (``filing_url``): the project's poster is served from the same place."""
    root = district_url.split("?", 1)[0]
    district = district_of_unit(project.org_unit)
    query: dict[str, Any] = {"district": district.code} if district is not None else {}
    return f"{root}?{urlencode({**query, 'project': project.pk, 'src': 'qr'})}"


def poster_project_for(user: Any, pk: int) -> Project:
    """A project whose site poster this member of staff may print (404 outside the jurisdiction)."""
    project = restrict(Project.objects.all(), user).select_related("org_unit", "general_contractor").filter(
        pk=pk).first()
    if project is None:
        raise Http404("未找到 / Not found.")
    return project


def filing_url(district: OrgUnit) -> str:
    """The public address a district's poster points to: the filing page, district preselected."""
    query = urlencode({"district": district.code, "src": "qr"})
    return f"{settings.HEXIE_PUBLIC_URL.rstrip('/')}{reverse('portal:file')}?{query}"
