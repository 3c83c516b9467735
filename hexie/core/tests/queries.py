"""Counting the statements a page or an endpoint sends, for the query-count tests of hot paths."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext


def statements(request: Callable[[], Any]) -> int:
    """How many SQL statements one request sends (it must answer 200)."""
    with CaptureQueriesContext(connection) as captured:
        response = request()
    assert response.status_code == 200, response.status_code
    return len(captured.captured_queries)
