"""The dashboards send a fixed number of statements, however many cases they count, for the city
and a district; so do the bulletin archive and a case page's documents panel."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.urls import reverse

from hexie.core import clock
from hexie.core.tests.queries import statements
from hexie.insights.tests.dataset import NOW, at, mk

pytestmark = pytest.mark.django_db

PERIOD = {"start": "2026-03-01", "end": "2026-03-31"}
# Computed afresh, not the figures kept from a request before (selectors.dashboard_figures).
FRESH = {**PERIOD, "refresh": "1"}


def _more_cases(city: dict[str, Any], n: int) -> None:
    for i in range(n):
        mk(city["yuelu_street"], received_at=at(3, 10 + i % 10), channel=["web", "qr", "phone"][i % 3])
        mk(city["furong_street"], received_at=at(3, 5 + i % 10), case_type="labour_dispute")


# Where the cases ended (inside the bureau, before a court) is among the received window's
# measures, no statement of its own (one more before: 36, 25, 36).
# The user's own dashboard also shows the prevention and credit figures of the year: twelve more,
# a fixed number (assessments, orders, employers, grades, listings, lists: one aggregate each,
# the listings two, and each list's look-up of the user's units); a drill-down does not show them.
@pytest.mark.parametrize(("who", "url", "ceiling"), [
    ("city_leader", reverse("insights:dashboard"), 35),
    ("city_leader", reverse("insights:district", args=["430104"]), 24),
    ("leader", reverse("insights:dashboard"), 35),
])
def test_dashboards(client, dataset, users, city, who, url, ceiling, django_assert_max_num_queries):
    client.force_login(users[who])
    with clock.at(NOW):
        few = statements(lambda: client.get(url, FRESH))
        _more_cases(city, 8)
        assert statements(lambda: client.get(url, FRESH)) == few
        # On PostgreSQL the dashboard first tunes its transaction (jit off, more work_mem): two more.
        with django_assert_max_num_queries(ceiling + (2 if connection.vendor == "postgresql" else 0)):
            client.get(url, FRESH)


def test_the_bulletin_archive(client, users, django_assert_max_num_queries):
    client.force_login(users["city_leader"])
    with django_assert_max_num_queries(8):
        assert client.get(reverse("insights:bulletins")).status_code == 200


# With the roll-up refreshed, as in service (the path the bench measures): each window's live
# part is two statements and its rolled-up part one; the month series reads its rolled-up part for
# the period and the year before it in one statement, and where the cases ended is among the
# received measures (two statements more before: 49 and 38); the session's user is read with their
# unit in one statement (one more before: 47 and 36).
ROLLED_READS = 4  # the three windows by unit and the month series


@pytest.mark.parametrize(("who", "url", "expected"), [
    ("city_leader", reverse("insights:dashboard"), 46),
    ("city_leader", reverse("insights:district", args=["430104"]), 35),
])
def test_dashboards_with_the_rollup(client, dataset, users, city, who, url, expected):
    from hexie.insights.services.rollup import refresh_rollup

    refresh_rollup(now=NOW)
    client.force_login(users[who])
    with clock.at(NOW):
        few = statements(lambda: client.get(url, FRESH))
        # What was read of this refresh's roll-up is kept (rollup.kept): computed afresh again, the
        # figures read the live cases alone.
        assert statements(lambda: client.get(url, FRESH)) == few - ROLLED_READS
        _more_cases(city, 8)
        refresh_rollup(now=NOW, full=True)  # rebuilt under the same watermark: read again
        assert statements(lambda: client.get(url, FRESH)) == few
    assert few == expected + (2 if connection.vendor == "postgresql" else 0)
