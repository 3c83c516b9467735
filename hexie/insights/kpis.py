"""The bureau's KPIs as code: one definition each, printed beside the figure and in every export.

A KPI is data (`KpiDefinition`): its code, its name and definition in Chinese and English, what
its numerator and denominator count, and its unit. The cases a figure counts are written once, as
case-list filter parameters (`Window.params`), and turned into database conditions by the same
functions the case list uses (`hexie.cases.filters`). So a figure and the list its link opens are
the same set of cases by construction, not by a second, parallel query.

Time windows, for a period [start, end] (local dates, both included):

* *received in the period*: volume, closure, mediation, within-limit, repeat and collective figures;
* *resolved in the period* (the latest resolution, for a reopened case): handling time, amounts,
  workers benefited, satisfaction, and cases closed in the arbitration table;
* *accepted in the period*: cases accepted in the arbitration table, with their causes, by the
  commission's acceptance (`track_accepted_at`: a case that came from mediation counts in the month
  the commission accepted it, not the month the bureau first accepted the file);
* *carried over*: accepted (so) before the period and not resolved before it.

Status-based figures (resolved, late) are read as the case stands when the figure is computed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Final

from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from hexie.cases import filters as cf

COUNT: Final = "count"
PERCENT: Final = "percent"
YUAN: Final = "yuan"
PEOPLE: Final = "people"
WORKING_DAYS: Final = "working_days"
SCORE: Final = "score"

UNIT_LABELS: Final = {
    COUNT: _("件"), PERCENT: "%", YUAN: _("元"), PEOPLE: _("人"), WORKING_DAYS: _("工作日"), SCORE: _("分（1–5）"),
}


def _english(msgid: str) -> str:
    """A msgid's English from the catalogue (the API gives both languages of a definition)."""
    if not msgid:
        return ""
    with translation.override("en"):
        return gettext(msgid)


class _Translated:
    """A text field read through the catalogue: in the reader's language, or (``english``) in English."""

    def __init__(self, field: str, *, english: bool = False) -> None:
        self.field, self.english = field, english

    def __get__(self, obj: object | None, owner: type | None = None) -> str:
        msgid = getattr(obj, self.field, "") if obj is not None else ""
        if not msgid:
            return ""
        return _english(msgid) if self.english else gettext(msgid)


@dataclass(frozen=True)
class KpiDefinition:
    """One KPI: what it is called, how it is defined, what it counts, and in which unit.

    The texts are Chinese msgids of the catalogue (``*_zh``, as bulletins print them); ``name``
    and ``definition`` are in the reader's language, ``*_en`` the catalogue's English."""

    code: str
    name_zh: str
    definition_zh: str
    numerator_zh: str
    denominator_zh: str = ""
    unit: str = COUNT

    name = _Translated("name_zh")
    definition = _Translated("definition_zh")
    numerator = _Translated("numerator_zh")
    denominator = _Translated("denominator_zh")
    name_en = _Translated("name_zh", english=True)
    definition_en = _Translated("definition_zh", english=True)
    numerator_en = _Translated("numerator_zh", english=True)
    denominator_en = _Translated("denominator_zh", english=True)

    def as_dict(self) -> dict[str, str]:
        return {
            "code": self.code, "name_zh": self.name_zh, "name_en": self.name_en, "name": self.name,
            "definition_zh": self.definition_zh, "definition_en": self.definition_en,
            "definition": self.definition, "numerator_zh": self.numerator_zh, "numerator_en": self.numerator_en,
            "denominator_zh": self.denominator_zh, "denominator_en": self.denominator_en, "unit": self.unit,
            "unit_label": str(UNIT_LABELS[self.unit]),
        }


_RECEIVED = gettext_noop("统计期内收到的案件")
_RESOLVED_IN = gettext_noop("统计期内办结的案件（重新办理的以最近一次办结为准）")

KPI_LIST: Final = [
    KpiDefinition(
        "volume", gettext_noop("案件量"), gettext_noop("统计期内收到的全部案件（含咨询、不予受理），按收到时间计。"),
        _RECEIVED,
    ),
    KpiDefinition(
        "volume_yoy", gettext_noop("案件量同比"), gettext_noop("（本期案件量 − 上年同期案件量）÷ 上年同期案件量 × 100%；上年同期为统计期整体提前一年；"
        "上年同期少于30件时基数过小，不作同比。"),
        gettext_noop("本期收到的案件"), gettext_noop("上年同期收到的案件"), PERCENT,
    ),
    KpiDefinition(
        "closure_rate", gettext_noop("办结率"), gettext_noop("统计期内收到且已受理（不含不予受理）的案件中，目前已办结（已办结、回访中、已结案）的比例。"),
        gettext_noop("其中已办结的案件"), gettext_noop("统计期内收到、未被不予受理的案件"), PERCENT,
    ),
    KpiDefinition(
        "mediation_rate", gettext_noop("调解结案率"), gettext_noop("统计期内收到且已办结的欠薪、劳动争议案件中，以调解成功结案的比例。"),
        gettext_noop("其中调解成功的案件"), gettext_noop("统计期内收到、已办结的欠薪和劳动争议案件"), PERCENT,
    ),
    KpiDefinition(
        "within_limit_rate", gettext_noop("法定期限内结案率"), gettext_noop("统计期内收到的案件中，已办结且所有期限均按时完成的案件 ÷（已办结的案件 + 尚未办结但已超期的案件）。"
        "任一期限完成日晚于届满日、在途期限已过届满日、或中止时已过届满日，均为超期；延长后的期限按延长后的届满日，"
        "中止期间不计入期限。"),
        gettext_noop("已办结且未超期的案件"), gettext_noop("已办结的案件与已超期的案件"), PERCENT,
    ),
    KpiDefinition(
        "inside_bureau_rate", gettext_noop("本局化解率"), gettext_noop("统计期内收到且已办结的案件中，最后所在的办理途径为本局程序（调解、监察、仲裁、信访、咨询；未记录途径的"
        "按本局程序计）、未进入法院也未移送联动单位的比例；每件案件只按其最后所在的途径计一次（调解不成转仲裁的按仲裁计，裁决后起诉或申请"
        "司法确认、支付令的按法院计）。"),
        gettext_noop("其中最后在本局程序办结的案件"), gettext_noop("统计期内收到、已办结的案件"), PERCENT,
    ),
    KpiDefinition(
        "ended_in_court", gettext_noop("进入法院案件"), gettext_noop("统计期内收到的案件中，最后进入法院的案件数（裁决后起诉或申请撤销、申请司法确认、申请支付令），每件只计一次。"),
        gettext_noop("进入法院的案件")),
    KpiDefinition(
        "late", gettext_noop("超期案件"), gettext_noop("统计期内收到、任一期限超期的案件（含已办结但超期办结的，和尚未办结但已超期的）。"),
        gettext_noop("超期的案件")),
    KpiDefinition(
        "avg_handling_days", gettext_noop("平均办理时长"), gettext_noop("统计期内办结的案件，自受理之日至办结之日的工作日数的平均值（受理当日不计，按工作日历）。"),
        gettext_noop("各案受理至办结的工作日数之和"), _RESOLVED_IN, WORKING_DAYS,
    ),
    KpiDefinition(
        "amount_recovered", gettext_noop("追回金额"), gettext_noop("统计期内办结的案件登记的追回（支付）金额之和。"),
        _RESOLVED_IN, unit=YUAN,
    ),
    KpiDefinition(
        "workers_benefited", gettext_noop("受益人数"), gettext_noop("统计期内办结的案件登记的受益劳动者人数之和。"),
        _RESOLVED_IN, unit=PEOPLE,
    ),
    KpiDefinition(
        "satisfaction_rate", gettext_noop("满意率"), gettext_noop("统计期内办结且群众已评价的案件中，评价为满意（4分或5分）的比例；重新办理的以最近一次评价为准。"),
        gettext_noop("评价4分或5分的案件"), gettext_noop("统计期内办结且已评价的案件"), PERCENT,
    ),
    KpiDefinition(
        "satisfaction_avg", gettext_noop("平均满意度"), gettext_noop("统计期内办结且已评价的案件的评分平均值（1–5分）。"),
        gettext_noop("评分之和"), gettext_noop("统计期内办结且已评价的案件"), SCORE,
    ),
    KpiDefinition(
        "repeat_rate", gettext_noop("重复投诉率"), gettext_noop("统计期内收到的案件中，登记时被识别为重复投诉的比例：同一投诉人（身份证号或手机号相同）就同一用人单位"
        "或同一工程项目再次投诉，且此前的投诉仍在办或在180日内收到。同一单位被不同的人多次投诉不算重复（见聚集）。"),
        gettext_noop("重复投诉的案件"), _RECEIVED, PERCENT,
    ),
    KpiDefinition(
        "collective", gettext_noop("集体案件"), gettext_noop("统计期内收到的涉及10人以上的案件数。"),
        gettext_noop("集体案件")),
    KpiDefinition(
        "collective_workers", gettext_noop("集体案件涉及人数"), gettext_noop("统计期内收到的集体案件登记的涉及人数之和。"),
        gettext_noop("集体案件的涉及人数之和"), unit=PEOPLE,
    ),
    KpiDefinition(
        "open_overdue", gettext_noop("在办超期"), gettext_noop("目前尚未办结且在途期限已过届满日的案件（不限统计期）。"),
        gettext_noop("在办超期的案件")),
    KpiDefinition(
        "warnings_raised", gettext_noop("新增预警"), gettext_noop("统计期内首次发现的工资支付监测预警数，不论其工资所属月份（未发放等规则在次月结束后才可判定，"
        "故多属此前月份）。"),
        gettext_noop("首次发现于统计期内的预警")),
    KpiDefinition(
        "warnings_about", gettext_noop("本期工资预警"), gettext_noop("工资所属月份在统计期内的工资支付监测预警数，不论何时发现（含统计期结束后发现的，截至统计时）；"
        "其中尚未消除的另列。"),
        gettext_noop("工资所属月份在统计期内的预警")),
    KpiDefinition(
        "warnings_resolved", gettext_noop("消除预警"), gettext_noop("统计期内消除的工资支付监测预警数（不论何时发现）。"),
        gettext_noop("消除于统计期内的预警")),
]
KPI_DEFINITIONS: Final[dict[str, KpiDefinition]] = {k.code: k for k in KPI_LIST}


@dataclass(frozen=True)
class ArbitrationRow:
    """One line of the arbitration statistics table (rules.md §6) and the cases behind it."""

    code: str
    group_zh: str
    label_zh: str
    definition_zh: str
    unit: str = COUNT
    sum_field: str = ""  # summed instead of counted (workers, amounts)

    label = _Translated("label_zh")
    definition = _Translated("definition_zh")
    label_en = _Translated("label_zh", english=True)
    definition_en = _Translated("definition_zh", english=True)


# The arbitration table's groups, translated where shown (exports and bulletins keep the Chinese).
ARBITRATION_GROUPS: Final = (gettext_noop("案件"), gettext_noop("争议原因"), gettext_noop("结案方式"),
                             gettext_noop("结案结果"), gettext_noop("金额"))

_ACC = gettext_noop("统计期内仲裁委员会受理的仲裁案件（调解转仲裁的，按仲裁委员会受理之日计）")
_CLO = gettext_noop("统计期内结案（办结）的仲裁案件")

ARBITRATION_ROWS: Final = [
    ArbitrationRow("carried_over", gettext_noop("案件"), gettext_noop("上期结转"), gettext_noop("统计期开始前已受理、开始时尚未结案的仲裁案件")),
    ArbitrationRow("accepted", gettext_noop("案件"), gettext_noop("本期受理"), _ACC),
    ArbitrationRow("closed", gettext_noop("案件"), gettext_noop("本期结案"), _CLO),
    ArbitrationRow("collective", gettext_noop("案件"), gettext_noop("集体争议（10人以上）"), gettext_noop("统计期内受理的集体仲裁案件")),
    ArbitrationRow("workers", gettext_noop("案件"), gettext_noop("涉及劳动者人数"), gettext_noop("统计期内受理的仲裁案件的涉及人数之和"), PEOPLE, "workers_count"),
    ArbitrationRow("cause_pay", gettext_noop("争议原因"), gettext_noop("劳动报酬"), _ACC),
    ArbitrationRow("cause_social_insurance", gettext_noop("争议原因"), gettext_noop("社会保险"), _ACC),
    ArbitrationRow("cause_contract", gettext_noop("争议原因"), gettext_noop("变更/解除/终止劳动合同"), _ACC),
    ArbitrationRow("cause_other", gettext_noop("争议原因"), gettext_noop("其他"), _ACC),
    ArbitrationRow("cause_none", gettext_noop("争议原因"), gettext_noop("未填写"), _ACC),
    ArbitrationRow("by_mediation", gettext_noop("结案方式"), gettext_noop("调解"), _CLO),
    ArbitrationRow("by_award", gettext_noop("结案方式"), gettext_noop("裁决"), _CLO),
    ArbitrationRow("by_other", gettext_noop("结案方式"), gettext_noop("其他（撤回等）"), _CLO),
    ArbitrationRow("outcome_worker_won", gettext_noop("结案结果"), gettext_noop("劳动者胜诉"), _CLO),
    ArbitrationRow("outcome_employer_won", gettext_noop("结案结果"), gettext_noop("用人单位胜诉"), _CLO),
    ArbitrationRow("outcome_split", gettext_noop("结案结果"), gettext_noop("双方部分支持"), _CLO),
    ArbitrationRow("outcome_none", gettext_noop("结案结果"), gettext_noop("未填写"), _CLO),
    ArbitrationRow("amount_claimed", gettext_noop("金额"), gettext_noop("受理案件涉案金额"), gettext_noop("统计期内受理的仲裁案件的诉求金额之和"), YUAN, "amount_claimed"),
    ArbitrationRow("amount_recovered", gettext_noop("金额"), gettext_noop("结案案件追回金额"), gettext_noop("统计期内结案的仲裁案件的追回金额之和"), YUAN, "amount_recovered"),
]
ARBITRATION_DEFINITIONS: Final[dict[str, ArbitrationRow]] = {r.code: r for r in ARBITRATION_ROWS}


def year_earlier(d: date) -> date:
    """The same day one year earlier (29 February → 28 February)."""
    try:
        return d.replace(year=d.year - 1)
    except ValueError:
        return d.replace(year=d.year - 1, day=28)


Params = dict[str, str]


@dataclass(frozen=True)
class Window:
    """A statistics period [start, end] (local dates, inclusive), read as things stand on `today`."""

    start: date
    end: date
    today: date
    extra: Params = field(default_factory=dict)

    def _d(self, d: date) -> str:
        return d.isoformat()

    @property
    def received(self) -> Params:
        return {"received_from": self._d(self.start), "received_to": self._d(self.end)}

    @property
    def received_last_year(self) -> Params:
        return {"received_from": self._d(year_earlier(self.start)), "received_to": self._d(year_earlier(self.end))}

    @property
    def resolved(self) -> Params:
        return {"resolved_from": self._d(self.start), "resolved_to": self._d(self.end), "stage": "resolved"}

    @property
    def accepted(self) -> Params:
        """Accepted onto the track the case is on now in the period (with a track: the arbitration
        commission's acceptance, whatever track the file started on)."""
        return {"track_accepted_from": self._d(self.start), "track_accepted_to": self._d(self.end)}

    def params(self, code: str, part: str = "numerator") -> Params:
        """The case-list filters that select the cases behind a KPI's numerator or denominator."""
        builder = _POPULATIONS[code]
        num, den = builder(self)
        chosen = num if part == "numerator" else den
        if chosen is None:
            raise KeyError(f"{code} has no {part}")
        return {**chosen, **self.extra}

    def arbitration_params(self, code: str) -> Params:
        """The case-list filters behind one line of the arbitration table."""
        arb = {"track": "arbitration"}
        acc = {**self.accepted, **arb}
        clo = {**self.resolved, **arb}
        table: dict[str, Params] = {
            "carried_over": {"track_open_on": self._d(self.start), **arb},
            "accepted": acc, "closed": clo, "collective": {**acc, "collective": "true"}, "workers": acc,
            "amount_claimed": acc, "amount_recovered": clo,
        }
        for cause in ("pay", "social_insurance", "contract", "other", "none"):
            table[f"cause_{cause}"] = {**acc, "dispute_cause": cause}
        for by in ("mediation", "award", "other"):
            table[f"by_{by}"] = {**clo, "closed_by": by}
        for outcome in ("worker_won", "employer_won", "split", "none"):
            table[f"outcome_{outcome}"] = {**clo, "outcome": outcome}
        return {**table[code], **self.extra}


_Pop = Callable[[Window], tuple[Params, "Params | None"]]

_POPULATIONS: dict[str, _Pop] = {
    "volume": lambda w: (w.received, None),
    "volume_yoy": lambda w: (w.received, w.received_last_year),
    "closure_rate": lambda w: ({**w.received, "stage": "resolved"}, {**w.received, "stage": "not_refused"}),
    "mediation_rate": lambda w: ({**w.received, "stage": "resolved", "disputes": "true", "conclusion": "mediated"},
                                {**w.received, "stage": "resolved", "disputes": "true"}),
    "within_limit_rate": lambda w: ({**w.received, "limit": "within"}, {**w.received, "limit": "assessed"}),
    "late": lambda w: ({**w.received, "limit": "late"}, None),
    "inside_bureau_rate": lambda w: ({**w.received, "stage": "resolved", "ended": "bureau"},
                                     {**w.received, "stage": "resolved"}),
    "ended_in_court": lambda w: ({**w.received, "ended": "court"}, None),
    "avg_handling_days": lambda w: (w.resolved, w.resolved),
    "amount_recovered": lambda w: (w.resolved, None),
    "workers_benefited": lambda w: (w.resolved, None),
    "satisfaction_rate": lambda w: ({**w.resolved, "satisfaction_min": "4"}, {**w.resolved, "satisfaction_min": "1"}),
    "satisfaction_avg": lambda w: ({**w.resolved, "satisfaction_min": "1"}, {**w.resolved, "satisfaction_min": "1"}),
    "repeat_rate": lambda w: ({**w.received, "repeat": "true"}, w.received),
    "collective": lambda w: ({**w.received, "collective": "true"}, None),
    "collective_workers": lambda w: ({**w.received, "collective": "true"}, None),
    "open_overdue": lambda w: ({"open": "true", "overdue": "true"}, None),
}


def params_q(params: Params, today: date) -> Q:
    """The database condition for a figure's case-list parameters, exactly as the case list applies them."""
    return cf.params_q(params, today)


def ratio(numerator: float | int | None, denominator: float | int | None, scale: float = 100.0) -> float | None:
    """numerator ÷ denominator × scale, or None when there is nothing to divide by."""
    if not denominator or numerator is None:
        return None
    return round(float(numerator) / float(denominator) * scale, 1)


# A change on a year earlier is printed only when the year-earlier figure rests on at least this
# many cases. Below it one case more or less swings the percentage wildly (1 case → 21 cases reads
# "+2,000%") and says nothing a leader can act on; the figure is then marked "base too small" with
# the count it rests on. 30 is the usual rule of thumb for a sample large enough to compare; a
# bureau that wants another floor changes it here, where every dashboard and bulletin reads it.
MIN_YOY_BASE: Final = 30


def base_too_small(base_cases: int | float | None) -> bool:
    """True when a year-earlier figure rests on fewer than MIN_YOY_BASE cases."""
    return base_cases is None or base_cases < MIN_YOY_BASE


def base_too_small_note(base_cases: int | float | None) -> str:
    """What is printed instead of a change resting on too few cases."""
    n = int(base_cases or 0)
    return gettext("上年同期仅%(n)s件，基数过小（少于%(min)s件），不作同比") % {"n": n, "min": MIN_YOY_BASE}


def yoy(current: int | float, earlier: int | float, base_cases: int | float | None = None) -> float | None:
    """Change on a year earlier in percent; None when a year earlier had nothing, or when the
    year-earlier figure rests on fewer than MIN_YOY_BASE cases (`base_cases`, by default `earlier`
    itself, for a count of cases)."""
    if not earlier or base_too_small(earlier if base_cases is None else base_cases):
        return None
    return round((current - earlier) / earlier * 100.0, 1)
