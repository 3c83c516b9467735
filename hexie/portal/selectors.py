"""Every read the public portal makes: areas to choose from, a case found by its tracking code,
and only the public part of its file (public timeline entries, running clocks)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from django.conf import settings
from django.db.models import Prefetch, QuerySet
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext, gettext_noop

from hexie.cases.models import Case, CaseType, Deadline, DeadlineRule, Status, TimelineEvent, Track
from hexie.cases.selectors import acceptance_rule
from hexie.core.public_url import public_url
from hexie.employers.models import Project
from hexie.orgs.models import OrgLevel, OrgUnit
from hexie.orgs.scoping import district_of, restrict

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

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
        .only("pk", "number", "tracking_code", "case_type", "status", "received_at", "satisfaction", "track",
              "org_unit_id", "closure_conclusion", "amount_recovered", "workers_benefited", "resolved_at")
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


def amount_claim_error(case_type: str | None, amount: Decimal | None) -> str:
    """Why the amount of a public complaint cannot be taken, or "": a wage complaint is a claim for
    money owed, so it names an amount above 0 yuan (the web form and the public API ask this)."""
    if case_type == CaseType.WAGE_ARREARS and (amount is None or amount <= 0):
        return (gettext("欠薪投诉请填写被拖欠的工资金额（大于0元），记不清可填大约数"))
    return ""


def acceptance_periods(case_types: Sequence[tuple[str, StrOrPromise]], on: date) -> list[dict[str, str]]:
    """For each type of complaint a worker may file: within how long the body that accepts it decides
    whether to take it up, from the acceptance deadline rule in force (data, with its basis)."""
    out = []
    for code, label in case_types:
        rule = acceptance_rule(code, on)
        if rule is not None:
            out.append({"case_type": code, "label": str(label), **_period(rule)})
    return out


def _period(rule: DeadlineRule) -> dict[str, Any]:
    # In Chinese the statute's own wording (自受理之日起五个工作日内); in another language the
    # catalogue's words for the same period.
    if translation.get_language() == settings.LANGUAGE_CODE:
        period = rule.period_words()
    elif rule.unit == DeadlineRule.Unit.WORKING:
        period = gettext("%(n)s个工作日内") % {"n": rule.length}
    else:
        period = gettext("%(n)s日内") % {"n": rule.length}
    return {"period": period, "days": rule.length, "basis": rule.basis}


def acceptance_deadline(case: Case) -> dict[str, Any] | None:
    """The running acceptance clock of a case just filed: by when the bureau decides, and its basis."""
    deadline = (case.deadlines.filter(rule__trigger=DeadlineRule.Trigger.INTAKE, state=Deadline.State.RUNNING)
                .select_related("rule").order_by("due_on").first())
    if deadline is None:
        return None
    return {**_period(deadline.rule), "due_on": deadline.due_on.isoformat(), "provisional": deadline.is_provisional}


# The body that handles a case on each track, as a worker would name it (after the district's name).
TRACK_BODIES: dict[str, str] = {
    Track.INSPECTION: gettext_noop("%(district)s人力资源和社会保障局劳动保障监察机构"),
    Track.ARBITRATION: gettext_noop("%(district)s劳动人事争议仲裁委员会"),
    Track.MEDIATION: gettext_noop("%(district)s劳动争议调解组织"),
    Track.PETITION: gettext_noop("%(district)s人力资源和社会保障局信访工作机构"),
    Track.CONSULTATION: gettext_noop("%(district)s人力资源和社会保障局服务窗口"),
}
_SETTLED = (Status.RESOLVED, Status.FOLLOW_UP, Status.CLOSED)


def handling_office(case: Case) -> str:
    """The office that handled the case: the partner agency it was referred to, or the body of its
    track in its district (never a member of staff)."""
    if case.track == Track.REFERRAL:
        referral = case.referrals.select_related("agency").order_by("-referred_at").first()
        if referral is not None:
            return referral.agency.name
    unit = OrgUnit.objects.select_related("parent").get(pk=case.org_unit_id)
    district = unit.parent if unit.level in (OrgLevel.STREET, OrgLevel.COMMUNITY) and unit.parent else unit
    body = TRACK_BODIES.get(case.track, TRACK_BODIES[Track.INSPECTION])
    return gettext(body) % {"district": district.name}


def public_outcome(case: Case) -> dict[str, Any] | None:
    """How a resolved case was resolved, what was recovered and who handled it: what the worker
    reads before being asked to rate it. None while it is still being handled."""
    if case.status not in _SETTLED:
        return None
    return {
        "conclusion": str(case.get_closure_conclusion_display()) if case.closure_conclusion else "",
        "amount_recovered": case.amount_recovered,
        "workers_benefited": case.workers_benefited,
        "resolved_at": case.resolved_at,
        "office": handling_office(case),
    }


def public_case_view(case: Case) -> dict[str, Any]:
    """What a worker may see of their case: nothing about staff, nothing internal, no identifiers."""
    return {
        "case": case,
        "events": list(public_timeline(case)),
        "deadlines": list(running_deadlines(case)),
        "outcome": public_outcome(case),
        "can_rate": can_rate(case),
    }


# --- QR posters ------------------------------------------------------------------------------


def poster_districts(user: Any) -> QuerySet[OrgUnit]:
    """Districts in the user's jurisdiction: the posters this member of staff may print."""
    return restrict(districts(), user).select_related("parent")


def poster_district(code: str) -> OrgUnit:
    district = districts().select_related("parent").filter(code=code).first()
    if district is None:
        raise Http404(gettext("未找到"))
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


def project_filing_url(project: Project, district_url: str) -> str:
    """The address a project's site poster points to: the filing page with the project and its
    district already chosen, so that the case is filed linked to the project. `district_url` is the
    district poster's address (``filing_url``): the project's poster is served from the same place."""
    root = district_url.split("?", 1)[0]
    district = district_of(project.org_unit)
    query: dict[str, Any] = {"district": district.code} if district is not None else {}
    return f"{root}?{urlencode({**query, 'project': project.pk, 'src': 'qr'})}"


def poster_project_for(user: Any, pk: int) -> Project:
    """A project whose site poster this member of staff may print (404 outside the jurisdiction)."""
    project = restrict(Project.objects.all(), user).select_related("org_unit", "general_contractor").filter(
        pk=pk).first()
    if project is None:
        raise Http404(gettext("未找到"))
    return project


def filing_url(district: OrgUnit, request: HttpRequest | None = None) -> str:
    """The public address a district's poster points to: the filing page, district preselected, on
    the address the site is really served on (``hexie.core.public_url``)."""
    query = urlencode({"district": district.code, "src": "qr"})
    return public_url(f"{reverse('portal:file')}?{query}", request)
