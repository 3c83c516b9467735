"""Every read of cases, already limited to what the user may see."""

from __future__ import annotations

from datetime import date
from typing import Any, TypeVar

from django.db.models import Case as SqlCase
from django.db.models import Count, F, IntegerField, Max, Model, Q, QuerySet, Sum, Value, When
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils.translation import gettext

from hexie.cases.filters import RESOLVED_STATUSES
from hexie.cases.models import Case, DeadlineRule, ReceptionDay, Status, Supervision
from hexie.cases.rulecache import get_rules
from hexie.employers.models import Employer, Project
from hexie.orgs.models import User
from hexie.orgs.scoping import restrict

M = TypeVar("M", bound=Model)


def case_queryset(user: Any) -> QuerySet[Case]:
    return restrict(Case.objects.all(), user)


def queue(user: Any) -> QuerySet[Case]:
    """The staff queue: what is due first comes first; cases without a running clock last."""
    return case_queryset(user).select_related("org_unit", "handler").order_by(
        F("next_due_on").asc(nulls_last=True), "-received_at", "-id"
    )


def get_case_for_update(*, case_id: int, actor: User, annotate: dict[str, Any] | None = None) -> Case:
    """The case a write is about, if the actor may see it; otherwise the same 404 as a case that does
    not exist. Every service that acts on a case by its id starts here. ``annotate``: what else the
    write needs to know about the case's file, read in the same statement."""
    qs = Case.objects.filter(pk=case_id)
    if annotate:
        qs = qs.annotate(**annotate)
    try:
        return restrict(qs, actor, single=True).get()
    except Case.DoesNotExist:
        raise Http404(gettext("未找到")) from None


def case_detail(user: Any, pk: int) -> Case:
    case = (
        case_queryset(user)
        .select_related("org_unit", "handler", "responsible_leader", "cluster", "registered_by", "employer",
                        "project")
        .filter(pk=pk)
        .first()
    )
    if case is None:
        raise Http404(gettext("未找到"))
    return case


def supervision_list(user: Any) -> QuerySet[Supervision]:
    cases = case_queryset(user)
    return (
        Supervision.objects.filter(case__in=cases)
        .select_related("case", "deadline__rule", "leader", "case__handler", "case__org_unit")
        .order_by(F("acknowledged_at").asc(nulls_first=True), "-created_at")
    )


#: How far a case's supervision went: the highest kind of record it has.
SUPERVISION_LEVELS: dict[str, int] = {Supervision.Kind.DUE_SOON: 1, Supervision.Kind.OVERDUE: 2, Supervision.Kind.ESCALATED: 3}


def supervised_cases(user: Any) -> QuerySet[Case]:
    """The supervision list as leaders read it: one row per case with a supervision record, with
    the level it reached (``level``: 1 due soon, 2 overdue, 3 escalated), when it was last
    supervised, and the record still waiting for a signature (``pending_id``, the latest)."""
    rank = SqlCase(*[When(supervisions__kind=kind, then=Value(n)) for kind, n in SUPERVISION_LEVELS.items()],
                   output_field=IntegerField())
    waiting = Q(supervisions__acknowledged_at__isnull=True)
    return (
        case_queryset(user)
        .filter(supervisions__isnull=False)
        .annotate(level=Max(rank), last_supervised=Max("supervisions__created_at"),
                  pending=Count("supervisions", filter=waiting), pending_id=Max("supervisions__pk", filter=waiting))
        .select_related("handler", "responsible_leader", "org_unit")
    )


def case_part(user: Any, case_id: int, model: type[M], pk: int) -> M:
    """A part of a case's file (a clock, a referral, an attachment) by its id, if it belongs to that
    case and the user may see the case; otherwise the same 404 as a missing case."""
    part = restrict(model._default_manager.filter(pk=pk, case_id=case_id), user, single=True).first()
    if part is None:
        raise Http404(gettext("未找到"))
    return part


# A case stays on an employer's page until it is closed or was refused: resolved cases still in
# follow-up are not finished business for the bureau.
FINISHED_STATUSES = (Status.CLOSED, Status.REFUSED)


def employer_open_cases(user: Any, employer: Employer) -> QuerySet[Case]:
    """Cases linked to an employer (``Case.employer``) the user may see, not closed or refused,
    newest first. A typed name never counts: the link is the file."""
    return (case_queryset(user).filter(employer=employer)
            .exclude(status__in=FINISHED_STATUSES)
            .select_related("org_unit", "handler")
            .order_by("-received_at", "-id"))


def project_open_cases(user: Any, project: Project) -> QuerySet[Case]:
    """Cases linked to a project the user may see, not closed or refused, newest first; a project of
    the same name elsewhere is another project."""
    return (case_queryset(user).filter(project=project)
            .exclude(status__in=FINISHED_STATUSES)
            .select_related("org_unit", "handler")
            .order_by("-received_at", "-id"))


def effective_rules(trigger: str, on: date) -> list[DeadlineRule]:
    """The newest active version of each deadline rule code in force on `on` for the trigger."""
    chosen: dict[str, DeadlineRule] = {}
    for rule in get_rules().deadline:  # active, by code, newest version first
        if rule.trigger == trigger and rule.effective_from <= on and (
                rule.effective_to is None or rule.effective_to > on):
            chosen.setdefault(rule.code, rule)
    return list(chosen.values())


def acceptance_rule(case_type: str, on: date) -> DeadlineRule | None:
    """The clock within which the accepting body decides on a new case of this type (started on
    intake: inspection for a wage complaint, the arbitration commission for a labour dispute), as
    the rules in force on `on` say; None when no rule applies."""
    for rule in sorted(effective_rules(DeadlineRule.Trigger.INTAKE, on), key=lambda r: r.code):
        if rule.ends_on != DeadlineRule.Ends.DECISION or rule.complexity or rule.track:
            continue
        if not rule.case_types or case_type in rule.case_types:
            return rule
    return None


# --- leaders' reception days --------------------------------------------------------------------


def reception_figures_of(visits: QuerySet[Any]) -> dict[str, int]:
    """People received, cases taken and of those resolved, over some visits (the bulletin's and the
    reception pages' one definition: resolved is resolved, in follow-up or closed)."""
    totals = visits.aggregate(people=Sum("people"), cases=Count("case"),
                              resolved=Count("case", filter=Q(case__status__in=RESOLVED_STATUSES)))
    return {"people": totals["people"] or 0, "cases": totals["cases"], "resolved": totals["resolved"]}


def reception_days(user: Any, *, unit: Any = None) -> QuerySet[ReceptionDay]:
    """The reception days of the user's jurisdiction (optionally of a unit and those below it), each
    with its figures: people received, cases taken, of those resolved."""
    qs = restrict(ReceptionDay.objects.select_related("org_unit", "leader"), user)
    if unit is not None:
        qs = qs.filter(org_unit__path__startswith=unit.path)
    return qs.annotate(
        people_n=Coalesce(Sum("visits__people"), 0), cases_n=Count("visits__case"),
        resolved_n=Count("visits__case", filter=Q(visits__case__status__in=RESOLVED_STATUSES)))


def reception_day(user: Any, pk: int) -> ReceptionDay:
    day = reception_days(user).filter(pk=pk).first()
    if day is None:
        raise Http404(gettext("未找到"))
    return day
