"""Every read of imports, warnings, runs, rules and grades, already limited to what the user may see.

Imports, warnings and graded projects are scoped by their org unit (`scoping.restrict`: the user's
unit and below; partner agencies see none). Runs are city-wide bookkeeping: staff of the city level
and administrators see them, and a district sees the runs too (they carry no names), since the job
runs for the whole city. The feed checks read the registry through :class:`FeedRegistry`, scoped
to the uploader.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Case as SqlCase
from django.db.models import IntegerField, Q, QuerySet, Value, When
from django.http import Http404
from django.utils.translation import gettext

from hexie.cases.filters import between_q
from hexie.core.enums import RiskLevel
from hexie.employers.models import Employer, Project, RosterEntry, Worker
from hexie.employers.selectors import grade_order, projects_of
from hexie.monitoring.models import ImportBatch, MonitoringCase, MonitorRun, Warning, WarningRule
from hexie.monitoring.months import month_text, parse_month
from hexie.orgs.models import OrgUnit, User
from hexie.orgs.scoping import CHANGE, may, parent_codes, restrict, under

_MAX_ID = 2**63 - 1
_LOOKUP_CHUNK = 2_000  # keys per IN (...) list: well under SQLite's bound-parameter limit

FILTERS = ("month", "grade", "rule", "state", "district", "detected_from", "detected_to", "resolved_from",
           "resolved_to")


# --- imports --------------------------------------------------------------------------------


def can_import(user: Any) -> bool:
    """Bureau staff with a jurisdiction may import; partner agencies may not."""
    return may(user, ImportBatch, CHANGE)


def imports_for(user: Any) -> QuerySet[ImportBatch]:
    """Imports the user may see: those of the user's unit and below, newest first."""
    return restrict(ImportBatch.objects.select_related("org_unit", "created_by"), user).order_by(
        "-created_at", "-pk")


def import_for(user: Any, pk: int) -> ImportBatch:
    """One import in the user's scope; 404 otherwise (the same as one that does not exist)."""
    if not 0 < pk <= _MAX_ID:  # a path id beyond a 64-bit key cannot exist (and would overflow the query)
        raise Http404
    batch = imports_for(user).filter(pk=pk).first()
    if batch is None:
        raise Http404
    return batch


class FeedRegistry:
    """The registry as the feed checks see it (``feeds.Registry``), scoped to the uploader (or,
    without one, to the batch's unit)."""

    def __init__(self, *, actor: User | None, org_unit: OrgUnit) -> None:
        self.actor = actor
        self.org_unit = org_unit

    def _projects(self) -> QuerySet[Project]:
        if self.actor is not None:
            return restrict(Project.objects.all(), self.actor)
        return Project.objects.filter(under(self.org_unit))

    def projects(self, codes: list[str]) -> dict[str, int]:
        out: dict[str, int] = {}
        for part in _chunks(codes):
            out.update(self._projects().filter(code__in=part).values_list("code", "pk"))
        return out

    def workers(self, id_hashes: list[str]) -> dict[str, int]:
        """The uploader's registers only: a district's record of a person, or a record older than
        the per-district registers (preferred less). Another district's record is never matched."""
        unit: OrgUnit = (self.actor.org_unit if self.actor is not None and self.actor.org_unit is not None
                         else self.org_unit)
        if self.actor is not None and self.actor.is_superuser and self.actor.org_unit_id is None:
            mine = Q(org_unit__isnull=False)
        else:
            mine = Q(org_unit__code__in=[*parent_codes(unit), unit.code]) | under(unit)
        out: dict[str, int] = {}
        for part in _chunks(id_hashes):
            rows = (Worker.objects.filter(id_hash__in=part).filter(mine | Q(org_unit__isnull=True))
                    .values_list("id_hash", "pk", "org_unit_id"))
            # Shared older rows first, so that a district's own record overrides them.
            for id_hash, pk, _ in sorted(rows, key=lambda r: r[2] is not None):
                out[id_hash] = pk
        return out

    def roster(self, project_ids: list[int]) -> list[tuple[int, int, date]]:
        out: list[tuple[int, int, date]] = []
        for part in _chunks(project_ids):
            out.extend(RosterEntry.objects.filter(project_id__in=part).values_list("worker_id", "project_id",
                                                                                     "entry_date"))
        return out

    def worker_names(self, worker_ids: list[int]) -> dict[int, str]:
        out: dict[int, str] = {}
        for part in _chunks(worker_ids):
            out.update(Worker.objects.filter(pk__in=part).values_list("pk", "name"))
        return out

    def batch_labels(self, batch_ids: list[int]) -> dict[int, str]:
        return dict(ImportBatch.objects.filter(pk__in=batch_ids).values_list("pk", "original_name"))


def _chunks(items: Sequence[Any]) -> Iterator[Sequence[Any]]:
    for i in range(0, len(items), _LOOKUP_CHUNK):
        yield items[i:i + _LOOKUP_CHUNK]


# --- warnings, runs, rules, grades ----------------------------------------------------------


def warning_queryset(user: Any) -> QuerySet[Warning]:
    return restrict(Warning.objects.all(), user)


@dataclass
class WarningFilter:
    """The warning list's filters, parsed; `errors` names each bad one (field → message)."""

    month: int | None = None
    grade: str = ""
    rule: str = ""
    state: str = ""
    district: str = ""
    # Dates a warning was first detected / resolved on (the dashboard's figures link here with them).
    dates: dict[str, date] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)

    @classmethod
    def parse(cls, params: Any) -> WarningFilter:
        f = cls()
        raw = str(params.get("month") or "").strip()
        if raw:
            try:
                f.month = parse_month(raw)
            except ValueError as exc:
                f.errors["month"] = str(exc)
        grade = str(params.get("grade") or "").strip()
        if grade and grade not in RiskLevel.values:
            f.errors["grade"] = (gettext("预警等级“%(grade)s”无效，可选 red、orange、yellow") % {"grade": grade[:20]})
        else:
            f.grade = grade
        rule = str(params.get("rule") or "").strip()
        if rule and not WarningRule.objects.filter(code=rule).exists():
            f.errors["rule"] = gettext("预警规则“%(rule)s”不存在") % {"rule": rule[:40]}
        else:
            f.rule = rule
        state = str(params.get("state") or "").strip()
        if state and state not in Warning.State.values:
            f.errors["state"] = (gettext("状态“%(state)s”无效，可选 open、resolved") % {"state": state[:20]})
        else:
            f.state = state
        district = str(params.get("district") or "").strip()
        if district and not (district.isascii() and district.isalnum()
                             and OrgUnit.objects.filter(code=district).exists()):
            f.errors["district"] = (gettext("区域代码“%(district)s”不存在") % {"district": district[:20]})
        else:
            f.district = district
        for name in ("detected_from", "detected_to", "resolved_from", "resolved_to"):
            raw = str(params.get(name) or "").strip()
            if not raw:
                continue
            try:
                f.dates[name] = date.fromisoformat(raw)
            except ValueError:
                f.errors[name] = gettext("日期“%(raw)s”格式应为 YYYY-MM-DD") % {"raw": raw[:20], "name": name}
        return f

    def apply(self, qs: QuerySet[Warning]) -> QuerySet[Warning]:
        if self.month:
            qs = qs.filter(month=self.month)
        if self.grade:
            qs = qs.filter(grade=self.grade)
        if self.rule:
            qs = qs.filter(rule__code=self.rule)
        if self.state:
            qs = qs.filter(state=self.state)
        if self.district:
            qs = qs.filter(org_unit__path__contains=f"{self.district}/")
        d = self.dates
        if "detected_from" in d or "detected_to" in d:
            qs = qs.filter(between_q("first_detected_at", d.get("detected_from"), d.get("detected_to")))
        if "resolved_from" in d or "resolved_to" in d:
            qs = qs.filter(between_q("resolved_at", d.get("resolved_from"), d.get("resolved_to")))
        return qs


def warning_list(user: Any, flt: WarningFilter | None = None) -> QuerySet[Warning]:
    """The user's warnings, newest month first, open before resolved, red before yellow."""
    qs = warning_queryset(user).select_related("rule", "project", "employer", "org_unit", "case")
    if flt is not None:
        qs = flt.apply(qs)
    return qs.order_by("-month", "state", "rule__sort", "project__name", "pk")


def warning_detail(user: Any, pk: int) -> Warning:
    w = warning_list(user).filter(pk=pk).first()
    if w is None:
        raise Http404(gettext("未找到"))
    return w


def rule_list() -> QuerySet[WarningRule]:
    return WarningRule.objects.order_by("sort", "code")


def run_list(user: Any) -> QuerySet[MonitorRun]:
    """The job's runs: bureau staff see them (no personal data in them); partners see none."""
    return restrict(MonitorRun.objects.all(), user).order_by("-started_at", "-pk")


def graded_projects(user: Any, *, grade: str = "") -> QuerySet[Project]:
    """Projects in the user's scope with their grade, worst first (green ones last)."""
    qs = restrict(Project.objects.all(), user).select_related("org_unit", "general_contractor")
    if grade:
        qs = qs.filter(risk_grade=grade)
    order = SqlCase(*[When(risk_grade=g, then=Value(i)) for i, g in enumerate(["red", "orange", "yellow"])],
                 default=Value(3), output_field=IntegerField())
    return qs.annotate(grade_order=order).order_by("grade_order", "name", "pk")


def district_choices(user: Any) -> QuerySet[OrgUnit]:
    """The city and districts the user may filter warnings by."""
    return restrict(OrgUnit.objects.filter(level__in=["city", "district"]), user)


def month_choices(user: Any) -> list[tuple[int, str]]:
    """The months that have warnings in the user's scope, newest first."""
    months = warning_queryset(user).values_list("month", flat=True).distinct().order_by("-month")
    return [(m, month_text(m)) for m in months]


# --- what the registry's pages show (monitoring.panels) --------------------------------------


def _open_first(qs: QuerySet[Warning]) -> QuerySet[Warning]:
    return (qs.select_related("rule", "project", "employer", "case")
            .annotate(open_rank=SqlCase(When(state=Warning.State.OPEN, then=Value(0)), default=Value(1),
                                      output_field=IntegerField()),
                      grade_rank=grade_order("grade"))
            .order_by("open_rank", "grade_rank", "-month", "-last_detected_at"))


def employer_warnings(user: Any, employer: Employer) -> QuerySet[Warning]:
    """Warnings on the employer or on its projects (scoped by the warning's org unit)."""
    return _open_first(restrict(Warning.objects.all(), user).filter(
        Q(employer=employer) | Q(project_id__in=projects_of(employer).values("pk"))))


def project_warnings(user: Any, project: Project) -> QuerySet[Warning]:
    return _open_first(restrict(Warning.objects.all(), user).filter(project=project))


def project_monitoring_cases(user: Any, project: Project) -> QuerySet[MonitoringCase]:
    """Cases the monitoring job opened on this project, that the user may see."""
    return restrict(MonitoringCase.objects.filter(project=project), user).select_related("case").order_by("-month")
