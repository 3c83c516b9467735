"""Schemathesis over the OpenAPI document (``/api/schema/``), bounded and deterministic.

Every operation of the document is called with data generated from its own schema, through the
project's WSGI application in the test's database, and each answer is checked: no server error,
a documented status code, a documented content type, a body that matches the documented schema.
Failures are collected rather than raised, so that one run reports every operation that breaks.
Used by ``hexie/demo/tests/test_api_fuzz.py`` and by ``bench/hardening.py``.
"""

from __future__ import annotations

import re
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import got_request_exception, request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import Failure, FailureGroup
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from hexie.demo.tests import sweep

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]

#: A few examples per operation keeps the run for two roles within a few minutes on two cores.
MAX_EXAMPLES = 8


@dataclass
class Report:
    """What one run found: operations, requests sent, and each distinct failure once."""

    operations: int = 0
    examples: int = 0
    failures: dict[tuple[str, str], str] = field(default_factory=dict)  # (operation, check) -> first message
    server_errors: dict[str, str] = field(default_factory=dict)  # operation -> first traceback

    @property
    def server_error_count(self) -> int:
        return sum(1 for (_, title) in self.failures if "Server error" in title) or len(self.server_errors)

    @property
    def schema_violations(self) -> int:
        return sum(1 for (_, title) in self.failures if "Server error" not in title)

    def lines(self) -> list[str]:
        found = [f"{op}: {title}: {message}" for (op, title), message in sorted(self.failures.items())]
        found += [f"{op}: {tb}" for op, tb in sorted(self.server_errors.items())]
        return found


@contextmanager
def _in_test_transaction() -> Iterator[None]:
    """Django closes a connection at the start and end of a request when it is not in autocommit,
    which inside a test's transaction would drop the test's data; the test client does the same."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def real_ids(scene: dict[str, Any]) -> dict[str, list[str]]:
    """For each API path with parameters (``/api/v1/cases/{}/timeline/``), the ids of the scene's
    rows it names, in the path's order: half the examples ask for a row that exists, so the
    generated bodies reach the services instead of stopping at a 404."""
    found = {}
    for route in sweep.swept_routes():
        if route.is_api:
            values = sweep.row_values(route, scene, missing=False)
            if len(values) == len(route.params):
                found[re.sub(r"<[^>]+>", "{}", "/" + route.route)] = values
    return found


def run(*, token: str | None, max_examples: int = MAX_EXAMPLES, ids: dict[str, list[str]] | None = None,
        report: Report | None = None) -> Report:
    """Call every operation ``max_examples`` times as the user behind ``token``; with ``ids``
    (``real_ids``), every other example names existing rows."""
    report = report or Report()
    app = WSGIHandler()
    headers = {"Authorization": f"Token {token}"} if token else {}
    current: dict[str, str] = {}

    def on_exception(sender: Any, request: Any = None, **kwargs: Any) -> None:
        report.server_errors.setdefault(current["op"], traceback.format_exc(limit=-3))

    got_request_exception.connect(on_exception)
    try:
        with _in_test_transaction():
            schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", app)
            for result in schema.get_all_operations():
                operation = result.ok()
                report.operations += 1
                current["op"] = operation.label
                _fuzz(operation, headers, max_examples, report, (ids or {}).get(_template(operation.path)))
    finally:
        got_request_exception.disconnect(on_exception)
    return report


def call_documented(*, method: str, path: str, token: str, path_parameters: dict[str, Any] | None = None,
                    body: Any = None) -> tuple[Any, list[str]]:
    """One request through the document, as a regression test of one finding writes it: the
    answer and the checks it fails (empty when it is a documented answer)."""
    app = WSGIHandler()
    headers = {"Authorization": f"Token {token}"}
    with _in_test_transaction():
        schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", app)
        operation = schema[path][method.upper()]
        kwargs: dict[str, Any] = {"path_parameters": path_parameters or {}}
        if body is not None:
            kwargs.update(body=body, media_type="application/json")
        case = operation.Case(**kwargs)
        response = case.call(headers=headers)
        try:
            case.validate_response(response, checks=CHECKS, headers=headers)
        except FailureGroup as group:
            return response, [f"{f.title}: {f.message}" for f in group.exceptions]
        except Failure as failure:
            return response, [f"{failure.title}: {failure.message}"]
    return response, []


def _template(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "{}", path)


def _fuzz(operation: Any, headers: dict[str, str], max_examples: int, report: Report,
          existing: list[str] | None) -> None:
    names = re.findall(r"\{([^}]+)\}", operation.path)

    @settings(max_examples=max_examples, derandomize=True, database=None, deadline=None,
              phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
    @given(case=operation.as_strategy())
    def each(case: Any) -> None:
        report.examples += 1
        if existing and report.examples % 2:
            case.path_parameters = dict(zip(names, existing, strict=True))
        response = case.call(headers=headers)
        try:
            case.validate_response(response, checks=CHECKS, headers=headers)
        except FailureGroup as group:
            for failure in group.exceptions:
                _note(report, operation.label, failure)
        except Failure as failure:
            _note(report, operation.label, failure)

    each()


def _note(report: Report, label: str, failure: Failure) -> None:
    report.failures.setdefault((label, failure.title), failure.message[:600])
