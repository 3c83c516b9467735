"""The demo's chain, bridge and mediation network, walked through the real services at the time each
step happened: cases that went mediation → arbitration → court (and one back from the court to
arbitration after a payment order ended by objection), 12345 and wage-clue orders in every state of
their loop (a closed clue's result sent back to the platform), a street's mediation bodies and service station with its coordinator, and a
leader's reception day.

Everything is in 望岳街道 (Yuelu district) so that one district's staff see all of it.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from django.contrib.auth.hashers import make_password

from hexie.bridge import services as bridge
from hexie.cases import services
from hexie.cases.models import Case
from hexie.core import clock
from hexie.demo.city import DEMO_PASSWORD
from hexie.demo.people import make_mobile, person_name
from hexie.orgs.models import MediationBodyKind, OrgLevel, OrgUnit, Role, User

DISTRICT = "430104"
STREET = "430104001"
COORDINATOR = "coordinator_wangyue"


def _day(now: datetime, days_ago: int, hour: int = 10) -> datetime:
    """A weekday `days_ago` before now (moved back to the Friday before a weekend), at `hour`."""
    d = (now - timedelta(days=days_ago)).replace(hour=hour, minute=0, second=0, microsecond=0)
    while d.weekday() >= 5:
        d -= timedelta(days=1)
    return d


class _Walk:
    """Steps on one case at given times, by the district's staff."""

    def __init__(self, users: dict[str, User]) -> None:
        self.u = users

    def step(self, case: Case, who: str, name: str, when: datetime, **params: Any) -> Case:
        with clock.at(when):
            return services.transition(case_id=case.pk, actor=self.u[who], name=name, **params)


def _network(units: dict[str, OrgUnit]) -> dict[str, OrgUnit]:
    street = units[STREET]
    specs = [
        ("430104001M01", "望岳街道劳动争议调解委员会", OrgLevel.MEDIATION_BODY, MediationBodyKind.TOWNSHIP, "望岳街道全域"),
        ("430104001M02", "岳麓区建筑业商会劳动争议调解委员会", OrgLevel.MEDIATION_BODY, MediationBodyKind.CHAMBER,
         "商会会员建筑企业"),
        ("430104001M03", "岳麓区总工会劳动争议调解室（望岳）", OrgLevel.MEDIATION_BODY, MediationBodyKind.UNION,
         "望岳街道企业职工"),
        ("430104001S01", "望岳街道和谐驿站（劳动关系服务站）", OrgLevel.STATION, "", "望岳街道、银盆岭片区"),
    ]
    return {code: OrgUnit.objects.create(code=code, name=name, level=level, body_kind=kind, area=area, parent=street)
            for code, name, level, kind, area in specs}


def _intake(rng: random.Random, unit: OrgUnit, when: datetime, case_type: str, employer: str,
            amount: int, workers: int = 1) -> services.IntakeData:
    return services.IntakeData(
        case_type=case_type, channel="visit", received_at=when, complainant_name=person_name(rng, rng.random() < 0.6),
        complainant_phone=make_mobile(rng), employer_name=employer, org_unit_id=unit.pk,
        description=f"反映{employer}拖欠工资{amount}元，要求支付。", workers_count=workers,
        amount_claimed=Decimal(amount))


def load_chain(*, city: dict[str, Any], now: datetime, seed: int = 2026) -> dict[str, int]:
    """Write the network, walk the chain cases, receive the orders and hold the reception day."""
    rng = random.Random(f"chain:{seed}")
    units, users, agencies = city["units"], city["users"], city["agencies"]
    bodies = _network(units)
    station = bodies["430104001S01"]
    coordinator = User.objects.create(
        username=COORDINATOR, full_name=person_name(rng, False), role=Role.COORDINATOR, org_unit=station,
        password=make_password(DEMO_PASSWORD), email=f"{COORDINATOR}@demo.hexie.example")
    staff = {**users, COORDINATOR: coordinator}
    w = _Walk(staff)
    street = units[STREET]
    court = agencies["court"].pk
    made = {"chain_cases": 0, "orders": 0, "reception_visits": 0}

    def register(days_ago: int, case_type: str, employer: str, amount: int, workers: int = 1) -> Case:
        when = _day(now, days_ago, 9)
        with clock.at(when):
            case = services.register_case(data=_intake(rng, street, when, case_type, employer, amount, workers),
                                          actor=staff["desk_yuelu"])
        made["chain_cases"] += 1
        return case

    def to_mediation(case: Case, days_ago: int, body: OrgUnit) -> Case:
        w.step(case, "desk_yuelu", "accept", _day(now, days_ago, 10), track="mediation")
        w.step(case, "leader_yuelu", "assign", _day(now, days_ago, 11), handler=staff["mediator_yuelu"].pk,
               responsible_leader=staff["leader_yuelu"].pk)
        w.step(case, "mediator_yuelu", "start_handling", _day(now, days_ago, 14))
        return w.step(case, "mediator_yuelu", "route_to_body", _day(now, days_ago, 15), body=body.pk)

    # 1. Mediation fails → arbitration → settled in arbitration → judicial confirmation by the court.
    a = to_mediation(register(70, "labour_dispute", "长沙望岳建筑劳务有限公司", 36000, 3), 69, station)
    w.step(a, COORDINATOR, "to_arbitration", _day(now, 62), ground="failed", reason="用人单位拒绝调解方案")
    w.step(a, "mediator_yuelu", "accept_application", _day(now, 60))
    w.step(a, "mediator_yuelu", "resolve", _day(now, 45), conclusion="mediated", amount_recovered="30000",
           workers_benefited=3, dispute_cause="pay")
    w.step(a, "mediator_yuelu", "apply_confirmation", _day(now, 40), agency=court)
    w.step(a, "mediator_yuelu", "court_result", _day(now, 30), result="confirmed")
    # 2. Mediation fails → arbitration → award → the worker sues within 15 days.
    b = to_mediation(register(66, "labour_dispute", "岳麓区银盆岭餐饮管理有限公司", 18000), 65,
                     bodies["430104001M02"])
    w.step(b, "mediator_yuelu", "to_arbitration", _day(now, 58), ground="failed", reason="双方分歧较大")
    w.step(b, "mediator_yuelu", "accept_application", _day(now, 56))
    w.step(b, "mediator_yuelu", "award", _day(now, 25), outcome="split", amount_recovered="9000")
    w.step(b, "mediator_yuelu", "go_to_court", _day(now, 20), party="worker", court_action="sue", agency=court)
    # 3. A wage agreement at the station, then a payment order when the employer does not pay.
    c = to_mediation(register(40, "wage_arrears", "望岳街道某装饰工程队", 8600), 39, station)
    w.step(c, COORDINATOR, "resolve", _day(now, 35), conclusion="mediated", amount_recovered="8600",
           workers_benefited=1)
    w.step(c, "mediator_yuelu", "apply_payment_order", _day(now, 12), agency=court)
    # 4. A mediation agreement still inside its 30 days to apply for confirmation.
    d = to_mediation(register(12, "labour_dispute", "长沙某物业服务有限公司", 5200), 11, bodies["430104001M01"])
    w.step(d, "mediator_yuelu", "resolve", _day(now, 5), conclusion="mediated", amount_recovered="5200",
           workers_benefited=1)
    # 5. Mediation that ran out of time, waiting for the commission's acceptance.
    e = to_mediation(register(25, "labour_dispute", "岳麓区某电子商务有限公司", 14000), 24, bodies["430104001M03"])
    w.step(e, "mediator_yuelu", "to_arbitration", _day(now, 3), ground="expired")
    # 6. An inspection's order unpaid → additional compensation.
    f = register(50, "wage_arrears", "长沙某劳务派遣有限公司", 24000, 4)
    w.step(f, "desk_yuelu", "accept", _day(now, 49, 10), track="inspection")
    w.step(f, "leader_yuelu", "assign", _day(now, 49, 11), handler=staff["inspector_yuelu"].pk,
           responsible_leader=staff["leader_yuelu"].pk)
    w.step(f, "inspector_yuelu", "start_handling", _day(now, 48))
    w.step(f, "inspector_yuelu", "order_payment", _day(now, 40), amount_owed="24000", pay_within_days=10)
    w.step(f, "inspector_yuelu", "additional_compensation", _day(now, 20), rate="50")
    # 7. A wage agreement, a payment order the employer objects to → arbitration in the same file.
    g = to_mediation(register(45, "wage_arrears", "岳麓区某园林绿化工程有限公司", 15600, 2), 44, station)
    w.step(g, COORDINATOR, "resolve", _day(now, 38), conclusion="mediated", amount_recovered="15600",
           workers_benefited=2)
    w.step(g, "mediator_yuelu", "apply_payment_order", _day(now, 30), agency=court)
    w.step(g, "mediator_yuelu", "court_result", _day(now, 16), result="objected")
    w.step(g, "mediator_yuelu", "after_court", _day(now, 15), route="arbitration", reason="支付令因异议终结，申请仲裁")
    w.step(g, "mediator_yuelu", "accept_application", _day(now, 13))

    made["orders"] = _orders(rng, staff, now, street)
    made["reception_visits"] = _reception(rng, staff, now, units, street)
    return made


def _orders(rng: random.Random, staff: dict[str, User], now: datetime, street: OrgUnit) -> int:
    """12345 and wage-clue orders in every state of their loop."""
    desk = staff["desk_yuelu"]
    plan = [  # (source, days ago received, the steps taken)
        ("12345", 1, []),
        ("12345", 9, ["sign"]),
        ("12345", 8, ["hand_back"]),
        ("12345", 20, ["sign", "extend"]),
        ("12345", 18, ["sign", "reply"]),
        ("12345", 30, ["sign", "reply", "rate"]),
        ("wage_clue", 15, ["sign", "reply"]),
        ("wage_clue", 2, []),
        ("wage_clue", 28, ["sign", "close"]),
    ]
    for i, (source, days_ago, steps) in enumerate(plan, 1):
        received = _day(now, days_ago, 9)
        data = bridge.OrderData(
            source=source, external_ref=f"{'SD' if source == '12345' else 'GX'}{received:%Y%m%d}{i:04d}",
            received_at=received, title="反映拖欠农民工工资", content="工地拖欠工资，请求协调解决。",
            complainant_name=person_name(rng, True), complainant_phone=make_mobile(rng),
            employer_name=f"长沙某建设工程有限公司（{i}号工地）", org_unit_code=street.code,
            workers_count=rng.randint(1, 6), amount_claimed=Decimal(rng.randint(20, 200) * 100))
        with clock.at(received):
            order, _created = bridge.receive_order(data=data, actor=desk)
        when = received
        for step in steps:
            when = when + timedelta(days=1)
            params: dict[str, Any] = {}
            if step == "hand_back":
                params = {"reason": "诉求事项属住建部门职责，请重新派单"}
            elif step == "extend":
                params = {"reason": "需现场核查用工名册", "days": 5}
            elif step == "reply":
                params = {"text": "经核查，用人单位已支付拖欠工资。", "result": "resolved"}
                when = when + timedelta(days=2)
            elif step == "rate":
                params = {"rating": 5}
            elif step == "close":
                # The clue's case is handled to the end: its result goes back to the platform.
                _close_clue(staff, order.case, when)
                continue
            with clock.at(min(when, now)):
                bridge.act_on_order(order_id=order.pk, actor=desk, action=step, **params)
    return len(plan)


def _close_clue(staff: dict[str, User], case: Case, start: datetime) -> None:
    w = _Walk(staff)
    w.step(case, "leader_yuelu", "assign", start + timedelta(hours=2), handler=staff["inspector_yuelu"].pk,
           responsible_leader=staff["leader_yuelu"].pk)
    w.step(case, "inspector_yuelu", "start_handling", start + timedelta(days=1))
    w.step(case, "inspector_yuelu", "resolve", start + timedelta(days=6), conclusion="paid_in_full",
           amount_recovered=str(case.amount_claimed), workers_benefited=case.workers_count)
    w.step(case, "desk_yuelu", "start_follow_up", start + timedelta(days=8))
    w.step(case, "desk_yuelu", "close", start + timedelta(days=9), satisfaction=5)


def _reception(rng: random.Random, staff: dict[str, User], now: datetime, units: dict[str, OrgUnit],
               street: OrgUnit) -> int:
    """Last week's reception day in Yuelu: three visits, two of them complaints the leader takes."""
    leader, desk = staff["leader_yuelu"], staff["desk_yuelu"]
    on = _day(now, 7, 9)
    with clock.at(on - timedelta(days=1)):
        day = services.schedule_reception_day(actor=leader, org_unit_id=units[DISTRICT].pk, leader_id=leader.pk,
                                              on=on.date(), place="岳麓区人社局一楼接待大厅", topic="根治欠薪")
    visits = [(12, "某安置房项目班组集体反映欠薪", 120000, 12), (1, "个人反映加班费", 3000, 1), (2, "政策咨询", 0, 0)]
    taken = []
    for i, (people, summary, amount, workers) in enumerate(visits):
        when = on + timedelta(minutes=40 * i)
        complaint = (_intake(rng, street, when, "wage_arrears", "长沙某建工集团有限公司", amount, workers)
                     if amount else None)
        with clock.at(when):
            visit = services.register_reception_visit(actor=desk, day_id=day.pk, people=people, summary=summary,
                                                      complaint=complaint)
        if visit.case is not None:
            taken.append(visit.case)
    # The leader's first case is accepted and resolved within the week.
    w = _Walk(staff)
    first = taken[0]
    w.step(first, "desk_yuelu", "accept", on + timedelta(hours=3), track="inspection")
    w.step(first, "leader_yuelu", "assign", on + timedelta(hours=4), handler=staff["inspector_yuelu"].pk,
           responsible_leader=leader.pk)
    w.step(first, "inspector_yuelu", "start_handling", on + timedelta(days=1))
    w.step(first, "inspector_yuelu", "resolve", on + timedelta(days=3), conclusion="paid_in_full",
           amount_recovered="120000", workers_benefited=12)
    return len(visits)
