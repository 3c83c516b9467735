"""Each KPI on a small hand-made dataset whose right answers were worked out by hand.

Period: March 2026, read on 15 April 2026 (official calendar: 28 February 2026 is a make-up
working day). Cases, all in 岳麓区 unless said otherwise:

A  wage arrears, visit: accepted 2 Mar, resolved 9 Mar (5 working days), closed, paid in full,
   1,000 yuan, 2 workers, rated 5; its clock met on time.
B  labour dispute, web: accepted 3 Mar, resolved 20 Mar (13 working days), closed by mediation,
   500 yuan, 1 worker, rated 2; its clock met *late*.
C  wage arrears, QR: resolved once, reopened, now in handling; running clock due 30 Apr (not late).
D  wage arrears, phone: in handling, running clock due 1 Apr: open and overdue (late).
E  petition, visit: suspended on 25 Mar with its clock due 20 Mar: paused after its due date (late).
F  labour dispute, visit: extended clock due 10 Apr, met 5 Apr (on time); resolved 5 Apr, i.e.
   after the period (so not in the resolved-in-period figures).
G  consultation, letter: refused.
H  received 10 Mar 2025 (a year earlier).
I  arbitration, received in February, accepted 26 Feb, resolved 12 Mar (11 working days, counting
   the make-up Saturday 28 Feb), awarded, worker won, cause pay, claimed 5,000, recovered 3,000,
   3 workers: carried over into March and closed in it.
J  arbitration, received 2 Mar, accepted 4 Mar, in handling, 12 workers (collective), repeat,
   cause contract, claimed 20,000.
K  芙蓉区, received in March, registered.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from hexie.cases import services
from hexie.cases.filters import CaseFilter
from hexie.cases.models import Case, Deadline, DeadlineRule
from hexie.cases.selectors import queue
from hexie.core import clock
from hexie.insights import kpis
from hexie.insights.selectors import compute_dashboard

START, END, TODAY = date(2026, 3, 1), date(2026, 3, 31), date(2026, 4, 15)
NOW = timezone.make_aware(datetime(2026, 4, 15, 10, 0))


def at(m: int, d: int, y: int = 2026, h: int = 10) -> datetime:
    return timezone.make_aware(datetime(y, m, d, h, 0))


_n = 0


def mk(unit: Any, **kw: Any) -> Case:
    global _n
    _n += 1
    fields: dict[str, Any] = {
        "number": f"T-{_n:04d}", "tracking_code": f"TC{_n:06d}", "case_type": "wage_arrears", "channel": "visit",
        "status": "registered", "received_at": at(3, 2), "complainant_name": "张三",
        "complainant_phone": "13800138000", "employer_name": "某公司", "org_unit": unit, "description": "欠薪",
        "complexity": "simple", "risk_level": "green", "attention_level": "normal",
    }
    fields.update(kw)
    return Case.objects.create(**fields)


def clock_on(case: Case, **kw: Any) -> Deadline:
    rule = DeadlineRule.objects.order_by("pk").first()
    assert rule is not None
    fields: dict[str, Any] = {"case": case, "rule": rule, "starts_on": date(2026, 3, 2), "due_on": date(2026, 3, 20)}
    fields.update(kw)
    return Deadline.objects.create(**fields)


@pytest.fixture
def dataset(city: dict[str, Any], users: dict[str, Any], calendar: None) -> dict[str, Case]:
    yl, fr = city["yuelu_street"], city["furong_street"]
    c: dict[str, Case] = {}
    c["A"] = mk(yl, status="closed", accepted_at=at(3, 2), resolved_at=at(3, 9), closed_at=at(3, 10),
                closure_conclusion="paid_in_full", amount_recovered=Decimal("1000"), workers_benefited=2,
                satisfaction=5, received_at=at(3, 2, h=9))
    clock_on(c["A"], state="met", due_on=date(2026, 3, 20), finished_at=at(3, 9), finished_on_time=True)
    c["B"] = mk(yl, case_type="labour_dispute", channel="web", track="mediation", status="closed",
                received_at=at(3, 3, h=8), accepted_at=at(3, 3), resolved_at=at(3, 20), closed_at=at(3, 21),
                closure_conclusion="mediated", amount_recovered=Decimal("500"), workers_benefited=1, satisfaction=2)
    clock_on(c["B"], state="met", due_on=date(2026, 3, 18), finished_at=at(3, 20), finished_on_time=False)
    c["C"] = mk(yl, channel="qr", status="in_handling", accepted_at=at(3, 4), reopen_count=1,
                next_due_on=date(2026, 4, 30), received_at=at(3, 4))
    clock_on(c["C"], state="met", due_on=date(2026, 3, 25), finished_at=at(3, 10), finished_on_time=True)
    clock_on(c["C"], state="running", starts_on=date(2026, 3, 30), due_on=date(2026, 4, 30))
    c["D"] = mk(yl, channel="phone", status="in_handling", accepted_at=at(3, 5), next_due_on=date(2026, 4, 1),
                received_at=at(3, 5))
    clock_on(c["D"], state="running", due_on=date(2026, 4, 1))
    c["E"] = mk(yl, case_type="petition", status="suspended", accepted_at=at(3, 6), received_at=at(3, 6))
    clock_on(c["E"], state="paused", due_on=date(2026, 3, 20), paused_on=date(2026, 3, 25))
    c["F"] = mk(yl, case_type="labour_dispute", status="resolved", accepted_at=at(3, 5), resolved_at=at(4, 5),
                closure_conclusion="paid_in_full", amount_recovered=Decimal("700"), workers_benefited=1,
                received_at=at(3, 5))
    clock_on(c["F"], state="met", due_on=date(2026, 4, 10), extended=True, finished_at=at(4, 5),
             finished_on_time=True)
    c["G"] = mk(yl, case_type="consultation", channel="letter", status="refused", received_at=at(3, 15))
    c["H"] = mk(yl, received_at=at(3, 10, y=2025), status="closed", accepted_at=at(3, 10, y=2025),
                resolved_at=at(3, 20, y=2025), closed_at=at(3, 21, y=2025), closure_conclusion="paid_in_full")
    c["I"] = mk(yl, case_type="labour_dispute", track="arbitration", status="closed", received_at=at(2, 20),
                accepted_at=at(2, 26), resolved_at=at(3, 12), closed_at=at(3, 13), closure_conclusion="awarded",
                outcome="worker_won", dispute_cause="pay", amount_claimed=Decimal("5000"),
                amount_recovered=Decimal("3000"), workers_benefited=3, workers_count=3)
    c["J"] = mk(yl, case_type="labour_dispute", track="arbitration", status="in_handling", received_at=at(3, 2),
                accepted_at=at(3, 4), workers_count=12, is_collective=True, is_repeat=True,
                dispute_cause="contract", amount_claimed=Decimal("20000"), next_due_on=date(2026, 4, 20))
    c["K"] = mk(fr, received_at=at(3, 7))
    return c


def dash(user: Any, **kw: Any) -> dict[str, Any]:
    return compute_dashboard(user_or_scope=user, start=START, end=END, today=TODAY, **kw)


def values(d: dict[str, Any]) -> dict[str, Any]:
    return {code: item["value"] for code, item in d["kpis"].items()}


def test_every_kpi_on_the_hand_made_dataset(dataset: Any, users: Any) -> None:
    d = dash(users["city_leader"])
    k = d["kpis"]
    assert k["volume"]["value"] == 9
    assert (k["volume_yoy"]["numerator"], k["volume_yoy"]["denominator"], k["volume_yoy"]["value"]) == (9, 1, 800.0)
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


def _list_count(user: Any, params: dict[str, str]) -> int:
    with clock.at(NOW):
        f = CaseFilter(params, queryset=queue(user))
        assert f.is_valid(), f.errors
        return f.qs.count()


def _query(link: str) -> dict[str, str]:
    from urllib.parse import parse_qsl, urlsplit

    return dict(parse_qsl(urlsplit(link).query))


@pytest.mark.parametrize("who", ["city_leader", "leader"])
def test_every_figure_equals_the_length_of_the_list_it_opens(dataset: Any, users: Any, who: str) -> None:
    user = users[who]
    d = dash(user)
    checked = 0
    for item in d["kpis"].values():
        if not item["link"] or item["code"].startswith("warnings_"):
            continue
        expected = item["numerator"] if item["unit"] in ("count", "percent") else item["denominator"]
        if item["code"] in ("amount_recovered", "workers_benefited"):
            expected = item["numerator"]
        if item["code"] == "collective_workers":
            expected = item["numerator"]
        if item["unit"] in ("count", "percent"):
            assert _list_count(user, _query(item["link"])) == item["numerator"], item["code"]
            checked += 1
        if item["denominator_link"] and item["unit"] == "percent":
            assert _list_count(user, _query(item["denominator_link"])) == item["denominator"], item["code"]
            checked += 1
        assert expected is not None
    for key in ("by_month", "by_channel", "by_type"):
        for r in d["series"][key]:
            assert _list_count(user, _query(r["link"])) == r["count"], (key, r)
            checked += 1
    for r in d["series"]["by_area"]:
        if r["link"]:
            assert _list_count(user, _query(r["link"])) == r["count"]
            assert _list_count(user, _query(r["within_link"])) == r["within"]
            assert _list_count(user, _query(r["assessed_link"])) == r["assessed"]
            assert _list_count(user, _query(r["resolved_link"])) == r["resolved"]
            checked += 4
    for r in d["arbitration"]:
        if r["unit"] == "count":
            assert _list_count(user, _query(r["link"])) == r["value"], r["code"]
            checked += 1
    assert checked > 40


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
    assert kpis.ratio(1, 0) is None and kpis.yoy(3, 0) is None and kpis.yoy(3, 2) == 50.0


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
