"""The closed-case roll-up: every figure is the same whether the roll-up was refreshed or not, and when.

The hand-made dataset of test_kpis (whose figures are checked by hand there, computed live) is
read again with the roll-up refreshed at several points in time; every figure, series and table
must be identical, and every figure must still equal the length of the case list it opens.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hexie.cases import services
from hexie.cases.models import Case, Status
from hexie.cases.workflow import TRANSITIONS
from hexie.core import clock
from hexie.core.errors import TransitionNotAllowed
from hexie.insights import rollup
from hexie.insights.models import CaseRollup, RollupState
from hexie.insights.selectors import compute_dashboard, default_period
from hexie.insights.services.rollup import refresh_rollup
from hexie.insights.tests.dataset import END, START, TODAY, at, check_figures_against_lists, dash
from hexie.orgs.models import OrgUnit

pytestmark = pytest.mark.django_db

# Refresh points: before anything closed, after A (closed 10 Mar), after I (13 Mar), after all.
POINTS = [at(2, 1), at(3, 11), at(3, 14), at(4, 15)]


def _rows() -> set[tuple[Any, ...]]:
    return set(CaseRollup.objects.values_list("window", "grain", "day", "org_unit_id", "measure", "value"))


def test_no_transition_leaves_closed() -> None:
    assert all(Status.CLOSED not in t.sources for t in TRANSITIONS.values())


@pytest.mark.parametrize("when", POINTS)
def test_every_figure_is_the_same_with_the_rollup(dataset: Any, users: Any, when: datetime) -> None:
    before = {who: dash(users[who]) for who in ("city_leader", "leader")}
    refresh_rollup(now=when)
    assert rollup.current_watermark() == when - rollup.SAFETY_MARGIN
    for who, expected in before.items():
        assert dash(users[who]) == expected, who
        check_figures_against_lists(users[who])


def test_rolled_part_is_really_used(dataset: Any, users: Any) -> None:
    refresh_rollup(now=at(4, 15))
    assert CaseRollup.objects.filter(window="received", measure="volume").exists()
    # A, B and I are rolled up: the live part no longer contains them.
    wm = rollup.current_watermark()
    live = set(Case.objects.filter(rollup.live_q(wm)).values_list("number", flat=True))
    rolled = set(Case.objects.filter(rollup.rolled_q(wm)).values_list("number", flat=True)) if wm else set()
    assert {dataset[k].number for k in "ABIH"} == rolled
    assert not live & rolled
    assert live | rolled == set(Case.objects.values_list("number", flat=True))


def test_refresh_at_random_points_keeps_every_figure(dataset: Any, users: Any) -> None:
    expected = dash(users["city_leader"])
    for when in [at(3, 20), at(3, 11), at(4, 15), at(3, 14), at(4, 15)]:
        # A watermark never moves back: an earlier `now` leaves the roll-up as it is.
        refresh_rollup(now=when)
        assert dash(users["city_leader"]) == expected


def test_case_closed_after_the_watermark_is_counted_once(dataset: Any, users: Any) -> None:
    refresh_rollup(now=at(4, 15))
    f = dataset["F"]  # resolved 5 Apr, in the period's received figures
    base = dash(users["city_leader"])
    # F closes after the watermark: it is counted live, exactly once.
    Case.objects.filter(pk=f.pk).update(status=Status.CLOSED, closed_at=at(4, 15, h=12))
    live = dash(users["city_leader"])
    assert live["kpis"]["volume"]["value"] == base["kpis"]["volume"]["value"]
    assert live["kpis"]["closure_rate"]["numerator"] == base["kpis"]["closure_rate"]["numerator"]
    check_figures_against_lists(users["city_leader"])
    # Once the watermark passes it, it is in the roll-up: still exactly once, the same figures.
    result = refresh_rollup(now=at(4, 16))
    assert result["cases"] == 1 and not result["rebuilt"]
    assert Case.objects.filter(rollup.rolled_q(at(4, 16) - rollup.SAFETY_MARGIN), pk=f.pk).exists()
    assert dash(users["city_leader"]) == live
    check_figures_against_lists(users["city_leader"])


def test_refused_cases_are_rolled_up_once_refused_before_the_watermark(dataset: Any, users: Any) -> None:
    # G refused on 16 Mar; K (芙蓉区, registered 7 Mar) refused through the workflow on 20 Mar.
    g, k = dataset["G"], dataset["K"]
    Case.objects.filter(pk=g.pk).update(refused_at=at(3, 16))
    with clock.at(at(3, 20)):
        services.transition(case_id=k.pk, name="refuse", actor=users["admin"], reason="材料不全")
    k.refresh_from_db()
    assert k.status == Status.REFUSED and k.refused_at == at(3, 20)
    expected = {who: dash(users[who]) for who in ("city_leader", "leader")}
    assert expected["city_leader"]["kpis"]["volume"]["value"] == 9

    def parts() -> tuple[set[str], set[str]]:
        wm = rollup.current_watermark()
        assert wm is not None
        return (set(Case.objects.filter(rollup.rolled_q(wm)).values_list("number", flat=True)),
                set(Case.objects.filter(rollup.live_q(wm)).values_list("number", flat=True)))

    # Watermark between the two refusals: G rolled up (with A, H, I), K still live; then K (with B).
    for when, rolled_refused, n_cases in [(at(3, 18), {g.number}, 4), (at(4, 15), {g.number, k.number}, 2)]:
        result = refresh_rollup(now=when)
        assert result["cases"] == n_cases
        rolled, live = parts()
        assert rolled & {g.number, k.number} == rolled_refused
        assert not rolled & live and len(rolled | live) == Case.objects.count()
        for who, figures in expected.items():
            assert dash(users[who]) == figures, (who, when)
            check_figures_against_lists(users[who])
    # An incremental series equals a full build.
    incremental = _rows()
    refresh_rollup(now=at(4, 15), full=True)
    assert _rows() == incremental
    # A refused case without a recorded refusal moment stays live, counted once.
    Case.objects.filter(pk=g.pk).update(refused_at=None)
    refresh_rollup(now=at(4, 15), full=True)
    assert g.number in parts()[1]
    assert dash(users["city_leader"]) == expected["city_leader"]


def test_a_closed_case_cannot_be_reopened_or_rated(dataset: Any, users: Any) -> None:
    refresh_rollup(now=at(4, 15))
    expected = dash(users["city_leader"])
    a = dataset["A"]
    with pytest.raises(TransitionNotAllowed):
        services.record_rating(case=a, satisfaction=1)
    with pytest.raises(TransitionNotAllowed):
        services.transition(case_id=a.pk, name="reopen", actor=users["leader"], reason="x")
    assert dash(users["city_leader"]) == expected


def test_refresh_is_idempotent_and_equals_a_full_build(dataset: Any) -> None:
    refresh_rollup(now=at(3, 11))
    refresh_rollup(now=at(3, 14))
    refresh_rollup(now=at(4, 15))
    incremental = _rows()
    again = refresh_rollup(now=at(4, 15))
    assert again["cases"] == 0
    assert _rows() == incremental
    refresh_rollup(now=at(4, 15), full=True)
    assert _rows() == incremental
    # Month rows are the sums of their day rows.
    assert CaseRollup.objects.filter(grain="month", measure="volume").exists()


def test_changed_definitions_mean_everything_is_counted_live(dataset: Any, users: Any) -> None:
    expected = dash(users["city_leader"])
    refresh_rollup(now=at(4, 15))
    RollupState.objects.filter(key="cases").update(signature="stale")
    assert rollup.current_watermark() is None
    assert dash(users["city_leader"]) == expected
    # The next refresh rebuilds it.
    assert refresh_rollup(now=at(4, 15, h=11))["rebuilt"] is True
    assert rollup.current_watermark() is not None
    assert dash(users["city_leader"]) == expected


def test_periods_cut_across_months(dataset: Any, users: Any, city: Any) -> None:
    refresh_rollup(now=at(4, 15))
    from hexie.insights.selectors import compute_dashboard

    for start, end in [(START - timedelta(days=20), END), (START + timedelta(days=9), END + timedelta(days=3)),
                       (START.replace(year=2025), END)]:
        rolled = compute_dashboard(user_or_scope=city["city"], start=start, end=end, today=TODAY)
        RollupState.objects.filter(key="cases").update(signature="off")
        live = compute_dashboard(user_or_scope=city["city"], start=start, end=end, today=TODAY)
        RollupState.objects.filter(key="cases").update(signature=rollup.signature())
        assert rolled == live, (start, end)


def test_periodic_task_refreshes(dataset: Any) -> None:
    from hexie.insights.tasks import refresh_case_rollup

    done = refresh_case_rollup.call_local()
    assert RollupState.objects.get(key="cases").watermark is not None
    # It also read the roll-up's part of the default period for the city and each district: a
    # district's dashboard then reads no roll-up row, the same figures as computed without them.
    assert done["kept_units"] == OrgUnit.objects.filter(level__in=["city", "district"]).count() > 1
    district = OrgUnit.objects.filter(level="district").order_by("path").first()
    start, end = default_period()
    with CaptureQueriesContext(connection) as seen:
        kept = compute_dashboard(user_or_scope=district, start=start, end=end)
    assert not [q for q in seen.captured_queries if "insights_caserollup" in q["sql"]]
    cache.clear()
    with CaptureQueriesContext(connection) as seen:
        assert compute_dashboard(user_or_scope=district, start=start, end=end) == kept
    assert [q for q in seen.captured_queries if "insights_caserollup" in q["sql"]]
