"""A case document names the registered employer's legal representative: the employer the case is
linked to first, else the one its credit code names; never one found by a typed name."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

from hexie.cases.models import Case
from hexie.employers.tests.factories import EmployerFactory
from hexie.insights.document_context import build_case_context
from hexie.insights.models import DocumentKind

pytestmark = pytest.mark.django_db


def legal_rep(case: Case, city: dict[str, Any]) -> str:
    case = Case.objects.select_related("employer", "org_unit").get(pk=case.pk)
    ctx = build_case_context(case, DocumentKind.MEDIATION_AGREEMENT, number="X", issuer=city["yuelu"],
                             today=date(2026, 12, 1))
    return ctx["agreement"]["legal_representative"]


def test_the_linked_employer_s_representative_even_when_another_code_was_typed(
        make_case: Callable[..., Any], city: dict[str, Any]) -> None:
    linked = EmployerFactory(org_unit=city["yuelu"], legal_representative="王建国")
    typed = EmployerFactory(org_unit=city["yuelu"], legal_representative="李卫东")
    case = make_case(employer_credit_code=typed.credit_code)
    Case.objects.filter(pk=case.pk).update(employer=linked)  # the clerk corrected the link
    assert legal_rep(case, city) == "王建国"


def test_an_unlinked_case_s_credit_code_still_names_the_employer(make_case: Callable[..., Any],
                                                                   city: dict[str, Any]) -> None:
    employer = EmployerFactory(org_unit=city["yuelu"], legal_representative="李卫东")
    case = make_case(employer_credit_code=employer.credit_code)
    Case.objects.filter(pk=case.pk).update(employer=None)
    assert legal_rep(case, city) == "李卫东"


def test_a_typed_name_alone_names_no_representative(make_case: Callable[..., Any], city: dict[str, Any]) -> None:
    namesake = EmployerFactory(org_unit=city["furong"], name="同名建设有限公司", legal_representative="赵某")
    case = make_case(employer_credit_code="", employer_name=namesake.name)
    assert case.employer_id is None
    assert legal_rep(case, city) == "＿＿＿＿"


def test_a_linked_case_names_the_party_as_registered_an_unlinked_one_as_typed(
        make_case: Callable[..., Any], city: dict[str, Any]) -> None:
    registered = EmployerFactory(org_unit=city["yuelu"], name="长沙市岳麓建工集团有限公司")
    linked = make_case(employer_credit_code="", employer_name="岳麓建工")
    Case.objects.filter(pk=linked.pk).update(employer=registered)
    unlinked = make_case(employer_credit_code="", employer_name="岳麓建工")

    def party(case: Case) -> tuple[str, str]:
        case = Case.objects.select_related("employer", "org_unit").get(pk=case.pk)
        ctx = build_case_context(case, DocumentKind.MEDIATION_AGREEMENT, number="X", issuer=city["yuelu"],
                                 today=date(2026, 12, 1))
        return ctx["case"]["employer_name"], ctx["case"]["employer_credit_code"]

    assert party(linked) == ("长沙市岳麓建工集团有限公司", registered.credit_code)
    assert party(unlinked) == ("岳麓建工", "—")
