"""The monthly payroll feed of the wage special account: what each worker was owed and paid for a
month on a project, when, and to which bank card (stored encrypted, with its last four digits).

A worker × project × month has one ordinary row. A later import may add to it: a back-pay row
(isBackPay / 是否补发) adds to what was paid; a correction row (isCorrection / 是否更正) replaces
the earlier row, which stays in the lake as history (the pipeline counts the latest)."""

from __future__ import annotations

from django.utils.translation import gettext_noop

from hexie.monitoring.feeds.columns import ID_NUMBER, PROJECT, Column
from hexie.monitoring.feeds.spec import (
    PROJECT_CHECKS,
    WORKER_CHECKS,
    Check,
    FeedSpec,
    Key,
    amount_checks,
    date_checks,
    month_checks,
)
from hexie.monitoring.feeds.sql import amount_text, as_date, clean, fen, minutes_from_hours, month


def _flag(text: str) -> str:
    """A yes/no cell: blank is no; anything but the usual spellings is NULL (an error)."""
    return (f"CASE WHEN {text} IS NULL OR {text} IN ('0', 'false', '否', 'n', 'no', 'f') THEN false "
            f"WHEN {text} IN ('1', 'true', '是', 'y', 'yes', 't') THEN true END")


PAYROLL = FeedSpec(
    name="payroll",
    columns=(
        PROJECT, ID_NUMBER,
        Column("pay_month", "payMonth", "工资月份", ("month", "月份")),
        Column("days", "days", "出勤天数", ("workdays",)),
        Column("work_hours", "workHours", "工时", ("hours",)),
        Column("gross", "totalPayAmount", "应发金额", ("应发工资",)),
        Column("net", "actualAmount", "实发金额", ("实发工资",)),
        Column("paid_on", "balanceDate", "发放日期", ("paydate",)),
        Column("bank_card", "bankCardNumber", "银行卡号", ("bankcard",)),
        Column("is_back_pay", "isBackPay", "是否补发", ()),
        Column("is_correction", "isCorrection", "是否更正", ()),
    ),
    required=("project_code", "id_number", "pay_month", "gross", "net"),
    text={
        "project_code": clean("project_code"), "idn": clean("id_number"), "month_s": clean("pay_month"),
        "days_s": clean("days"), "hours_s": clean("work_hours"),
        "gross_s": amount_text("gross"), "net_s": amount_text("net"), "paid_s": clean("paid_on"),
        # Card numbers are often typed in groups: "6222 0212 3456 7890", "6222-0212-…".
        "card_s": r"nullif(regexp_replace(coalesce(bank_card, ''), '[\s-]', '', 'g'), '')",
        "back_s": f"lower({clean('is_back_pay')})",
        "corr_s": f"lower({clean('is_correction')})",
    },
    typed={
        "month": month("month_s"),
        "days": "CASE WHEN regexp_full_match(days_s, '[0-9]{1,3}') THEN CAST(days_s AS INTEGER) END",
        "minutes": minutes_from_hours("hours_s"),
        "gross_fen": fen("gross_s"), "net_fen": fen("net_s"), "paid_on": as_date("paid_s"),
        "is_back_pay": _flag("back_s"),
        "is_correction": _flag("corr_s"),
    },
    derived={
        # What may appear once per file: the ordinary row, one back-pay row and one correction.
        "row_kind": "CASE WHEN is_back_pay THEN 'back_pay' WHEN is_correction THEN 'correction' "
                    "ELSE 'row' END",
    },
    checks=(
        *PROJECT_CHECKS, *WORKER_CHECKS,
        *month_checks("pay_month", "month_s", "month"),
        Check("days", "days_s IS NOT NULL AND (days IS NULL OR days > 31)",
              gettext_noop("出勤天数应为0至31的整数")),
        Check("work_hours", "hours_s IS NOT NULL AND minutes IS NULL",
              gettext_noop("工时格式不正确，应为小时数")),
        Check("work_hours", "minutes > 31 * 24 * 60", gettext_noop("工时超过一个月的小时数")),
        *amount_checks("gross", "gross_s", "gross_fen"),
        Check("net", "net_s IS NULL AND paid_s IS NOT NULL",
              gettext_noop("已填写发放日期的，须填写实发金额")),
        *amount_checks("net", "net_s", "net_fen", required=False),
        Check("net", "net_fen > gross_fen", gettext_noop("实发金额大于应发金额")),
        *date_checks("paid_on", "paid_s", "paid_on", required=False),
        Check("bank_card", "card_s IS NOT NULL AND NOT regexp_full_match(card_s, '[0-9]{12,19}')",
              gettext_noop("银行卡号应为12至19位数字")),
        Check("is_back_pay", "is_back_pay IS NULL",
              gettext_noop("是否补发应为 是/否、1/0 或 true/false")),
        Check("is_correction", "is_correction IS NULL",
              gettext_noop("是否更正应为 是/否、1/0 或 true/false")),
        Check("is_correction", "is_back_pay AND is_correction",
              gettext_noop("同一行不能既是补发又是更正")),
    ),
    key=Key(("worker_id", "project_id", "month", "row_kind"), "pay_month", gettext_noop("同一人同一项目同一月份的同类记录"),
            lake_columns=("worker_id", "project_id", "month"),
            lake_when="NOT is_back_pay AND NOT is_correction", corrects="is_correction"),
    keep=("project_id", "worker_id", "month", "days", "minutes", "gross_fen", "net_fen", "paid_on", "card_s",
          "is_back_pay", "is_correction", "row_kind"),
    encrypted="card_s",
    lake_select="SELECT c.worker_id, c.project_id, c.month, c.days, CAST(c.minutes AS INTEGER) AS minutes, "
                "c.gross_fen, c.net_fen, c.paid_on, k.token AS bank_card_token, "
                "right(c.card_s, 4) AS bank_card_last4, c.is_back_pay, c.is_correction "
                "FROM conv c LEFT JOIN tokens k ON k.plain = c.card_s "
                "ORDER BY c.project_id, c.month, c.worker_id",
)
