"""The special-account deposit feed: what the project owner paid into the wage special account
for a project's labour cost of a month."""

from __future__ import annotations

from django.utils.translation import gettext_noop

from hexie.monitoring.feeds.columns import PROJECT, Column
from hexie.monitoring.feeds.spec import (
    PROJECT_CHECKS,
    FeedSpec,
    Key,
    amount_checks,
    date_checks,
    month_checks,
)
from hexie.monitoring.feeds.sql import amount_text, as_date, clean, fen, month

DEPOSIT = FeedSpec(
    name="deposit",
    columns=(
        PROJECT,
        Column("month", "payMonth", "拨付月份", ("month",)),
        Column("amount", "amount", "拨付金额", ()),
        Column("deposited_on", "depositDate", "拨付日期", ()),
    ),
    required=("project_code", "month", "amount", "deposited_on"),
    text={"project_code": clean("project_code"), "month_s": clean("month"), "amount_s": amount_text("amount"),
          "date_s": clean("deposited_on")},
    typed={"month": month("month_s"), "amount_fen": fen("amount_s"), "deposited_on": as_date("date_s")},
    checks=(
        *PROJECT_CHECKS,
        *month_checks("month", "month_s", "month"),
        *amount_checks("amount", "amount_s", "amount_fen"),
        *date_checks("deposited_on", "date_s", "deposited_on"),
    ),
    key=Key(("project_id", "month"), "month", gettext_noop("同一项目同一月份")),
    keep=("project_id", "month", "amount_fen", "deposited_on"),
    lake_select="SELECT project_id, month, amount_fen, deposited_on FROM conv ORDER BY project_id, month",
)
