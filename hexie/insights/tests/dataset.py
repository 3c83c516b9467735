"""A small hand-made dataset whose right answers were worked out by hand, and the helpers the KPI,
dashboard and roll-up tests read it with.

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

from django.utils import timezone

from hexie.cases.filters import CaseFilter
from hexie.cases.models import Case, Deadline, DeadlineRule
from hexie.cases.selectors import queue
from hexie.cases.services.clocks import refresh_late_after
from hexie.core import clock
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
    # Accepted onto the track it was accepted with, unless a test says otherwise (the chain).
    fields.setdefault("track_accepted_at", fields.get("accepted_at"))
    # As the clock services keep it: late after the next due date until a clock is missed (clock_on).
    fields.setdefault("late_after", fields.get("next_due_on"))
    return Case.objects.create(**fields)


def clock_on(case: Case, **kw: Any) -> Deadline:
    rule = DeadlineRule.objects.order_by("pk").first()
    assert rule is not None
    fields: dict[str, Any] = {"case": case, "rule": rule, "starts_on": date(2026, 3, 2), "due_on": date(2026, 3, 20)}
    fields.update(kw)
    d = Deadline.objects.create(**fields)
    # The case's late_after, as the clock services would have left it with this clock.
    refresh_late_after(Case.objects.filter(pk=case.pk))
    return d


def build(city: dict[str, Any]) -> dict[str, Case]:
    """The cases A–K of the module docstring."""
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


def list_count(user: Any, params: dict[str, str]) -> int:
    with clock.at(NOW):
        f = CaseFilter(params, queryset=queue(user))
        assert f.is_valid(), f.errors
        return f.qs.count()


def link_query(link: str) -> dict[str, str]:
    from urllib.parse import parse_qsl, urlsplit

    return dict(parse_qsl(urlsplit(link).query))


def check_figures_against_lists(user: Any) -> None:
    """Every figure of the dashboard equals the length of the case list its link opens."""
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
            assert list_count(user, link_query(item["link"])) == item["numerator"], item["code"]
            checked += 1
        if item["denominator_link"] and item["unit"] == "percent":
            assert list_count(user, link_query(item["denominator_link"])) == item["denominator"], item["code"]
            checked += 1
        assert expected is not None
    for key in ("by_month", "by_channel", "by_type"):
        for r in d["series"][key]:
            assert list_count(user, link_query(r["link"])) == r["count"], (key, r)
            checked += 1
    for r in d["series"]["by_area"]:
        if r["link"]:
            assert list_count(user, link_query(r["link"])) == r["count"]
            assert list_count(user, link_query(r["within_link"])) == r["within"]
            assert list_count(user, link_query(r["assessed_link"])) == r["assessed"]
            assert list_count(user, link_query(r["resolved_link"])) == r["resolved"]
            checked += 4
    for r in d["arbitration"]:
        if r["unit"] == "count":
            assert list_count(user, link_query(r["link"])) == r["value"], r["code"]
            checked += 1
    assert checked > 40
