"""The project's error views (``handler404``, ``handler500``…): JSON under /api/, as the API's
documents promise, a short page elsewhere.

DRF answers the errors raised inside an API view; these answer the rest: an address under /api/
that matches no route, and a server error that escaped every view.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext_lazy as _
from django.views import defaults

from hexie.core.api import NOT_FOUND
from hexie.core.middleware import is_api

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

SERVER_ERROR = _("服务器内部错误，请稍后再试")
BAD_REQUEST = _("请求有误")
FORBIDDEN = _("您无权执行该操作")


def _json(status: int, code: str, detail: StrOrPromise) -> JsonResponse:
    return JsonResponse({"code": code, "detail": detail}, status=status, json_dumps_params={"ensure_ascii": False})


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if is_api(request):
        return JsonResponse({"detail": NOT_FOUND}, status=404, json_dumps_params={"ensure_ascii": False})
    return defaults.page_not_found(request, exception)  # type: ignore[arg-type]


def server_error(request: HttpRequest) -> HttpResponse:
    if is_api(request):
        return _json(500, "server_error", SERVER_ERROR)
    return defaults.server_error(request)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if is_api(request):
        return _json(400, "bad_request", BAD_REQUEST)
    return defaults.bad_request(request, exception)  # type: ignore[arg-type]


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if is_api(request):
        return _json(403, "permission_denied", FORBIDDEN)
    return defaults.permission_denied(request, exception)  # type: ignore[arg-type]

