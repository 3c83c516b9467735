"""Warning-rule defaults (shared/domain/rules.md §3) and the local minimum wage, as data.

Pure: no database. Migration 0002 seeds these rows; a bureau then changes threshold, grade and
on/off in the admin. Every rule names its legal basis; a basis not yet checked against the
official text says "(verify)", as the rules document does.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext_lazy as _

from hexie.monitoring.months import add_months, last_day

REGULATION = "《保障农民工工资支付条例》"

# The eight rules the pipeline evaluates, then the one computed from cases.
RULE_DEFAULTS: list[dict[str, Any]] = [
    {"code": "no_payment", "sort": 10, "grade": "red", "threshold": Decimal(0),
     "name": _("考勤无工资发放"),
     "description": _("项目当月有考勤，次月末已过仍没有从工资专用账户发放工资的记录（工资到账后自动消除）。"),
     "threshold_label": _("不使用"),
     "basis": f"{REGULATION}第十二条、第十三条（按月足额支付）、第三十一条（总包代发） Arts. 12, 13, 31"},
    {"code": "paid_late", "sort": 15, "grade": "yellow", "threshold": Decimal(0),
     "name": _("工资逾期发放"),
     "description": _("项目当月有考勤，次月末前没有任何工资到账，之后才发放（“考勤无工资发放”预警随之消除，逾期的事实留作记录）。"),
     "threshold_label": _("不使用"),
     "basis": f"{REGULATION}第十二条、第十三条（按月足额支付） Arts. 12, 13"},
    {"code": "unpaid_share", "sort": 20, "grade": "red", "threshold": Decimal(10),
     "name": _("无工资记录人数占比过高"),
     "description": _("当月有考勤的农民工中，没有任何工资记录的人数占比超过阈值（项目有工资记录即判断；次月末后，当月没有任何工资记录的项目全部计为无记录）。"),
     "threshold_label": _("百分比（%）"),
     "basis": f"{REGULATION}第十二条、第十五条（工资支付台账）、第三十一条 Arts. 12, 15, 31"},
    {"code": "fewer_paid", "sort": 30, "grade": "yellow", "threshold": Decimal(0),
     "name": _("发薪人数少于考勤人数"),
     "description": _("当月已发放工资（发放日期不晚于判断日、实发金额大于零）的人数少于有考勤的人数（差额超过阈值；次月末后判断）。"),
     "threshold_label": _("人数（人）"),
     "basis": f"{REGULATION}第十五条（工资支付台账）、第二十八条（实名制管理） Arts. 15, 28"},
    {"code": "below_minimum", "sort": 40, "grade": "red", "threshold": Decimal(100),
     "name": _("人均工资低于最低工资"),
     "description": _("当月人均应发工资低于当地月最低工资标准的阈值比例。"),
     "threshold_label": _("最低工资的百分比（%）"),
     "basis": "《最低工资规定》第十二条；" f"{REGULATION}第十二条 Minimum Wage Provisions Art. 12; Art. 12"},
    {"code": "pay_over_month", "sort": 50, "grade": "red", "threshold": Decimal(50000),
     "name": _("单人月工资畸高（疑似代领）"),
     "description": _("同一农民工当月在各项目合计应发工资超过阈值，疑似由班组长代领代发。"),
     "threshold_label": _("元/人/月"),
     "basis": f"{REGULATION}第十一条（支付给本人）、第三十一条（直接发放至本人账户） Arts. 11, 31"},
    {"code": "pay_over_year", "sort": 60, "grade": "red", "threshold": Decimal(300000),
     "name": _("单人年度工资畸高（疑似代领）"),
     "description": _("同一农民工本年度截至当月在各项目累计应发工资超过阈值。"),
     "threshold_label": _("元/人/年"),
     "basis": f"{REGULATION}第十一条、第三十一条 Arts. 11, 31"},
    {"code": "exit_unsettled", "sort": 70, "grade": "red", "threshold": Decimal(5),
     "name": _("退场未结清工资"),
     "description": _("农民工当月退场且有考勤，退场超过宽限天数仍无已发放的工资记录。"),
     "threshold_label": _("退场后宽限天数"),
     "basis": "《工资支付暂行规定》第九条（解除劳动合同时一次付清）；"
              f"{REGULATION}第二十八条 Interim Wage Payment Provisions Art. 9; Art. 28 (verify)"},
    {"code": "no_deposit", "sort": 80, "grade": "orange", "threshold": Decimal(0),
     "name": _("人工费用未拨付专户"),
     "description": _("项目当月有考勤，但当月没有向农民工工资专用账户拨付人工费用的记录。"),
     "threshold_label": _("不使用"),
     "basis": f"{REGULATION}第二十四条、第二十六条、第二十七条（工资专用账户） Arts. 24, 26, 27"},
    {"code": "open_complaint", "sort": 90, "grade": "yellow", "threshold": Decimal(0),
     "name": _("在办欠薪投诉"),
     "description": _("该项目有尚未办结的投诉（监测本身立的案件不计）。"),
     "threshold_label": _("不使用"),
     "basis": _("《劳动保障监察条例》第九条（投诉举报）")},
]

PIPELINE_RULES = tuple(r["code"] for r in RULE_DEFAULTS if r["code"] != "open_complaint")
DEFAULT_THRESHOLDS: dict[str, int] = {r["code"]: int(r["threshold"]) for r in RULE_DEFAULTS}
OPEN_COMPLAINT = "open_complaint"

# --- minimum wage ---------------------------------------------------------------------------

MIN_WAGE_BASIS = _("湖南省月最低工资标准（2025年4月1日起）")
MIN_WAGE_FROM = date(2025, 4, 1)
# Changsha: the city districts in the first tier; the county and county-level cities in the
# second (verify against the provincial notice).
MIN_WAGE_YUAN: dict[str, int] = {
    "430100": 2100,  # 长沙市
    "430102": 2100,  # 芙蓉区
    "430103": 2100,  # 天心区
    "430104": 2100,  # 岳麓区
    "430105": 2100,  # 开福区
    "430111": 2100,  # 雨花区
    "430112": 2100,  # 望城区
    "430121": 1900,  # 长沙县
    "430181": 1900,  # 浏阳市
    "430182": 1900,  # 宁乡市
}
# An area without a row of its own and outside the table: the lowest figure above, so that the
# below-minimum rule never fires on a figure the bureau has not set.
MIN_WAGE_FALLBACK_YUAN = 1900


def default_min_wage_fen(district_code: str) -> int:
    """The seeded monthly minimum (fen) for a division code or any code below it (a street's
    nine digits start with its district's six). Used when the database has no MinimumWage row."""
    code = (district_code or "").strip()
    for key in (code, code[:6], code[:4] + "00"):
        if key in MIN_WAGE_YUAN:
            return MIN_WAGE_YUAN[key] * 100
    return MIN_WAGE_FALLBACK_YUAN * 100


# When each rule can first be decided for a month: the rule is judged on an evaluation day strictly
# after this day (rules.md §3 "a rule becomes decidable on its due date"). The pay rules wait for
# the month's pay to fall due (the end of the next month); the deposit rule for the month's end;
# the leaver rule for its days of grace after the month's last possible exit. Rules on amounts
# (below the minimum, paid too much) are judged whenever rows exist, and fall due with the pay.

def pay_due(month: int) -> date:
    """The due date of a month's pay: the end of the following month (rules.md §3)."""
    return last_day(add_months(month, 1))


def waits_until(code: str, month: int, threshold: int = 0) -> date:
    """The last day on which rule ``code`` cannot yet be decided for ``month``."""
    if code == "no_deposit":
        return last_day(month)
    if code == "exit_unsettled":
        return last_day(month) + timedelta(days=max(int(threshold), 0))
    if code == "open_complaint":
        return last_day(month)
    return pay_due(month)


def decidable(code: str, month: int, as_of: date, threshold: int = 0) -> bool:
    """Whether a clean result of rule ``code`` on ``as_of`` settles ``month`` (a warning may clear).

    Rules judged whenever rows exist (pay records, amounts, leavers) can clear at any time; the
    rules that wait for a due date cannot clear before it (they are not judged at all), so that an
    evaluation day before the due date never claims a settlement arrived."""
    if code in ("no_payment", "paid_late", "fewer_paid", "no_deposit"):
        return as_of > waits_until(code, month, threshold)
    return True


def pipeline_threshold(code: str, threshold: Decimal) -> int:
    """The integer the pipeline reads for a rule (percent, workers, days or yuan, as each rule says)."""
    return int(threshold)


# --- amounts ---------------------------------------------------------------------------------


def yuan(fen: int) -> str:
    """Fen as a yuan string with two decimals ("12345.60"), exact (no floating point)."""
    sign = "-" if fen < 0 else ""
    whole, cents = divmod(abs(int(fen)), 100)
    return f"{sign}{whole}.{cents:02d}"


def yuan_grouped(fen: int) -> str:
    """Fen for people to read: "1,234.50"."""
    sign = "-" if fen < 0 else ""
    whole, cents = divmod(abs(int(fen)), 100)
    return f"{sign}{whole:,}.{cents:02d}"
