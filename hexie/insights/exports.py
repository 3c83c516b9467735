"""Excel exports of the dashboard: every table carries the definition of what it counts.

Each sheet starts with the title, the scope and period, and one row per definition, then the
table itself, so a figure copied out of the workbook keeps its meaning.
"""

from __future__ import annotations

from io import BytesIO
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

from hexie.insights.kpis import KPI_DEFINITIONS, UNIT_LABELS

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# What each chart is, and the KPI whose definition applies to it.
CHARTS: dict[str, tuple[StrOrPromise, str]] = {
    "kpis": (_("指标汇总"), ""),
    "by_month": (_("按月案件量及上年同期"), "volume"),
    "by_channel": (_("按渠道案件量"), "volume"),
    "by_type": (_("按类型案件量"), "volume"),
    "by_area": (_("按区域案件量"), "volume"),
    "within_by_area": (_("按区域法定期限内结案率"), "within_limit_rate"),
    "amount_by_area": (_("按区域追回金额"), "amount_recovered"),
    "arbitration": (_("劳动人事争议仲裁统计表"), ""),
}


def _head(ws: Worksheet, title: StrOrPromise, data: dict[str, Any], definitions: list[tuple[str, str]]) -> None:
    ws.append([str(title)])
    ws["A1"].font = Font(bold=True, size=13)
    ws.append([gettext("范围"), f"{data['scope']['name']} {data['scope']['code']}".strip()])
    ws.append([gettext("统计期"), f"{data['start'].isoformat()} — {data['end'].isoformat()}",
               gettext("数据截至"), data["today"].isoformat()])
    for name, text in definitions:
        ws.append([gettext("口径"), name, text])
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
        _header(ws, [gettext("指标"), gettext("数值"), gettext("单位"), gettext("分子"), gettext("分母"), gettext("口径")])
        for item in data["kpis"].values():
            d = item["definition"]
            ws.append([d["name"], item.get("note") or item["value"], d["unit_label"], item["numerator"],
                       item["denominator"], d["definition"]])
    elif chart == "arbitration":
        _head(ws, title, data, [(r["label"], r["definition"]) for r in data["arbitration"]])
        _header(ws, [gettext("分组"), gettext("项目"), gettext("数值"), gettext("单位")])
        for r in data["arbitration"]:
            ws.append([r["group"], r["label"], r["value"], str(UNIT_LABELS[r["unit"]])])
    elif chart == "by_month":
        _head(ws, title, data, [_def("volume"), _def("volume_yoy")])
        _header(ws, [gettext("月份"), gettext("案件量"), gettext("上年同期")])
        for r in series["by_month"]:
            ws.append([r["month"], r["count"], r["last_year"]])
    elif chart in ("by_channel", "by_type"):
        _head(ws, title, data, [_def(code)])
        _header(ws, [gettext("分类"), gettext("案件量")])
        for r in series[chart]:
            ws.append([r["label"], r["count"]])
    elif chart == "by_area":
        _head(ws, title, data, [_def(code)])
        _header(ws, [gettext("区域代码"), gettext("区域"), gettext("案件量")])
        for r in series["by_area"]:
            ws.append([r["code"], r["name"], r["count"]])
    elif chart == "within_by_area":
        _head(ws, title, data, [_def(code)])
        _header(ws, [gettext("区域代码"), gettext("区域"), gettext("期限内办结"), gettext("已办结或超期"), gettext("比率")])
        for r in series["by_area"]:
            ws.append([r["code"], r["name"], r["within"], r["assessed"], r["within_limit_rate"]])
    elif chart == "amount_by_area":
        _head(ws, title, data, [_def(code)])
        _header(ws, [gettext("区域代码"), gettext("区域"), gettext("办结案件"), gettext("追回金额（元）")])
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
