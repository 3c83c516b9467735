"""Each KPI on the hand-made dataset of ``dataset.py``, whose right answers were worked out by hand."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from hexie.cases import services
from hexie.core import clock
from hexie.insights import kpis
from hexie.insights.selectors import compute_dashboard
from hexie.insights.tests.dataset import (
    END,
    NOW,
    START,
    TODAY,
    check_figures_against_lists,
    dash,
    values,
)


def test_every_kpi_on_the_hand_made_dataset(dataset: Any, users: Any) -> None:
    d = dash(users["city_leader"])
    k = d["kpis"]
    assert k["volume"]["value"] == 9
    # One case a year earlier is too small a base: no "+800%", a note saying why.
    assert (k["volume_yoy"]["numerator"], k["volume_yoy"]["denominator"], k["volume_yoy"]["value"]) == (9, 1, None)
    assert "基数过小" in k["volume_yoy"]["note"] and "1件" in k["volume_yoy"]["note"]
    assert (k["closure_rate"]["numerator"], k["closure_rate"]["denominator"]) == (3, 8)  # A, B, F of all but G
    assert k["closure_rate"]["value"] == 37.5
    assert (k["mediation_rate"]["numerator"], k["mediation_rate"]["denominator"]) == (1, 3)  # B of A, B, F
    assert k["mediation_rate"]["value"] == 33.3
    # Late: B (met late), D (running past due), E (paused past due); C was reopened but is on time,
    # F's extended clock was met. Within: A, F. Assessed: resolved A, B, F + late D, E.
    assert k["late"]["value"] == 3
    assert (k["within_limit_rate"]["numerator"], k["within_limit_rate"]["denominator"]) == (2, 5)
    assert k["within_limit_rate"]["value"] == 40.0
    # Resolved in March: A (5), B (13), I (11 working days, the make-up Saturday counted).
    assert (k["avg_handling_days"]["numerator"], k["avg_handling_days"]["denominator"]) == (29, 3)
    assert k["avg_handling_days"]["value"] == 9.7
    assert k["amount_recovered"]["value"] == 4500.0
    assert k["workers_benefited"]["value"] == 6
    assert (k["satisfaction_rate"]["numerator"], k["satisfaction_rate"]["denominator"]) == (1, 2)
    assert k["satisfaction_avg"]["value"] == 3.5
    assert (k["repeat_rate"]["numerator"], k["repeat_rate"]["value"]) == (1, 11.1)
    assert (k["collective"]["value"], k["collective_workers"]["value"]) == (1, 12)
    assert k["open_overdue"]["value"] == 1
    assert (k["warnings_raised"]["value"], k["warnings_resolved"]["value"]) == (0, 0)


def test_arbitration_table(dataset: Any, users: Any) -> None:
    rows = {r["code"]: r["value"] for r in dash(users["city_leader"])["arbitration"]}
    assert rows == {
        "carried_over": 1, "accepted": 1, "closed": 1, "collective": 1, "workers": 12,
        "cause_pay": 0, "cause_social_insurance": 0, "cause_contract": 1, "cause_other": 0, "cause_none": 0,
        "by_mediation": 0, "by_award": 1, "by_other": 0,
        "outcome_worker_won": 1, "outcome_employer_won": 0, "outcome_split": 0, "outcome_none": 0,
        "amount_claimed": 20000.0, "amount_recovered": 3000.0,
    }


def test_series(dataset: Any, users: Any) -> None:
    s = dash(users["city_leader"])["series"]
    assert [(r["month"], r["count"], r["last_year"]) for r in s["by_month"]] == [("2026-03", 9, 1)]
    channels = {r["key"]: r["count"] for r in s["by_channel"]}
    assert channels["visit"] == 5 and channels["web"] == 1 and channels["qr"] == 1 and channels["letter"] == 1
    assert {r["key"]: r["count"] for r in s["by_type"]} == {
        "wage_arrears": 4, "labour_dispute": 3, "petition": 1, "consultation": 1}
    areas = {r["code"]: r for r in s["by_area"]}
    assert areas["430104"]["count"] == 8 and areas["430102"]["count"] == 1
    assert (areas["430104"]["within"], areas["430104"]["assessed"]) == (2, 5)
    assert areas["430104"]["amount_recovered"] == 4500.0


@pytest.mark.parametrize("who", ["city_leader", "leader"])
def test_every_figure_equals_the_length_of_the_list_it_opens(dataset: Any, users: Any, who: str) -> None:
    check_figures_against_lists(users[who])


def test_queue_page_shows_the_same_count_as_the_figure(dataset: Any, users: Any, client: Any) -> None:
    client.force_login(users["city_leader"])
    d = dash(users["city_leader"])
    for code in ("late", "within_limit_rate", "closure_rate", "volume"):
        with clock.at(NOW):
            r = client.get(d["kpis"][code]["link"])
        assert r.status_code == 200
        assert r.context["page"].paginator.count == d["kpis"][code]["numerator"], code


def test_district_leader_sees_only_the_district(dataset: Any, users: Any) -> None:
    d = dash(users["leader"])
    assert d["scope"]["code"] == "430104"
    assert d["kpis"]["volume"]["value"] == 8
    assert {r["code"] for r in d["series"]["by_area"]} <= {"430104001", "430104"}
    from django.http import Http404

    with pytest.raises(Http404):
        dash(users["leader"], district_code="430102")
    with pytest.raises(Http404):
        dash(users["partner"])
    # The city leader may drill down into a district and sees the same as its leader.
    assert values(dash(users["city_leader"], district_code="430104")) == values(d)


def test_scope_given_as_an_org_unit(dataset: Any, city: Any) -> None:
    d = compute_dashboard(user_or_scope=city["city"], start=START, end=END, today=TODAY)
    assert d["kpis"]["volume"]["value"] == 9
    d = compute_dashboard(user_or_scope=city["city"], start=START, end=END, today=TODAY, district_code="430102")
    assert d["kpis"]["volume"]["value"] == 1


def test_definitions_are_complete() -> None:
    for code, d in kpis.KPI_DEFINITIONS.items():
        assert d.code == code
        assert d.name_zh and d.name_en and d.definition_zh and d.definition_en and d.numerator_zh
        assert d.unit in kpis.UNIT_LABELS
        if d.unit == kpis.PERCENT:
            assert d.denominator_zh and d.denominator_en
    w = kpis.Window(START, END, TODAY)
    for code in kpis.KPI_DEFINITIONS:
        if not code.startswith("warnings_"):
            assert w.params(code)
    for row in kpis.ARBITRATION_ROWS:
        assert w.arbitration_params(row.code)["track"] == "arbitration"


def test_year_earlier_of_a_leap_day() -> None:
    assert kpis.year_earlier(date(2028, 2, 29)) == date(2027, 2, 28)
    assert kpis.ratio(1, 0) is None and kpis.yoy(3, 0) is None
    # Year on year only on a base of at least MIN_YOY_BASE cases.
    assert kpis.MIN_YOY_BASE == 30
    assert kpis.yoy(45, 30) == 50.0 and kpis.yoy(3, 2) is None and kpis.yoy(58, 29) is None
    assert kpis.yoy(6000.0, 4000.0, base_cases=29) is None and kpis.yoy(6000.0, 4000.0, base_cases=30) == 50.0


def test_resolve_records_cause_and_outcome(make_case: Any, users: Any) -> None:
    from django.core.exceptions import ValidationError

    case = make_case("in_handling", track="arbitration", case_type="labour_dispute")
    with pytest.raises(ValidationError) as exc:
        services.transition(case_id=case.pk, actor=users["handler"], name="resolve", conclusion="awarded",
                            outcome="nobody")
    assert "outcome" in exc.value.message_dict
    case = services.transition(case_id=case.pk, actor=users["handler"], name="resolve", conclusion="awarded",
                               dispute_cause="social_insurance", outcome="split")
    case.refresh_from_db()
    assert (case.dispute_cause, case.outcome) == ("social_insurance", "split")
    assert case.events.filter(kind="resolve").get().data["outcome"] == "split"


def test_where_cases_ended_counts_each_case_once_by_its_last_track(dataset: Any, users: Any) -> None:
    from hexie.cases.models import Case, Status

    k = dash(users["city_leader"])["kpis"]
    # A, B and F are resolved, all on the bureau's own procedures.
    assert (k["inside_bureau_rate"]["numerator"], k["inside_bureau_rate"]["denominator"]) == (3, 3)
    assert k["ended_in_court"]["value"] == 0
    assert "未进入法院" in k["inside_bureau_rate"]["definition"]["definition_zh"]
    # One of them went on to court (a suit after its award, say): it counts there, and only there.
    moved = Case.objects.filter(status__in=[Status.RESOLVED, Status.FOLLOW_UP, Status.CLOSED],
                                received_at__date__gte=START).order_by("pk").first()
    assert moved is not None
    Case.objects.filter(pk=moved.pk).update(track="court")
    k = dash(users["city_leader"])["kpis"]
    assert (k["inside_bureau_rate"]["numerator"], k["inside_bureau_rate"]["denominator"]) == (2, 3)
    assert k["inside_bureau_rate"]["value"] == 66.7 and k["ended_in_court"]["value"] == 1
    check_figures_against_lists(users["city_leader"])
