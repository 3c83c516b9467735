"""The credit documents insights renders: the notice and the decision of a listing, and a
publication, with masked ID numbers, in the scope of the listing itself."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse
from docx import Document

from hexie.core import clock
from hexie.credit import services
from hexie.credit.models import ListedPerson, Publication, RecordKind
from hexie.credit.services.listings import PersonData
from hexie.credit.tests.factories import CreditRecordFactory
from hexie.employers.tests.factories import EmployerFactory, id_number

pytestmark = pytest.mark.django_db


def _text(content: bytes) -> str:
    doc = Document(io.BytesIO(content))
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


def test_listing_notice_and_decision(client: Any, users: Any, city: Any, calendar: None) -> None:
    rep = id_number()
    employer = EmployerFactory(org_unit=city["yuelu_street"], name="岳麓失信公司")
    order = CreditRecordFactory(employer=employer, kind=RecordKind.IGNORED_ORDER, amount=Decimal("60000"),
                                workers=12, months=2)
    listing = services.propose_listing(
        actor=users["handler"], employer_id=employer.pk, order_record_id=order.pk, reasons="逾期未支付工资",
        persons=[PersonData(role=ListedPerson.Role.LEGAL_REPRESENTATIVE, name="王五", id_number=rep)])
    client.force_login(users["leader"])
    assert client.get(reverse("insights:listing_docx", args=[listing.pk, "notice"])).status_code == 404
    services.issue_listing_notice(actor=users["leader"], listing_id=listing.pk)
    notice = _text(client.get(reverse("insights:listing_docx", args=[listing.pk, "notice"])).content)
    assert "告知书" in notice and "陈述和申辩" in notice and "岳麓失信公司" in notice
    services.record_statement(actor=users["handler"], listing_id=listing.pk, text="无", received_on=clock.today())
    services.decide_listing(actor=users["leader"], listing_id=listing.pk, list_it=True, reason="理由不成立")
    page = client.get(reverse("credit:listing", args=[listing.pk])).content.decode()
    assert reverse("insights:listing_docx", args=[listing.pk, "decision"]) in page
    decision = _text(client.get(reverse("insights:listing_docx", args=[listing.pk, "decision"])).content)
    assert "决定书" in decision and "王五" in decision and rep not in decision and "第四十八条" in decision
    client.force_login(users["outsider"])
    assert client.get(reverse("insights:listing_docx", args=[listing.pk, "notice"])).status_code == 404


def test_publication_as_word(client: Any, users: Any, city: Any) -> None:
    employer = EmployerFactory(org_unit=city["yuelu"], name="岳麓童工公司")
    CreditRecordFactory(employer=employer, kind=RecordKind.CHILD_LABOUR, occurred_on=date(2025, 2, 2),
                        description="使用童工一名")
    pub = services.generate_publication(actor=users["leader"], kind=Publication.Kind.MAJOR_VIOLATIONS,
                                        unit_id=city["yuelu"].pk, year=2025, quarter=1)
    client.force_login(users["leader"])
    text = _text(client.get(reverse("insights:publication_docx", args=[pub.pk])).content)
    assert "岳麓区2025年第1季度重大劳动保障违法行为" in text and "使用童工一名" in text
