"""Fixtures the bridge tests share beyond the root conftest."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient


@pytest.fixture
def api_client_for(db: Any) -> Any:
    """An API client authenticated with the given user's token, as a sending system is."""

    def make(user: Any) -> APIClient:
        client = APIClient()
        token, _ = Token.objects.get_or_create(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return client

    return make


@pytest.fixture
def api(api_client_for: Any, users: Any, calendar: Any) -> APIClient:
    """The front desk's client, as the sending system authenticates."""
    return api_client_for(users["desk"])
