"""Idempotent create requests: an ``Idempotency-Key`` header makes a retried POST safe.

A client that lost the answer to a create request (a dropped connection, a timeout, a crashed
12345 bridge) sends the same request again with the same key and gets the first answer back,
instead of registering the complaint twice (DESIGN principle 5, "nothing is lost").

Use it from any API view that creates something::

    from hexie.core.idempotency import IDEMPOTENCY_KEY_PARAMETER, idempotent

    @extend_schema(parameters=[IDEMPOTENCY_KEY_PARAMETER], ...)
    def post(self, request):
        return idempotent(request, scope="public.complaint", create=lambda: self._create(request))

Rules:

- No header: ``create()`` runs as usual; nothing is stored.
- A key is 1–128 visible characters; anything else answers 400.
- The first *successful* (2xx) answer is stored in ``IdempotencyRecord`` under ``(scope, key)``
  with the SHA-256 of the request body. Refusals (4xx) and errors are not stored: they created
  nothing, so the client may correct the request and send it again with the same key.
- Same key, same body: the stored status and body come back with ``Idempotent-Replayed: true``;
  ``create()`` is not called, so nothing is created again.
- Same key, different body: 422 with a bilingual message; nothing is created.
- Concurrency: the record row is inserted *before* ``create()`` runs, in the same transaction.
  A second request with the same key blocks on the unique index (PostgreSQL) or on the write
  lock (SQLite, IMMEDIATE transactions) until the first commits, then gets an IntegrityError and
  answers with the stored response. If the first request fails, its transaction (record included)
  rolls back and the second proceeds as a first attempt.

The scope separates key spaces: staff keys are per user (``cases.create:user:<id>``) so two
clerks cannot collide or read each other's answers; the public portal uses one scope.
Body hashes cover the raw bytes, so a retry must resend the same bytes (what HTTP clients and
queues do). On PostgreSQL the stored body is jsonb, so a replay has the same keys and values but
possibly in a different key order.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import status
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from hexie.core.models import IdempotencyRecord

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
MAX_KEY_LENGTH = 128
MAX_SCOPE_LENGTH = 64  # IdempotencyRecord.scope

IDEMPOTENCY_KEY_PARAMETER = OpenApiParameter(
    name=HEADER,
    type=OpenApiTypes.STR,
    location=OpenApiParameter.HEADER,
    required=False,
    description=(
        _("幂等键：重试时携带相同的键和相同的请求体，将返回首次结果而不会重复创建")
    ),
)

_BAD_KEY = _("幂等键应为1至128个可见字符")
_KEY_REUSED = (
    _("该幂等键已用于内容不同的请求，请换用新的键")
)


def request_fingerprint(request: Request) -> str:
    """SHA-256 of what the client sent: the raw body, or for multipart uploads the fields and files.

    Call it before anything reads ``request.data``: once a JSON or form body has been parsed,
    Django no longer lets the raw bytes be read.
    """
    content_type = (request.content_type or "").lower()
    digest = hashlib.sha256()
    if content_type.startswith("multipart/"):
        # A multipart body is not kept in memory (files may be large); hash the parsed parts in a
        # stable order instead, so the boundary string, which changes on every send, does not count.
        for name in sorted(request.POST.keys()):
            for value in request.POST.getlist(name):
                digest.update(json.dumps([name, value], ensure_ascii=False).encode())
        for name in sorted(request.FILES.keys()):
            for f in request.FILES.getlist(name):
                digest.update(json.dumps([name, f.name, f.size]).encode())
                for chunk in f.chunks():
                    digest.update(chunk)
                f.seek(0)
        return digest.hexdigest()
    digest.update(request.body)
    return digest.hexdigest()


def _error(code: str, detail: StrOrPromise, http_status: int) -> Response:
    return Response({"code": code, "detail": detail}, status=http_status)


def _lookup(scope: str, key: str) -> IdempotencyRecord | None:
    return IdempotencyRecord.objects.filter(scope=scope, key=key).first()


def _answer_from(record: IdempotencyRecord, request_hash: str) -> Response:
    if record.request_hash != request_hash:
        return _error("idempotency_key_reused", _KEY_REUSED, status.HTTP_422_UNPROCESSABLE_ENTITY)
    return Response(record.response_body, status=record.response_status, headers={REPLAYED_HEADER: "true"})


def _as_json(data: Any) -> Any:
    """The body exactly as the client received it (dates, decimals already turned into strings)."""
    return json.loads(JSONRenderer().render(data))


def idempotent(request: Request, scope: str, create: Callable[[], Response]) -> Response:
    """Run ``create()`` at most once per ``(scope, Idempotency-Key)``; see the module docstring.

    ``create`` must do all its writes in the calling thread's database connection and return a
    DRF ``Response`` (raising, e.g. a ValidationError, is fine: nothing is stored and the
    exception propagates to the API's exception handler).
    """
    if len(scope) > MAX_SCOPE_LENGTH:
        raise ValueError(f"idempotency scope longer than {MAX_SCOPE_LENGTH} characters: {scope!r}")
    raw_key = request.headers.get(HEADER)
    if raw_key is None:
        return create()
    key = raw_key.strip()
    if not key or len(key) > MAX_KEY_LENGTH or not key.isprintable():
        return _error("invalid_idempotency_key", _BAD_KEY, status.HTTP_400_BAD_REQUEST)
    request_hash = request_fingerprint(request)

    existing = _lookup(scope, key)
    if existing is not None:
        return _answer_from(existing, request_hash)

    try:
        with transaction.atomic():
            # Reserve the key first: a concurrent twin waits here until this transaction ends.
            record = IdempotencyRecord.objects.create(
                scope=scope, key=key, request_hash=request_hash, response_status=0, response_body={}
            )
            response = create()
            if not status.is_success(response.status_code):
                # A refusal created nothing; forget the key so a corrected request may reuse it.
                transaction.set_rollback(True)
                return response
            record.response_status = response.status_code
            record.response_body = _as_json(response.data)
            record.save(update_fields=["response_status", "response_body"])
            return response
    except IntegrityError:
        # Lost the race: another request with this key committed first. If the IntegrityError came
        # from somewhere else inside create(), there is no record and the error is real.
        winner = _lookup(scope, key)
        if winner is None:
            raise
        return _answer_from(winner, request_hash)
