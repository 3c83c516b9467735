"""Numbers as a Chinese reader expects them, on every page that prints money, months or shares."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

from hexie.core.templatetags import hexie_format as F


@pytest.mark.parametrize(("value", "shown"), [
    (Decimal("32000"), "32,000.00 元"),
    (4440550.4, "4,440,550.40 元"),
    ("229410.0", "229,410.00 元"),
    (0, "0.00 元"),
    (Decimal("-12.345"), "-12.35 元"),
    (None, ""),
])
def test_money_has_thousands_separators_and_two_decimals(value, shown):
    with translation.override("zh-hans"):
        assert F.yuan(value) == shown


def test_money_that_is_not_a_number_is_shown_as_it_came():
    assert F.yuan("n/a") == "n/a"


def test_large_sums_read_in_wan_yuan_and_small_ones_stay_in_yuan():
    with translation.override("zh-hans"):
        assert F.wan_yuan(4440550.4) == "444.06 万元"
        assert F.wan_yuan(Decimal("100000")) == "10.00 万元"
        assert F.wan_yuan(Decimal("99999.99")) == "99,999.99 元"


@pytest.mark.parametrize(("value", "shown"), [
    (202611, "2026年11月"), ("2026-01", "2026年1月"), ("202612", "2026年12月"),
    (202613, "202613"), ("", ""), (None, ""),
])
def test_months_read_as_year_and_month(value, shown):
    with translation.override("zh-hans"):
        assert F.month(value) == shown


@pytest.mark.parametrize(("value", "shown"), [(10, "10.0%"), (12.345, "12.3%"), (Decimal("99.95"), "100.0%"),
                                              ("x", "x")])
def test_percentages_have_one_decimal(value, shown):
    assert F.pct(value) == shown


def test_counts_are_grouped():
    assert F.count(1234567) == "1,234,567"


def test_filters_load_in_a_template():
    out = Template("{% load hexie_format %}{{ a|yuan }} · {{ m|month }} · {{ p|pct }}").render(
        Context({"a": Decimal("32000"), "m": 202611, "p": 7.25}))
    with translation.override("zh-hans"):
        assert out == "32,000.00 元 · 2026年11月 · 7.3%"


def test_dashboard_figures_carry_their_unit():
    with translation.override("zh-hans"):
        assert F.figure(4440550.4, "yuan") == "444.06 万元"
        assert F.figure(87.25, "percent") == "87.3%"
        assert F.figure(12345, "count") == "12,345"
        assert F.figure(12.5, "working_days") == "12.5"
