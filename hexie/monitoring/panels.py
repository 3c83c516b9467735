"""What monitoring adds to the registry's pages: an employer's and a project's warnings (open ones
first, worst grade first) and, on a project, the cases the monitoring job opened. The registry
declares the slots (``employers.panels``) and never imports monitoring."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from hexie.cases.serializers import CaseRefSerializer
from hexie.core.panels import Panel
from hexie.employers.panels import EMPLOYER_FILE, PROJECT_FILE
from hexie.employers.serializers import ProjectRefSerializer
from hexie.monitoring.models import MonitoringCase, Warning
from hexie.monitoring.selectors import employer_warnings, project_monitoring_cases, project_warnings

LIMIT = 50  # rows a panel lists; the counts say how many there are


# --- their shapes in the API ------------------------------------------------------------------


class WarningRefSerializer(serializers.ModelSerializer):
    """A warning as listed on an employer's or project's file."""

    rule = serializers.CharField(source="rule.code")
    rule_name = serializers.CharField(source="rule.name")
    project = ProjectRefSerializer()
    case_id = serializers.IntegerField(allow_null=True)
    # A plain string here: the warning states get their named enum from the monitoring API.
    state = serializers.CharField(help_text=_("open（未消除）或 resolved（已消除）"))

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
        many=True, help_text=gettext("预警（未消除的在前）"))
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
        field=lambda: MonitoringCaseRefSerializer(many=True, help_text=gettext("监测立案")),
        data=lambda user, project: list(project_monitoring_cases(user, project)[:LIMIT]),
    ))
