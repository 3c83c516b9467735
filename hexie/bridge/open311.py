"""An Open311 GeoReport v2 view of the work orders, for systems that speak it (read only).

``services.json`` lists the sources as services; ``requests.json`` the orders of the caller's
jurisdiction as service requests (``service_request_id`` is the order's own reference), filtered
by ``service_code``, ``status`` (open, closed), ``start_date`` and ``end_date``;
``requests/<service_request_id>.json`` one of them. No personal data is in a request: the
complainant's name and phone stay in the case file.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from hexie.bridge import selectors
from hexie.bridge.models import Source, WorkOrder
from hexie.core.api import StaffAPIView, check_query_params, responses, staff_user

OPEN_STATES = (WorkOrder.State.RECEIVED, WorkOrder.State.SIGNED)
MAX_REQUESTS = 1000


class ServiceSerializer(serializers.Serializer):
    service_code = serializers.CharField()
    service_name = serializers.CharField()
    description = serializers.CharField()
    metadata = serializers.BooleanField()
    type = serializers.CharField()
    keywords = serializers.CharField()
    group = serializers.CharField()


class ServiceRequestSerializer(serializers.Serializer):
    service_request_id = serializers.CharField()
    status = serializers.ChoiceField(choices=["open", "closed"])
    status_notes = serializers.CharField(allow_blank=True)
    service_name = serializers.CharField()
    service_code = serializers.CharField()
    description = serializers.CharField()
    agency_responsible = serializers.CharField()
    service_notice = serializers.CharField(allow_blank=True)
    requested_datetime = serializers.DateTimeField()
    updated_datetime = serializers.DateTimeField()
    expected_datetime = serializers.DateField()
    address = serializers.CharField(allow_blank=True)
    address_id = serializers.CharField(allow_null=True)
    zipcode = serializers.CharField(allow_null=True)
    lat = serializers.FloatField(allow_null=True)
    long = serializers.FloatField(allow_null=True)
    media_url = serializers.CharField(allow_null=True)


def as_request(order: WorkOrder) -> dict[str, Any]:
    """One order as a GeoReport v2 service request."""
    closed = order.state not in OPEN_STATES
    return {
        "service_request_id": order.external_ref,
        "status": "closed" if closed else "open",
        "status_notes": order.hand_back_reason or order.reply_text,
        "service_name": str(order.get_source_display()), "service_code": order.source,
        "description": order.title, "agency_responsible": order.org_unit.name,
        "service_notice": f"案件编号 {order.case.number}",
        "requested_datetime": order.received_at, "updated_datetime": order.updated_at,
        "expected_datetime": order.reply_by,
        "address": order.org_unit.name, "address_id": None, "zipcode": None, "lat": None, "long": None,
        "media_url": None,
    }


def _date(request: Request, name: str) -> datetime | None:
    raw = request.query_params.get(name, "")
    if not raw:
        return None
    value = parse_datetime(raw)
    if value is None:
        raise ValidationError({name: [gettext("%(name)s 应为 ISO 8601 时间") % {"name": name}]})
    return value


class ServicesView(StaffAPIView):
    """The services: one per system orders come from."""

    @extend_schema(tags=["open311"], operation_id="open311_services", summary="GeoReport v2 services",
                   responses=responses(ServiceSerializer(many=True), 401))
    def get(self, request: Request) -> Response:
        staff_user(request)
        return Response([{"service_code": code, "service_name": str(label), "description": str(label),
                          "metadata": False, "type": "realtime", "keywords": "欠薪,劳动争议", "group": "劳动保障"}
                         for code, label in Source.choices])


class RequestsView(StaffAPIView):
    """The service requests of the caller's jurisdiction, newest first (at most 1,000)."""

    @extend_schema(
        tags=["open311"], operation_id="open311_requests", summary="GeoReport v2 service requests",
        parameters=[OpenApiParameter("service_code", str), OpenApiParameter("status", str),
                    OpenApiParameter("start_date", str), OpenApiParameter("end_date", str),
                    OpenApiParameter("service_request_id", str)],
        responses=responses(ServiceRequestSerializer(many=True), 400, 401))
    def get(self, request: Request) -> Response:
        check_query_params(request, ["service_code", "status", "start_date", "end_date", "service_request_id"])
        qs = selectors.orders(staff_user(request), source=request.query_params.get("service_code", ""))
        status = request.query_params.get("status", "")
        if status == "open":
            qs = qs.filter(state__in=OPEN_STATES)
        elif status == "closed":
            qs = qs.exclude(state__in=OPEN_STATES)
        elif status:
            raise ValidationError({"status": [gettext("status 为 open 或 closed")]})
        start, end = _date(request, "start_date"), _date(request, "end_date")
        if start:
            qs = qs.filter(received_at__gte=start)
        if end:
            qs = qs.filter(received_at__lte=end)
        ids = [i for i in request.query_params.get("service_request_id", "").split(",") if i]
        if ids:
            qs = qs.filter(external_ref__in=ids)
        return Response(ServiceRequestSerializer([as_request(o) for o in qs[:MAX_REQUESTS]], many=True).data)


class RequestView(StaffAPIView):
    """One service request by its id (the order's own reference)."""

    @extend_schema(tags=["open311"], operation_id="open311_request", summary="GeoReport v2 service request",
                   responses=responses(ServiceRequestSerializer(many=True), 401, 404))
    def get(self, request: Request, ref: str) -> Response:
        found = list(selectors.orders(staff_user(request)).filter(external_ref=ref)[:10])
        if not found:
            raise NotFound()
        return Response(ServiceRequestSerializer([as_request(o) for o in found], many=True).data)
