"""The joint-punishment list on the clock: conditions near the criminal threshold, the statement
window, the decision and term, publication, automatic expiry, early removal after six months."""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.utils import timezone

from hexie.cases.services import register_case
from hexie.core import clock
from hexie.core.errors import DomainError, NotPermitted
from hexie.core.models import AuditEvent
from hexie.credit import services
from hexie.credit.models import CreditRecord, ListedPerson, Listing, RecordKind
from hexie.credit.services.listings import PersonData
from hexie.credit.tests.factories import CreditRecordFactory
from hexie.employers.tests.factories import id_number

pytestmark = pytest.mark.django_db

REP = id_number()


def _order(employer: Any, amount: str, workers: int, months: int) -> CreditRecord:
    return CreditRecordFactory(employer=employer, kind=RecordKind.IGNORED_ORDER, amount=Decimal(amount),
                               workers=workers, months=months, description="逾期未履行限期支付指令")


def _propose(users: Any, employer: Any, order: CreditRecord, incident: CreditRecord | None = None) -> Listing:
    return services.propose_listing(
        actor=users["handler"], employer_id=employer.pk, order_record_id=order.pk,
        incident_record_id=incident.pk if incident else None, reasons="拖欠农民工工资，逾期未支付",
        persons=[PersonData(role=ListedPerson.Role.LEGAL_REPRESENTATIVE, name="张三", id_number=REP)])


def _on(day: date) -> Any:
    return clock.at(timezone.make_aware(datetime.combine(day, time(10))))


@pytest.mark.parametrize(("amount", "workers", "months", "ok"), [
    ("29999.99", 10, 1, False), ("30000", 10, 1, True),  # ten workers: the collective amount
    ("30000", 9, 2, False),  # nine workers, two months: neither
    ("4999.99", 1, 3, False), ("5000", 1, 3, True), ("5000", 1, 2, False),  # one worker: months and amount
])
def test_conditions_near_the_criminal_threshold(users: Any, employers: Any, amount: str, workers: int,
                                                months: int, ok: bool) -> None:
    order = _order(employers["once"], amount, workers, months)
    if ok:
        listing = _propose(users, employers["once"], order)
        assert listing.state == Listing.State.PROPOSED
        assert [c["met"] for c in listing.conditions] == [True, True, False]
    else:
        with pytest.raises(DomainError, match="不符合列入条件") as exc:
            _propose(users, employers["once"], order)
        assert exc.value.field == "order_record"


def test_a_mass_incident_meets_the_condition_below_the_threshold(users: Any, employers: Any) -> None:
    order = _order(employers["once"], "1000", 2, 1)
    incident = CreditRecordFactory(employer=employers["once"], kind=RecordKind.MASS_INCIDENT)
    assert _propose(users, employers["once"], order, incident).conditions[2]["met"] is True


def test_without_an_ignored_order_there_is_no_listing(users: Any, employers: Any) -> None:
    incident = CreditRecordFactory(employer=employers["once"], kind=RecordKind.MASS_INCIDENT)
    with pytest.raises(DomainError, match="限期支付指令"):
        _propose(users, employers["once"], incident, incident)


def test_persons_are_encrypted_and_checked(users: Any, employers: Any) -> None:
    listing = _propose(users, employers["once"], _order(employers["once"], "50000", 12, 2))
    person = listing.persons.get()
    with connection.cursor() as cur:
        cur.execute("SELECT id_number FROM credit_listedperson WHERE id = %s", [person.pk])
        stored = cur.fetchone()[0]
    assert REP not in stored and person.id_number == REP
    assert person.id_masked != REP and person.id_masked.endswith(REP[-4:])
    with pytest.raises(DomainError, match="身份证号无效"):
        services.propose_listing(
            actor=users["handler"], employer_id=employers["thrice"].pk,
            order_record_id=_order(employers["thrice"], "50000", 12, 2).pk, reasons="x",
            persons=[PersonData(role="legal_rep", name="李四", id_number="430104199001011234")])


def test_outside_the_jurisdiction_is_not_found(users: Any, employers: Any) -> None:
    order = _order(employers["furong"], "50000", 12, 2)
    with pytest.raises(DomainError) as exc:
        _propose(users, employers["furong"], order)
    assert exc.value.code == "not_found"


def test_the_procedure_on_the_clock(users: Any, employers: Any, calendar: None) -> None:
    listing = _propose(users, employers["once"], _order(employers["once"], "50000", 12, 2))
    with pytest.raises(NotPermitted):
        services.issue_listing_notice(actor=users["handler"], listing_id=listing.pk)
    with _on(date(2026, 9, 25)):  # issued on Friday 25 Sep: the window waits for delivery
        listing = services.issue_listing_notice(actor=users["leader"], listing_id=listing.pk)
        assert listing.statement_due_on is None
    with _on(date(2026, 9, 28)):  # Monday; National Day holiday 1–7 Oct, make-up day Sat 10 Oct
        with pytest.raises(DomainError, match="尚未登记送达"):
            services.decide_listing(actor=users["leader"], listing_id=listing.pk, list_it=True, reason="事实清楚")
        with pytest.raises(DomainError, match="送达日期早于告知日期") as bad:
            services.record_listing_delivery(actor=users["handler"], listing_id=listing.pk,
                                             delivered_on=date(2026, 9, 24), method="post")
        assert bad.value.field == "delivered_on"
        with pytest.raises(DomainError, match="请选择送达方式"):
            services.record_listing_delivery(actor=users["handler"], listing_id=listing.pk,
                                             delivered_on=date(2026, 9, 28), method="pigeon")
        with pytest.raises(DomainError, match="不能晚于今天"):
            services.record_listing_delivery(actor=users["handler"], listing_id=listing.pk,
                                             delivered_on=date(2026, 9, 29), method="post")
        # Delivered by post on the 28th (the day on the receipt), not the day it was issued.
        listing = services.record_listing_delivery(actor=users["handler"], listing_id=listing.pk,
                                                   delivered_on=date(2026, 9, 28), method="post")
        # 5 working days after 28 Sep: 29, 30 Sep, 8, 9, 10 Oct (the make-up Saturday)
        assert (listing.delivered_on, listing.statement_due_on) == (date(2026, 9, 28), date(2026, 10, 10))
        with pytest.raises(DomainError, match="已登记送达"):
            services.record_listing_delivery(actor=users["handler"], listing_id=listing.pk,
                                             delivered_on=date(2026, 9, 28), method="post")
        with pytest.raises(DomainError, match="期满或收到陈述申辩后方可决定"):
            services.decide_listing(actor=users["leader"], listing_id=listing.pk, list_it=True, reason="事实清楚")
    with _on(date(2026, 10, 11)), pytest.raises(DomainError, match="2026-10-10届满") as exc:
        services.record_statement(actor=users["handler"], listing_id=listing.pk, text="已筹款",
                                  received_on=date(2026, 10, 11))
    assert exc.value.code == "window_closed"
    with _on(date(2026, 10, 10)):
        services.record_statement(actor=users["handler"], listing_id=listing.pk, text="已筹款，请求暂缓",
                                  received_on=date(2026, 10, 10))
    with _on(date(2026, 10, 12)):
        listing = services.decide_listing(actor=users["leader"], listing_id=listing.pk, list_it=True,
                                          reason="陈述申辩理由不成立")
        assert (listing.state, listing.expires_on) == (Listing.State.LISTED, date(2029, 10, 12))
        listing = services.publish_listing(actor=users["leader"], listing_id=listing.pk)
        assert listing.state == Listing.State.PUBLISHED
    assert services.expire_listings(today=date(2029, 10, 11)) == 0
    assert services.expire_listings(today=date(2029, 10, 12)) == 1
    listing.refresh_from_db()
    assert (listing.state, listing.ended_on) == (Listing.State.EXPIRED, date(2029, 10, 12))
    messages = list(AuditEvent.objects.filter(object_type="credit.listing").order_by("id").values_list(
        "message", flat=True))
    assert len(messages) == 7 and "自送达之日起" in messages[1] and "邮寄送达，2026-09-28送达" in messages[2]
    assert "陈述申辩截止2026-10-10" in messages[2] and "2029-10-12" in messages[4]


def test_decided_not_to_list(users: Any, employers: Any, calendar: None) -> None:
    listing = _propose(users, employers["once"], _order(employers["once"], "50000", 12, 2))
    services.issue_listing_notice(actor=users["leader"], listing_id=listing.pk)
    services.record_statement(actor=users["handler"], listing_id=listing.pk, text="已全额支付", received_on=clock.today())
    listing = services.decide_listing(actor=users["leader"], listing_id=listing.pk, list_it=False, reason="已支付")
    assert listing.state == Listing.State.WITHDRAWN and listing.expires_on is None
    with pytest.raises(DomainError, match="不能公布"):
        services.publish_listing(actor=users["leader"], listing_id=listing.pk)


def test_early_removal_needs_six_months_since_correcting(users: Any, employers: Any, calendar: None) -> None:
    with _on(date(2026, 3, 2)):
        listing = _propose(users, employers["once"], _order(employers["once"], "50000", 12, 2))
        services.issue_listing_notice(actor=users["leader"], listing_id=listing.pk)
        services.record_statement(actor=users["handler"], listing_id=listing.pk, text="无", received_on=clock.today())
        services.decide_listing(actor=users["leader"], listing_id=listing.pk, list_it=True, reason="列入")
    corrected = date(2026, 5, 31)  # six months later is 30 Nov (the month's last day)
    args = {"paid_on": corrected, "corrected_on": corrected, "pledge_on": date(2026, 6, 1), "reason": "已清偿并承诺"}
    with _on(date(2026, 11, 29)), pytest.raises(DomainError, match="2026-11-30起") as exc:
        services.remove_early(actor=users["leader"], listing_id=listing.pk, **args)
    assert exc.value.field == "corrected_on"
    with _on(date(2026, 11, 30)), pytest.raises(NotPermitted):
        services.remove_early(actor=users["handler"], listing_id=listing.pk, **args)
    with _on(date(2026, 11, 30)):
        listing = services.remove_early(actor=users["leader"], listing_id=listing.pk, **args)
    assert (listing.state, listing.ended_on) == (Listing.State.REMOVED, date(2026, 11, 30))


def test_a_complaint_against_a_listed_employer_is_red(users: Any, employers: Any, intake: Any,
                                                     calendar: None) -> None:
    listing = _propose(users, employers["once"], _order(employers["once"], "50000", 12, 2))
    services.issue_listing_notice(actor=users["leader"], listing_id=listing.pk)
    services.record_statement(actor=users["handler"], listing_id=listing.pk, text="无", received_on=clock.today())
    services.decide_listing(actor=users["leader"], listing_id=listing.pk, list_it=True, reason="列入")
    case = register_case(data=intake(employer_credit_code=employers["once"].credit_code,
                                     employer_name=employers["once"].name, workers_count=1,
                                     amount_claimed=Decimal("1000"), description="拖欠工资"), actor=users["desk"])
    assert case.employer_id == employers["once"].pk
    assert (case.risk_level, case.attention_level) == ("red", "special")
    assert "credit_listed" in [r["rule"] for r in case.triage_reasons]
    clean = register_case(data=intake(employer_credit_code=employers["clean"].credit_code,
                                      employer_name=employers["clean"].name, workers_count=1,
                                      amount_claimed=Decimal("1000"), description="拖欠工资"), actor=users["desk"])
    assert not {"credit_listed", "credit_grade_c"} & {r["rule"] for r in clean.triage_reasons}
