"""API error shape: every refusal is a 4xx with a bilingual message naming the field.

- A validation error maps each field to its messages: ``{"org_unit": ["… / …"]}``.
- Any other refusal is ``{"code": "…", "detail": "中文 / English"}`` (plus ``field`` when a
  domain rule names one).
- Every 404 has exactly one body, so a case outside the user's scope cannot be told apart from a
  case that does not exist (DESIGN principle 2).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from hexie.core.errors import DomainError

NOT_FOUND = "未找到 / Not found."


def _method(context: dict[str, Any]) -> str:
    request = context.get("request")
    return str(getattr(request, "method", "")).upper()


def _bilingual(exc: exceptions.APIException, context: dict[str, Any]) -> str | None:
    """DRF's own refusals, which it words in one language only, in Chinese and English."""
    if isinstance(exc, exceptions.ParseError):
        # DRF's parsers put the position of the mistake in English; keep it for the developer.
        return f"请求体无法解析，请检查JSON格式 / The request body could not be parsed ({exc.detail})."
    if isinstance(exc, exceptions.NotAuthenticated):
        return ("请先登录，或在请求头中提供令牌 Authorization: Token <令牌> / "
                "Authentication is required: log in, or send the header Authorization: Token <token>.")
    if isinstance(exc, exceptions.AuthenticationFailed):
        return ("身份认证失败：令牌无效，或账号已停用 / "
                "Authentication failed: the token is not valid or the account is disabled.")
    if isinstance(exc, exceptions.PermissionDenied):
        if str(exc.detail) != str(exceptions.PermissionDenied.default_detail):
            return None  # a message written for this case already
        return "您无权执行该操作 / You are not allowed to do this."
    if isinstance(exc, exceptions.MethodNotAllowed):
        method = _method(context)
        return f"该地址不支持 {method} 请求 / Method {method} is not allowed here."
    if isinstance(exc, exceptions.NotAcceptable):
        return "无法提供所请求的格式，请接受 application/json / Cannot answer in the requested format; accept JSON."
    if isinstance(exc, exceptions.UnsupportedMediaType):
        return ("不支持该请求体类型，请使用 application/json / "
                "Unsupported request body type; send application/json.")
    if isinstance(exc, exceptions.Throttled):
        seconds = getattr(exc, "wait", None)  # set by DRF's throttles, missing from the stubs
        wait = f"{seconds:.0f}" if seconds is not None else "?"
        return f"请求过于频繁，请{wait}秒后再试 / Too many requests; try again in {wait} seconds."
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
