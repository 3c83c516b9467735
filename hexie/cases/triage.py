"""Triage on intake: pure functions over configurable rules (no database).

Each rule that fires is written into the case's `triage_reasons` with the figure that made it
fire, so a clerk can read why a case is red, collective or complex.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Protocol

from django.utils.translation import gettext

from hexie.cases.models import ATTENTION_ORDER, AttentionLevel, Complexity
from hexie.core.enums import RiskLevel, max_risk

COLLECTIVE_RULE = "collective"


class RuleLike(Protocol):
    code: str
    name: str
    kind: str
    threshold: Decimal
    keywords: str
    window_days: int
    risk_level: str
    attention_level: str
    makes_complex: bool
    basis: str
    is_active: bool


@dataclass(frozen=True)
class IntakeFacts:
    workers_count: int
    amount_claimed: Decimal
    description: str
    repeat_count: int = 0
    is_backlog: bool = False
    cluster_size: int = 0


@dataclass
class TriageResult:
    complexity: str = Complexity.SIMPLE
    is_collective: bool = False
    risk_level: str = RiskLevel.GREEN
    attention_level: str = AttentionLevel.NORMAL
    reasons: list[dict[str, str]] = field(default_factory=list)


def max_attention(*levels: str) -> str:
    return max(levels, key=lambda lv: ATTENTION_ORDER[AttentionLevel(lv)])


def split_keywords(text: str) -> list[str]:
    return [k.strip() for k in text.replace("，", ",").replace("、", ",").split(",") if k.strip()]


def _fires(rule: RuleLike, facts: IntakeFacts) -> str | None:
    """The reason text when the rule fires, else None."""
    kind = rule.kind
    if kind == "workers_at_least" and facts.workers_count >= rule.threshold:
        return gettext("涉及%(workers_count)s人，达到%(int)s人") % {"workers_count": facts.workers_count, "int": int(rule.threshold)}
    if kind == "amount_at_least" and facts.amount_claimed >= rule.threshold:
        return gettext("金额%(amount_claimed)s元，达到%(threshold)s元") % {"amount_claimed": facts.amount_claimed, "threshold": rule.threshold}
    if kind == "repeat_at_least" and facts.repeat_count >= rule.threshold:
        return (gettext("同一投诉人此前已就同一单位或项目投诉%(repeat_count)s件（在办或近期）") % {"repeat_count": facts.repeat_count})
    if kind == "keywords":
        hits = [k for k in split_keywords(rule.keywords) if k in facts.description]
        if hits:
            return gettext("诉求中出现“%(items)s”") % {"items": '、'.join(hits), "items2": ', '.join(hits)}
    if kind == "cluster" and facts.cluster_size >= rule.threshold:
        return (gettext("%(window_days)s日内同一单位或项目已有%(cluster_size)s件投诉") % {"window_days": rule.window_days, "cluster_size": facts.cluster_size})
    return None


# --- what upper apps know about the employer ---------------------------------------------------
# An app above cases (credit: a C grade, a listing on the joint-punishment list) registers a
# function from its AppConfig.ready(); intake calls every one for the registered employer a new
# complaint is about and adds their findings to the triage reasons. Cases never imports them.

#: employer id → findings, each {"rule", "name", "why", "basis", "risk_level", "attention_level"}.
EmployerSignal = Callable[[int], list[dict[str, str]]]
_EMPLOYER_SIGNALS: dict[str, EmployerSignal] = {}


def register_employer_signal(name: str, signal: EmployerSignal) -> None:
    """Add (or replace, on a second ready()) the findings an upper app gives about an employer."""
    _EMPLOYER_SIGNALS[name] = signal


def employer_signals(employer_id: int | None) -> list[dict[str, str]]:
    """Every registered app's findings about the employer, in the order of their names."""
    if employer_id is None:
        return []
    return [f for name in sorted(_EMPLOYER_SIGNALS) for f in _EMPLOYER_SIGNALS[name](employer_id)]


def apply_signals(result: TriageResult, findings: list[dict[str, str]]) -> TriageResult:
    """Raise the result's risk and attention to each finding's, and list the finding as a reason."""
    if not findings:
        return result
    if result.reasons and result.reasons[-1]["rule"] == "none":
        result.reasons.pop()
    for f in findings:
        result.risk_level = max_risk(result.risk_level, f["risk_level"])
        result.attention_level = max_attention(result.attention_level, f["attention_level"])
        result.reasons.append(dict(f))
    return result


def triage(facts: IntakeFacts, rules: Iterable[RuleLike]) -> TriageResult:
    result = TriageResult()
    for rule in sorted((r for r in rules if r.is_active), key=lambda r: r.code):
        why = _fires(rule, facts)
        if why is None:
            continue
        if rule.code == COLLECTIVE_RULE:
            result.is_collective = True
        result.risk_level = max_risk(result.risk_level, rule.risk_level)
        result.attention_level = max_attention(result.attention_level, rule.attention_level)
        if rule.makes_complex:
            result.complexity = Complexity.COMPLEX
        result.reasons.append({
            "rule": rule.code, "name": rule.name, "why": why, "basis": rule.basis,
            "risk_level": rule.risk_level, "attention_level": rule.attention_level,
        })
    if facts.is_backlog:
        result.complexity = Complexity.COMPLEX
        result.reasons.append({
            "rule": "backlog", "name": gettext("积案"), "basis": "",
            "why": gettext("同一投诉人曾就同一单位投诉"),
            "risk_level": result.risk_level, "attention_level": result.attention_level,
        })
    if not result.reasons:
        result.reasons.append({
            "rule": "none", "name": gettext("无"), "basis": "",
            "why": gettext("未触发任何分流规则：简易、绿色"),
            "risk_level": RiskLevel.GREEN, "attention_level": AttentionLevel.NORMAL,
        })
    return result
