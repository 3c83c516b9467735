"""The insights tests' shared scene: the hand-made dataset of ``dataset.py``."""

from __future__ import annotations

from typing import Any

import pytest

from hexie.cases.models import Case
from hexie.insights.tests import dataset as hand_made


@pytest.fixture
def dataset(city: dict[str, Any], users: dict[str, Any], calendar: None) -> dict[str, Case]:
    return hand_made.build(city)
