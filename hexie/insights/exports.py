"""Excel exports of the dashboard: every table carries the definition of what it counts.

Each sheet starts with the title, the scope and period, and one row per definition, then the
table itself, so a figure copied out of the workbook keeps its meaning.
"""

from __future__ import annotations

from io import BytesIO
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

from hexie.insights.kpis import KPI_DEFINITIONS, UNIT_LABELS

# What each chart is, and the KPI whose definition applies to it.
CHARTS: dict[str, tuple[str, str]] = {
    "kpis": ("指标汇总 KPIs", ""),
    "by_month": ("按月案件量及上年同期 Volume by month, with a year earlier", "volume"),
    "by_channel": ("按渠道案件量 Volume by channel", "volume"),
    "by_type": ("按类型案件量 Volume by type", "volume"),
    "by_area": ("按区域案件量 Volume by area", "volume"),
    "within_by_area": ("按区域法定期限内结案率 Within the legal time limit by area", "within_limit_rate"),
    "amount_by_area": ("按区域追回金额 Amount recovered by area", "amount_recovered"),
    "arbitration": ("劳动人事争议仲裁统计表 Arbitration statistics", ""),
}


def _head(ws: Worksheet, title: str, data: dict[str, Any], definitions: list[tuple[str, str]]) -> None:
    ws.append([title])
    ws["A1"].font = Font(bold=True, size=13)
    ws.append(["范围 Scope", f"{data['scope']['name']} {data['scope']['code']}".strip()])
    ws.append(["统计期 Period", f"{data['start'].isoformat()} — {data['end'].isoformat()}",
               "数据截至 As of", data["today"].isoformat()])
    for name, text in definitions:
        ws.append(["口径 Definition", name, text])
    ws.append([])


def _header(ws: Worksheet, cells: list[str]) -> None:
    ws.append(cells)
    for cell in ws[ws.max_row]:
        cell.font = Font(bold=True)


def _def(code: str) -> tuple[str, str]:
    d = KPI_DEFINITIONS[code]
    return d.name, d.definition


def write_sheet(ws: Worksheet, chart: str, data: dict[str, Any]) -> None:
    """One chart's table, with its definition rows, on a worksheet."""
    title, code = CHARTS[chart]
    ws.title = chart[:31]
    series = data["series"]
    if chart == "kpis":
        _head(ws, title, data, [])
        _header(ws, ["指标 KPI", "数值 Value", "单位 Unit", "分子 Numerator", "分母 Denominator", "口径 Definition"])
        for item in data["kpis"].values():
            d = item["definition"]
            ws.append([d["name"], item.get("note") or item["value"], d["unit_label"], item["numerator"],
                       item["denominator"], d["definition"]])
    elif chart == "arbitration":
        _head(ws, title, data, [(r["label"], r["definition"]) for r in data["arbitration"]])
        _header(ws, ["分组 Group", "项目 Item", "数值 Value", "单位 Unit"])
        for r in data["arbitration"]:
            ws.append([r["group"], r["label"], r["value"], UNIT_LABELS[r["unit"]]])
    elif chart == "by_month":
        _head(ws, title, data, [_def("volume"), _def("volume_yoy")])
        _header(ws, ["月份 Month", "案件量 Volume", "上年同期 A year earlier"])
        for r in series["by_month"]:
            ws.append([r["month"], r["count"], r["last_year"]])
    elif chart in ("by_channel", "by_type"):
        _head(ws, title, data, [_def(code)])
        _header(ws, ["分类 Category", "案件量 Volume"])
        for r in series[chart]:
            ws.append([r["label"], r["count"]])
    elif chart == "by_area":
        _head(ws, title, data, [_def(code)])
        _header(ws, ["区域代码 Code", "区域 Area", "案件量 Volume"])
        for r in series["by_area"]:
            ws.append([r["code"], r["name"], r["count"]])
    elif chart == "within_by_area":
        _head(ws, title, data, [_def(code)])
        _header(ws, ["区域代码 Code", "区域 Area", "期限内办结 Within", "已办结或超期 Resolved or late", "比率 Rate %"])
        for r in series["by_area"]:
            ws.append([r["code"], r["name"], r["within"], r["assessed"], r["within_limit_rate"]])
    elif chart == "amount_by_area":
        _head(ws, title, data, [_def(code)])
        _header(ws, ["区域代码 Code", "区域 Area", "办结案件 Resolved cases", "追回金额（元） Amount recovered"])
        for r in series["by_area"]:
            ws.append([r["code"], r["name"], r["resolved"], r["amount_recovered"]])
    else:
        raise KeyError(chart)
    ws.column_dimensions["A"].width = 28
    ws.column_dimensions["B"].width = 24
    ws.column_dimensions["C"].width = 18


def workbook(data: dict[str, Any], chart: str = "all") -> bytes:
    """The .xlsx bytes of one chart's table, or of every table (`all`), one sheet each."""
    wb = Workbook()
    charts = list(CHARTS) if chart == "all" else [chart]
    first = True
    for name in charts:
        ws = wb.active if first else wb.create_sheet()
        assert ws is not None
        write_sheet(ws, name, data)
        first = False
    out = BytesIO()
    wb.save(out)
    return out.getvalue()
