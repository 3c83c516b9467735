"""Read-only API of prevention: /api/v1/prevention/assessments/, /orders/ (rectification orders with
their deadline and state) and /plans/, each list paged and each row by its id.

The same selectors and scoping as the pages: a row outside the user's jurisdiction answers the
same 404 as a missing one; a bad filter is a 400 naming the parameter, in the language the client
asks for (Accept-Language)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from hexie.core import clock
from hexie.core.api import PAGE_PARAM, StaffAPIView, StaffPagination, check_query_params, id_param, responses
from hexie.prevention import selectors
from hexie.prevention.models import (
    Assessment,
    AssessmentOrigin,
    AssessmentState,
    OrderState,
    Plan,
    PlanState,
    RectificationOrder,
)
from hexie.prevention.models.orders import OPEN_ORDER_STATES
from hexie.prevention.models.sheets import SheetKind


class AssessmentSerializer(serializers.ModelSerializer):
    """A check-up, annual verification or evaluation of one employer, with its score."""

    employer_name = serializers.CharField(source="employer.name", read_only=True)
    employer_credit_code = serializers.CharField(source="employer.credit_code", read_only=True)
    sheet_code = serializers.CharField(source="sheet.code", read_only=True)
    sheet_version = serializers.IntegerField(source="sheet.version", read_only=True)
    plan_id = serializers.IntegerField(read_only=True, allow_null=True)
    # Plain strings: other components have a "state" or "kind" with other values.
    kind = serializers.CharField(read_only=True, help_text="、".join(SheetKind.values))
    origin = serializers.CharField(read_only=True, help_text="、".join(AssessmentOrigin.values))
    state = serializers.CharField(read_only=True, help_text="、".join(AssessmentState.values))

    class Meta:
        model = Assessment
        fields = ["id", "employer_name", "employer_credit_code", "kind", "origin", "year", "state", "sheet_code",
                  "sheet_version", "plan_id", "score", "passed", "section_scores", "started_at", "submitted_at",
                  "signed_off_at"]


class RectificationOrderSerializer(serializers.ModelSerializer):
    """A rectification order with its deadline, its state and whether it is overdue today."""

    employer_name = serializers.CharField(source="employer.name", read_only=True)
    employer_credit_code = serializers.CharField(source="employer.credit_code", read_only=True)
    assessment_id = serializers.IntegerField(read_only=True)
    case_id = serializers.IntegerField(read_only=True, allow_null=True)
    state = serializers.CharField(read_only=True, help_text="、".join(OrderState.values))
    overdue = serializers.SerializerMethodField(help_text="仍未办结且已过整改期限")

    class Meta:
        model = RectificationOrder
        fields = ["id", "number", "employer_name", "employer_credit_code", "assessment_id", "state", "issued_on",
                  "working_days", "deadline", "deadline_provisional", "overdue", "responded_at", "rechecked_at",
                  "closed_on", "case_id"]

    def get_overdue(self, obj: RectificationOrder) -> bool:
        today = self.context.get("today") or clock.today()
        return obj.state in OPEN_ORDER_STATES and obj.deadline < today


class PlanSerializer(serializers.ModelSerializer):
    """A plan of check-ups or evaluations, with its draw (双随机) and its progress."""

    sheet_code = serializers.CharField(source="sheet.code", read_only=True)
    method = serializers.CharField(read_only=True)
    state = serializers.CharField(read_only=True, help_text="、".join(PlanState.values))
    assessments = serializers.IntegerField(source="n_assessments", read_only=True)
    signed_off = serializers.IntegerField(source="n_done", read_only=True)

    class Meta:
        model = Plan
        fields = ["id", "name", "sheet_code", "method", "state", "starts_on", "due_on", "draw_seed",
                  "draw_employers", "draw_inspectors", "assessments", "signed_off"]


def _choice(params: Any, name: str, allowed: list[str], message: str) -> str:
    value = params.get(name, "").strip()
    if value and value not in allowed:
        raise ValidationError({name: [message]})
    return value


def _year(params: Any) -> str:
    raw = params.get("year", "").strip()
    if raw and not (raw.isdigit() and 2000 <= int(raw) <= 2999):
        raise ValidationError({"year": [_("年度应为四位数字，如 2026。")]})
    return raw


class _Paged(StaffAPIView, generics.ListAPIView):
    filter_backends: list[Any] = []
    pagination_class = StaffPagination

    def get_serializer_context(self) -> dict[str, Any]:
        return self.context(self.request)


class AssessmentListView(_Paged):
    """The assessments of the user's jurisdiction, newest first."""

    serializer_class = AssessmentSerializer

    def get_queryset(self) -> QuerySet[Assessment]:
        p = self.request.query_params
        params = {"year": _year(p),
                  "kind": _choice(p, "kind", list(SheetKind.values), _("无效的类别。")),
                  "state": _choice(p, "state", list(AssessmentState.values), _("无效的状态。")),
                  "passed": _choice(p, "passed", ["true", "false"], _("合格应为 true 或 false。"))}
        return selectors.assessment_list(self.request.user, params).order_by("-started_at", "-id")

    @extend_schema(
        tags=["prevention"], operation_id="prevention_assessments_list", summary="检查与评价",
        description="辖区内用人单位的用工体检、年度核验和和谐企业评价，按开始时间倒序。",
        parameters=[OpenApiParameter("year", OpenApiTypes.INT, OpenApiParameter.QUERY, description="年度"),
                    OpenApiParameter("kind", OpenApiTypes.STR, OpenApiParameter.QUERY, enum=list(SheetKind.values),
                                     description="类别"),
                    OpenApiParameter("state", OpenApiTypes.STR, OpenApiParameter.QUERY,
                                     enum=list(AssessmentState.values), description="状态"),
                    OpenApiParameter("passed", OpenApiTypes.STR, OpenApiParameter.QUERY, enum=["true", "false"],
                                     description="是否合格")],
        responses=responses(AssessmentSerializer(many=True), 400, 401),
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """One page of assessments."""
        check_query_params(request, ["year", "kind", "state", "passed", PAGE_PARAM])
        return super().get(request, *args, **kwargs)


class AssessmentDetailView(StaffAPIView):
    """One assessment."""

    @extend_schema(tags=["prevention"], operation_id="prevention_assessments_retrieve", summary="检查与评价详情",
                   parameters=[id_param("id", "检查评价ID")], responses=responses(AssessmentSerializer, 401, 404))
    def get(self, request: Request, pk: int) -> Response:
        """The assessment, if in the user's scope."""
        check_query_params(request, [])
        return Response(AssessmentSerializer(selectors.assessment_detail(request.user, pk)).data)


class OrderListView(_Paged):
    """The rectification orders of the user's jurisdiction, by deadline."""

    serializer_class = RectificationOrderSerializer

    def get_queryset(self) -> QuerySet[RectificationOrder]:
        p = self.request.query_params
        params = {"state": _choice(p, "state", list(OrderState.values), _("无效的状态。")),
                  "overdue": _choice(p, "overdue", ["true", "false"], _("逾期应为 true 或 false。"))}
        qs = selectors.orders(self.request.user)
        if params["overdue"] == "false":
            qs = qs.exclude(selectors.order_q({"overdue": "true"}, clock.today()))
            params["overdue"] = ""
        return qs.filter(selectors.order_q(params, clock.today())).order_by("deadline", "id")

    @extend_schema(
        tags=["prevention"], operation_id="prevention_orders_list", summary="责令限期整改指令书",
        description="辖区内的整改指令书，按整改期限排列；overdue 为仍未办结且已过期限。",
        parameters=[OpenApiParameter("state", OpenApiTypes.STR, OpenApiParameter.QUERY,
                                     enum=list(OrderState.values), description="状态"),
                    OpenApiParameter("overdue", OpenApiTypes.STR, OpenApiParameter.QUERY, enum=["true", "false"],
                                     description="是否逾期未整改")],
        responses=responses(RectificationOrderSerializer(many=True), 400, 401),
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """One page of orders."""
        check_query_params(request, ["state", "overdue", PAGE_PARAM])
        return super().get(request, *args, **kwargs)


class OrderDetailView(StaffAPIView):
    """One rectification order."""

    @extend_schema(tags=["prevention"], operation_id="prevention_orders_retrieve", summary="整改指令书详情",
                   parameters=[id_param("id", "指令书ID")], responses=responses(RectificationOrderSerializer, 401, 404))
    def get(self, request: Request, pk: int) -> Response:
        """The order, if in the user's scope."""
        check_query_params(request, [])
        return Response(RectificationOrderSerializer(selectors.order_detail(request.user, pk), context=self.context(request)).data)


class PlanListView(_Paged):
    """The plans of the user's jurisdiction, newest first."""

    serializer_class = PlanSerializer

    def get_queryset(self) -> QuerySet[Plan]:
        state = _choice(self.request.query_params, "state", list(PlanState.values), _("无效的状态。"))
        qs = selectors.plans(self.request.user).order_by("-starts_on", "-id")
        return qs.filter(state=state) if state else qs

    @extend_schema(
        tags=["prevention"], operation_id="prevention_plans_list", summary="检查计划",
        parameters=[OpenApiParameter("state", OpenApiTypes.STR, OpenApiParameter.QUERY,
                                     enum=list(PlanState.values), description="状态")],
        responses=responses(PlanSerializer(many=True), 400, 401),
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """One page of plans."""
        check_query_params(request, ["state", PAGE_PARAM])
        return super().get(request, *args, **kwargs)


class PlanDetailView(StaffAPIView):
    """One plan."""

    @extend_schema(tags=["prevention"], operation_id="prevention_plans_retrieve", summary="检查计划详情",
                   parameters=[id_param("id", "检查计划ID")], responses=responses(PlanSerializer, 401, 404))
    def get(self, request: Request, pk: int) -> Response:
        """The plan, if in the user's scope."""
        check_query_params(request, [])
        return Response(PlanSerializer(selectors.get_for(selectors.plans(request.user), request.user, pk)).data)
