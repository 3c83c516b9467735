"""A bulletin's sentence says large sums in 万元, as Chinese official writing does; small ones in yuan."""

from __future__ import annotations

from decimal import Decimal

import pytest

from hexie.insights.formatting import money_in_words


@pytest.mark.parametrize(("amount", "words"), [
    ("4440550.4", "444.06万元"), ("100000", "10.00万元"), ("99999.99", "99,999.99元"), ("8000", "8,000.00元"),
    (None, "0.00元"),
])
def test_money_in_words(amount, words):
    assert money_in_words(Decimal(amount) if amount is not None else None) == words
