"""A filing whose attachments are not files is refused the way the document says: the field, then
a list of messages (not a map of positions)."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from hexie.cases.models import Case
from hexie.portal.tests.test_portal import api_data

pytestmark = pytest.mark.django_db


def test_attachments_that_are_not_files_are_one_list_of_messages(city):
    data = {**api_data(), "attachments": ["not a file", "nor this"]}
    response = APIClient().post("/api/v1/public/complaints/", data, format="multipart")
    assert response.status_code == 400
    messages = response.json()["attachments"]
    assert isinstance(messages, list) and messages and all(isinstance(m, str) for m in messages)
    assert "证据材料" in messages[0]
    assert not Case.objects.exists()
