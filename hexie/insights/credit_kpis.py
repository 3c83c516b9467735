"""The credit figures (hexie.credit) with their definitions, in the catalogue's format, each with
the list it counts a click away: grades by district, listings and removals on the
joint-punishment list, harmonious enterprises published, by the level of the publishing bureau.

Counted over a calendar year in the user's jurisdiction through the credit selectors (scoped)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Final
from urllib.parse import urlencode

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext, gettext_noop

from hexie.credit import selectors as credit
from hexie.credit.models import Listing, Publication
from hexie.insights.kpis import COUNT, KpiDefinition
from hexie.orgs.models import OrgLevel

CREDIT_KPIS: Final = [
    KpiDefinition(
        "grade_distribution", gettext_noop("守法诚信等级分布"), gettext_noop("评价年度为统计年度的企业劳动保障守法诚信等级（复核后的等级），按单位所在区县分A、B、C级计数。"),
        gettext_noop("评定的单位"), unit=COUNT,
    ),
    KpiDefinition(
        "listings", gettext_noop("列入失信联合惩戒名单"), gettext_noop("统计年度内作出列入决定的单位数（含其后已移出的）。"),
        gettext_noop("年度内决定列入的单位"), unit=COUNT,
    ),
    KpiDefinition(
        "removals", gettext_noop("移出失信联合惩戒名单"), gettext_noop("统计年度内移出名单的单位数：列入期满自动移出和信用修复提前移出。"),
        gettext_noop("年度内移出的单位"), unit=COUNT,
    ),
    KpiDefinition(
        "harmonious", gettext_noop("劳动关系和谐企业"), gettext_noop("统计年度内已发布的劳动关系和谐企业名单中的单位数，按发布机关层级（市级、县级）计数。"),
        gettext_noop("名单中的单位"), unit=COUNT,
    ),
]


@dataclass(frozen=True)
class Figure:
    kpi: KpiDefinition
    value: int
    link: str
    parts: list[dict[str, Any]] = field(default_factory=list)


def _url(name: str, **params: Any) -> str:
    return f"{reverse(name)}?{urlencode(params)}"


def figures(user: Any, *, year: int) -> list[Figure]:
    """The credit figures of ``year`` for the user's jurisdiction."""
    k = {x.code: x for x in CREDIT_KPIS}
    by_district = [{**row, "link": _url("credit:grades", year=year, unit=row["org_unit_id"])}
                   for row in credit.grade_distribution(user, year)]
    graded = sum(r["A"] + r["B"] + r["C"] for r in by_district)
    listings = credit.listings(user)
    listed = listings.filter(decided_on__year=year).exclude(state=Listing.State.WITHDRAWN).count()
    removed = listings.filter(ended_on__year=year).aggregate(
        expired=Count("id", filter=Q(state=Listing.State.EXPIRED)), early=Count("id", filter=Q(state=Listing.State.REMOVED)))
    harmonious = (credit.publications(user).filter(kind=Publication.Kind.HARMONIOUS, year=year,
                                                   state=Publication.State.ISSUED)
                  .values("org_unit__level").annotate(n=Count("entries")))
    levels = {OrgLevel.CITY: gettext("市级"), OrgLevel.DISTRICT: gettext("县级")}
    h_parts = [{"label": levels.get(r["org_unit__level"], r["org_unit__level"]), "n": r["n"]} for r in harmonious]
    return [
        Figure(k["grade_distribution"], graded, _url("credit:grades", year=year), by_district),
        Figure(k["listings"], listed, _url("credit:listings", decided=year)),
        Figure(k["removals"], (removed["expired"] or 0) + (removed["early"] or 0), _url("credit:listings", ended=year),
               [{"label": gettext("期满移出"), "n": removed["expired"] or 0},
                {"label": gettext("提前移出"), "n": removed["early"] or 0}]),
        Figure(k["harmonious"], sum(p["n"] for p in h_parts), _url("credit:publications", kind=Publication.Kind.HARMONIOUS.value, year=year,
                                                                  state=Publication.State.ISSUED.value), h_parts),
    ]
