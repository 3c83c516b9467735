"""Weekly, monthly and quarterly bulletins (周调度、月度、季度通报) as Word documents.

`generate_bulletin` computes the period's figures for an org unit (the KPIs of
hexie.insights.kpis, with their definitions), draws the charts, ranks the units below it and the
employers with the most complaints and warnings, renders the bulletin template, converts it to PDF
when LibreOffice is installed, and stores it: one row per kind, period and unit, replaced when
generated again. The scheduled tasks (tasks.py) call `generate_scheduled` for the city and each
district; leaders generate on demand from the bulletins page.

Periods: weekly = Monday to Sunday, monthly = calendar month, quarterly = calendar quarter.
"""

from __future__ import annotations

import io
import logging
import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth, TruncWeek
from django.http import Http404
from django.utils import timezone
from docx.shared import Mm
from docxtpl import DocxTemplate, InlineImage

from hexie.cases.models import Case, Channel
from hexie.core import clock
from hexie.core.enums import RiskLevel
from hexie.core.errors import DomainError
from hexie.core.permissions import require_role
from hexie.insights import charts, kpis
from hexie.insights.documents import bureau_name
from hexie.insights.formatting import cn_date, money
from hexie.insights.models import BULLETIN_TEMPLATE_KIND, Bulletin, PeriodKind
from hexie.insights.pdf import convert_to_pdf
from hexie.insights.rendering import render_docx, template_row, template_source
from hexie.orgs.models import OrgLevel, OrgUnit, User
from hexie.orgs.scoping import LEADERS, has_role, restrict, unit_ids_under

log = logging.getLogger("hexie.insights")

TOP_N = 10
KIND_WORD: dict[str, str] = {PeriodKind.WEEKLY: "周调度", PeriodKind.MONTHLY: "月度", PeriodKind.QUARTERLY: "季度"}


# --- periods ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    """One bulletin period: [start, end], local dates, both included."""

    kind: str
    start: date
    end: date

    @property
    def label(self) -> str:
        if self.kind == PeriodKind.MONTHLY:
            return f"{self.start.year}年{self.start.month}月"
        if self.kind == PeriodKind.QUARTERLY:
            return f"{self.start.year}年第{(self.start.month - 1) // 3 + 1}季度"
        iso = self.start.isocalendar()
        return f"{iso.year}年第{iso.week}周"

    @property
    def issue(self) -> str:
        """The issue line under the red header: 2026年第10期 (the period's ordinal in its year)."""
        if self.kind == PeriodKind.MONTHLY:
            n = self.start.month
        elif self.kind == PeriodKind.QUARTERLY:
            n = (self.start.month - 1) // 3 + 1
        else:
            n = self.start.isocalendar().week
        return f"{self.start.year}年第{n}期"

    @property
    def span(self) -> str:
        return f"{cn_date(self.start)}至{cn_date(self.end)}"

    def previous(self) -> Period:
        return period_containing(self.kind, self.start - timedelta(days=1))


def period_containing(kind: str, day: date) -> Period:
    """The week (Monday–Sunday), month or quarter that contains `day`."""
    if kind == PeriodKind.WEEKLY:
        start = day - timedelta(days=day.weekday())
        return Period(kind, start, start + timedelta(days=6))
    if kind == PeriodKind.MONTHLY:
        start = day.replace(day=1)
    elif kind == PeriodKind.QUARTERLY:
        start = date(day.year, (day.month - 1) // 3 * 3 + 1, 1)
    else:
        raise ValidationError({"kind": [f"未知的通报周期 {kind} / Unknown bulletin period {kind}."]})
    months = 1 if kind == PeriodKind.MONTHLY else 3
    y, m = divmod(start.month - 1 + months, 12)
    return Period(kind, start, date(start.year + y, m + 1, 1) - timedelta(days=1))


def last_complete_period(kind: str, today: date) -> Period:
    """The latest period that ended before `today` (what a schedule running on `today` reports)."""
    return period_containing(kind, today).previous()


def parse_period(kind: str, text: str) -> Period:
    """Read a period as people type it: 2026-10 (month), 2026-Q4 (quarter), 2026-W43 or 2026-10-19 (week).

    A full date picks the period that contains it, for every kind.
    """
    text = text.strip().upper()
    try:
        if m := re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", text):
            return period_containing(kind, date(int(m[1]), int(m[2]), int(m[3])))
        if kind == PeriodKind.MONTHLY and (m := re.fullmatch(r"(\d{4})-(\d{1,2})", text)):
            return period_containing(kind, date(int(m[1]), int(m[2]), 1))
        if kind == PeriodKind.QUARTERLY and (m := re.fullmatch(r"(\d{4})-Q?([1-4])", text)):
            return period_containing(kind, date(int(m[1]), (int(m[2]) - 1) * 3 + 1, 1))
        if kind == PeriodKind.WEEKLY and (m := re.fullmatch(r"(\d{4})-W(\d{1,2})", text)):
            return period_containing(kind, date.fromisocalendar(int(m[1]), int(m[2]), 1))
    except ValueError:
        pass
    examples = {"weekly": "2026-W43 / 2026-10-19", "monthly": "2026-10", "quarterly": "2026-Q4"}
    raise ValidationError({"period": [
        f"统计期间“{text}”无法识别，例如 {examples.get(kind, '2026-10')} / "
        f"Cannot read the period '{text}'; for example {examples.get(kind, '2026-10')}."
    ]})


# --- scope -----------------------------------------------------------------------------------


def _moment(d: date) -> datetime:
    return timezone.make_aware(datetime.combine(d, time.min))


def _in_period(field: str, period: Period) -> Q:
    return Q(**{f"{field}__gte": _moment(period.start), f"{field}__lt": _moment(period.end + timedelta(days=1))})


def ranked_units(unit: OrgUnit) -> list[OrgUnit]:
    """The units a bulletin ranks: the unit's children (districts for the city, streets for a district)."""
    return list(OrgUnit.objects.filter(parent=unit).order_by("code"))


def bulletins_visible_to(user: Any) -> QuerySet[Bulletin]:
    """Bulletins a user may read: those of the user's own unit and below, and of the units above it.

    A bulletin is circulated (通报) down the hierarchy: a district reads the city's bulletin, which
    ranks it among the other districts, and its own. It holds aggregates and employer names, never a
    complainant, so reading upward shows no case outside the user's jurisdiction. Partner agencies
    read none.
    """
    return restrict(Bulletin.objects.select_related("org_unit", "generated_by"), user)


def units_for_generation(user: Any) -> QuerySet[OrgUnit]:
    """Units a user may generate bulletins for: leaders and administrators, own city/district and below."""
    if not has_role(user, LEADERS):
        return OrgUnit.objects.none()
    return restrict(OrgUnit.objects.filter(level__in=[OrgLevel.CITY, OrgLevel.DISTRICT]), user)


# --- figures ---------------------------------------------------------------------------------

# The headline figures, in the order the bulletin prints them.
HEADLINE_CODES = ("volume", "resolved", "closure_rate", "within_limit_rate", "mediation_rate",
                  "amount_recovered", "workers_benefited", "satisfaction_rate", "satisfaction_avg")
# Defined beside the figures although not a row of their own: the volume row's 同比 is volume_yoy.
DEFINED_CODES = (*HEADLINE_CODES, "volume_yoy", "warnings_raised", "warnings_resolved")


def _fmt(code: str, value: Any, unit: str) -> str:
    if value is None:
        return "—"
    if unit == kpis.PERCENT:
        sign = "+" if code.endswith("_yoy") and value > 0 else ""
        return f"{sign}{value:.1f}%"
    if unit == kpis.YUAN:
        return money(Decimal(str(value)))
    if isinstance(value, float):
        return f"{value:.1f}"
    return str(value)


def _kpi_values(unit: OrgUnit, start: date, end: date, today: date) -> dict[str, Any]:
    """The KPI values of everything under `unit` for [start, end], as the dashboards compute them."""
    from hexie.insights.selectors import compute_dashboard

    dashboard = compute_dashboard(user_or_scope=unit, start=start, end=end, today=today)
    values: dict[str, Any] = {code: item["value"] for code, item in dashboard["kpis"].items()}
    values["resolved"] = int(dashboard["kpis"]["closure_rate"]["numerator"] or 0)
    values["by_area"] = dashboard["series"]["by_area"]
    values["by_channel"] = dashboard["series"]["by_channel"]
    return values


# "Resolved" is the closure rate's numerator, not a KPI of its own: its definition is written here.
_RESOLVED_DEFINITION = ("办结量", "统计期内收到、目前已办结（已办结、回访中、已结案）的案件数。")


def _definition(code: str) -> tuple[str, str, str]:
    """(name, definition, unit) of a headline figure, from the KPI definitions."""
    if code == "resolved":
        return _RESOLVED_DEFINITION[0], _RESOLVED_DEFINITION[1], kpis.COUNT
    d = kpis.KPI_DEFINITIONS[code]
    return d.name_zh, d.definition_zh, d.unit


def _headline(values: dict[str, Any], last_year: dict[str, Any]) -> list[dict[str, Any]]:
    """Rows of the headline table: this period, a year earlier, and the change (points for rates)."""
    rows = []
    for code in HEADLINE_CODES:
        name, _text, unit = _definition(code)
        value, before = values.get(code), last_year.get(code)
        change = "—"
        if code == "volume":
            change = _fmt("volume_yoy", values.get("volume_yoy"), kpis.PERCENT)
        elif unit == kpis.PERCENT and value is not None and before is not None:
            change = f"{value - before:+.1f}个百分点"
        elif unit != kpis.PERCENT and value is not None and before:
            pct = kpis.yoy(value, before)
            change = "—" if pct is None else f"{pct:+.1f}%"
        rows.append({"key": code, "name": name, "value": _fmt(code, value, unit),
                     "last_year": _fmt(code, before, unit), "yoy": change, "raw": value})
    return rows


def _definitions() -> list[dict[str, str]]:
    out = []
    for code in DEFINED_CODES:
        name, text, _unit = _definition(code)
        out.append({"name": name, "definition": text})
    return out


def _last_year_period(period: Period) -> Period:
    return Period(period.kind, kpis.year_earlier(period.start), kpis.year_earlier(period.end))


def _ranking(unit: OrgUnit, values: dict[str, Any]) -> tuple[list[dict[str, Any]], list[OrgUnit]]:
    """The children of `unit`, ranked by volume, from the unit's own dashboard (its per-area figures).

    The dashboard already computes every figure per area one level below the unit, from the same
    rows as the unit's totals, so no second dashboard per child is needed.
    """
    children = ranked_units(unit)
    by_code = {a["code"]: a for a in values["by_area"]}
    rows: list[dict[str, Any]] = []
    for child in children:
        a = by_code.get(child.code, {})
        rows.append({"name": child.name, "code": child.code, "received": int(a.get("count", 0)),
                     "closed": int(a.get("closed", 0)),
                     "closure_rate": _fmt("closure_rate", a.get("closure_rate"), kpis.PERCENT),
                     "within_limit_rate": _fmt("within_limit_rate", a.get("within_limit_rate"), kpis.PERCENT),
                     "mediation_rate": _fmt("mediation_rate", a.get("mediation_rate"), kpis.PERCENT),
                     "satisfaction": _fmt("satisfaction_avg", a.get("satisfaction_avg"), kpis.SCORE)})
    rows.sort(key=lambda r: (-r["received"], r["code"]))
    for i, r in enumerate(rows, 1):
        r["rank"] = i
    return rows, children


def _employers_by_complaints(unit_ids: list[int], period: Period) -> list[dict[str, Any]]:
    """Employers with the most complaints received in the period: by credit code, else by name."""
    rows = list(Case.objects.filter(org_unit_id__in=unit_ids).filter(_in_period("received_at", period))
                .values("employer_credit_code", "employer_name")
                .annotate(n=Count("pk"), workers=Sum("workers_count"), amount=Sum("amount_claimed"))
                .order_by())
    # A complaint that named the employer without its credit code joins the employer of that name.
    code_of = {r["employer_name"]: r["employer_credit_code"] for r in rows if r["employer_credit_code"]}
    merged: dict[str, dict[str, Any]] = {}
    for r in rows:
        code = r["employer_credit_code"] or code_of.get(r["employer_name"], "")
        key = code or f"name:{r['employer_name']}"
        m = merged.setdefault(key, {"name": r["employer_name"], "credit_code": code or "—",
                                    "cases": 0, "workers": 0, "amount": Decimal(0), "_top": 0})
        m["cases"] += r["n"]
        m["workers"] += r["workers"] or 0
        m["amount"] += r["amount"] or Decimal(0)
        if r["n"] > m["_top"]:  # the name most complaints used
            m["name"], m["_top"] = r["employer_name"], r["n"]
    top = sorted(merged.values(), key=lambda m: (-m["cases"], -m["amount"], m["name"]))[:TOP_N]
    return [{"rank": i, "name": m["name"], "credit_code": m["credit_code"], "cases": m["cases"],
             "workers": m["workers"], "amount": money(m["amount"])} for i, m in enumerate(top, 1)]


def _warnings(unit_ids: list[int], period: Period) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    from hexie.monitoring.models import Warning

    scope = Warning.objects.filter(org_unit_id__in=unit_ids)
    raised = scope.filter(_in_period("first_detected_at", period))
    end = _moment(period.end + timedelta(days=1))
    by_employer = (raised.values("employer_id", "employer__name", "employer__credit_code")
                   .annotate(n=Count("pk"), red=Count("pk", filter=Q(grade=RiskLevel.RED)),
                             open=Count("pk", filter=Q(resolved_at__isnull=True) | Q(resolved_at__gte=end)))
                   .order_by("-n", "-red", "employer__name")[:TOP_N])
    employers = [{"rank": i, "name": r["employer__name"], "credit_code": r["employer__credit_code"],
                  "warnings": r["n"], "red": r["red"], "open": r["open"]} for i, r in enumerate(by_employer, 1)]
    grades = [RiskLevel.RED, RiskLevel.ORANGE, RiskLevel.YELLOW, RiskLevel.GREEN]
    counts: dict[str, dict[str, int]] = defaultdict(lambda: {"raised": 0, "resolved": 0, "open": 0})
    for r in raised.values("grade").annotate(n=Count("pk")):
        counts[r["grade"]]["raised"] = r["n"]
    resolved = scope.filter(_in_period("resolved_at", period), state=Warning.State.RESOLVED)
    for r in resolved.values("grade").annotate(n=Count("pk")):
        counts[r["grade"]]["resolved"] = r["n"]
    open_at_end = scope.filter(first_detected_at__lt=end).filter(Q(resolved_at__isnull=True) | Q(resolved_at__gte=end))
    for r in open_at_end.values("grade").annotate(n=Count("pk")):
        counts[r["grade"]]["open"] = r["n"]
    by_grade = [{"grade": str(RiskLevel(g).label).split(" ")[0], "code": str(g), **counts[g]} for g in grades]
    total = {k: sum(c[k] for c in counts.values()) for k in ("raised", "resolved", "open")}
    summary = (f"本期新增工资支付监测预警{total['raised']}条，消除{total['resolved']}条，"
               f"期末尚未消除{total['open']}条。")
    return employers, {"summary": summary, "by_grade": by_grade, **total}


def _channel_label(code: str, cjk: bool) -> str:
    label = str(Channel(code).label)
    zh, _sep, en = label.partition(" ")
    return zh if cjk else (en or code)


def _trend(unit_ids: list[int], period: Period) -> tuple[list[str], list[int], str]:
    """Volume over the twelve periods ending with this one (weeks for a weekly bulletin, else months)."""
    step_kind = PeriodKind.WEEKLY if period.kind == PeriodKind.WEEKLY else PeriodKind.MONTHLY
    last = period_containing(step_kind, period.end)
    periods = [last]
    while len(periods) < 12:
        periods.append(periods[-1].previous())
    periods.reverse()
    trunc = TruncWeek if step_kind == PeriodKind.WEEKLY else TruncMonth
    rows = (Case.objects.filter(org_unit_id__in=unit_ids)
            .filter(received_at__gte=_moment(periods[0].start), received_at__lt=_moment(last.end + timedelta(days=1)))
            .annotate(bucket=trunc("received_at")).values("bucket").annotate(n=Count("pk")))
    by_start = {timezone.localdate(r["bucket"]) if isinstance(r["bucket"], datetime) else r["bucket"]: r["n"]
                for r in rows}
    buckets = [by_start.get(p.start, 0) for p in periods]
    if step_kind == PeriodKind.WEEKLY:
        labels = [f"W{p.start.isocalendar().week}" for p in periods]
        caption = "近12周受理量走势"
    else:
        labels = [f"{p.start:%y-%m}" for p in periods]
        caption = "近12个月受理量走势"
    return labels, buckets, caption


# --- the service -----------------------------------------------------------------------------


def _check_actor(actor: User | None, unit: OrgUnit) -> None:
    if actor is None:
        return  # the schedule
    require_role(actor, LEADERS, "只有领导和管理员可以生成通报 / Only leaders and administrators can generate bulletins.")
    if not units_for_generation(actor).filter(pk=unit.pk).exists():
        raise Http404("未找到 / Not found.")


def build_bulletin_data(*, kind: str, period: Period, unit: OrgUnit, today: date) -> dict[str, Any]:
    """Everything the bulletin prints, as plain data (stored as the bulletin's figures)."""
    ids = unit_ids_under(unit)
    values = _kpi_values(unit, period.start, period.end, today)
    ly = _last_year_period(period)
    last_year = _kpi_values(unit, ly.start, ly.end, today)
    ranking, _children = _ranking(unit, values)
    employers = _employers_by_complaints(ids, period)
    warn_employers, warnings = _warnings(ids, period)
    return {
        "values": values, "last_year": last_year, "headline": _headline(values, last_year), "ranking": ranking,
        "employers_by_complaints": employers, "employers_by_warnings": warn_employers, "warnings": warnings,
    }


def _summary(unit: OrgUnit, period: Period, data: dict[str, Any]) -> str:
    v = data["values"]
    parts = [f"{period.label}，{unit.name}共收到各类诉求{v['volume']}件"]
    if v.get("volume_yoy") is not None:
        parts.append(f"同比{'增长' if v['volume_yoy'] >= 0 else '下降'}{abs(v['volume_yoy']):.1f}%")
    parts.append(f"已办结{v['resolved']}件，办结率{_fmt('closure_rate', v['closure_rate'], kpis.PERCENT)}")
    parts.append(f"法定期限内结案率{_fmt('within_limit_rate', v['within_limit_rate'], kpis.PERCENT)}")
    parts.append(f"追回金额{money(Decimal(str(v['amount_recovered'])))}元，惠及劳动者{v['workers_benefited']}人")
    return "，".join(parts) + "。"


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
    labels, counts, caption = _trend(ids, period)
    trend = charts.line_chart(labels, {"受理量" if cjk else "received": counts},
                              title=caption if cjk else "Cases received")
    def image(png: bytes) -> InlineImage:
        return InlineImage(tpl, io.BytesIO(png), width=Mm(150))

    return {"by_unit": image(by_unit), "by_unit_caption": f"各{level}受理量", "by_channel": image(by_channel),
            "trend": image(trend), "trend_caption": caption}


def bulletin_title(kind: str, period: Period) -> str:
    return f"劳动关系工作{KIND_WORD[kind]}通报（{period.label}）"


def _render(unit: OrgUnit, period: Period, data: dict[str, Any], note: str, today: date) -> tuple[bytes, int]:
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
                         "note": note, "summary": _summary(unit, period, data), "kind": KIND_WORD[period.kind]},
            "figures": data["headline"],
            "charts": _charts(tpl, unit, period, data, ids),
            "ranking_title": level,
            "ranking": data["ranking"],
            "employers_by_complaints": data["employers_by_complaints"],
            "employers_by_warnings": data["employers_by_warnings"],
            "warnings": data["warnings"],
            "definitions": _definitions(),
        }

    return render_docx(source, build), row.version


def generate_bulletin(*, kind: str, period_start: date, org_unit: OrgUnit, actor: User | None) -> Bulletin:
    """Generate (or regenerate) the bulletin of a kind for the period containing `period_start`.

    `actor` None is the schedule. A leader or administrator may generate for units in their
    jurisdiction (Http404 outside it, NotPermitted for other roles). A period that has not begun
    is refused. Regenerating replaces the row's files and figures and keeps the row.
    """
    if kind not in PeriodKind.values:
        raise ValidationError({"kind": [f"未知的通报周期 {kind} / Unknown bulletin period {kind}."]})
    _check_actor(actor, org_unit)
    period = period_containing(kind, period_start)
    today = clock.today()
    if period.start > today:
        raise DomainError("统计期间尚未开始 / The period has not begun.", code="period_in_future", field="period")
    data = build_bulletin_data(kind=kind, period=period, unit=org_unit, today=today)
    notes = [n for n in (charts.cjk_font_note(),) if n]
    if period.end >= today:
        notes.append(f"统计期间尚未结束，数据截至{cn_date(today)}。The period is not over: figures as of {today}.")
    note = " ".join(notes)
    docx, template_version = _render(org_unit, period, data, note, today)
    stem = f"{kind}-{period.start:%Y%m%d}-{org_unit.code}"
    pdf, pdf_note = convert_to_pdf(docx, stem=stem)
    figures = {
        "headline": data["headline"], "values": data["values"], "last_year": data["last_year"], "ranking": data["ranking"],
        "employers_by_complaints": data["employers_by_complaints"],
        "employers_by_warnings": data["employers_by_warnings"], "warnings": data["warnings"],
        "template_version": template_version,
    }
    return _store(kind=kind, period=period, unit=org_unit, actor=actor, docx=docx, pdf=pdf, pdf_note=pdf_note,
                  note=note, figures=figures, stem=stem)


def _store(*, kind: str, period: Period, unit: OrgUnit, actor: User | None, docx: bytes, pdf: bytes | None,
           pdf_note: str, note: str, figures: dict[str, Any], stem: str) -> Bulletin:
    """Write the files and the one row of (kind, period, unit); the replaced files go after commit."""
    new_files: list[str] = []
    try:
        with transaction.atomic():
            existing = (Bulletin.objects.select_for_update()
                        .filter(kind=kind, period_start=period.start, org_unit=unit).first())
            b = existing or Bulletin(kind=kind, period_start=period.start, org_unit=unit)
            old_files = [f.name for f in (b.docx, b.pdf) if existing and f]
            b.period_end, b.title = period.end, bulletin_title(kind, period)
            b.generated_at, b.generated_by = clock.now(), actor
            b.pdf_note, b.note, b.figures = pdf_note, note, figures
            b.docx.save(f"{stem}.docx", ContentFile(docx), save=False)
            new_files.append(b.docx.name)
            if pdf is not None:
                b.pdf.save(f"{stem}.pdf", ContentFile(pdf), save=False)
                new_files.append(b.pdf.name)
            else:
                b.pdf = ""  # type: ignore[assignment]
            b.save()
            replaced = [n for n in old_files if n not in new_files]
            transaction.on_commit(lambda: _delete_files(replaced))
    except IntegrityError:
        # Another worker stored the same bulletin between our look-up and insert: keep theirs.
        _delete_files(new_files)
        return Bulletin.objects.get(kind=kind, period_start=period.start, org_unit=unit)
    except BaseException:
        _delete_files(new_files)
        raise
    return b


def _delete_files(names: list[str]) -> None:
    for name in names:
        default_storage.delete(name)


def scheduled_units() -> list[OrgUnit]:
    """The units bulletins are made for on schedule: the city and each district."""
    return list(OrgUnit.objects.filter(level__in=[OrgLevel.CITY, OrgLevel.DISTRICT]).order_by("path"))


def generate_scheduled(kind: str, today: date | None = None) -> dict[str, Any]:
    """Generate the last complete period's bulletin for the city and every district (the worker's job).

    One unit's failure is logged and does not stop the others.
    """
    today = today or clock.today()
    period = last_complete_period(kind, today)
    done, failed = [], []
    for unit in scheduled_units():
        try:
            generate_bulletin(kind=kind, period_start=period.start, org_unit=unit, actor=None)
            done.append(unit.code)
        except Exception:
            log.exception("scheduled %s bulletin for %s (%s) failed", kind, unit.code, period.start)
            failed.append(unit.code)
    return {"kind": kind, "period_start": period.start.isoformat(), "generated": done, "failed": failed}
