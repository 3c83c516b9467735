"""The credit documents of hexie.credit as Word files: the notice before listing (告知书), the
listing decision (列入决定书) and a quarterly publication.

Word rendering stays in insights (the "documents" import contract): credit keeps the procedure and
declares slots on its listing and publication pages; insights fills the packaged docxtpl templates
and adds the download links there (``panels``). The persons' ID numbers appear masked."""

from __future__ import annotations

from typing import Any

from hexie.credit.models import Listing, Publication
from hexie.credit.selectors import setting
from hexie.insights.document_rules import bureau_name
from hexie.insights.formatting import cn_date
from hexie.insights.rendering import DEFAULT_DIR, render_docx
from hexie.orgs.scoping import district_of

NOTICE, DECISION = "notice", "decision"
TEMPLATES = {NOTICE: "listing_notice.docx", DECISION: "listing_decision.docx"}
TITLES = {NOTICE: "拟列入拖欠农民工工资失信联合惩戒对象名单告知书", DECISION: "列入拖欠农民工工资失信联合惩戒对象名单决定书"}
NUMBER_WORD = {NOTICE: "失告", DECISION: "失决"}


def available(listing: Listing) -> list[str]:
    """The documents a listing has reached: the notice once served, the decision once listed."""
    out = [NOTICE] if listing.notified_on else []
    if listing.decided_on and listing.expires_on:
        out.append(DECISION)
    return out


def listing_context(listing: Listing, kind: str) -> dict[str, Any]:
    employer = listing.employer
    issuer = district_of(listing.org_unit) or listing.org_unit
    on = listing.notified_on if kind == NOTICE else listing.decided_on
    statement = (f"你单位于{cn_date(listing.statement_on)}提出了陈述和申辩。" if listing.statement_on
                 else "你单位在规定期限内未提出陈述和申辩。")
    return {
        "doc": {"number": f"{issuer.name[:1]}人社{NUMBER_WORD[kind]}〔{on.year if on else ''}〕{listing.pk}号",
                "issuer": bureau_name(issuer), "date": cn_date(on), "title": TITLES[kind]},
        "listing": {
            "employer_name": employer.name, "credit_code": employer.credit_code, "reasons": listing.reasons,
            "basis": listing.basis, "conditions": [c for c in listing.conditions if c.get("met")],
            "persons": [{"role": p.get_role_display(), "name": p.name, "id_masked": p.id_masked}
                        for p in listing.persons.all()],
            "statement_due": cn_date(listing.statement_due_on), "notified": cn_date(listing.notified_on),
            "statement_text": statement, "decision_reason": listing.decision_reason.rstrip("。"),
            "decided": cn_date(listing.decided_on), "expires": cn_date(listing.expires_on),
            "removal_months": f"{setting('removal_months_since_correction'):.0f}",
        },
    }


def render_listing(listing: Listing, kind: str) -> bytes:
    source = (DEFAULT_DIR / TEMPLATES[kind]).read_bytes()
    context = listing_context(listing, kind)
    return render_docx(source, lambda tpl: context)


def publication_context(pub: Publication) -> dict[str, Any]:
    harmonious = pub.kind == Publication.Kind.HARMONIOUS
    what = "劳动关系和谐企业名单" if harmonious else "重大劳动保障违法行为"
    return {
        "doc": {"number": f"{pub.org_unit.name[:1]}人社公〔{pub.year}〕{pub.quarter}号", "date": cn_date(pub.issued_on),
                "issuer": bureau_name(pub.org_unit)},
        "pub": {
            "title": f"{pub.org_unit.name}{pub.year}年第{pub.quarter}季度{what}", "basis": pub.basis, "what": what,
            "period": f"{pub.year}年第{pub.quarter}季度", "facts_header": "评价结果" if harmonious else "主要违法事实",
            "handling_header": "激励措施" if harmonious else "查处情况",
            "entries": [{"name": e.employer.name, "credit_code": e.employer.credit_code, "address": e.employer.address,
                         "legal_rep": e.employer.legal_representative,
                         "facts": (f"{e.get_category_display()}：" if e.category else "") + e.facts,
                         "handling": e.handling} for e in pub.entries.select_related("employer")],
        },
    }


def render_publication(pub: Publication) -> bytes:
    source = (DEFAULT_DIR / "credit_publication.docx").read_bytes()
    context = publication_context(pub)
    return render_docx(source, lambda tpl: context)
