"""The mediation network's figures, each with its definition: the success rate of every mediation
body and service station, the stations' coverage of the streets, and the leaders' reception days
(sessions, people received, cases taken, resolved) for the bulletin.

Reads only, through the scoping module: a leader sees the bodies, stations, cases and reception
days of the jurisdiction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, Q
from django.utils.translation import gettext, gettext_noop

from hexie.cases.filters import between_q
from hexie.cases.models import Case, ClosureConclusion, ReceptionDay, ReceptionVisit, Status
from hexie.cases.selectors import reception_figures_of
from hexie.orgs.models import OrgLevel, OrgUnit
from hexie.orgs.scoping import restrict

RESOLVED = (Status.RESOLVED, Status.FOLLOW_UP, Status.CLOSED)


@dataclass(frozen=True)
class Definition:
    """A figure's name and definition, printed beside it."""

    code: str
    name: str
    definition: str


DEFINITIONS = {d.code: d for d in [
    Definition("body_success_rate", gettext_noop("调解成功率（按调解组织）"),
               gettext_noop("统计期内收到并分流至该调解组织或服务站的案件中，已办结的案件里以调解成功结案的比例；"
               "分流后调解不成转仲裁的案件计入已办结之外（未在该组织办结），不计入分子分母。")),
    Definition("station_coverage", gettext_noop("劳动关系服务站覆盖率"),
               gettext_noop("辖区内乡镇（街道）中，至少设有一个劳动关系服务站（驿站）的比例；服务站挂在其所服务的街道之下。")),
    Definition("reception_sessions", gettext_noop("领导接访场次"),
               gettext_noop("统计期内辖区各单位安排的领导接访日数。")),
    Definition("reception_people", gettext_noop("接访人数"),
               gettext_noop("统计期内领导接访日登记的来访人数之和。")),
    Definition("reception_cases", gettext_noop("接访受理案件"),
               gettext_noop("统计期内领导接访日登记受理、由接访领导包案的案件数。")),
    Definition("reception_resolved", gettext_noop("接访案件办结"),
               gettext_noop("上述接访受理案件中，目前已办结（已办结、回访中、已结案）的案件数。")),
]}


def _rate(n: int, d: int) -> float | None:
    return round(n / d * 100, 1) if d else None


def body_rows(user: Any, start: date, end: date) -> list[dict[str, Any]]:
    """Per mediation body and station of the jurisdiction: cases routed, resolved there, mediated, rate."""
    bodies = restrict(OrgUnit.objects.filter(level__in=[OrgLevel.MEDIATION_BODY, OrgLevel.STATION]), user)
    cases = restrict(Case.objects.filter(mediation_body__isnull=False), user).filter(
        between_q("received_at", start, end))
    counts = {r["mediation_body"]: r for r in cases.values("mediation_body").annotate(
        routed=Count("pk"),
        # Resolved there: not by an award (a case that went on to arbitration left the body).
        resolved=Count("pk", filter=Q(status__in=RESOLVED) & ~Q(track="arbitration")
                       & ~Q(closure_conclusion=ClosureConclusion.AWARDED)),
        mediated=Count("pk", filter=Q(status__in=RESOLVED, closure_conclusion=ClosureConclusion.MEDIATED)),
    ).order_by()}
    rows = []
    for b in bodies.order_by("path"):
        c = counts.get(b.pk, {})
        resolved, mediated = c.get("resolved", 0), c.get("mediated", 0)
        rows.append({"id": b.pk, "name": b.name, "level": str(b.get_level_display()),
                     "kind": str(b.get_body_kind_display()) if b.body_kind else "", "area": b.area,
                     "routed": c.get("routed", 0), "resolved": resolved, "mediated": mediated,
                     "success_rate": _rate(mediated, resolved)})
    return rows


def station_coverage(user: Any) -> dict[str, Any]:
    """How many streets of the jurisdiction have at least one service station below them."""
    units = restrict(OrgUnit.objects.all(), user)
    streets = list(units.filter(level=OrgLevel.STREET).values_list("pk", "path"))
    station_paths = list(units.filter(level=OrgLevel.STATION).values_list("path", flat=True))
    covered = sum(1 for _pk, path in streets if any(p.startswith(path) for p in station_paths))
    return {"streets": len(streets), "covered": covered, "stations": len(station_paths),
            "rate": _rate(covered, len(streets))}


def reception_figures(user: Any, start: date, end: date) -> dict[str, Any]:
    """The reception days of the period the user may see: sessions, people received, cases taken, resolved."""
    return _reception(restrict(ReceptionDay.objects.filter(on__gte=start, on__lte=end), user))


def reception_in_unit(unit: OrgUnit, start: date, end: date) -> dict[str, Any]:
    """The same for a unit and everything below it (a bulletin is made for a unit, not for a user)."""
    return _reception(ReceptionDay.objects.filter(on__gte=start, on__lte=end, org_unit__path__startswith=unit.path))


def _reception(days: Any) -> dict[str, Any]:
    return {"sessions": days.count(), **reception_figures_of(ReceptionVisit.objects.filter(day__in=days))}


def network_figures(user: Any, start: date, end: date) -> dict[str, Any]:
    """Everything the network page and the bulletin print, with the definitions."""
    return {"bodies": body_rows(user, start, end), "coverage": station_coverage(user),
            "reception": reception_figures(user, start, end),
            "definitions": {code: gettext(d.definition) for code, d in DEFINITIONS.items()},
            "names": {code: gettext(d.name) for code, d in DEFINITIONS.items()}}
