"""Feed imports over the API: POST /api/v1/monitoring/feeds/<feed>/, GET /imports/ and /imports/<id>/.

A bank or a real-name platform posts up to 50,000 records per call with the national field
names. The records are checked at once with the same checks as an uploaded file (``feeds``):
any bad record answers 422 listing each row (index + 1) and field, and nothing is stored.
Good records are stored as a batch and written to the lake by the background job: 202 with the
batch and the URL to poll. The same records posted again (same content hash) answer 200 with the
earlier batch and change nothing, so a client that lost an answer may simply send again.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    PolymorphicProxySerializer,
    extend_schema,
    extend_schema_field,
)
from rest_framework import generics, serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from hexie.core.api import (
    PAGE_PARAM,
    REFUSALS,
    FieldErrorsSerializer,
    StaffAPIView,
    StaffPagination,
    check_query_params,
    id_param,
    responses,
    staff_user,
)
from hexie.core.serializers import ApiErrorSerializer
from hexie.monitoring import feeds, selectors, services
from hexie.monitoring.feeds.messages import localise, localise_errors
from hexie.monitoring.models import Feed, ImportBatch

# Errors listed in a 422 answer (the count is always exact).
API_ERRORS_SHOWN = 1000


class ImportRowErrorSerializer(serializers.Serializer):
    """One problem: the row (1-based record number for the API, the file's row for uploads), the field, why."""

    row = serializers.IntegerField(allow_null=True, help_text=_("行号（API为记录序号，从1开始）"))
    field = serializers.CharField(help_text=_("字段（文件列名或JSON键）"))
    message = serializers.CharField(help_text=_("原因"))

    def to_representation(self, instance: Any) -> dict[str, Any]:
        """The message in the request's language (it is kept in Chinese)."""
        data = super().to_representation(instance)
        data["message"] = localise(data["message"])
        return data


# A plain string, not an enum: drf-spectacular would otherwise give it the same component name as
# the warnings' own "state" choices and warn about the collision.
@extend_schema_field({
    "type": "string", "example": "done",
    "description": _("状态：排队、导入中、已导入、已拒绝（有错误行）、失败")
                   + ", ".join(ImportBatch.State.values) + ".",
})
class ImportStateField(serializers.Field):
    """The batch's state code (a field of its own, so its enum does not share a name with other states)."""

    def to_representation(self, value: ImportBatch) -> str:
        return str(value.state)


class ImportBatchSerializer(serializers.ModelSerializer):
    """An import batch: its state and counters while it runs, the first errors when rejected."""

    state = ImportStateField(source="*", read_only=True)
    # DRF's metaclass takes declared fields off the class, so this does not shadow Serializer.errors.
    errors = ImportRowErrorSerializer(  # type: ignore[assignment]
        many=True, read_only=True, help_text=_("前50处错误"))
    months = serializers.ListField(child=serializers.IntegerField(), read_only=True,
                                   help_text=_("涉及月份 yyyymm"))
    url = serializers.SerializerMethodField(help_text=_("查询状态的地址"))

    class Meta:
        model = ImportBatch
        fields = ["id", "feed", "source", "original_name", "state", "rows_total", "rows_done",
                  "rows_imported", "error_count", "errors", "months", "message", "created_at", "finished_at",
                  "withdrawn_at", "withdraw_reason", "url"]
        read_only_fields = fields

    def to_representation(self, instance: ImportBatch) -> dict[str, Any]:
        """The batch's message in the request's language (the worker keeps it in Chinese)."""
        data = super().to_representation(instance)
        data["message"] = localise(data.get("message") or "")
        return data

    def get_url(self, obj: ImportBatch) -> str:
        path = reverse("api-monitoring-import-detail", kwargs={"pk": obj.pk})
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request is not None else path


class FeedRecordsRequestSerializer(serializers.Serializer):
    """The body of a feed POST (documented here; checked by the feed checks, row by row)."""

    records = serializers.ListField(
        child=serializers.DictField(), min_length=1, max_length=services.API_MAX_RECORDS,
        help_text=_("记录（全国建筑工人管理服务信息平台字段名），每次至多50000条"),
    )


class RowsInvalidSerializer(serializers.Serializer):
    """422: the records have errors; nothing was stored."""

    code = serializers.CharField()
    detail = serializers.CharField()
    error_count = serializers.IntegerField()
    errors = ImportRowErrorSerializer(  # type: ignore[assignment]  # see ImportBatchSerializer.errors
        many=True, help_text=_("前1000处错误"))


FEED_PARAM = OpenApiParameter("feed", OpenApiTypes.STR, OpenApiParameter.PATH, enum=list(Feed.values),
                              description=_("数据类型"))
IMPORT_ID = id_param("id", _("导入ID"))
_RECORDS_EXAMPLE = OpenApiExample("attendance", value={"records": [
    {"projectCode": "XM430104-001", "idCardNumber": "110101199003071233", "date": "2026-03-02", "workHours": 8}]},
    request_only=True)


def _records(request: Request) -> list[Any]:
    data = request.data
    if not isinstance(data, dict) or "records" not in data:
        raise ValidationError({"records": [gettext("缺少 records（记录数组）")]})
    records = data["records"]
    if not isinstance(records, list):
        raise ValidationError({"records": [gettext("records 应为数组")]})
    if not 1 <= len(records) <= services.API_MAX_RECORDS:
        raise ValidationError({"records": [
            gettext("每次应提交1至%(API_MAX_RECORDS)s条记录（本次%(n)s条）") % {"API_MAX_RECORDS": services.API_MAX_RECORDS, "n": len(records)}]})
    return records


class FeedRecordsView(StaffAPIView):
    """Post a batch of feed records."""

    @extend_schema(
        tags=["monitoring"], operation_id="monitoring_feed_records_create", summary=_("提交监测数据"),
        description=_("记录立即逐条检查（与文件导入相同的规则）：有错误返回422，列出每条记录的行号（序号+1）和字段，且不保存任何记录；全部无误则保存为一个导入批次，后台写入，返回202及查询地址。相同内容再次提交返回200及原批次，不作任何更改。"),
        parameters=[FEED_PARAM], request=FeedRecordsRequestSerializer, examples=[_RECORDS_EXAMPLE],
        responses={
            202: OpenApiResponse(ImportBatchSerializer, description=_("已受理")),
            200: OpenApiResponse(ImportBatchSerializer, description=_("相同内容已提交过，未作更改")),
            400: REFUSALS[400], 401: REFUSALS[401], 403: REFUSALS[403], 404: REFUSALS[404],
            422: OpenApiResponse(RowsInvalidSerializer, description=_("记录有错误，未保存")),
        },
    )
    def post(self, request: Request, feed: str) -> Response:
        """Check the records; store and queue them, or answer the errors."""
        user = staff_user(request)
        if feed not in Feed.values:
            raise Http404
        records = _records(request)
        try:
            sub = services.submit_records(feed=feed, records=records, actor=user)
        except services.RowsInvalid as exc:
            body = {"code": exc.code, "detail": localise(str(exc.message)), "error_count": exc.errors.num_rows,
                    "errors": localise_errors(feeds.first_errors(exc.errors, API_ERRORS_SHOWN))}
            return Response(body, status=status.HTTP_422_UNPROCESSABLE_ENTITY)
        data = ImportBatchSerializer(sub.batch, context={"request": request}).data
        if not sub.created:
            if sub.message == services.OTHER_UNIT:
                return Response({"code": "already_imported", "detail": sub.message}, status=status.HTTP_409_CONFLICT)
            return Response({**data, "message": sub.message}, status=status.HTTP_200_OK)
        return Response(data, status=status.HTTP_202_ACCEPTED)


class ImportListView(StaffAPIView, generics.ListAPIView):
    """Imports in the user's jurisdiction, newest first."""

    serializer_class = ImportBatchSerializer
    pagination_class = StaffPagination
    filter_backends: list[Any] = []

    def get_queryset(self) -> QuerySet[ImportBatch]:
        return selectors.imports_for(self.request.user)

    @extend_schema(
        tags=["monitoring"], operation_id="monitoring_imports_list", summary=_("导入列表"),
        description=_("本辖区的文件与接口导入，最新的在前。"),
        responses=responses(ImportBatchSerializer(many=True), 400, 401),
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """One page of imports."""
        check_query_params(request, [PAGE_PARAM])
        return super().get(request, *args, **kwargs)


class ImportDetailView(StaffAPIView):
    """One import's state."""

    @extend_schema(
        tags=["monitoring"], operation_id="monitoring_imports_retrieve", summary=_("导入状态"),
        description=_("状态、进度、导入行数与涉及月份；被拒绝时给出前50处错误（完整清单在导入页面下载）。"),
        parameters=[IMPORT_ID],
        responses={200: ImportBatchSerializer, 401: REFUSALS[401],
                   404: OpenApiResponse(ApiErrorSerializer, description=REFUSALS[404].description)},
    )
    def get(self, request: Request, pk: int) -> Response:
        """The batch, if in the user's scope."""
        batch = selectors.import_for(request.user, pk)
        return Response(ImportBatchSerializer(batch, context={"request": request}).data)


class WithdrawRequestSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=300, help_text=_("撤回原因（记入审计日志）"))


# A missing or too long reason is the service's refusal (code, message, field); a body the parser
# refuses (a NUL character) names the field the way every bad input does. Both are documented.
WITHDRAW_REFUSAL = OpenApiResponse(
    PolymorphicProxySerializer(component_name="WithdrawRefusal",
                               serializers=[FieldErrorsSerializer, ApiErrorSerializer], resource_type_field_name=None),
    description=_("原因缺失、过长或含空字符"),
)


class ImportWithdrawView(StaffAPIView):
    """Withdraw a whole accepted import, with a reason."""

    @extend_schema(
        tags=["monitoring"], operation_id="monitoring_imports_withdraw", summary=_("撤回导入"),
        description=_("本辖区负责人撤回整个已导入的批次：其数据移出数据湖（原子操作），记入审计日志，涉及月份的预警重新检查。"),
        parameters=[IMPORT_ID], request=WithdrawRequestSerializer,
        responses={200: ImportBatchSerializer, 400: WITHDRAW_REFUSAL,
                   401: REFUSALS[401], 403: REFUSALS[403],
                   404: OpenApiResponse(ApiErrorSerializer, description=REFUSALS[404].description)},
    )
    def post(self, request: Request, pk: int) -> Response:
        """Withdraw the batch; answer it as it now stands."""
        user = staff_user(request)
        batch = selectors.import_for(user, pk)
        body = request.data if isinstance(request.data, dict) else {}
        batch, _runs = services.withdraw_import(batch_id=batch.pk, actor=user, reason=str(body.get("reason") or ""))
        return Response(ImportBatchSerializer(batch, context={"request": request}).data)


class ImportRetryView(StaffAPIView):
    """Check a failed or rejected import again."""

    @extend_schema(
        tags=["monitoring"], operation_id="monitoring_imports_retry", summary=_("重试导入"),
        description=_("重新检查失败（含执行进程被终止的）或被拒绝的批次，仍记在原单位和原上传人名下，"
                      "重试人记入审计日志；返回202及批次。排队中、导入中、已导入或已撤回的批次返回409。"),
        parameters=[IMPORT_ID], request=None,
        responses={202: ImportBatchSerializer, 401: REFUSALS[401], 403: REFUSALS[403],
                   404: OpenApiResponse(ApiErrorSerializer, description=REFUSALS[404].description),
                   409: OpenApiResponse(ApiErrorSerializer, description=_("该批次不能重试"))},
    )
    def post(self, request: Request, pk: int) -> Response:
        """Queue the batch again; answer it as it now stands."""
        user = staff_user(request)
        batch = selectors.import_for(user, pk)
        sub = services.retry_import(batch_id=batch.pk, actor=user)
        return Response(ImportBatchSerializer(sub.batch, context={"request": request}).data,
                        status=status.HTTP_202_ACCEPTED)
