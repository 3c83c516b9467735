"""Monitoring points in the registry API, and their monthly reports."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from hexie.core.api import (
    PAGE_PARAM,
    StaffAPIView,
    check_query_params,
    responses,
    staff_user,
)
from hexie.employers import selectors, services
from hexie.employers.api.common import (
    DISTRICT,
    PK,
    Q_PARAM,
    TAG,
    ListCreate,
    district,
    query_param,
    search,
)
from hexie.employers.serializers import (
    MonitoringPointInputSerializer,
    MonitoringPointSerializer,
    MonitoringReportInputSerializer,
    MonitoringReportSerializer,
)


class PointListCreateView(ListCreate):
    """Monitoring points in your jurisdiction; create one."""

    serializer_class = MonitoringPointSerializer

    def get_queryset(self) -> QuerySet[Any]:
        r = self.request
        check_query_params(r, [Q_PARAM, "district", "active", PAGE_PARAM], booleans=("active",))
        flag = str(r.query_params.get("active") or "").strip().lower()
        return selectors.point_list(r.user, q=search(r), district=district(r),
                                    active={"true": True, "false": False}.get(flag))

    @extend_schema(
        tags=[TAG], operation_id="registry_points_list", summary=_("监测点"),
        parameters=[query_param(Q_PARAM, _("单位名称或信用代码")), DISTRICT,
                    query_param("active", _("启用"), OpenApiTypes.BOOL)],
        responses=responses(MonitoringPointSerializer(many=True), 400, 401),
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(
        tags=[TAG], operation_id="registry_points_create", summary=_("设立监测点"),
        request=MonitoringPointInputSerializer,
        responses=responses(MonitoringPointSerializer, 400, 401, 403, created=True),
    )
    def post(self, request: Request) -> Response:
        s = MonitoringPointInputSerializer(data=request.data, context={"request": request})
        s.is_valid(raise_exception=True)
        d = s.validated_data
        point = services.create_monitoring_point(
            actor=staff_user(request), employer_id=d["employer"].pk, since=d["since"],
            contact_name=d.get("contact_name", ""), contact_phone=d.get("contact_phone", ""),
            is_active=d.get("is_active", True))
        return self.created(request, MonitoringPointSerializer, point)


class PointDetailView(StaffAPIView):
    """One monitoring point."""

    @extend_schema(tags=[TAG], operation_id="registry_points_retrieve", summary=_("监测点"),
                   parameters=[PK], responses=responses(MonitoringPointSerializer, 401, 404))
    def get(self, request: Request, pk: int) -> Response:
        point = selectors.point_detail(request.user, pk)
        return Response(MonitoringPointSerializer(point, context=self.context(request)).data)


class ReportListCreateView(ListCreate):
    """A monitoring point's monthly reports, newest first; file one (or correct a month)."""

    serializer_class = MonitoringReportSerializer

    def get_queryset(self) -> QuerySet[Any]:
        check_query_params(self.request, [PAGE_PARAM])
        return selectors.point_reports(selectors.point_detail(self.request.user, self.kwargs["pk"]))

    @extend_schema(tags=[TAG], operation_id="registry_reports_list", summary=_("监测点月报"),
                   parameters=[PK], responses=responses(MonitoringReportSerializer(many=True), 400, 401, 404))
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(
        tags=[TAG], operation_id="registry_reports_create", summary=_("填报月报"),
        description=_("月份为YYYYMM且不晚于本月；数字不为负；减少人数不多于月初人数与新增人数之和；欠薪不大于应发工资。同月再次填报即更正。"),
        parameters=[PK], request=MonitoringReportInputSerializer,
        responses={**responses(MonitoringReportSerializer, 400, 401, 403, 404, created=True),
                   200: OpenApiResponse(MonitoringReportSerializer, description=_("已更正"))},
    )
    def post(self, request: Request, pk: int) -> Response:
        point = selectors.point_detail(request.user, pk)
        s = MonitoringReportInputSerializer(data=request.data, context={"request": request})
        s.is_valid(raise_exception=True)
        existed = point.reports.filter(month=s.validated_data["month"]).exists()
        report = services.record_monitoring_report(actor=staff_user(request), point_id=point.pk, data=s.to_data())
        return Response(MonitoringReportSerializer(report, context=self.context(request)).data,
                        status=status.HTTP_200_OK if existed else status.HTTP_201_CREATED)
