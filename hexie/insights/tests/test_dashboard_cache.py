"""The dashboard page keeps the figures it computed for a scope and period a few minutes, says when
they were computed, and computes them afresh when asked (selectors.dashboard_figures)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.urls import reverse

from hexie.core import clock
from hexie.core.tests.queries import statements
from hexie.insights import selectors
from hexie.insights.tests.dataset import NOW, at, mk

pytestmark = pytest.mark.django_db

PERIOD = {"start": "2026-03-01", "end": "2026-03-31"}
URL = reverse("insights:district", args=["430104"])


def _volume(client, params):
    r = client.get(URL, params)
    assert r.status_code == 200
    return r.context["data"]["kpis"]["volume"]["value"], r.content.decode()


def test_figures_are_kept_shown_with_their_time_and_refreshed_on_demand(client, dataset, users, city):
    client.force_login(users["city_leader"])
    with clock.at(NOW):
        cold = statements(lambda: client.get(URL, PERIOD))
        volume, html = _volume(client, PERIOD)
        assert "数据截至" in html and "2026-04-15 10:00" in html  # local time of the computation
        assert 'id="refresh-figures"' in html and "refresh=1" in html
        # Kept: a request shortly after sends a few statements (the scope, the page's other parts)
        # and shows the same figures, even though a case was received meanwhile.
        mk(city["yuelu_street"], received_at=at(3, 12))
        warm = statements(lambda: client.get(URL, PERIOD))
        assert warm < cold - 10
        assert _volume(client, PERIOD)[0] == volume
    with clock.at(NOW + timedelta(minutes=2)):
        fresh, html = _volume(client, {**PERIOD, "refresh": "1"})
        assert fresh == volume + 1 and "2026-04-15 10:02" in html
        # The links the page makes do not carry the refresh on.
        assert "refresh=1&" not in html and "chart=all" in html
        assert _volume(client, PERIOD)[0] == fresh


def test_entries_are_per_scope_period_and_language(client, dataset, users):
    client.force_login(users["city_leader"])
    with clock.at(NOW):
        district = _volume(client, PERIOD)[0]
        city = client.get(reverse("insights:dashboard"), PERIOD).context["data"]["kpis"]["volume"]["value"]
        assert city > district  # 芙蓉区's case K is the city's too
        april = _volume(client, {"start": "2026-04-01", "end": "2026-04-30"})[0]
        assert april == 0
        # The same figures in English are another entry: the cards' texts are in the reader's language.
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        english = client.get(URL, PERIOD).content.decode()
        assert "Refresh" in english and "案件量" not in english


def test_a_user_outside_the_scope_is_refused_even_when_figures_are_kept(client, dataset, users):
    client.force_login(users["city_leader"])
    with clock.at(NOW):
        client.get(reverse("insights:district", args=["430102"]), PERIOD)
        client.force_login(users["leader"])  # 岳麓区's leader
        assert client.get(reverse("insights:district", args=["430102"]), PERIOD).status_code == 404


def test_the_entry_lasts_the_documented_time(monkeypatch, dataset, users):
    kept = {}
    monkeypatch.setattr(selectors.cache, "set", lambda key, value, timeout: kept.update(timeout=timeout))
    with clock.at(NOW):
        selectors.dashboard_figures(user=users["city_leader"], start=NOW.date(), end=NOW.date())
    assert kept["timeout"] == selectors.FIGURES_TTL_SECONDS == 300
