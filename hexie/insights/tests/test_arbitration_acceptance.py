"""The arbitration table counts a case "accepted in the period" by the commission's acceptance
(`Case.track_accepted_at`), not by the bureau's first acceptance of the file: a dispute mediated in
February and accepted for arbitration in March is a March acceptance (and not carried over into
March), and the figure, the roll-up and the case list its link opens agree on it.

The scene is the hand-made dataset (``dataset.py``: I accepted 26 Feb onto arbitration, J 4 Mar)
plus three disputes that came from mediation, each through the real workflow:

X  accepted by the bureau onto mediation 16 Feb, to arbitration 24 Feb, commission accepts 2 Mar;
Y  accepted onto mediation 3 Mar, to arbitration 20 Mar, commission accepts 1 Apr (after March);
Z  accepted onto mediation 5 Mar, to arbitration 25 Mar, the commission has not accepted yet.
"""

from __future__ import annotations

import importlib
from datetime import date, datetime
from typing import Any

import pytest
from django.apps import apps

from hexie.cases import services
from hexie.cases.models import Case
from hexie.core import clock
from hexie.insights.kpis import Window
from hexie.insights.models import CaseRollup
from hexie.insights.selectors import compute_dashboard
from hexie.insights.services.rollup import refresh_rollup
from hexie.insights.tests.dataset import TODAY, at, check_figures_against_lists, link_query, list_count

pytestmark = pytest.mark.django_db

MARCH = (date(2026, 3, 1), date(2026, 3, 31))
FEBRUARY = (date(2026, 2, 1), date(2026, 2, 28))
APRIL = (date(2026, 4, 1), date(2026, 4, 30))


def step(case: Case, user: Any, name: str, when: datetime, **params: Any) -> Case:
    with clock.at(when):
        return services.transition(case_id=case.pk, actor=user, name=name, **params)


def from_mediation(make_case: Any, users: Any, bureau: datetime, to_arbitration: datetime,
                   commission: datetime | None) -> Case:
    """A dispute accepted onto mediation on `bureau`, sent to arbitration, accepted by the commission."""
    with clock.at(bureau):
        case = make_case("registered", received_at=bureau, case_type="labour_dispute")
    step(case, users["desk"], "accept", bureau, track="mediation")
    step(case, users["leader"], "assign", bureau, handler=users["handler"].pk, responsible_leader=users["leader"].pk)
    step(case, users["handler"], "start_handling", bureau)
    step(case, users["handler"], "to_arbitration", to_arbitration, ground="failed", note="调解不成")
    if commission is not None:
        step(case, users["handler"], "accept_application", commission)
    case.refresh_from_db()
    return case


@pytest.fixture
def scene(dataset: dict[str, Case], make_case: Any, users: Any) -> dict[str, Case]:
    cases = dict(dataset)
    cases["X"] = from_mediation(make_case, users, at(2, 16), at(2, 24), at(3, 2))
    cases["Y"] = from_mediation(make_case, users, at(3, 3), at(3, 20), at(4, 1))
    cases["Z"] = from_mediation(make_case, users, at(3, 5), at(3, 25), None)
    return cases


def table(user: Any, period: tuple[date, date]) -> dict[str, Any]:
    d = compute_dashboard(user_or_scope=user, start=period[0], end=period[1], today=TODAY)
    return {r["code"]: r for r in d["arbitration"]}


def listed(user: Any, row: dict[str, Any]) -> set[str]:
    """The case numbers the list behind a row of the table shows."""
    from hexie.cases.filters import CaseFilter
    from hexie.cases.selectors import queue

    with clock.at(at(4, 15)):
        f = CaseFilter(link_query(row["link"]), queryset=queue(user))
        assert f.is_valid(), f.errors
        return set(f.qs.values_list("number", flat=True))


def numbers(scene: dict[str, Case], keys: str) -> set[str]:
    return {scene[k].number for k in keys}


def test_the_step_records_the_commissions_acceptance_and_keeps_the_files(scene: dict[str, Case]) -> None:
    x, z = scene["X"], scene["Z"]
    assert x.accepted_at == at(2, 16) and x.track_accepted_at == at(3, 2)
    # Not accepted by the commission yet: on the arbitration track, accepted onto it by no one.
    assert z.track == "arbitration" and z.accepted_at == at(3, 5) and z.track_accepted_at is None
    # A case accepted straight onto its track: the two are the same moment.
    assert scene["J"].track_accepted_at == scene["J"].accepted_at


def test_accepted_in_the_month_the_commission_accepted(scene: dict[str, Case], users: Any) -> None:
    leader = users["city_leader"]
    march = table(leader, MARCH)
    # J (accepted 4 Mar) and X (commission 2 Mar); not Y (1 Apr), not Z (pending).
    assert march["accepted"]["value"] == 2
    assert listed(leader, march["accepted"]) == numbers(scene, "JX")
    # Carried over into March: I only; X was still before the bureau's mediation on 1 March.
    assert march["carried_over"]["value"] == 1
    assert listed(leader, march["carried_over"]) == numbers(scene, "I")
    assert march["cause_none"]["value"] == 1 and listed(leader, march["cause_none"]) == numbers(scene, "X")


def test_not_counted_in_the_mediation_month(scene: dict[str, Case], users: Any) -> None:
    leader = users["city_leader"]
    february = table(leader, FEBRUARY)
    assert february["accepted"]["value"] == 1
    assert listed(leader, february["accepted"]) == numbers(scene, "I")
    april = table(leader, APRIL)
    assert april["accepted"]["value"] == 1 and listed(leader, april["accepted"]) == numbers(scene, "Y")
    # Open on 1 April, accepted by the commission before it: J and X; Y was accepted that day.
    assert listed(leader, april["carried_over"]) == numbers(scene, "JX") and april["carried_over"]["value"] == 2


@pytest.mark.parametrize("who", ["city_leader", "leader"])
def test_every_figure_equals_its_list_with_chained_cases(scene: dict[str, Case], users: Any, who: str) -> None:
    check_figures_against_lists(users[who])
    for period in (FEBRUARY, MARCH, APRIL):
        for row in table(users[who], period).values():
            if row["unit"] == "count":
                assert list_count(users[who], link_query(row["link"])) == row["value"], (period, row["code"])


def test_the_rollup_counts_a_closed_chained_case_on_the_commissions_day(scene: dict[str, Case],
                                                                         users: Any) -> None:
    leader = users["city_leader"]
    refresh_rollup(now=at(2, 20))
    x = scene["X"]
    step(x, users["handler"], "award", at(3, 20), outcome="worker_won", amount_recovered="1000")
    step(x, users["desk"], "close", at(3, 25), satisfaction=5)
    live = {p: table(leader, p) for p in (FEBRUARY, MARCH, APRIL)}
    # Incremental: only the days X's batch falls on are recomputed, in each window by its own date.
    refresh_rollup(now=at(4, 15))
    rows = CaseRollup.objects.filter(window="accepted", measure="arb_accepted", grain="day")
    assert set(rows.values_list("day", flat=True)) == {date(2026, 2, 26), date(2026, 3, 2)}
    for period, expected in live.items():
        assert table(leader, period) == expected, period
    assert live[MARCH]["accepted"]["value"] == 2 and live[FEBRUARY]["accepted"]["value"] == 1
    check_figures_against_lists(leader)


def test_the_window_reads_the_commissions_acceptance() -> None:
    w = Window(start=MARCH[0], end=MARCH[1], today=TODAY)
    assert w.arbitration_params("accepted") == {
        "track_accepted_from": "2026-03-01", "track_accepted_to": "2026-03-31", "track": "arbitration"}
    assert w.arbitration_params("carried_over") == {"track_open_on": "2026-03-01", "track": "arbitration"}


migration = importlib.import_module("hexie.cases.migrations.0022_track_accepted_at")


def test_the_migration_fills_it_in_as_the_steps_write_it(scene: dict[str, Case], make_case: Any, users: Any,
                                                         agency: Any) -> None:
    cases = dict(scene)
    # W: changed from mediation to arbitration while in handling, on 10 March.
    with clock.at(at(3, 3)):
        w = make_case("in_handling", track="mediation", case_type="labour_dispute", received_at=at(3, 3))
    cases["W"] = step(w, users["handler"], "transfer_track", at(3, 10), track="arbitration")
    # V: a mediation agreement sent to the court for confirmation, then mediated again after a refusal.
    with clock.at(at(3, 3)):
        v = make_case("in_handling", track="mediation", case_type="labour_dispute", received_at=at(3, 3))
    step(v, users["handler"], "resolve", at(3, 6), conclusion="mediated")
    step(v, users["handler"], "apply_confirmation", at(3, 9), agency=agency.pk)
    court = Case.objects.get(pk=v.pk)
    step(v, users["handler"], "court_result", at(3, 20), result="not_confirmed")
    cases["V"] = step(v, users["handler"], "after_court", at(3, 23), route="mediation")
    written = dict(Case.objects.filter(pk__in=[c.pk for c in cases.values()]).values_list("pk", "track_accepted_at"))
    assert court.track == "court" and court.track_accepted_at is None
    assert written[cases["W"].pk] == at(3, 10) and written[cases["V"].pk] == at(3, 23)

    Case.objects.update(track_accepted_at=None)
    migration.backfill(apps, None)
    assert dict(Case.objects.filter(pk__in=written).values_list("pk", "track_accepted_at")) == written
    assert written[cases["X"].pk] == at(3, 2) and written[cases["Z"].pk] is None
    assert written[cases["I"].pk] == at(2, 26) and written[cases["K"].pk] is None


def test_an_acceptance_late_on_the_last_day_counts_in_that_period(dataset: dict[str, Case], make_case: Any,
                                                                   users: Any) -> None:
    leader = users["city_leader"]
    late = from_mediation(make_case, users, at(2, 16), at(2, 24), at(3, 31, h=23))
    early = from_mediation(make_case, users, at(2, 16), at(2, 24), at(4, 1, h=8))
    for case, when in ((late, at(4, 2)), (early, at(4, 3))):
        step(case, users["handler"], "award", when, outcome="worker_won", amount_recovered="1000")
        step(case, users["desk"], "close", when, satisfaction=5)
    expected = {"March": {dataset["J"].number, late.number}, "April": {early.number}}
    for refreshed in (False, True):
        if refreshed:
            refresh_rollup(now=at(4, 15))
        march, april = table(leader, MARCH), table(leader, APRIL)
        assert listed(leader, march["accepted"]) == expected["March"] and march["accepted"]["value"] == 2
        assert listed(leader, april["accepted"]) == expected["April"] and april["accepted"]["value"] == 1
