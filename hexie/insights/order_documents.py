"""The rectification order (责令限期整改指令书) of hexie.prevention as a Word document.

Word rendering stays in insights (the "documents" import contract): prevention keeps the order and
declares a slot on its page; insights fills the packaged docxtpl template and adds the download
link to that page (``panels``)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from hexie.insights.document_rules import bureau_name
from hexie.insights.formatting import cn_date
from hexie.insights.rendering import DEFAULT_DIR, render_docx
from hexie.orgs.scoping import district_of
from hexie.prevention.models import RectificationOrder

TEMPLATE = "rectification_order.docx"


def order_context(order: RectificationOrder) -> dict[str, Any]:
    """What the template may use: ``doc`` (number, issuer, date) and ``order``."""
    employer = order.employer
    issuer = district_of(employer.org_unit) or employer.org_unit
    a = order.assessment
    assessed = timezone.localdate(a.submitted_at or a.started_at)
    return {
        "doc": {"number": order.number, "issuer": bureau_name(issuer), "date": cn_date(order.issued_on),
                "title": "责令限期整改指令书"},
        "order": {
            "employer_name": employer.name, "credit_code": employer.credit_code, "assessed_date": cn_date(assessed),
            "sheet": a.sheet.name, "kind": a.get_kind_display(), "findings": order.requirements.splitlines(),
            "basis": order.legal_basis, "working_days": order.working_days,
            "deadline": cn_date(order.deadline) + ("（暂定）" if order.deadline_provisional else ""),
        },
    }


def render_order(order: RectificationOrder) -> bytes:
    source = (DEFAULT_DIR / TEMPLATE).read_bytes()
    context = order_context(order)
    return render_docx(source, lambda tpl: context)
