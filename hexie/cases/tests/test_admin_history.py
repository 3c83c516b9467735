"""An object's history in the admin is the audit log: it opens only for who may view the row."""

from __future__ import annotations

import pytest

from hexie.orgs.models import Role
from hexie.orgs.tests.factories import UserFactory


@pytest.fixture
def furong_admin(city):
    return UserFactory(username="fr_admin", role=Role.ADMIN, org_unit=city["furong"])


def test_another_districts_case_history_answers_like_a_missing_case(client, make_case, furong_admin):
    case = make_case()
    client.force_login(furong_admin)
    theirs = client.get(f"/admin/cases/case/{case.pk}/history/")
    missing = client.get("/admin/cases/case/987654321/history/")
    assert theirs.status_code == missing.status_code == 404
    assert case.number not in theirs.content.decode()


def test_a_superuser_reads_a_cases_history(client, make_case, django_user_model):
    case = make_case()
    client.force_login(django_user_model.objects.create_superuser("root", "root@bureau.example", "pw-root-123"))
    page = client.get(f"/admin/cases/case/{case.pk}/history/")
    assert page.status_code == 200 and case.number in page.content.decode()
