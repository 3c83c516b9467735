"""Middleware of every request: the language, refusing NUL characters, a lost database, and keeping
an employer's account on its own pages."""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.conf import settings
from django.db import InterfaceError, OperationalError, connections
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.html import format_html
from django.utils.translation import get_supported_language_variant, gettext
from django.utils.translation import gettext_lazy as _
from django.utils.translation.trans_real import parse_accept_lang_header

from hexie.core.parsers import NUL, nul_message
from hexie.orgs.models import Role

logger = logging.getLogger(__name__)
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


class ChosenLanguageMiddleware:
    """Activate the language: for pages the switch's cookie, for the API the Accept-Language header;
    else the bureau's default (zh-hans).

    Django's LocaleMiddleware would follow the browser's Accept-Language on pages too, so a clerk on
    an English-language browser would get English pages without asking; there only a choice counts.
    A program calling the API has no switch: it says which language it reads in its request.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def _from_header(self, request: HttpRequest) -> str | None:
        for code, _quality in parse_accept_lang_header(request.headers.get("Accept-Language", "")):
            if code == "*":
                return None
            try:
                return get_supported_language_variant(code)
            except LookupError:
                continue
        return None

    def __call__(self, request: HttpRequest) -> HttpResponse:
        api = is_api(request)
        chosen = self._from_header(request) if api else request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()  # type: ignore[attr-defined]
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        if api:
            patch_vary_headers(response, ("Accept-Language",))
        translation.deactivate()
        return response


def is_api(request: HttpRequest) -> bool:
    """Whether the request is for the API (its answers are JSON, its refusals too)."""
    return request.path_info.startswith("/api/")


def short_page(status: int, title: str, message: str) -> HttpResponse:
    """A refusal for a browser: a short page in the active language (no template, no database)."""
    body = format_html(
        '<!doctype html><html lang="{}"><head><meta charset="utf-8"><title>{}</title></head>'
        "<body><h1>{}</h1><p>{}</p></body></html>", translation.get_language() or settings.LANGUAGE_CODE,
        title, title, message)
    return HttpResponse(body, status=status, content_type="text/html; charset=utf-8")


def _first_nul(request: HttpRequest) -> str | None:
    """The name of the first query parameter or form field holding a NUL character (the path too)."""
    if NUL in request.path_info:
        return "path"
    sources = [request.GET]
    if request.method == "POST" and request.content_type in FORM_TYPES:
        sources.append(request.POST)
    for source in sources:
        for name, values in source.lists():
            if NUL in name or any(NUL in value for value in values):
                return name.replace(NUL, "\\x00")
    return None


class RejectNulMiddleware:
    """Refuse a NUL character (``\\x00``) in the path, a query parameter or a form field: 400 naming it.

    PostgreSQL text cannot hold NUL, so any filter, lookup or save that passed one on would answer a
    500; one check here covers every page and every endpoint, present and future. JSON bodies are
    checked by the API's parser (``core.parsers``).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # A cookie holding NUL (a forged session id) is no cookie at all: reading the session or
        # the language with it would put the NUL into a query.
        for key in [k for k, v in request.COOKIES.items() if "\x00" in k or "\x00" in v]:
            del request.COOKIES[key]
        name = _first_nul(request)
        if name is None:
            return self.get_response(request)
        message = nul_message(name)
        if is_api(request):
            return JsonResponse({name: [message]}, status=400, json_dumps_params={"ensure_ascii": False})
        return short_page(400, gettext("请求有误"), message)


RETRY_AFTER_SECONDS = 5
DB_UNAVAILABLE = _("数据库暂时不可用，请稍后再试")


def _drop_broken_connections() -> None:
    """Close each connection that failed and no longer answers, so the next request opens a new one.

    A connection inside an atomic block belongs to whoever opened the block; it is left alone.
    """
    for conn in connections.all(initialized_only=True):
        if not conn.in_atomic_block:
            conn.close_if_unusable_or_obsolete()


class DatabaseUnavailableMiddleware:
    """A lost or refused database connection answers 503 with Retry-After, not 500.

    A connection terminated under load (a restart, a fail-over, an administrator's
    ``pg_terminate_backend``) then costs the one request it was serving: the broken connection is
    closed here, and the next request opens a fresh one.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        return unavailable(request, exception)


def unavailable(request: HttpRequest, exception: Exception) -> HttpResponse:
    """The 503 of a lost database connection (also for a middleware whose own query met it)."""
    logger.warning("Database unavailable for %s: %s", request.path, exception)
    _drop_broken_connections()
    response: HttpResponse
    if is_api(request):
        response = JsonResponse({"code": "database_unavailable", "detail": DB_UNAVAILABLE}, status=503,
                                json_dumps_params={"ensure_ascii": False})
    else:
        response = short_page(503, gettext("暂时无法服务"), str(DB_UNAVAILABLE))
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


#: Where an employer's own account may go: its pages, its order's Word document, logging out,
#: switching language. Everything else is staff's and answers 404, as if it did not exist.
EMPLOYER_PATHS = ("/employer/", "/insights/orders/", "/accounts/logout/", "/i18n/", "/static/")


class EmployerAccountMiddleware:
    """Keeps an employer's account (role ``employer``, hexie.prevention) on the employer's pages.

    The scoping module already gives such an account nothing of the bureau's rows; this keeps the
    staff pages themselves (empty lists, forms it may not submit) and the staff API out of its reach.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        try:  # reading the user is this request's first query
            is_employer = user is not None and user.is_authenticated and getattr(user, "role", "") == Role.EMPLOYER
        except (OperationalError, InterfaceError) as exc:
            return unavailable(request, exc)
        if is_employer and not request.path.startswith(EMPLOYER_PATHS):
            raise Http404(gettext("未找到"))
        return self.get_response(request)


class ContentSecurityPolicyMiddleware:
    """Send the Content-Security-Policy (settings.CONTENT_SECURITY_POLICY) with every response.

    Every script, style and image is one of our own static files (no CDN, no inline script or
    style), so the policy is strict: an injected <script> or style="" runs nowhere, and no other
    site may frame a page or receive a form. A response that set its own policy keeps it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.policy = str(getattr(settings, "CONTENT_SECURITY_POLICY", "") or "")

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if self.policy and "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = self.policy
        return response
