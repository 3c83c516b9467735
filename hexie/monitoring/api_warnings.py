"""Read-only API of monitoring results: /api/v1/monitoring/warnings/, /warnings/<id>/, /rules/.

The same selectors and scoping as the pages: a warning outside the user's jurisdiction answers
the same 404 as a missing one. Workers appear only with masked ID numbers.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from hexie.core.api import (
    PAGE_PARAM,
    REFUSALS,
    StaffAPIView,
    StaffPagination,
    check_query_params,
    id_param,
    responses,
    staff_user,
)
from hexie.core.serializers import ApiErrorSerializer
from hexie.monitoring import selectors
from hexie.monitoring.models import Warning, WarningRule
from hexie.monitoring.services.runs import retry_run


class RunRetrySerializer(serializers.Serializer):
    """202: the failed run whose month was queued again."""

    run = serializers.IntegerField()
    month = serializers.IntegerField(help_text=_("月份 yyyymm"))
    queued = serializers.BooleanField()


class WarningRuleSerializer(serializers.ModelSerializer):
    """A warning rule with its threshold and legal basis."""

    class Meta:
        model = WarningRule
        fields = ["code", "name", "description", "grade", "threshold", "threshold_label", "basis", "is_active"]


class WarningSerializer(serializers.ModelSerializer):
    """A warning as listed: what, where, when, how bad, and the case it opened."""

    rule = serializers.CharField(source="rule.code", read_only=True, help_text=_("规则代码"))
    # Plain text rather than an enum: other components (imports, deadlines) also have a "state"
    # with other values, and one enum name per field name is what the document generator allows.
    state = serializers.CharField(read_only=True, help_text=_("open（未消除）或 resolved（已消除）"))
    rule_name = serializers.CharField(source="rule.name", read_only=True)
    project_id = serializers.IntegerField(read_only=True)
    project_name = serializers.CharField(source="project.name", read_only=True)
    employer_name = serializers.CharField(source="employer.name", read_only=True)
    employer_credit_code = serializers.CharField(source="employer.credit_code", read_only=True)
    org_unit_code = serializers.CharField(source="org_unit.code", read_only=True)
    case_id = serializers.IntegerField(read_only=True, allow_null=True)
    case_number = serializers.CharField(source="case.number", read_only=True, allow_null=True, default=None)
    workers = serializers.IntegerField(source="evidence.workers", read_only=True, default=0)
    amount_fen = serializers.IntegerField(source="evidence.amount_fen", read_only=True, default=0,
                                          help_text=_("金额（分）"))

    class Meta:
        model = Warning
        fields = ["id", "rule", "rule_name", "grade", "month", "state", "summary", "project_id", "project_name",
                  "employer_name", "employer_credit_code", "org_unit_code", "workers", "amount_fen",
                  "first_detected_at", "last_detected_at", "resolved_at", "resolution", "case_id", "case_number"]


class WarningDetailSerializer(WarningSerializer):
    """A warning with its evidence: figures, the workers concerned (masked IDs), the rule."""

    evidence = serializers.JSONField(read_only=True, help_text=(
        _("workers、amount_fen、amount_yuan、worker_ids（至多200）、worker_list（前50人，姓名与掩码身份证号）、detail（规则的数据）、threshold、as_of")))
    rule_detail = WarningRuleSerializer(source="rule", read_only=True)

    class Meta(WarningSerializer.Meta):
        fields = [*WarningSerializer.Meta.fields, "evidence", "rule_detail"]


FILTER_PARAMETERS = [
    OpenApiParameter("month", OpenApiTypes.STR, OpenApiParameter.QUERY,
                     description=_("月份 YYYY-MM（如 2026-10）")),
    OpenApiParameter("grade", OpenApiTypes.STR, OpenApiParameter.QUERY, enum=["red", "orange", "yellow"],
                     description=_("预警等级")),
    OpenApiParameter("rule", OpenApiTypes.STR, OpenApiParameter.QUERY,
                     description=_("规则代码（见 /rules/）")),
    OpenApiParameter("state", OpenApiTypes.STR, OpenApiParameter.QUERY, enum=list(Warning.State.values),
                     description=_("状态")),
    OpenApiParameter("district", OpenApiTypes.STR, OpenApiParameter.QUERY,
                     description=_("区划代码，含下级")),
]


class WarningListView(StaffAPIView, generics.ListAPIView):
    """Warnings in the user's jurisdiction, newest month first."""

    serializer_class = WarningSerializer
    filter_backends: list[Any] = []
    pagination_class = StaffPagination

    def get_queryset(self) -> QuerySet[Warning]:
        flt = selectors.WarningFilter.parse(self.request.query_params)
        if flt.errors:
            raise ValidationError({k: [v] for k, v in flt.errors.items()})
        return selectors.warning_list(self.request.user, flt)

    @extend_schema(
        tags=["monitoring"], operation_id="monitoring_warnings_list", summary=_("预警列表"),
        description=_("辖区内的监测预警，按月份倒序；无效的筛选值返回400并指明筛选项。"),
        parameters=FILTER_PARAMETERS,
        responses=responses(WarningSerializer(many=True), 400, 401),
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """One page of warnings, filtered."""
        check_query_params(request, [*selectors.FILTERS, PAGE_PARAM])
        return super().get(request, *args, **kwargs)


class WarningDetailView(StaffAPIView):
    """One warning with its evidence."""

    @extend_schema(
        tags=["monitoring"], operation_id="monitoring_warnings_retrieve", summary=_("预警详情"),
        description=_("证据（人数、金额、数据、涉及农民工的姓名与掩码身份证号）与规则依据。"),
        parameters=[id_param("id", _("预警ID"))],
        responses=responses(WarningDetailSerializer, 401, 404),
    )
    def get(self, request: Request, pk: int) -> Response:
        """The warning, if in the user's scope."""
        return Response(WarningDetailSerializer(selectors.warning_detail(request.user, pk)).data)


class WarningRuleListView(StaffAPIView):
    """The warning rules with their thresholds and basis."""

    @extend_schema(
        tags=["monitoring"], operation_id="monitoring_rules_list", summary=_("预警规则"),
        description=_("全部预警规则（含已停用的），阈值与法律依据。"),
        responses=responses(WarningRuleSerializer(many=True), 401),
    )
    def get(self, request: Request) -> Response:
        """All rules, in their display order."""
        check_query_params(request, [])
        return Response(WarningRuleSerializer(selectors.rule_list(), many=True).data)



class RunRetryView(StaffAPIView):
    """Evaluate a failed detection run's month again."""

    @extend_schema(
        tags=["monitoring"], operation_id="monitoring_runs_retry", summary=_("重新运行监测"),
        description=_("管理员将失败（含执行进程被终止的）监测运行所在月份重新排队检查，记入审计日志；返回202。"
                      "成功或仍在运行的运行返回409。"),
        parameters=[id_param("id", "监测运行ID")], request=None,
        responses={202: RunRetrySerializer, 401: REFUSALS[401], 403: REFUSALS[403],
                   404: OpenApiResponse(ApiErrorSerializer, description=REFUSALS[404].description),
                   409: OpenApiResponse(ApiErrorSerializer, description=_("该运行不能重新运行"))},
    )
    def post(self, request: Request, pk: int) -> Response:
        """Queue the month again."""
        run = retry_run(run_id=pk, actor=staff_user(request))
        return Response({"run": run.pk, "month": run.month, "queued": True}, status=status.HTTP_202_ACCEPTED)
