"""What a warning says: its one-line summary, its evidence, when it counts as changed, why it
cleared, and the text of the case red warnings open. Pure: no database (the workers named and
the warnings quoted are handed in).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from hexie.core.pii import mask_id_number
from hexie.monitoring import rules as R
from hexie.monitoring.months import add_months, last_day, month_label, month_text

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from hexie.employers.models import Project, Worker
    from hexie.monitoring.detect import Found
    from hexie.monitoring.models import Warning

WORKERS_LISTED = 50  # workers named (with masked ID) in a warning's evidence

RESOLUTIONS: dict[str, StrOrPromise] = {
    "no_payment": _("已收到工资发放记录，预警自动消除"),
    "paid_late": _("逾期发放记录已更正或撤回，预警自动消除"),
    "unpaid_share": _("已收到工资记录，预警自动消除"),
    "fewer_paid": _("已收到工资发放记录，预警自动消除"),
    "exit_unsettled": _("已收到退场工资结清记录，预警自动消除"),
    "below_minimum": _("人均工资已不低于最低工资标准，预警自动消除"),
    "pay_over_month": _("工资发放记录已更正，预警自动消除"),
    "pay_over_year": _("工资发放记录已更正，预警自动消除"),
    "no_deposit": _("已收到专户拨付记录，预警自动消除"),
    "open_complaint": _("投诉已办结，预警自动消除"),
}
RULE_OFF = _("预警规则已停用，预警随之消除")


def summary(rule: str, month: int, found: Found, *, threshold: int) -> str:
    """One line in Chinese saying what the rule saw, e.g. "2026年10月：有考勤的386人中41人无工资记录（10.6%）"."""
    d, m = found.detail, month_label(month)
    if rule == "no_payment":
        return (f"{m}：有考勤的{d.get('attending', found.workers)}人（共{d.get('attendance_days', 0)}人天）"
                f"截至{last_day(add_months(month, 1)):%Y年%m月%d日}无工资发放记录")
    if rule == "paid_late":
        return (f"{m}：有考勤的{d.get('attending', 0)}人在应付日期{last_day(add_months(month, 1)):%Y年%m月%d日}前"
                f"无人领到工资，其后{found.workers}人逾期发放")
    if rule == "unpaid_share":
        attending, unpaid = d.get("attending", 0), d.get("unpaid", found.workers)
        share = f"{unpaid * 100 / attending:.1f}" if attending else "0"
        return f"{m}：有考勤的{attending}人中{unpaid}人无任何工资记录（{share}%）"
    if rule == "fewer_paid":
        attending, paid = d.get("attending", 0), d.get("paid", 0)
        return f"{m}：有考勤{attending}人，已发放工资{paid}人，少{attending - paid}人"
    if rule == "below_minimum":
        return (f"{m}：发放工资{d.get('paid', 0)}人，人均应发{R.yuan_grouped(d.get('avg_gross_fen', 0))}元，"
                f"低于当地月最低工资{R.yuan_grouped(d.get('min_wage_fen', 0))}元")
    if rule == "pay_over_month":
        return (f"{m}：{found.workers}人当月在各项目合计应发工资超过{threshold:,}元"
                f"（合计{R.yuan_grouped(found.amount_fen)}元），疑似由班组长代领")
    if rule == "pay_over_year":
        return (f"{month // 100}年1—{month % 100}月：{found.workers}人在各项目累计应发超过{threshold:,}元"
                f"（合计{R.yuan_grouped(found.amount_fen)}元），疑似由班组长代领")
    if rule == "exit_unsettled":
        return f"{m}：{found.workers}人已退场超过{threshold}天，仍无已发放的工资记录"
    if rule == "no_deposit":
        return f"{m}：有考勤的{d.get('attending', found.workers)}人，当月未向工资专用账户拨付人工费用"
    if rule == R.OPEN_COMPLAINT:
        numbers = "、".join(c["number"] for c in found.cases[:3]) + ("等" if len(found.cases) > 3 else "")
        return (f"截至{m}末有在办投诉{len(found.cases)}件（涉及{found.workers}人，"
                f"金额{R.yuan_grouped(found.amount_fen)}元）：{numbers}")
    return f"{m}：{found.workers}人"


def _worker_list(found: Found, workers: dict[int, Worker]) -> list[dict[str, Any]]:
    out = []
    for wid in found.worker_ids[:WORKERS_LISTED]:
        w = workers.get(wid)
        out.append({"id": wid, "name": w.name if w else gettext("（未登记）"),
                    "id_number": mask_id_number(w.id_number) if w else ""})
    return out


def evidence(found: Found, *, month: int, threshold: int, as_of: date, workers: dict[int, Worker]) -> dict[str, Any]:
    """What the rule saw, for the inspector: counts, amounts, figures and the workers concerned."""
    ev: dict[str, Any] = {
        "month": month, "as_of": as_of.isoformat(), "threshold": threshold,
        "workers": found.workers, "amount_fen": found.amount_fen, "amount_yuan": R.yuan(found.amount_fen),
        "worker_ids": list(found.worker_ids), "worker_list": _worker_list(found, workers),
        "detail": dict(found.detail),
    }
    if found.cases:
        ev["cases"] = found.cases
    return ev


def fingerprint(ev: dict[str, Any]) -> tuple[Any, ...]:
    """What counts as a change of a warning (not the date it was seen on, nor the names shown)."""
    return (ev.get("workers"), ev.get("amount_fen"), tuple(ev.get("worker_ids", ())),
            tuple(sorted(ev.get("detail", {}).items())), ev.get("threshold"),
            tuple(c.get("id") for c in ev.get("cases", ())))



ARREARS_RULES = ("no_payment", "unpaid_share", "exit_unsettled")


def estimated_arrears_fen(warnings: Sequence[Warning], min_wage_fen: int) -> int:
    """A rough figure for the case: the largest count of unpaid workers × the local minimum wage,
    plus any below-minimum shortfall. Only an order of magnitude: the inspector establishes the
    real amount."""
    unpaid = max((w.evidence.get("workers", 0) for w in warnings if w.rule.code in ARREARS_RULES), default=0)
    shortfall = sum(w.evidence.get("amount_fen", 0) for w in warnings if w.rule.code == "below_minimum")
    return unpaid * min_wage_fen + shortfall


def finding_lines(warnings: Sequence[Warning]) -> str:
    """One line per warning, its grade first, for a case's description and timeline."""
    return "\n".join(f"- 【{w.get_grade_display()}】{w.rule.name}：{w.summary}" for w in warnings)


def case_description(project: Project, month: int, reds: Sequence[Warning], *, workers: int,
                     amount: Decimal) -> str:
    """The description of the case a project's red warnings of a month open; the figures are estimates."""
    return (
        f"欠薪监测预警：{project.name}（{project.code}）{month_label(month)}触发红色预警{len(reds)}项，"
        f"估算涉及{workers}人、约{amount:,.2f}元（估算，待核实）。\n{finding_lines(reds)}\n"
        f"Wage-payment monitoring: {len(reds)} red warning(s) on this project for {month_text(month)}; "
        "the figures are estimates for the inspector to verify."
    )


def resolution(rule: str, *, rule_on: bool, as_of: date | None = None, changes: Sequence[str] = (),
               threshold: tuple[int, int] | None = None, paid_late: bool = False) -> str:
    """Why a warning cleared, saying what changed in the data: the imports that touched the month
    since it was last seen (``changes``), a threshold changed (old, new), pay that arrived after
    its due date (``paid_late``: recorded as a finding of its own), or the rule switched off."""
    if not rule_on:
        return str(RULE_OFF)
    parts = [str(RESOLUTIONS.get(rule, RESOLUTIONS["no_payment"]))]
    if paid_late:
        parts.append(gettext("工资晚于应付日期到账，另记“工资逾期发放”"))
    if threshold is not None and threshold[0] != threshold[1]:
        parts.append(f"阈值由{threshold[0]:,}改为{threshold[1]:,} threshold changed")
    if changes:
        parts.append(gettext("数据变化：") + "；".join(changes))
    elif threshold is None or threshold[0] == threshold[1]:
        parts.append(gettext("无新导入"))
    if as_of is not None:
        parts.append(f"截至{as_of:%Y-%m-%d}判断 as of {as_of.isoformat()}")
    text = "；".join(parts)
    return text if len(text) <= 300 else text[:299] + "…"
