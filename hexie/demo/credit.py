"""Compliance credit in the demo city, written through the credit services at the time each step
happened: violation records on a few employers, last year's grades computed and notified (one
objection decided), one joint-punishment listing in each state of its procedure, and last
quarter's publications (major violations and harmonious enterprises) for 岳麓区.

Every call the demo makes into `hexie.credit` is here.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from hexie.core import clock
from hexie.core.identifiers import make_id_number
from hexie.credit import services
from hexie.credit.models import CreditGrade, DeliveryMethod, ListedPerson, Listing, Publication, RecordKind
from hexie.credit.services.listings import PersonData
from hexie.demo.city import DISTRICTS
from hexie.employers.models import Employer
from hexie.orgs.models import OrgUnit, User

# The states a demo listing is walked to, and how many days before now its proposal was made.
LISTING_WALKS: list[tuple[str, int]] = [
    (Listing.State.EXPIRED, 3 * 365 + 40), (Listing.State.REMOVED, 320), (Listing.State.PUBLISHED, 70),
    (Listing.State.LISTED, 30), (Listing.State.WITHDRAWN, 45), (Listing.State.NOTIFIED, 3),
    (Listing.State.PROPOSED, 0),
]


def _at(d: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(d, time(hour)))


def _step(d: date) -> Any:
    return clock.at(_at(d))


def _walk(employer: Employer, state: str, start: date, handler: User, leader: User, n: int) -> Listing:
    """Propose a listing on ``start`` and take it through the procedure to ``state``."""
    rng = random.Random(f"credit-listing:{n}")
    with _step(start - timedelta(days=30)):
        order = services.record_violation(
            actor=handler, employer_id=employer.pk, kind=RecordKind.IGNORED_ORDER, occurred_on=clock.today(),
            description="责令限期支付拖欠的农民工工资，逾期未支付", amount=Decimal(30000 + 5000 * n), workers=12 + n,
            months=3)
    with _step(start):
        listing = services.propose_listing(
            actor=handler, employer_id=employer.pk, order_record_id=order.pk,
            reasons=f"拖欠{12 + n}名农民工工资{30000 + 5000 * n}元，经责令限期支付逾期仍未支付",
            persons=[PersonData(role=ListedPerson.Role.LEGAL_REPRESENTATIVE,
                                name=employer.legal_representative or "法定代表人",
                                id_number=make_id_number(rng, True))])
    if state == Listing.State.PROPOSED:
        return listing
    with _step(start + timedelta(days=1)):
        listing = services.issue_listing_notice(actor=leader, listing_id=listing.pk)
    if state == Listing.State.NOTIFIED and n % 2 == 0:
        return listing  # issued, not yet delivered: its window has not started
    with _step(start + timedelta(days=4)):  # the post office's receipt, three days later
        listing = services.record_listing_delivery(actor=handler, listing_id=listing.pk, delivered_on=clock.today(),
                                                   method=DeliveryMethod.POST)
    if state == Listing.State.NOTIFIED:
        return listing
    assert listing.statement_due_on is not None
    decide_on = listing.statement_due_on + timedelta(days=1)
    if state == Listing.State.WITHDRAWN:
        with _step(listing.statement_due_on):
            services.record_statement(actor=handler, listing_id=listing.pk, received_on=clock.today(),
                                      text="已于告知后全额支付拖欠工资，附银行转账凭证")
        with _step(decide_on):
            return services.decide_listing(actor=leader, listing_id=listing.pk, list_it=False,
                                           reason="拖欠工资已全额支付，不予列入")
    with _step(decide_on):
        listing = services.decide_listing(actor=leader, listing_id=listing.pk, list_it=True,
                                          reason="陈述申辩期内未提出异议，事实清楚")
    if state == Listing.State.LISTED:
        return listing
    with _step(decide_on + timedelta(days=2)):
        listing = services.publish_listing(actor=leader, listing_id=listing.pk)
    if state == Listing.State.REMOVED:
        corrected = decide_on + timedelta(days=20)
        with _step(corrected + timedelta(days=190)):
            listing = services.remove_early(actor=leader, listing_id=listing.pk, paid_on=corrected,
                                            corrected_on=corrected, pledge_on=corrected + timedelta(days=3),
                                            reason="已清偿拖欠工资，纠正失信行为满6个月，并书面作出信用修复承诺")
    return listing


# Ignored orders that became closed sanction cases: one for each category of 人社部令第29号 that only a
# check-up finds (the others come from the records and large arrears cases above).
IGNORED_FINDINGS = (
    ("4.1", "2名孕期女职工被安排夜班并延长工作时间"),
    ("5.1", "车间实行两班倒，每日工作超过11小时，未经审批"),
    ("7.1", "23名职工未参加社会保险"),
)


def _failed_checkup(employer: Employer, visit: date, code: str, finding: str, handler: User, leader: User) -> Any:
    """A check-up on ``visit`` that fails the item ``code``, signed off: its rectification order."""
    from hexie.prevention import services as prevention
    from hexie.prevention.models import PlanMethod, RectificationOrder, ScoreSheet, SheetItem

    sheet = ScoreSheet.objects.get(code="checkup", owner_unit=None, version=1)
    with _step(visit):
        plan = prevention.create_plan(actor=leader, name=f"{visit.year}年专项用工体检（{employer.name}）",
                                      sheet_id=sheet.pk, method=PlanMethod.LIST, starts_on=visit,
                                      due_on=visit + timedelta(days=20), employer_ids=[employer.pk],
                                      inspector_ids=[handler.pk])
        a = plan.assessments.get()
        for item in SheetItem.objects.filter(section__sheet=sheet):
            prevention.record_answer(actor=handler, assessment_id=a.pk, item_id=item.pk,
                                     result="fails" if item.code == code else "complies",
                                     note=finding if item.code == code else "")
        prevention.submit_assessment(actor=handler, assessment_id=a.pk)
        prevention.sign_off(actor=leader, assessment_id=a.pk, note="同意")
    return RectificationOrder.objects.get(assessment=a)


def _ignored_order_cases(employers: list[Employer], start: date, handler: User, leader: User) -> int:
    """Walk, inside the quarter that begins on ``start``, a check-up that fails one item, its order
    ignored past the deadline, the inspection case the sweep opens, and its closure with an order."""
    from hexie.prevention import services as prevention

    made = 0
    for n, ((code, finding), employer) in enumerate(zip(IGNORED_FINDINGS, employers, strict=False)):
        order = _failed_checkup(employer, start + timedelta(days=3 + n), code, finding, handler, leader)
        with _step(order.deadline + timedelta(days=1)):
            escalated = [o for o in prevention.escalate_overdue_orders(today=clock.today()) if o.pk == order.pk]
        if not escalated or escalated[0].case_id is None:
            continue
        _close_with_order(escalated[0].case_id, order.deadline + timedelta(days=2), handler, leader)
        made += 1
    return made


def _close_with_order(case_id: int, start: date, handler: User, leader: User,
                      recovered: Decimal = Decimal("0"), benefited: int = 0) -> None:
    """Accept an inspection case, assign it, handle it and resolve it with an order (a sanction)."""
    from hexie.cases.services import transition

    steps: tuple[tuple[str, User, dict[str, Any]], ...] = (("accept", leader, {"track": "inspection"}),
             ("assign", leader, {"handler": handler.pk, "responsible_leader": leader.pk}),
             ("start_handling", handler, {}),
             ("resolve", handler, {"conclusion": "order_issued", "amount_recovered": recovered,
                                   "workers_benefited": benefited}))
    for k, (name, actor, params) in enumerate(steps):
        with _step(start + timedelta(days=4 * k)):
            transition(case_id=case_id, actor=actor, name=name, **params)


def _large_arrears_case(employer: Employer, start: date, handler: User, leader: User) -> None:
    """A complaint of large arrears (“数额较大”), closed with an order inside the quarter."""
    from hexie.cases import services as cases
    from hexie.cases.models import CaseType, Channel

    with _step(start):
        case = cases.register_case(actor=None, data=cases.IntakeData(
            case_type=CaseType.WAGE_ARREARS, channel=Channel.VISIT, received_at=clock.now(),
            complainant_name="周建国", complainant_phone="13907310018", employer_name=employer.name,
            employer_credit_code=employer.credit_code, employer_address=employer.address,
            org_unit_id=employer.org_unit_id, workers_count=26, amount_claimed=Decimal("186000"),
            description="施工队26名农民工被拖欠4个月工资共计18.6万元"))
    if case.employer_id is None:
        type(case).objects.filter(pk=case.pk).update(employer=employer)
    _close_with_order(case.pk, start + timedelta(days=1), handler, leader, Decimal("186000"), 26)


@transaction.atomic
def load_credit(*, now: datetime, seed: int) -> dict[str, Any]:
    """Load the demo city's credit records, grades, listings and publications."""
    users = {u.username: u for u in User.objects.filter(username__regex=r"^(leader|inspector|city_leader)")}
    city_leader = users["city_leader"]
    today = timezone.localdate(now)
    last_year = today.year - 1
    yl = next(d for d in DISTRICTS if d.slug == "yuelu")
    handler, leader = users[f"inspector_{yl.slug}"], users[f"leader_{yl.slug}"]
    yl_unit = OrgUnit.objects.get(code=yl.code)
    employers = list(Employer.objects.filter(org_unit__path__startswith=yl_unit.path).order_by("pk"))
    if len(employers) < 10:
        return {"skipped": "too few employers in 岳麓区"}
    # Serious violations of last year on a few files (each makes a grade C).
    for employer, kind, text in ((employers[0], RecordKind.MASS_INCIDENT, "拖欠工资引发30余名农民工聚集讨薪"),
                                 (employers[1], RecordKind.CHILD_LABOUR, "使用未满16周岁童工2名"),
                                 (employers[2], RecordKind.OBSTRUCTION, "拒绝监察人员进入施工现场检查")):
        with _step(date(last_year, 6, 15)):
            services.record_violation(actor=handler, employer_id=employer.pk, kind=kind,
                                      occurred_on=date(last_year, 6, 10), description=text)
    with _step(date(today.year, 1, 15)):
        graded = services.compute_grades(actor=city_leader, year=last_year)
        services.notify_grades(actor=city_leader, year=last_year)
    # The district's notices are served in person over the following days; the objection window of
    # each runs from its own day of delivery. The other districts' are still being served.
    for i, grade_id in enumerate(CreditGrade.objects.filter(year=last_year, org_unit__path__startswith=yl_unit.path)
                                 .order_by("pk").values_list("pk", flat=True)):
        with _step(date(today.year, 1, 19 + i % 5)):
            services.record_grade_delivery(actor=handler, grade_id=grade_id, delivered_on=clock.today(),
                                           method=DeliveryMethod.IN_PERSON)
    objected = CreditGrade.objects.filter(year=last_year, org_unit__path__startswith=yl_unit.path,
                                          grade="B").order_by("pk").first()
    if objected is not None and objected.objection_due_on is not None:
        with _step(objected.objection_due_on):
            services.object_to_grade(actor=handler, grade_id=objected.pk, received_on=clock.today(),
                                     reason="被查处的案件已于复议中撤销，请求重新评定")
        with _step(objected.objection_due_on + timedelta(days=5)):
            services.decide_objection(actor=leader, grade_id=objected.pk, grade="A",
                                      reason="处理决定已撤销，评价年度内无其他违法行为，调整为A级")
    services.finalise_grades(today=today)
    listings = {}
    for n, (state, days_ago) in enumerate(LISTING_WALKS):
        listing = _walk(employers[3 + n], state, today - timedelta(days=days_ago), handler, leader, n)
        listings[state] = listing.pk
    services.expire_listings(today=today)
    quarter = (today.month - 1) // 3 or 4
    year = today.year if today.month > 3 else today.year - 1
    q_start = date(year, 3 * quarter - 2, 1)
    ignored = 0
    if len(employers) >= 20:  # the quarter's file behind each category of the publication
        ignored = _ignored_order_cases(employers[12:15], q_start, handler, leader)
        _large_arrears_case(employers[18], q_start + timedelta(days=10), handler, leader)
        # An order past its deadline that tonight's sweep has not yet turned into a case.
        _failed_checkup(employers[19], today - timedelta(days=30), "2.1", "3名职工未签订书面劳动合同", handler, leader)
        # The quarter's serious records, each a category of its own in the publication.
        for employer, kind, text in ((employers[15], RecordKind.CRIMINAL, "拒不支付28名农民工工资46万元，已移送公安机关"),
                                     (employers[16], RecordKind.CHILD_LABOUR, "招用未满16周岁童工1名从事搬运"),
                                     (employers[17], RecordKind.MASS_INCIDENT, "拖欠工资引发50余人聚集，造成严重不良社会影响")):
            with _step(q_start + timedelta(days=30)):
                services.record_violation(actor=handler, employer_id=employer.pk, kind=kind,
                                          occurred_on=q_start + timedelta(days=28), description=text)
    pubs = []
    with _step(today - timedelta(days=1)):
        for pub_kind, incentives in ((Publication.Kind.MAJOR_VIOLATIONS, ""),
                                     (Publication.Kind.HARMONIOUS, "信用等级视同A级；减少日常巡查频次；优先推荐评先评优")):
            pub = services.generate_publication(actor=leader, kind=pub_kind, unit_id=yl_unit.pk, year=year,
                                                quarter=quarter, incentives=incentives)
            services.review_publication(actor=leader, publication_id=pub.pk)
            services.issue_publication(actor=leader, publication_id=pub.pk)
            pubs.append(pub.entries.count())
    states = dict(Listing.objects.values_list("pk", "state"))
    return {"grades": graded, "listings": {s: states[pk] for s, pk in listings.items()},
            "publications": pubs, "ignored_order_cases": ignored, "seed": seed}
