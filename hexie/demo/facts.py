"""The facts of a planned case: who complains about whom, for how much, how many workers, through
which channel, on which track, and in what words — everything but its timeline."""

from __future__ import annotations

import random
from decimal import Decimal
from typing import Any

from hexie.demo.city import AGENCIES
from hexie.demo.employers import EmployerSpec, ProjectSpec
from hexie.demo.people import Person, make_person
from hexie.demo.plans import (
    CASE_TYPE_SHARES,
    CHANNEL_SHARES,
    HANDLER_FOR_TRACK,
    TRACK_SHARES,
    PlanContext,
    pick,
)

TRADES = ("钢筋工", "木工", "泥工", "架子工", "水电工", "油漆工", "杂工", "塔吊司机", "焊工", "砌筑工")
JOBS = {
    "manufacturing": ("车间操作工", "装配工", "质检员"), "electronics": ("流水线普工", "贴片操作员", "仓管员"),
    "garment": ("缝纫工", "熨烫工", "裁剪工"), "food": ("包装工", "生产线普工", "配送员"),
    "catering": ("厨师", "服务员", "洗碗工"), "property": ("保洁员", "保安", "电工"),
    "logistics": ("快递分拣员", "货车司机", "装卸工"), "security": ("保安员", "巡逻队员"),
    "housekeeping": ("育儿嫂", "保洁员", "护工"), "hotel": ("客房服务员", "前台接待", "厨师"),
    "trade": ("销售员", "理货员", "收银员"), "auto": ("汽修工", "洗车工", "销售顾问"),
    "individual": ("帮工", "服务员", "学徒"), "construction": ("施工员", "安全员", "资料员"),
    "labour": ("杂工", "钢筋工", "木工"), "decoration": ("油漆工", "水电工", "泥工"),
}
EXTREME_PHRASES = (
    "如果月底前还不给钱，我们就去项目部门口拉横幅讨说法。",
    "有工友说再拿不到钱就要爬塔吊。",
    "大家情绪很激动，准备去堵路。",
    "再不解决我们就集体去政府门口拉横幅。",
)
DISPUTE_TOPICS = (
    ("未签订书面劳动合同，要求支付二倍工资差额", "labour"),
    ("公司单方面解除劳动合同，要求支付经济补偿金", "termination"),
    ("公司未依法缴纳社会保险，要求补缴", "insurance"),
    ("长期安排加班但未支付加班费", "overtime"),
    ("工作中受伤，已认定工伤，公司拒绝支付工伤待遇", "injury"),
    ("试用期被辞退，工资按低于约定标准发放", "probation"),
)
CONSULT_TOPICS = ("试用期工资标准", "劳动合同到期不续签有无经济补偿", "带薪年休假天数", "长沙市最低工资标准",
                  "工伤认定的流程和材料", "离职后社保如何转移接续", "加班费的计算基数")


def _description(ctx: PlanContext, p: dict[str, Any]) -> str:
    rng = ctx.rng
    emp: EmployerSpec = p["employer"]
    amount, workers, months = p["amount"], p["workers"], rng.randint(1, 6)
    case_type = p["case_type"]
    if case_type == "consultation":
        return f"咨询{rng.choice(CONSULT_TOPICS)}。本人在{emp.name}工作，想了解相关规定。"
    if case_type == "labour_dispute":
        topic = rng.choice(DISPUTE_TOPICS)[0]
        job = rng.choice(JOBS.get(emp.industry, ("员工",)))
        return f"本人在{emp.name}任{job}{rng.randint(1, 9)}年，{topic}，涉及金额约{amount}元。"
    if p["project"]:
        trade = rng.choice(TRADES)
        if workers >= 10:
            text = (f"我们{workers}名工友在{p['project']}做{trade}，{emp.name}拖欠{months}个月工资共计{amount}元，"
                    "包工头已联系不上，项目部推说工程款未结算。")
        else:
            text = f"本人在{p['project']}做{trade}，{emp.name}拖欠{months}个月工资{amount}元，多次找项目部讨要未果。"
    else:
        job = rng.choice(JOBS.get(emp.industry, ("员工",)))
        if workers >= 10:
            text = f"{emp.name}拖欠我们{workers}名员工{months}个月工资共{amount}元，公司称资金困难，一直拖着不发。"
        else:
            text = f"本人在{emp.name}做{job}，公司拖欠{months}个月工资{amount}元，离职后一直未结清。"
    if case_type == "petition":
        text = "此前已多次反映未得到解决，现再次来信来访：" + text + "请求有关部门督促处理。"
    if p["extreme"]:
        text += rng.choice(EXTREME_PHRASES)
    return text


def _amount(rng: random.Random, case_type: str, workers: int) -> Decimal:
    if case_type == "consultation":
        return Decimal("0.00")
    per = rng.lognormvariate(9.2, 0.7)  # median ≈ 9,900 yuan a worker
    if case_type == "labour_dispute":
        per *= 1.6
    total = min(per * workers, 5_000_000)
    return Decimal(int(total / 10) * 10).quantize(Decimal("0.01"))


def case_facts(ctx: PlanContext, *, case_type: str | None = None, employer_idx: int | None = None,
               project: ProjectSpec | None = None, person: Person | None = None, workers: int | None = None,
               extreme: bool | None = None, track: str | None = None, target: str = "closed",
               channel: str | None = None) -> dict[str, Any]:
    """Everything about a case except its timeline."""
    rng = ctx.rng
    case_type = case_type or pick(rng, CASE_TYPE_SHARES)
    if project is None and employer_idx is None and case_type == "wage_arrears" and rng.random() < 0.4:
        project = rng.choice(ctx.projects)
    if project is not None and employer_idx is None:
        employer_idx = rng.choice(project.subcontractors) if rng.random() < 0.6 else project.contractor
    if employer_idx is None:
        # A long tail: a few employers draw many complaints, most draw one or two a year.
        employer_idx = min(int(rng.paretovariate(1.1)) - 1, len(ctx.employers) - 1) if rng.random() < 0.35 \
            else rng.randrange(len(ctx.employers))
    emp = ctx.employers[employer_idx]
    if workers is None:
        collective = case_type in ("wage_arrears", "petition") and rng.random() < (0.18 if project else 0.05)
        workers = rng.randint(10, 60) if collective else (rng.randint(2, 6) if rng.random() < 0.12 else 1)
    if extreme is None:
        extreme = case_type in ("wage_arrears", "petition") and rng.random() < 0.03
    amount = _amount(rng, case_type, workers)
    if track is None:
        track = pick(rng, TRACK_SHARES[case_type])
    # Triage makes a case complex on ≥2万元, 10+ workers or alarming words; a simple wage-arrears
    # clue runs on the 3-day quick-close clock, so it is handled in a day or two.
    quick = (case_type == "wage_arrears" and amount < 20000 and workers < 10 and not extreme
             and track in ("inspection", "mediation"))
    street = project.street_code if project else emp.street_code
    district = ctx.district_of[street[:6]]
    channel = channel or pick(rng, CHANNEL_SHARES)
    if case_type == "consultation" and channel == "monitoring":
        channel = "phone"
    registered_by = "" if channel in ("web", "qr", "monitoring") else f"desk_{district.slug}"
    red = extreme or workers >= 30
    kind = HANDLER_FOR_TRACK[track]
    # The city leader takes personal charge (包案) of red cases and gives some to city handlers.
    if red:
        assigner = responsible = "city_leader"
        handler = f"city_{kind}" if rng.random() < 0.4 else f"{kind}_{district.slug}"
    else:
        assigner = responsible = f"leader_{district.slug}"
        handler = f"{kind}_{district.slug}"
    agency = ""
    if track == "referral":
        if extreme:
            agency = "police"
        elif project:
            agency = rng.choice(("housing", "housing", "police"))
        elif case_type == "labour_dispute":
            agency = "court"
        else:
            agency = rng.choice(("union", "court", "police"))
    person = person or make_person(rng)
    p: dict[str, Any] = {
        "case_type": case_type, "employer": emp, "project": project.name if project else "", "workers": workers,
        "extreme": extreme, "amount": amount, "track": track, "quick": quick, "street": street,
        "slug": district.slug, "channel": channel, "registered_by": registered_by, "assigner": assigner,
        "responsible": responsible, "handler": handler, "agency": agency,
        "partner": {k: u for k, _, u in AGENCIES}.get(agency, ""), "person": person, "target": target,
    }
    p["description"] = _description(ctx, p)
    p["credit_code"] = emp.credit_code if rng.random() < 0.85 else ""
    return p
