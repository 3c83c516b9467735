"""The bulletin's worst-employer ranking counts each employer's file once: by the case's link to the
registry, else its credit code, else its exact name within its district. Namesakes are never merged."""

from __future__ import annotations

from typing import Any

import pytest
from django.db.models import Q

from hexie.employers.tests.factories import EmployerFactory
from hexie.insights.employer_ranking import employers_by_complaints
from hexie.orgs.models import Role
from hexie.orgs.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def furong_case(make_case: Any, city: dict[str, Any]) -> Any:
    desk = UserFactory(username="city_desk", role=Role.FRONT_DESK, org_unit=city["city"])

    def make(**kw: Any) -> Any:
        return make_case(actor=desk, org_unit_id=city["furong_street"].pk, **kw)
    return make


def rows() -> dict[tuple[str, str], int]:
    return {(r["name"], r["credit_code"]): r["cases"] for r in employers_by_complaints(Q())}


def test_a_linked_employer_counts_every_complaint_under_its_registered_name(make_case: Any, city: dict[str, Any]) -> None:
    gc = EmployerFactory(org_unit=city["yuelu"], name="湖南岳建建设集团有限公司")
    make_case(employer_credit_code=gc.credit_code, employer_name="岳建", complainant_phone="13900000401")
    make_case(employer_credit_code=gc.credit_code, employer_name="岳建集团", complainant_phone="13900000402")
    assert rows() == {(gc.name, gc.credit_code): 2}


def test_an_unlinked_complaint_with_the_registered_code_joins_the_employer(make_case: Any, city: dict[str, Any]) -> None:
    from hexie.cases.models import Case

    gc = EmployerFactory(org_unit=city["yuelu"], name="湖南岳建建设集团有限公司")
    make_case(employer_credit_code=gc.credit_code, complainant_phone="13900000403")
    loose = make_case(employer_credit_code=gc.credit_code, complainant_phone="13900000404")
    Case.objects.filter(pk=loose.pk).update(employer=None)  # a clerk removed the link
    assert rows() == {(gc.name, gc.credit_code): 2}


def test_registered_namesakes_in_two_districts_are_two_rows(make_case: Any, furong_case: Any,
                                                           city: dict[str, Any]) -> None:
    yuelu = EmployerFactory(org_unit=city["yuelu"], name="同名建设有限公司")
    furong = EmployerFactory(org_unit=city["furong"], name="同名建设有限公司")
    make_case(employer_credit_code=yuelu.credit_code, employer_name=yuelu.name, complainant_phone="13900000405")
    furong_case(employer_credit_code=furong.credit_code, employer_name=furong.name, complainant_phone="13900000406")
    furong_case(employer_credit_code=furong.credit_code, employer_name=furong.name, complainant_phone="13900000407")
    assert rows() == {(yuelu.name, yuelu.credit_code): 1, (furong.name, furong.credit_code): 2}


def test_a_typed_name_is_never_matched_to_the_registered_employer_of_that_name(make_case: Any,
                                                                               city: dict[str, Any]) -> None:
    gc = EmployerFactory(org_unit=city["yuelu"], name="湖南岳建建设集团有限公司")
    make_case(employer_credit_code=gc.credit_code, employer_name=gc.name, complainant_phone="13900000408")
    make_case(employer_credit_code="", employer_name=gc.name, complainant_phone="13900000409")
    # Two rows; the unregistered one says where it is, as the names read alike.
    assert rows() == {(gc.name, gc.credit_code): 1, (f"{gc.name}（岳麓区）", "—"): 1}


def test_an_unregistered_name_counts_once_per_district(make_case: Any, furong_case: Any) -> None:
    for phone in ("13900000410", "13900000411"):
        make_case(employer_credit_code="", employer_name="某劳务班组", complainant_phone=phone)
    furong_case(employer_credit_code="", employer_name="某劳务班组", complainant_phone="13900000412")
    assert rows() == {("某劳务班组（岳麓区）", "—"): 2, ("某劳务班组（芙蓉区）", "—"): 1}


def test_an_unregistered_name_in_one_district_is_one_row_without_a_suffix(make_case: Any) -> None:
    for phone in ("13900000413", "13900000414"):
        make_case(employer_credit_code="", employer_name="某劳务班组", complainant_phone=phone)
    assert rows() == {("某劳务班组", "—"): 2}


def test_the_ranking_is_a_fixed_number_of_queries(make_case: Any, city: dict[str, Any],
                                                   django_assert_num_queries: Any) -> None:
    gc = EmployerFactory(org_unit=city["yuelu"])
    for i in range(4):
        make_case(employer_credit_code=gc.credit_code, complainant_phone=f"1390000042{i}")
        make_case(employer_credit_code="", employer_name=f"班组{i}", complainant_phone=f"1390000043{i}")
    with django_assert_num_queries(4):
        employers_by_complaints(Q())
