"""Default rules seeded from shared/domain/rules.md §2 (clocks) and triage defaults.

These are data: a bureau changes them in the admin (a new row with a later effective date keeps
the history). Rules not confirmed against an official text are seeded with is_verified=False.

The clocks a fresh database holds are ``DEADLINE_RULES`` (seeded by migration 0003) as changed by
``CLOCKS_BY_ACCEPTING_BODY`` (migration ``clocks_by_accepting_body``). Each list is what one
migration applied: never edit one once released; a later change is a new list and a new migration.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext_lazy as _

DEADLINE_RULES: list[dict[str, Any]] = [
    {"code": "inspection.accept", "track": "", "case_types": ["wage_arrears", "labour_dispute"],
     "trigger": "intake", "ends_on": "decision", "step": _("受理或书面不予受理"),
     "unit": "working", "length": 5, "extension_length": 0,
     "basis": "《关于实施〈劳动保障监察条例〉若干规定》第十八条", "effective_from": date(2004, 12, 31)},
    {"code": "petition.register", "track": "", "case_types": ["petition"],
     "trigger": "intake", "ends_on": "decision", "step": _("登记并转送交办"),
     "unit": "calendar", "length": 15, "extension_length": 0,
     "basis": "《信访工作条例》第二十二条", "effective_from": date(2022, 5, 1)},
    {"code": "wage_clue.quick_close", "track": "", "case_types": ["wage_arrears"], "complexity": "simple",
     "trigger": "accept", "ends_on": "resolution", "step": _("简易欠薪线索快速办结"),
     "unit": "calendar", "length": 3, "extension_length": 0,
     "basis": _("地方规则（欠薪线索快速处置）"), "is_verified": False, "effective_from": date(2020, 1, 1)},
    {"code": "mediation.agreement", "track": "mediation", "case_types": [],
     "trigger": "start", "ends_on": "resolution", "step": _("达成调解协议"),
     "unit": "calendar", "length": 15, "extension_length": 0,
     "basis": "《劳动争议调解仲裁法》第十四条", "effective_from": date(2008, 5, 1)},
    {"code": "inspection.investigate", "track": "inspection", "case_types": [],
     "trigger": "start", "ends_on": "resolution", "step": _("调查处理"),
     "unit": "working", "length": 60, "extension_length": 30,
     "basis": "《劳动保障监察条例》第十七条", "effective_from": date(2004, 12, 1)},
    {"code": "arbitration.award", "track": "arbitration", "case_types": [],
     "trigger": "start", "ends_on": "resolution", "step": _("作出仲裁裁决"),
     "unit": "calendar", "length": 45, "extension_length": 15,
     "basis": "《劳动争议调解仲裁法》第四十三条；《办案规则》第四十五条", "effective_from": date(2008, 5, 1)},
    {"code": "petition.handle", "track": "petition", "case_types": [],
     "trigger": "start", "ends_on": "resolution", "step": _("办理信访事项"),
     "unit": "calendar", "length": 60, "extension_length": 30,
     "basis": "《信访工作条例》第三十四条", "effective_from": date(2022, 5, 1)},
    {"code": "referral.answer", "track": "referral", "case_types": [],
     "trigger": "start", "ends_on": "resolution", "step": _("联动单位答复"),
     "unit": "working", "length": 15, "extension_length": 10,
     "basis": _("地方联动机制"), "is_verified": False, "effective_from": date(2020, 1, 1)},
]

# Which clock runs when (rules.md §2): the body that accepts decides the acceptance clock, and the
# handling clock runs from acceptance. Rows with a "set" key correct an existing rule (found by
# code and effective date) in place; the others are new rules.
CLOCKS_BY_ACCEPTING_BODY: list[dict[str, Any]] = [
    # A labour dispute is accepted by the arbitration commission, not by labour inspection.
    {"code": "inspection.accept", "effective_from": date(2004, 12, 31),
     "set": {"case_types": ["wage_arrears"], "counts_from_words": "收到投诉"}},
    {"code": "arbitration.accept", "track": "", "case_types": ["labour_dispute"],
     "trigger": "intake", "ends_on": "decision", "step": _("受理或不予受理仲裁申请"),
     "unit": "calendar", "length": 5, "extension_length": 0, "counts_from_words": "收到仲裁申请",
     "basis": "《劳动争议调解仲裁法》第二十九条", "effective_from": date(2008, 5, 1)},
    {"code": "petition.register", "effective_from": date(2022, 5, 1),
     "set": {"counts_from_words": "收到信访事项"}},
    {"code": "consultation.accept", "track": "", "case_types": ["consultation"],
     "trigger": "intake", "ends_on": "decision", "step": _("受理咨询"),
     "unit": "working", "length": 2, "extension_length": 0, "counts_from_words": "收到咨询",
     "basis": _("地方规则（参照12345热线工单签收时限）"), "is_verified": False,
     "effective_from": date(2020, 1, 1)},
    {"code": "consultation.answer", "track": "consultation", "case_types": [],
     "trigger": "start", "ends_on": "resolution", "step": _("答复咨询"),
     "unit": "working", "length": 5, "extension_length": 0, "counts_from": "receipt", "counts_from_words": "收到咨询",
     "basis": _("地方规则（参照12345热线工单五个工作日答复）"), "is_verified": False,
     "effective_from": date(2020, 1, 1)},
    # The handling clocks, which now start at acceptance: what each counts from.
    {"code": "inspection.investigate", "effective_from": date(2004, 12, 1), "set": {"counts_from_words": "立案"}},
    {"code": "arbitration.award", "effective_from": date(2008, 5, 1),
     "set": {"counts_from_words": "受理仲裁申请"}},
    {"code": "petition.handle", "effective_from": date(2022, 5, 1), "set": {"counts_from_words": "受理"}},
    # Art. 14: fifteen days from the mediation body's receipt of the application, not from acceptance.
    {"code": "mediation.agreement", "effective_from": date(2008, 5, 1),
     "set": {"counts_from": "receipt", "counts_from_words": "收到调解申请"}},
    {"code": "referral.answer", "effective_from": date(2020, 1, 1), "set": {"counts_from_words": "移送"}},
    {"code": "wage_clue.quick_close", "effective_from": date(2020, 1, 1), "set": {"counts_from_words": "受理"}},
]

TRIAGE_RULES: list[dict[str, Any]] = [
    {"code": "collective", "name": _("集体争议（10人以上）"), "kind": "workers_at_least",
     "threshold": Decimal(10), "risk_level": "orange", "attention_level": "key", "makes_complex": True,
     "basis": "《劳动争议调解仲裁法》第七条"},
    {"code": "mass_incident", "name": _("30人以上群体性诉求"), "kind": "workers_at_least",
     "threshold": Decimal(30), "risk_level": "red", "attention_level": "special", "makes_complex": True,
     "basis": _("地方规则")},
    {"code": "amount_large", "name": _("金额较大（≥10万元）"), "kind": "amount_at_least",
     "threshold": Decimal(100000), "risk_level": "orange", "attention_level": "key", "makes_complex": True,
     "basis": _("参照法释〔2013〕3号第三条数额")},
    {"code": "amount_complex", "name": _("金额≥2万元需调查核实"), "kind": "amount_at_least",
     "threshold": Decimal(20000), "risk_level": "yellow", "attention_level": "normal", "makes_complex": True,
     "basis": _("地方规则")},
    {"code": "repeat", "name": _("重复投诉"), "kind": "repeat_at_least",
     "threshold": Decimal(1), "risk_level": "yellow", "attention_level": "key", "makes_complex": False,
     "basis": _("地方规则")},
    {"code": "repeat_many", "name": _("多次重复投诉（≥3）"), "kind": "repeat_at_least",
     "threshold": Decimal(3), "risk_level": "orange", "attention_level": "key", "makes_complex": True,
     "basis": _("地方规则")},
    {"code": "extreme_words", "name": _("极端言行苗头"), "kind": "keywords",
     "keywords": "跳楼,堵路,拉横幅,横幅,自杀,自焚,爬塔吊,塔吊上,喝农药,围堵,讨说法,同归于尽,极端",
     "risk_level": "red", "attention_level": "special", "makes_complex": True, "basis": _("地方规则")},
    {"code": "cluster", "name": _("同一单位或项目短期内多起投诉"), "kind": "cluster",
     "threshold": Decimal(3), "window_days": 7, "risk_level": "yellow", "attention_level": "key",
     "makes_complex": True, "basis": _("地方规则")},
]

# The chain between procedures (rules.md §2, §8): clocks started by a step of the chain, each with
# the article it comes from. A party's window (binds_party) is not the bureau's time limit.
CHAIN_CLOCKS: list[dict[str, Any]] = [
    {"code": "arbitration.accept_after_mediation", "track": "arbitration", "case_types": [],
     "trigger": "step", "starts_with": "to_arbitration", "ends_on": "decision",
     "step": "受理或不予受理转入的仲裁申请", "unit": "calendar", "length": 5, "extension_length": 0,
     "counts_from_words": "收到仲裁申请", "basis": "《劳动争议调解仲裁法》第二十九条",
     "effective_from": date(2008, 5, 1)},
    {"code": "award.worker_sues", "track": "", "case_types": [], "trigger": "step", "starts_with": "award",
     "ends_on": "court", "binds_party": True, "step": "劳动者不服裁决向人民法院起诉", "unit": "calendar",
     "length": 15, "extension_length": 0, "counts_from_words": "收到仲裁裁决书",
     "basis": "《劳动争议调解仲裁法》第四十八条、第五十条", "effective_from": date(2008, 5, 1)},
    {"code": "award.set_aside", "track": "", "case_types": [], "trigger": "step", "starts_with": "award.final",
     "ends_on": "court", "binds_party": True, "step": "用人单位申请撤销终局裁决", "unit": "calendar",
     "length": 30, "extension_length": 0, "counts_from_words": "收到仲裁裁决书",
     "basis": "《劳动争议调解仲裁法》第四十九条", "effective_from": date(2008, 5, 1)},
    {"code": "mediation.confirmation", "track": "", "case_types": ["wage_arrears", "labour_dispute"],
     "trigger": "step", "starts_with": "resolve.mediated", "ends_on": "court", "binds_party": True,
     "step": "申请司法确认调解协议", "unit": "calendar", "length": 30, "extension_length": 0,
     "counts_from_words": "调解协议生效", "basis": "《人民调解法》第三十三条；《民事诉讼法》第二百零五条",
     "effective_from": date(2011, 1, 1)},
    {"code": "court.confirmation_decision", "track": "court", "case_types": [], "trigger": "step",
     "starts_with": "apply_confirmation", "ends_on": "court", "binds_party": True,
     "step": "人民法院作出是否确认的决定", "unit": "calendar", "length": 15, "extension_length": 10,
     "counts_from_words": "受理司法确认申请", "basis": "《最高人民法院关于人民调解协议司法确认程序的若干规定》第六条",
     "is_verified": False, "effective_from": date(2011, 3, 30)},
    # After the court (rules.md §8): the same file goes on, with the clock the law gives.
    {"code": "court.sue_after_set_aside", "track": "", "case_types": [], "trigger": "step",
     "starts_with": "court_result.set_aside", "ends_on": "court", "binds_party": True,
     "step": "仲裁裁决被撤销后当事人向人民法院起诉", "unit": "calendar", "length": 15, "extension_length": 0,
     "counts_from_words": "收到裁定书", "basis": "《劳动争议调解仲裁法》第四十九条", "effective_from": date(2008, 5, 1)},
    {"code": "arbitration.accept_after_payment_order", "track": "arbitration", "case_types": [],
     "trigger": "step", "starts_with": "after_court.arbitration", "ends_on": "decision",
     "step": "受理支付令终结后的仲裁申请", "unit": "calendar", "length": 5, "extension_length": 0,
     "counts_from_words": "收到仲裁申请",
     "basis": "《劳动争议调解仲裁法》第十六条、第二十九条；《最高人民法院关于审理劳动争议案件适用法律问题的解释（一）》第十三条",
     "effective_from": date(2021, 1, 1)},
]

# Thresholds the chain's steps check. The criminal amounts are the lower ends of the national range;
# each province fixes its own inside it, so they are seeded unverified.
CHAIN_THRESHOLDS: list[dict[str, Any]] = [
    {"code": "inspection.additional_compensation", "name": "逾期不支付的加付赔偿金比例", "unit": "percent",
     "low": Decimal(50), "high": Decimal(100), "basis": "《劳动保障监察条例》第二十六条；《劳动合同法》第八十五条",
     "effective_from": date(2008, 1, 1)},
    {"code": "police.one_worker", "name": "拒不支付一名劳动者三个月以上劳动报酬的数额", "unit": "yuan",
     "low": Decimal(5000), "high": None, "basis": "《刑法》第二百七十六条之一；法释〔2013〕3号第三条",
     "is_verified": False, "effective_from": date(2013, 1, 23)},
    {"code": "police.ten_workers", "name": "拒不支付十名以上劳动者劳动报酬的累计数额", "unit": "yuan",
     "low": Decimal(30000), "high": None, "basis": "《刑法》第二百七十六条之一；法释〔2013〕3号第三条",
     "is_verified": False, "effective_from": date(2013, 1, 23)},
    {"code": "police.workers", "name": "累计数额标准适用的劳动者人数", "unit": "workers",
     "low": Decimal(10), "high": None, "basis": "法释〔2013〕3号第三条", "effective_from": date(2013, 1, 23)},
]
