"""A bulletin as files: its charts (matplotlib), its Word document (the bulletin template, docxtpl)
and its PDF (LibreOffice, when installed), from the figures `bulletins.build_bulletin_data` read.

Nothing here reads cases or writes rows: `services.bulletins` stores what `render_bulletin` returns.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date
from typing import Any

from docx.shared import Mm
from docxtpl import DocxTemplate, InlineImage

from hexie.cases.models import Channel
from hexie.insights import charts
from hexie.insights.bulletins import definitions, summary, volume_trend
from hexie.insights.document_rules import bureau_name
from hexie.insights.formatting import cn_date
from hexie.insights.models import BULLETIN_TEMPLATE_KIND, PeriodKind
from hexie.insights.pdf import convert_to_pdf
from hexie.insights.periods import Period
from hexie.insights.rendering import render_docx, template_row, template_source
from hexie.orgs.models import OrgLevel, OrgUnit
from hexie.orgs.scoping import unit_ids_under

KIND_WORD: dict[str, str] = {PeriodKind.WEEKLY: "周调度", PeriodKind.MONTHLY: "月度", PeriodKind.QUARTERLY: "季度"}


@dataclass(frozen=True)
class RenderedBulletin:
    """What a bulletin is made of once rendered, ready to store."""

    docx: bytes
    pdf: bytes | None
    pdf_note: str  # why there is no PDF; empty when there is one
    note: str  # what the document itself says about how it was made
    template_version: int
    stem: str  # the files' name without extension


def bulletin_title(kind: str, period: Period) -> str:
    return f"劳动关系工作{KIND_WORD[kind]}通报（{period.label}）"


def _channel_label(code: str, cjk: bool) -> str:
    label = str(Channel(code).label)
    zh, _sep, en = label.partition(" ")
    return zh if cjk else (en or code)


def _charts(tpl: DocxTemplate, unit: OrgUnit, period: Period, data: dict[str, Any],
            ids: list[int]) -> dict[str, Any]:
    cjk = charts.cjk_font() is not None
    ranking = sorted(data["ranking"], key=lambda r: r["code"])
    level = "街道" if unit.level == OrgLevel.DISTRICT else "区县"
    unit_labels = [r["name"] if cjk else r["code"] for r in ranking]
    by_unit = charts.bar_chart(unit_labels or ["—"], [r["received"] for r in ranking] or [0],
                               title=f"{level}受理量" if cjk else "Cases received by unit")
    channels = sorted((c for c in data["values"]["by_channel"] if c["count"]), key=lambda c: -c["count"])
    by_channel = charts.hbar_chart([_channel_label(c["key"], cjk) for c in channels] or ["—"],
                                   [c["count"] for c in channels] or [0],
                                   title="各渠道受理量" if cjk else "Cases received by channel")
    labels, counts, caption = volume_trend(ids, period)
    trend = charts.line_chart(labels, {"受理量" if cjk else "received": counts},
                              title=caption if cjk else "Cases received")
    def image(png: bytes) -> InlineImage:
        return InlineImage(tpl, io.BytesIO(png), width=Mm(150))

    return {"by_unit": image(by_unit), "by_unit_caption": f"各{level}受理量", "by_channel": image(by_channel),
            "trend": image(trend), "trend_caption": caption}


def _docx(unit: OrgUnit, period: Period, data: dict[str, Any], note: str, today: date) -> tuple[bytes, int]:
    """The Word document from the kind's bulletin template, and the template's version."""
    row = template_row(BULLETIN_TEMPLATE_KIND[period.kind])
    source, _default = template_source(row)
    ids = unit_ids_under(unit)
    issuer = bureau_name(unit) if unit.level in (OrgLevel.CITY, OrgLevel.DISTRICT) else unit.name
    title = bulletin_title(period.kind, period)
    level = "街道排名" if unit.level == OrgLevel.DISTRICT else "区县排名"

    def build(tpl: DocxTemplate) -> dict[str, Any]:
        return {
            "doc": {"title": title, "number": "", "date": cn_date(today), "issuer": issuer, "issuer_unit": unit.name},
            "bulletin": {"title": title, "issue": period.issue, "scope": unit.name, "period": period.span,
                         "note": note, "summary": summary(unit, period, data),
                         "kind": KIND_WORD[period.kind]},
            "figures": data["headline"],
            "charts": _charts(tpl, unit, period, data, ids),
            "ranking_title": level,
            "ranking": data["ranking"],
            "employers_by_complaints": data["employers_by_complaints"],
            "employers_by_warnings": data["employers_by_warnings"],
            "warnings": data["warnings"],
            "definitions": definitions(),
        }

    return render_docx(source, build), row.version


def render_bulletin(*, unit: OrgUnit, period: Period, data: dict[str, Any], today: date) -> RenderedBulletin:
    """The bulletin's Word document and PDF, with the note saying what is missing (a CJK font, the
    end of a period not over yet, LibreOffice)."""
    notes = [n for n in (charts.cjk_font_note(),) if n]
    if period.end >= today:
        notes.append(f"统计期间尚未结束，数据截至{cn_date(today)}。The period is not over: figures as of {today}.")
    note = " ".join(notes)
    docx, template_version = _docx(unit, period, data, note, today)
    stem = f"{period.kind}-{period.start:%Y%m%d}-{unit.code}"
    pdf, pdf_note = convert_to_pdf(docx, stem=stem)
    return RenderedBulletin(docx=docx, pdf=pdf, pdf_note=pdf_note, note=note,
                            template_version=template_version, stem=stem)
