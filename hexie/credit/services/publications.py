"""Quarterly publications of a city or county bureau: major violations (重大劳动保障违法行为社会公布办法,
人社部令第29号; city and county bureaus publish quarterly) and the white list of harmonious
enterprises with the incentives granted. Generated from the file as a draft, reviewed by a leader,
issued (and shown on the public portal)."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from hexie.cases.filters import day_start
from hexie.cases.models import Case, CaseType
from hexie.core import audit, clock
from hexie.core.errors import DomainError
from hexie.core.permissions import require_role
from hexie.credit.models import CreditRecord, Publication, PublicationEntry, RecordKind, ViolationCategory
from hexie.credit.selectors import setting
from hexie.credit.services.grades import RESOLVED, SANCTION_CONCLUSIONS, passed_evaluations
from hexie.orgs.models import OrgLevel, OrgUnit, User
from hexie.orgs.scoping import LEADERS, in_jurisdiction, unit_ids_under
from hexie.prevention.models import Answer, AnswerResult, SheetKind

Action = audit.Action
BASIS = {
    Publication.Kind.MAJOR_VIOLATIONS: "《重大劳动保障违法行为社会公布办法》（人力资源社会保障部令第29号）第五条、第六条",
    Publication.Kind.HARMONIOUS: "《关于推进新时代和谐劳动关系创建活动的意见》；本地劳动关系和谐企业评价标准",
}
#: Which violation records put an employer in which category of the publication.
RECORD_CATEGORIES = {
    RecordKind.CRIMINAL: ViolationCategory.REFUSED_PAY,
    RecordKind.CHILD_LABOUR: ViolationCategory.CHILD_LABOUR,
    RecordKind.MASS_INCIDENT: ViolationCategory.SOCIAL_IMPACT,
}

#: Which section of the check-up sheet (the items of 劳动保障监察条例第十一条), failed and then ignored
#: until an inspection case was opened and closed with a sanction, puts the employer in which
#: category: (三) child labour, (四) women and minors, (五) hours and rest, (七) social insurance.
SECTION_CATEGORIES = {
    "3": ViolationCategory.CHILD_LABOUR,
    "4": ViolationCategory.WOMEN_MINORS,
    "5": ViolationCategory.HOURS,
    "7": ViolationCategory.SOCIAL_INSURANCE,
}


def _from_escalated_orders(units: list[int], start: date, end: date) -> list[PublicationEntry]:
    """Entries from the closed sanction cases that a rectification order not complied with opened:
    one per case and category, the category read off the check-up items the order was about."""
    failed = (Answer.objects.filter(
        result=AnswerResult.FAILS, assessment__kind=SheetKind.CHECKUP, item__section__code__in=list(SECTION_CATEGORIES),
        orders__case__org_unit_id__in=units, orders__case__employer__isnull=False, orders__case__status__in=RESOLVED,
        orders__case__closure_conclusion__in=SANCTION_CONCLUSIONS, orders__case__resolved_at__gte=day_start(start),
        orders__case__resolved_at__lt=day_start(end))
        .values_list("orders__case_id", "item__section__code", "item__section__title", "item__title")
        .order_by("orders__case__resolved_at", "orders__case_id", "item__section__code", "item__code"))
    found: dict[tuple[int, str], list[str]] = {}
    titles: dict[str, str] = {}
    for case_id, code, section_title, item_title in failed:
        found.setdefault((case_id, code), []).append(item_title)
        titles[code] = section_title
    cases = Case.objects.select_related("employer").in_bulk({case_id for case_id, _code in found})
    return [PublicationEntry(
        employer=cases[case_id].employer, case=cases[case_id], category=SECTION_CATEGORIES[code],
        facts=f"{titles[code]}：{'；'.join(items)}，不符合规定，经责令限期整改逾期未改正。",
        handling=f"已立案查处并作出行政处理（{cases[case_id].number}）。") for (case_id, code), items in found.items()]


def quarter_bounds(year: int, quarter: int) -> tuple[date, date]:
    """The first day of the quarter and the first day of the next."""
    start = date(year, 3 * quarter - 2, 1)
    end = date(year + 1, 1, 1) if quarter == 4 else date(year, 3 * quarter + 1, 1)
    return start, end


def _entries(kind: str, unit: OrgUnit, start: date, end: date, incentives: str) -> list[PublicationEntry]:
    units = unit_ids_under(unit)
    records = (CreditRecord.objects.filter(employer__org_unit_id__in=units, occurred_on__gte=start,
                                           occurred_on__lt=end).select_related("employer", "case")
               .order_by("occurred_on", "id"))
    if kind == Publication.Kind.HARMONIOUS:
        # Passed evaluations signed off in the quarter (prevention), and those entered as records.
        evaluations = (passed_evaluations(start.year).filter(
            employer__org_unit_id__in=units, signed_off_at__gte=day_start(start), signed_off_at__lt=day_start(end))
            .select_related("employer", "sheet").order_by("signed_off_at", "id"))
        return [PublicationEntry(employer=a.employer, facts=f"{a.sheet.name}：{a.score}分，评价合格",
                                 handling=incentives) for a in evaluations] + [
            PublicationEntry(employer=r.employer, case=None, facts=r.description, handling=incentives)
            for r in records.filter(kind=RecordKind.EVALUATION_PASSED)]
    out = []
    large = setting("major_wage_amount")
    cases = (Case.objects.filter(org_unit_id__in=units, employer__isnull=False, status__in=RESOLVED,
                                 closure_conclusion__in=SANCTION_CONCLUSIONS, case_type=CaseType.WAGE_ARREARS,
                                 amount_claimed__gte=large, resolved_at__gte=day_start(start), resolved_at__lt=day_start(end))
             .select_related("employer").order_by("resolved_at", "id"))
    for c in cases:
        out.append(PublicationEntry(
            employer=c.employer, case=c, category=ViolationCategory.WAGES,
            facts=f"拖欠{c.workers_count}名劳动者工资{c.amount_claimed:,.2f}元。",
            handling=f"已责令改正（{c.number}）。"))
    out.extend(_from_escalated_orders(units, start, end))
    for r in records.filter(kind__in=list(RECORD_CATEGORIES)):
        out.append(PublicationEntry(employer=r.employer, case=r.case, category=RECORD_CATEGORIES[RecordKind(r.kind)],
                                    facts=r.description, handling=f"{r.get_kind_display()}（{r.occurred_on}）。"))
    return out


def generate_publication(*, actor: User, kind: str, unit_id: int, year: int, quarter: int,
                         incentives: str = "") -> Publication:
    """Generate (or regenerate, while a draft) the quarter's list for a city or county unit."""
    staff = require_role(actor, LEADERS, _("只有领导可以生成社会公布名单。"))
    if kind not in Publication.Kind.values:
        raise DomainError(_("未知的公布种类。"), field="kind")
    if quarter not in (1, 2, 3, 4):
        raise DomainError(_("季度须为1至4。"), field="quarter")
    start, end = quarter_bounds(year, quarter)
    if start > clock.today():
        raise DomainError(_("该季度尚未开始。"), field="quarter")
    if kind == Publication.Kind.HARMONIOUS and not incentives.strip():
        raise DomainError(_("请填写给予的激励措施。"), field="incentives")
    with transaction.atomic():
        unit = OrgUnit.objects.filter(pk=unit_id).first()
        if unit is None or not in_jurisdiction(staff, unit):
            raise DomainError(_("未找到该单位。"), field="unit", code="not_found")
        if unit.level not in (OrgLevel.CITY, OrgLevel.DISTRICT):
            raise DomainError(_("社会公布由市、县（区）人社部门按季度发布。"), field="unit")
        pub = Publication.objects.select_for_update().filter(kind=kind, org_unit=unit, year=year,
                                                             quarter=quarter).first()
        if pub is not None and pub.state != Publication.State.DRAFT:
            raise DomainError(_("该季度名单已审核或发布，不能重新生成。"), field="state", code="wrong_state")
        if pub is None:
            pub = Publication.objects.create(kind=kind, org_unit=unit, year=year, quarter=quarter,
                                             basis=BASIS[Publication.Kind(kind)], created_by=staff,
                                             created_at=clock.now())
        else:
            pub.entries.all().delete()
        entries = _entries(kind, unit, start, end, incentives.strip())
        for e in entries:
            e.publication = pub
        PublicationEntry.objects.bulk_create(entries)
        audit.record(actor=staff, action=Action.GENERATE, obj=pub, message=f"生成{pub}，共{len(entries)}家")
        return pub


def _for_change(staff: User, publication_id: int) -> Publication:
    pub = Publication.objects.select_for_update().filter(pk=publication_id).select_related("org_unit").first()
    if pub is None or not in_jurisdiction(staff, pub.org_unit):
        raise DomainError(_("未找到该名单。"), code="not_found")
    return pub


def review_publication(*, actor: User, publication_id: int) -> Publication:
    """A leader reviews the draft (审核)."""
    staff = require_role(actor, LEADERS, _("只有领导可以审核。"))
    with transaction.atomic():
        pub = _for_change(staff, publication_id)
        if pub.state != Publication.State.DRAFT:
            raise DomainError(_("只有草稿可以审核。"), field="state", code="wrong_state")
        pub.state, pub.reviewed_by = Publication.State.REVIEWED, staff
        pub.save(update_fields=["state", "reviewed_by"])
        audit.record(actor=staff, action=Action.UPDATE, obj=pub, fields=["state"], message=f"审核{pub}")
        return pub


def issue_publication(*, actor: User, publication_id: int) -> Publication:
    """Issue a reviewed list: it is public from today."""
    staff = require_role(actor, LEADERS, _("只有领导可以发布。"))
    with transaction.atomic():
        pub = _for_change(staff, publication_id)
        if pub.state != Publication.State.REVIEWED:
            raise DomainError(_("名单审核后方可发布。"), field="state", code="wrong_state")
        pub.state, pub.issued_on = Publication.State.ISSUED, clock.today()
        pub.save(update_fields=["state", "issued_on"])
        audit.record(actor=staff, action=Action.UPDATE, obj=pub, fields=["state", "issued_on"], message=f"发布{pub}")
        return pub
