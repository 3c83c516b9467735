"""What the API fuzzing (``test_api_fuzz``) found, each kept as one request: the answer is
documented in ``/api/schema/`` (status, content type and body)."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from hexie.demo.tests import fuzz
from hexie.demo.tests.test_api_fuzz import token_for
from hexie.monitoring.models import ImportBatch

pytestmark = pytest.mark.django_db


@pytest.fixture
def batch(city: dict[str, Any], users: dict[str, Any]) -> ImportBatch:
    return ImportBatch.objects.create(feed="attendance", source="upload", original_name="考勤.csv", file="imports/a.csv",
                                      sha256="b" * 64, org_unit=city["yuelu"], created_by=users["desk"],
                                      state=ImportBatch.State.DONE, finished_at=timezone.now())


def test_a_withdrawal_reason_with_a_nul_character_is_a_documented_refusal(batch, users):
    response, failures = fuzz.call_documented(
        method="post", path="/api/v1/monitoring/imports/{id}/withdraw/", token=token_for(users["leader"].username),
        path_parameters={"id": batch.pk}, body={"reason": "重复\x00上传"})
    assert response.status_code == 400 and "reason" in response.json()
    assert failures == []
    batch.refresh_from_db()
    assert batch.state == ImportBatch.State.DONE


def test_a_missing_withdrawal_reason_is_a_documented_refusal(batch, users):
    response, failures = fuzz.call_documented(
        method="post", path="/api/v1/monitoring/imports/{id}/withdraw/", token=token_for(users["leader"].username),
        path_parameters={"id": batch.pk}, body={})
    assert response.status_code == 400 and response.json()["field"] == "reason"
    assert failures == []
