"""What every API endpoint shares: the error shape, the staff base view, paging, strict query
parameters and the documented refusals.

Error shape: every refusal is a 4xx with a message naming the field, in the request's language
(Accept-Language; Chinese by default).

- A validation error maps each field to its messages: ``{"org_unit": ["…"]}``.
- Any other refusal is ``{"code": "…", "detail": "…"}`` (plus ``field`` when a domain rule names one).
- Every 404 has exactly one body, so a case outside the user's scope cannot be told apart from a
  case that does not exist (DESIGN principle 2).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiSerializerExtension
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, PolymorphicProxySerializer
from rest_framework import exceptions, serializers, status
from rest_framework.exceptions import NotAuthenticated, NotFound, ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import APIView
from rest_framework.views import exception_handler as drf_exception_handler

from hexie.core import clock
from hexie.core.errors import DomainError
from hexie.core.parsers import TooDeep
from hexie.core.serializers import MAX_ID, ApiErrorSerializer
from hexie.orgs.models import User

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

NOT_FOUND = _("未找到")


def _method(context: dict[str, Any]) -> str:
    request = context.get("request")
    return str(getattr(request, "method", "")).upper()


def _bilingual(exc: exceptions.APIException, context: dict[str, Any]) -> str | None:
    """DRF's own refusals, which it words in one language only, in Chinese and English."""
    if isinstance(exc, TooDeep):
        return str(exc.detail)
    if isinstance(exc, exceptions.ParseError):
        # DRF's parsers put the position of the mistake in English; keep it for the developer.
        return gettext("请求体无法解析，请检查JSON格式") % {"detail": exc.detail}
    if isinstance(exc, exceptions.NotAuthenticated):
        return (gettext("请先登录，或在请求头中提供令牌 Authorization: Token <令牌>"))
    if isinstance(exc, exceptions.AuthenticationFailed):
        return (gettext("身份认证失败：令牌无效，或账号已停用"))
    if isinstance(exc, exceptions.PermissionDenied):
        if str(exc.detail) != str(exceptions.PermissionDenied.default_detail):
            return None  # a message written for this case already
        return gettext("您无权执行该操作")
    if isinstance(exc, exceptions.MethodNotAllowed):
        method = _method(context)
        return gettext("该地址不支持 %(method)s 请求") % {"method": method}
    if isinstance(exc, exceptions.NotAcceptable):
        return gettext("无法提供所请求的格式，请接受 application/json")
    if isinstance(exc, exceptions.UnsupportedMediaType):
        return (gettext("不支持该请求体类型，请使用 application/json"))
    if isinstance(exc, exceptions.Throttled):
        seconds = getattr(exc, "wait", None)  # set by DRF's throttles, missing from the stubs
        wait = f"{seconds:.0f}" if seconds is not None else "?"
        return gettext("请求过于频繁，请%(wait)s秒后再试") % {"wait": wait}
    return None


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """The API's EXCEPTION_HANDLER: domain errors, Django errors and DRF errors in one shape."""
    if isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        exc = exceptions.ValidationError(detail=detail)
    elif isinstance(exc, DomainError):
        return Response(
            {"code": exc.code, "detail": exc.message, **({"field": exc.field} if exc.field else {})},
            status=exc.http_status,
        )
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound(NOT_FOUND)
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if response.status_code == status.HTTP_404_NOT_FOUND:
        response.data = {"detail": NOT_FOUND}
    elif isinstance(exc, exceptions.APIException) and not isinstance(exc, exceptions.ValidationError):
        message = _bilingual(exc, context)
        if message is not None:
            response.data = {"code": exc.default_code, "detail": message}
    return response


# --- what staff endpoints share -------------------------------------------------------------


PAGE_PARAM = "page"
# DRF's ?format=json (the browsable API links to it) is a rendering choice, not a filter.
FORMAT_PARAM = api_settings.URL_FORMAT_OVERRIDE or "format"
_TRUE_FALSE = ("true", "false")


# --- error documents ------------------------------------------------------------------------


class FieldErrorsSerializer(serializers.Serializer):
    """Bad input: each field named, with its messages in Chinese and English (schema only)."""


class FieldErrorsExtension(OpenApiSerializerExtension):
    """Describes the field → messages map that DRF answers for bad input."""

    target_class = FieldErrorsSerializer

    def map_serializer(self, auto_schema: Any, direction: Any) -> dict[str, Any]:
        return {
            "type": "object",
            "description": gettext("字段名 → 中英文错误提示"),
            "additionalProperties": {"type": "array", "items": {"type": "string"}},
            "example": {"complainant_id_number": [
                gettext("身份证号码校验位不正确，请核对")]},
        }


_BAD_INPUT = OpenApiResponse(FieldErrorsSerializer, description=_("输入有误"))
REFUSALS: dict[int, OpenApiResponse] = {
    400: _BAD_INPUT,
    401: OpenApiResponse(ApiErrorSerializer, description=_("未登录或令牌无效")),
    403: OpenApiResponse(ApiErrorSerializer, description=_("角色不允许")),
    404: OpenApiResponse(
        ApiErrorSerializer,
        description=_("不存在或不在您的辖区内（两者答复相同）"),
    ),
    409: OpenApiResponse(
        ApiErrorSerializer,
        description=_("当前状态不允许，或案件已被他人更新"),
    ),
}
CREATE_REFUSALS: dict[int, OpenApiResponse] = {
    400: OpenApiResponse(
        PolymorphicProxySerializer(
            component_name="CreateRefusal", serializers=[FieldErrorsSerializer, ApiErrorSerializer],
            resource_type_field_name=None,
        ),
        description=_("输入有误（字段 → 提示），或幂等键格式不正确"),
    ),
    422: OpenApiResponse(
        ApiErrorSerializer,
        description=_("该幂等键已用于内容不同的请求"),
    ),
}


def responses(ok: Any, *codes: int, created: bool = False) -> dict[int, Any]:
    """An endpoint's documented answers: the success (200, or 201 when it creates) and the refusals."""
    out: dict[int, Any] = {201 if created else 200: ok}
    out.update({code: REFUSALS[code] for code in codes})
    return out


def id_param(name: str, what: StrOrPromise) -> OpenApiParameter:
    """A path id (64-bit) as the document describes it."""
    return OpenApiParameter(name, OpenApiTypes.INT64, OpenApiParameter.PATH, description=what)


def _unknown_param(name: str, allowed: list[str]) -> str:
    return (gettext("未知的查询参数“%(name)s”") % {"name": name[:50], "items": ', '.join(allowed)})


def _true_false(name: str, value: str) -> str:
    return (gettext("筛选条件 %(name)s 的值“%(value)s”无效，应为 true 或 false") % {"name": name, "value": value[:50]})


def check_query_params(request: Request, allowed: list[str], booleans: tuple[str, ...] = ()) -> None:
    """Refuse query parameters that would otherwise be ignored: unknown names, and booleans that
    are neither true nor false (Django reads "yes" as "not given", which would drop the filter)."""
    errors: dict[str, list[str]] = {}
    allowed = [*allowed, FORMAT_PARAM]
    for name in request.query_params:
        value = str(request.query_params.get(name) or "")
        if name not in allowed:
            errors[name] = [_unknown_param(name, allowed)]
        elif name in booleans and value.strip().lower() not in ("", *_TRUE_FALSE):
            errors[name] = [_true_false(name, value)]
    if errors:
        raise ValidationError(errors)


def staff_user(request: Request) -> User:
    """The authenticated member of staff, or 401."""
    user = request.user
    if not isinstance(user, User) or not user.is_authenticated:
        raise NotAuthenticated()
    return user


class StaffPagination(PageNumberPagination):
    """50 rows a page. Page 1 always answers (an empty list is an empty page); a page that is not a
    whole number from 1, or one past the last page, is a 400 naming ``page`` (a 404 would read as
    "this list does not exist")."""

    page_size = 50
    page_query_param = PAGE_PARAM
    # Lazy: the API documentation is read in the language the request asks for.
    page_query_description = _("页码，从1开始；超出末页时答复400")  # type: ignore[assignment]

    def get_page_number(self, request: Request, paginator: Any) -> Any:
        raw = request.query_params.get(self.page_query_param, "1")
        if raw in self.last_page_strings:
            return raw
        # 18 digits at most: Python refuses to read very long digit strings as a number at all.
        if not (raw.isascii() and raw.isdigit() and len(raw) <= 18 and int(raw) >= 1):
            raise ValidationError({self.page_query_param: [
                gettext("页码“%(raw)s”无效，应为正整数") % {"raw": raw[:20]}]})
        return raw

    def paginate_queryset(self, queryset: Any, request: Request, view: Any = None) -> Any:
        try:
            return super().paginate_queryset(queryset, request, view)
        except NotFound:
            pages = self.django_paginator_class(queryset, self.get_page_size(request) or self.page_size).num_pages
            raw = request.query_params.get(self.page_query_param, "")
            raise ValidationError({self.page_query_param: [
                gettext("页码%(raw)s超出范围，共%(pages)s页") % {"raw": raw, "pages": pages}]}) from None


class StaffAPIView(APIView):
    """Base of every staff endpoint: token or session authentication, staff only, bounded ids.

    A path id is any run of digits (``core.converters.Id64Converter``); one beyond a 64-bit key cannot
    exist, and sending it to the database would overflow, so it answers the same 404 as any
    missing id.
    """

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        for value in kwargs.values():
            if isinstance(value, int) and not 0 < value <= MAX_ID:
                raise NotFound()

    def context(self, request: Request) -> dict[str, Any]:
        # One "today" per answer, so days left and "overdue" agree across every row.
        return {"request": request, "view": self, "today": clock.today()}
