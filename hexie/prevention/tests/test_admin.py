"""The admin: a bureau edits its own score sheets only, and never a version an assessment used."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from hexie.orgs.models import Role
from hexie.orgs.tests.factories import UserFactory
from hexie.prevention.models import Assessment, ScoreSheet


@pytest.mark.django_db
def test_a_district_administrator_changes_its_own_sheet_not_the_default_nor_a_used_one(
        client: Client, city: dict[str, Any], employers: dict[str, Any], checkup: ScoreSheet) -> None:
    admin = UserFactory(username="yl_admin", role=Role.ADMIN, org_unit=city["yuelu"])
    own = ScoreSheet.objects.create(code="checkup", version=1, kind="checkup", name="岳麓区体检表",
                                    owner_unit=city["yuelu"], effective_from=date(2026, 1, 1),
                                    total_points=Decimal(100), legal_basis="x")
    client.force_login(admin)
    change = "/admin/prevention/scoresheet/{}/change/"
    assert client.get(change.format(own.pk)).status_code == 200
    page = client.get(change.format(checkup.pk))
    assert page.status_code == 200 and b'name="name"' not in page.content  # read-only for the district
    r = client.post(change.format(checkup.pk), {"name": "改过的"})
    assert r.status_code == 403
    checkup.refresh_from_db()
    assert checkup.name == "劳动用工体检表"
    # Once an assessment used the district's own version, it is read-only too.
    Assessment.objects.create(sheet=own, kind="checkup", employer=employers["yuelu"], year=2026,
                              started_at=timezone.now())
    page = client.get(change.format(own.pk))
    assert page.status_code == 200 and b'name="name"' not in page.content
