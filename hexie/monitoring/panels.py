"""What monitoring adds to the registry's pages: an employer's and a project's warnings (open ones
first, worst grade first) and, on a project, the cases the monitoring job opened. The registry
declares the slots (``employers.panels``) and never imports monitoring."""

from __future__ import annotations

from typing import Any

from django.db.models import Case as DbCase
from django.db.models import IntegerField, Q, QuerySet, Value, When
from rest_framework import serializers

from hexie.cases.serializers import CaseRefSerializer
from hexie.core.panels import Panel
from hexie.employers.models import Employer, Project
from hexie.employers.panels import EMPLOYER_FILE, PROJECT_FILE
from hexie.employers.selectors import grade_order, projects_of
from hexie.employers.serializers import ProjectRefSerializer
from hexie.monitoring.models import MonitoringCase, Warning
from hexie.orgs.scoping import restrict

LIMIT = 50  # rows a panel lists; the counts say how many there are


# --- reads, scoped to the user ----------------------------------------------------------------


def _open_first(qs: QuerySet[Warning]) -> QuerySet[Warning]:
    return (qs.select_related("rule", "project", "employer", "case")
            .annotate(open_rank=DbCase(When(state=Warning.State.OPEN, then=Value(0)), default=Value(1),
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


# --- their shapes in the API ------------------------------------------------------------------


class WarningRefSerializer(serializers.ModelSerializer):
    """A warning as listed on an employer's or project's file."""

    rule = serializers.CharField(source="rule.code")
    rule_name = serializers.CharField(source="rule.name")
    project = ProjectRefSerializer()
    case_id = serializers.IntegerField(allow_null=True)
    # A plain string here: the warning states get their named enum from the monitoring API.
    state = serializers.CharField(help_text="open（未消除）或 resolved（已消除） / open or resolved")

    class Meta:
        model = Warning
        fields = ["id", "rule", "rule_name", "grade", "month", "state", "summary", "project", "last_detected_at",
                  "case_id"]


class MonitoringCaseRefSerializer(serializers.ModelSerializer):
    case = CaseRefSerializer()

    class Meta:
        model = MonitoringCase
        fields = ["month", "case"]


# --- the panels -------------------------------------------------------------------------------


def _warnings_context(qs: QuerySet[Warning]) -> dict[str, Any]:
    return {"warnings": list(qs[:LIMIT]), "open_count": qs.filter(state=Warning.State.OPEN).count()}


def register() -> None:
    warnings_field = lambda: WarningRefSerializer(  # noqa: E731 - a factory, called once per schema
        many=True, help_text="预警（未消除的在前） / Warnings, open ones first")
    EMPLOYER_FILE.register(Panel(
        name="warnings", order=20, template="monitoring/panels/warnings.html",
        context=lambda user, employer: _warnings_context(employer_warnings(user, employer)),
        field=warnings_field, data=lambda user, employer: list(employer_warnings(user, employer)[:LIMIT]),
    ))
    PROJECT_FILE.register(Panel(
        name="warnings", order=20, template="monitoring/panels/warnings.html",
        context=lambda user, project: _warnings_context(project_warnings(user, project)),
        field=warnings_field, data=lambda user, project: list(project_warnings(user, project)[:LIMIT]),
    ))
    PROJECT_FILE.register(Panel(
        name="monitoring_cases", order=30, template="monitoring/panels/monitoring_cases.html",
        context=lambda user, project: {"cases": list(project_monitoring_cases(user, project)[:LIMIT])},
        field=lambda: MonitoringCaseRefSerializer(many=True, help_text="监测立案 / Cases opened by monitoring"),
        data=lambda user, project: list(project_monitoring_cases(user, project)[:LIMIT]),
    ))
