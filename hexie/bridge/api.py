"""/api/v1/bridge/: work orders from the 12345 hotline and the national wage-clue platform.

The sending system authenticates as a member of staff of the receiving unit (token); so do the
bureau's clerks who sign for, hand back, extend and answer orders. Refusals are documented:
400 naming the field, 404 an unknown order (or one outside the jurisdiction), 409
``duplicate_order`` (another order under the same reference), ``window_closed`` (a hand-back after
its working days), ``transition_not_allowed`` (a step out of turn).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from hexie.bridge import selectors, services
from hexie.bridge.batch import read_orders
from hexie.bridge.models import Source, WorkOrder
from hexie.cases.models import CaseType
from hexie.core.api import StaffAPIView, StaffPagination, check_query_params, id_param, responses, staff_user
from hexie.core.parsers import SafeJSONParser
from hexie.core.serializers import MAX_ID, InputSerializer, field_messages

ORDER_ID = id_param("pk", _("工单ID"))


class OrderInSerializer(InputSerializer):
    """An order as the sending system sends it."""

    # The sending systems name this key "source"; the serializer's metaclass takes the field out of
    # the class attributes, so it does not shadow Field.source at run time (mypy cannot tell).
    source = serializers.ChoiceField(  # type: ignore[assignment]
        choices=Source.choices, error_messages=field_messages(_("来源")),
        help_text="12345 或 wage_clue / 12345 or wage_clue.")
    external_ref = serializers.CharField(max_length=64, error_messages=field_messages(_("工单编号")))
    received_at = serializers.DateTimeField(error_messages=field_messages(_("收到时间")))
    title = serializers.CharField(max_length=200, error_messages=field_messages(_("标题")))
    content = serializers.CharField(max_length=5000, allow_blank=True, required=False,
                                    error_messages=field_messages(_("内容")))
    complainant_name = serializers.CharField(max_length=50, error_messages=field_messages(_("诉求人")))
    complainant_phone = serializers.CharField(max_length=20,
                                              error_messages=field_messages(_("联系电话")))
    employer_name = serializers.CharField(max_length=200, error_messages=field_messages(_("用人单位")))
    org_unit = serializers.CharField(max_length=12, error_messages=field_messages(_("区划代码")))
    case_type = serializers.ChoiceField(choices=[CaseType.WAGE_ARREARS, CaseType.LABOUR_DISPUTE],
                                        default=CaseType.WAGE_ARREARS, error_messages=field_messages(_("类型")))
    workers_count = serializers.IntegerField(min_value=1, max_value=100000, default=1,
                                             error_messages=field_messages(_("人数")))
    amount_claimed = serializers.DecimalField(max_digits=14, decimal_places=2, min_value=0, default=Decimal("0"),
                                              error_messages=field_messages(_("金额")))

    def data_for_service(self) -> services.OrderData:
        v = dict(self.validated_data)
        return services.OrderData(
            source=v["source"], external_ref=v["external_ref"].strip(), received_at=v["received_at"],
            title=v["title"], content=v.get("content", ""), complainant_name=v["complainant_name"],
            complainant_phone=v["complainant_phone"], employer_name=v["employer_name"],
            org_unit_code=v["org_unit"], case_type=v["case_type"], workers_count=v["workers_count"],
            amount_claimed=Decimal(str(v["amount_claimed"])))


class OrderActionSerializer(InputSerializer):
    """One step of the order's loop."""

    action = serializers.ChoiceField(choices=list(services.ACTIONS), error_messages=field_messages(_("操作")),
                                     help_text=_("sign 签收、hand_back 回退、extend 申请延期、reply 办结答复、rate 群众评价"))
    version = serializers.IntegerField(required=False, min_value=0, max_value=MAX_ID,
                                       error_messages=field_messages(_("版本号")))
    reason = serializers.CharField(required=False, allow_blank=True, max_length=2000,
                                   error_messages=field_messages(_("理由")))
    text = serializers.CharField(required=False, allow_blank=True, max_length=5000,
                                 error_messages=field_messages(_("答复内容")))
    result = serializers.ChoiceField(choices=list(services.RESULTS.items()), required=False,
                                     error_messages=field_messages(_("办理结果")))
    days = serializers.IntegerField(required=False, min_value=0, max_value=365,
                                    error_messages=field_messages(_("延期工作日")))
    rating = serializers.IntegerField(required=False, min_value=1, max_value=5,
                                      error_messages=field_messages(_("评价")))


class OrderSerializer(serializers.ModelSerializer):
    """An order, the case it became, and its clocks."""

    case_number = serializers.CharField(source="case.number", read_only=True)
    case_id = serializers.IntegerField(read_only=True)

    class Meta:
        model = WorkOrder
        fields = ["id", "source", "external_ref", "state", "title", "received_at", "hand_back_by", "reply_by",
                  "extension_days", "signed_at", "handed_back_at", "hand_back_reason", "replied_at", "reply_text",
                  "result", "rating", "case_id", "case_number", "version"]


class ImportSerializer(InputSerializer):
    file = serializers.FileField(error_messages=field_messages(_("文件")))


class ImportResultSerializer(serializers.Serializer):
    received = serializers.IntegerField()
    created = serializers.IntegerField()
    unchanged = serializers.IntegerField()


class OrderListView(StaffAPIView):
    """The orders of the jurisdiction; an order sent by the other system."""

    parser_classes = [SafeJSONParser]
    pagination_class = StaffPagination

    @extend_schema(tags=["bridge"], operation_id="bridge_orders_list", summary=_("工单列表"),
                   responses=responses(OrderSerializer(many=True), 400, 401))
    def get(self, request: Request) -> Response:
        check_query_params(request, ["page", "state", "source"])
        qs = selectors.orders(staff_user(request), state=request.query_params.get("state", ""),
                              source=request.query_params.get("source", ""))
        pager = StaffPagination()
        page = pager.paginate_queryset(qs, request, self)
        return pager.get_paginated_response(OrderSerializer(page, many=True).data)

    @extend_schema(
        tags=["bridge"], operation_id="bridge_orders_receive", summary=_("接收工单"),
        description=_("工单登记为案件；同一工单再次发送不作任何改变（200），同一编号的不同工单答复409 duplicate_order"),
        request=OrderInSerializer, responses={**responses(OrderSerializer, 400, 401, 403, 409, created=True),
                                              200: OrderSerializer},
    )
    def post(self, request: Request) -> Response:
        s = OrderInSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        order, created = services.receive_order(data=s.data_for_service(), actor=staff_user(request))
        return Response(OrderSerializer(order).data, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)


class OrderActionView(StaffAPIView):
    """Sign for, hand back, extend, reply to an order, or record the worker's rating."""

    parser_classes = [SafeJSONParser]

    @extend_schema(tags=["bridge"], operation_id="bridge_orders_act", summary=_("工单操作"),
                   parameters=[ORDER_ID], request=OrderActionSerializer,
                   responses=responses(OrderSerializer, 400, 401, 403, 404, 409))
    def post(self, request: Request, pk: int) -> Response:
        s = OrderActionSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        v: dict[str, Any] = dict(s.validated_data)
        order = services.act_on_order(
            order_id=pk, actor=staff_user(request), action=v["action"], reason=v.get("reason", ""),
            text=v.get("text", ""), result=v.get("result", ""), days=v.get("days", 0), rating=v.get("rating"),
            expected_version=v.get("version"))
        return Response(OrderSerializer(order).data)


class OrderImportView(StaffAPIView):
    """A workbook of orders, for a bureau that receives them by file: all or nothing."""

    parser_classes = [MultiPartParser]

    @extend_schema(
        tags=["bridge"], operation_id="bridge_orders_import", summary=_("批量导入工单（.xlsx）"),
        description=_("列：来源、工单编号、收到时间、标题、内容、诉求人、联系电话、用人单位、区划代码；任一行有误则整个文件不导入，"
                    "错误按行号列出"),
        request={"multipart/form-data": ImportSerializer}, responses=responses(ImportResultSerializer, 400, 401, 409),
    )
    def post(self, request: Request) -> Response:
        s = ImportSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        user = staff_user(request)
        rows = read_orders(s.validated_data["file"])
        result = services.import_orders(rows=rows, actor=user)
        return Response(result)
