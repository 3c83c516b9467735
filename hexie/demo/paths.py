"""The path of a planned case: the steps that take it from registration to the state it ends in,
each staff action in office hours on the working-day calendar and each worker's action by day,
and the placing of that path in time (backwards from `now`, or forwards from a fixed receipt)."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import datetime, time, timedelta
from decimal import Decimal
from typing import Any

from hexie.demo.employers import EmployerSpec
from hexie.demo.plans import TRACK_LIMIT_DAYS, CasePlan, PlanContext, Step, pick

SUSPEND_REASONS = ("等待工伤伤残等级鉴定结论", "当事人申请中止，待补充证据材料", "用人单位负责人失联，待公安机关协查",
                   "等待人民法院相关案件审理结果")
REFUSE_REASONS = ("不属于劳动保障监察管辖范围，已告知向人民法院起诉", "超过劳动保障监察时效（两年）",
                  "已进入劳动仲裁程序，告知在仲裁程序中解决", "投诉人撤回投诉", "诉求不明确，经联系投诉人无法补正")
RATING_COMMENTS = {5: "办理及时，工资已全部到账，感谢！", 4: "问题解决了，就是时间有点长。", 3: "基本满意。",
                   2: "钱只拿到一部分，对结果不满意。", 1: "问题根本没有解决。"}


def staff_time(ctx: PlanContext, t: datetime) -> datetime:
    """Move `t` into office hours (8:30-17:30) on an official working day."""
    local = t.astimezone(ctx.tz)
    d = local.date()
    start = datetime.combine(d, time(8, 30), ctx.tz)
    end = datetime.combine(d, time(17, 30), ctx.tz)
    if ctx.is_working_day(d) and start <= local <= end:
        return local
    if ctx.is_working_day(d) and local < start:
        return start + timedelta(minutes=ctx.rng.randrange(0, 90))
    d += timedelta(days=1)
    while not ctx.is_working_day(d):
        d += timedelta(days=1)
    return datetime.combine(d, time(8, 30), ctx.tz) + timedelta(minutes=ctx.rng.randrange(0, 150))


def any_time(ctx: PlanContext, t: datetime) -> datetime:
    """Move `t` out of the night: workers file and rate between 7:00 and 23:00."""
    local = t.astimezone(ctx.tz)
    if 7 <= local.hour < 23:
        return local
    return datetime.combine(local.date() + timedelta(days=1 if local.hour >= 23 else 0), time(7), ctx.tz) + \
        timedelta(minutes=ctx.rng.randrange(0, 180))


def received_time(ctx: PlanContext, at: datetime, channel: str) -> datetime:
    """Visits, calls and letters are registered by a clerk in office hours; the rest arrive by day."""
    if channel in ("visit", "phone", "letter"):
        return staff_time(ctx, at)
    return any_time(ctx, at)


def _conclusion(rng: random.Random, case_type: str, track: str) -> str:
    if case_type == "consultation":
        return "answered"
    options = {
        "inspection": {"paid_in_full": 0.55, "paid_in_part": 0.15, "order_issued": 0.15, "not_substantiated": 0.1,
                       "withdrawn": 0.05},
        "mediation": {"mediated": 0.6, "paid_in_full": 0.2, "withdrawn": 0.1, "to_court": 0.1},
        "arbitration": {"awarded": 0.55, "mediated": 0.35, "withdrawn": 0.1},
        "referral": {"referred_closed": 0.8, "to_court": 0.2},
        "petition": {"paid_in_full": 0.5, "answered": 0.3, "paid_in_part": 0.2},
    }[track]
    return pick(rng, options)


def _resolve_params(rng: random.Random, case_type: str, track: str, amount: Decimal, workers: int) -> dict[str, Any]:
    conclusion = _conclusion(rng, case_type, track)
    share = {"paid_in_full": 1.0, "mediated": rng.uniform(0.6, 0.95), "awarded": rng.uniform(0.5, 1.0),
             "paid_in_part": rng.uniform(0.3, 0.8), "order_issued": rng.uniform(0.8, 1.0),
             "referred_closed": rng.uniform(0.0, 1.0)}.get(conclusion, 0.0)
    recovered = (amount * Decimal(str(round(share, 2)))).quantize(Decimal("0.01"))
    benefited = workers if share >= 0.99 else (round(workers * share) if share else 0)
    params: dict[str, Any] = {"conclusion": conclusion, "amount_recovered": recovered, "workers_benefited": benefited}
    if track == "arbitration":
        params.update(_arbitration_result(case_type, conclusion, share, amount, workers))
    return params


# Causes as the arbitration statistics count them (rules.md §6), weighted as bureaus report them.
_CAUSE_WEIGHTS = {"pay": 0.55, "contract": 0.25, "social_insurance": 0.12, "other": 0.08}


def _arbitration_result(case_type: str, conclusion: str, share: float, amount: Decimal, workers: int) -> dict[str, str]:
    """Cause and outcome of a demo arbitration case.

    Drawn from a generator of its own, seeded by the case's figures, so that the demo's main random
    stream (and so every other demo case) stays what it was before these fields existed.
    """
    rng = random.Random(f"{case_type}|{conclusion}|{share:.4f}|{amount}|{workers}")
    cause = "pay" if case_type == "wage_arrears" else pick(rng, _CAUSE_WEIGHTS)
    if conclusion == "awarded":
        outcome = "worker_won" if share >= 0.95 else ("split" if share >= 0.6 else
                                                      rng.choice(("split", "employer_won")))
    elif conclusion == "mediated":
        outcome = "split"
    else:
        outcome = ""
    return {"dispute_cause": cause, "outcome": outcome}


class Timeline:
    """Builds a case's steps forward from its receipt, each staff action in office hours."""

    def __init__(self, ctx: PlanContext, start: datetime, scale: float = 1.0) -> None:
        self.ctx, self.t, self.scale = ctx, start, scale
        self.steps: list[Step] = []

    def add(self, gap_days: float, kind: str, actor: str, name: str = "", **params: Any) -> None:
        t = self.t + timedelta(days=gap_days * self.scale)
        t = any_time(self.ctx, t) if actor == "" else staff_time(self.ctx, t)
        self.t = t
        self.steps.append(Step(at=t, kind=kind, actor=actor, name=name, params=params))


def _handling_days(rng: random.Random, track: str, quick: bool, late: bool) -> float:
    if quick:
        return rng.uniform(0.2, 2.5) if not late else rng.uniform(4, 10)
    lo, hi = {"mediation": (2, 14), "inspection": (10, 78), "arbitration": (18, 43), "referral": (5, 19),
              "petition": (15, 55), "consultation": (0.5, 5)}[track]
    limit = TRACK_LIMIT_DAYS[track]
    return rng.uniform(lo, hi) if not late else rng.uniform(limit + 3, limit + 35)


def plan_path(ctx: PlanContext, p: dict[str, Any], target: str, start: datetime, scale: float = 1.0) -> tuple[
        list[Step], float, set[str]]:
    """The steps that take a case from registration to `target`, and the dwell (days) it has spent
    in `target` by `now` (for cases planned backwards from `now`)."""
    rng = ctx.rng
    tl = Timeline(ctx, start, scale)
    feats: set[str] = set()
    slug, track, case_type = p["slug"], p["track"], p["case_type"]
    desk, leader = f"desk_{slug}", p["assigner"]
    handler = p["handler"]
    quick = p["quick"]
    dwell = 0.0
    if target == "registered":
        overdue = rng.random() < 0.3
        return [], (rng.uniform(9, 20) if overdue else rng.uniform(0, 4)), ({"overdue"} if overdue else set())
    if target == "refused":
        tl.add(rng.uniform(0.1, 3), "transition", desk, "refuse", reason=rng.choice(REFUSE_REASONS))
        return tl.steps, rng.uniform(0, 330), feats
    # The desk accepts the case onto its track, whose clock starts there (a referral names the agency).
    accept_params: dict[str, Any] = {"track": track}
    if track == "referral":
        accept_params["agency"] = p["agency"]
        feats.add("referral")
    tl.add(rng.uniform(0.05, 2.5), "transition", desk, "accept", **accept_params)
    if target == "accepted":
        return tl.steps, rng.uniform(0, 2.5), feats
    tl.add(rng.uniform(0, 1.5) if quick else rng.uniform(0.1, 2.5), "transition", leader, "assign",
           handler=handler, responsible_leader=p["responsible"])
    if target == "assigned":
        return tl.steps, rng.uniform(0, 3), feats
    tl.add(rng.uniform(0, 1) if quick else rng.uniform(0.1, 3), "transition", handler, "start_handling")
    limit = TRACK_LIMIT_DAYS[track]

    if target in ("in_handling", "suspended"):
        if target == "suspended":
            tl.add(rng.uniform(2, min(limit * 0.7, 30)), "transition", handler, "suspend",
                   reason=rng.choice(SUSPEND_REASONS))
            return tl.steps, rng.uniform(3, 60), feats | {"suspended"}
        overdue = rng.random() < (0.5 if quick else 0.3)
        if quick:
            dwell = rng.uniform(4, 20) if overdue else rng.uniform(0, 1.5)
        else:
            dwell = rng.uniform(limit + 2, limit + 70) if overdue else rng.uniform(0, limit * 0.85)
        if track == "arbitration" and rng.random() < 0.12 and dwell > 12:
            gap = rng.uniform(4, 10)
            tl.add(gap, "restart", handler, ground=rng.choice(("supplement", "change_claims", "add_party")))
            dwell -= gap
            feats.add("restarted")
        if track in ("arbitration", "inspection") and dwell > limit - 6 and rng.random() < 0.7:
            gap = rng.uniform(limit - 8, limit - 3)
            tl.add(gap, "extend", leader, reason="案情复杂，经批准延长期限" if track == "inspection"
                   else "案情复杂，经仲裁委员会主任书面批准延长十五日")
            dwell -= gap
            feats.add("extended")
            overdue = dwell > limit + (15 if track == "arbitration" else 40)
        if track == "referral" and dwell > 6 and rng.random() < 0.5:
            gap = rng.uniform(3, min(dwell - 1, 14))
            tl.add(gap, "answer", p["partner"], answer="已受理并依法处理，处理结果另行函告。")
            dwell -= gap
        if overdue:
            feats.add("overdue")
        return tl.steps, max(dwell, 0.0), feats

    # The case is handled to resolution (maybe reopened after a bad rating and resolved again).
    late = rng.random() < 0.1
    days = _handling_days(rng, track, quick, late)
    if rng.random() < 0.08 and not quick:
        first = rng.uniform(1, days / 2)
        tl.add(first, "transition", handler, "suspend", reason=rng.choice(SUSPEND_REASONS))
        tl.add(rng.uniform(5, 30), "transition", handler, "resume")
        days -= first
        feats.add("suspended_before")
    if track == "arbitration" and rng.random() < 0.08 and days > 12:
        gap = rng.uniform(4, 10)
        tl.add(gap, "restart", handler, ground=rng.choice(("supplement", "change_claims", "add_party")))
        days -= gap
        feats.add("restarted")
    if track == "arbitration" and days > limit - 3 and rng.random() < 0.8:
        gap = rng.uniform(limit - 8, limit - 3)
        tl.add(gap, "extend", leader, reason="案情复杂，经仲裁委员会主任书面批准延长十五日")
        days = max(days - gap, 1)
        feats.add("extended")
    if track == "referral":
        gap = days * rng.uniform(0.6, 0.9)
        tl.add(gap, "answer", p["partner"], answer="经核查，用人单位已补发工资，现函复贵局。")
        days -= gap
    if late:
        feats.add("late")
    tl.add(days, "transition", handler, "resolve",
           **_resolve_params(rng, case_type, track, p["amount"], p["workers"]))
    if target == "resolved":
        return tl.steps, rng.uniform(0, 6), feats
    if target == "follow_up":
        tl.add(rng.uniform(1, 4), "transition", desk, "start_follow_up")
        return tl.steps, rng.uniform(0, 10), feats
    # closed
    roll = rng.random()
    if roll < 0.06:
        bad = rng.choice((1, 2))
        tl.add(rng.uniform(0.3, 3), "rate", "", satisfaction=bad, comment=RATING_COMMENTS[bad])
        tl.add(rng.uniform(3, 15), "transition", handler, "resolve",
               **_resolve_params(rng, case_type, track, p["amount"], p["workers"]))
        tl.add(rng.uniform(0.5, 4), "rate", "", satisfaction=4, comment=RATING_COMMENTS[4])
        feats.add("reopened")
    elif roll < 0.5:
        sat = rng.choices((5, 4, 3), (0.6, 0.3, 0.1))[0]
        tl.add(rng.uniform(0.2, 3), "rate", "", satisfaction=sat, comment=RATING_COMMENTS[sat])
    else:
        tl.add(rng.uniform(1, 4), "transition", desk, "start_follow_up")
        rated = rng.choices((5, 4, 3, None), (0.5, 0.3, 0.1, 0.1))[0]
        params = {"satisfaction": rated} if rated is not None else {}
        tl.add(rng.uniform(0.5, 5), "transition", desk, "close", **params)
    return tl.steps, rng.uniform(0, 360), feats


def finish(ctx: PlanContext, p: dict[str, Any], received: datetime, steps: list[Step],
           feats: set[str]) -> CasePlan:
    # Nothing may happen in the future: anything planned past `now` happens just before it.
    latest = ctx.now - timedelta(minutes=10)
    received = min(received, latest - timedelta(minutes=len(steps) + 1))
    fixed: list[Step] = []
    for i, s in enumerate(steps):
        cap = latest - timedelta(minutes=len(steps) - i)
        at = max(s.at, received + timedelta(minutes=i + 1))
        fixed.append(s if at == s.at and s.at <= cap else Step(min(at, cap), s.kind, s.actor, s.name, s.params))
    if p["workers"] >= 10:
        feats.add("collective")
    if p["extreme"]:
        feats.add("extreme")
    ext = ""
    if p["channel"] == "hotline_12345":
        ext = f"12345-{received:%Y%m%d}-{ctx.rng.randrange(10000, 99999)}"
    emp: EmployerSpec = p["employer"]
    return CasePlan(
        received_at=received, case_type=p["case_type"], channel=p["channel"], registered_by=p["registered_by"],
        complainant=p["person"], employer=EmployerSpec(emp.name, p["credit_code"], emp.address,
                                                       emp.district_code, emp.street_code, emp.industry),
        project_name=p["project"], street_code=p["street"], workers_count=p["workers"], amount_claimed=p["amount"],
        description=p["description"], external_ref=ext, target=p["target"],
        track=p["track"] if p["target"] not in ("registered", "refused") else "",
        features=tuple(sorted(feats)), steps=tuple(fixed),
    )


_PROBE = datetime(2000, 1, 3, 9, 0)  # a Monday: paths are first laid out from here, then re-timed


def probe(ctx: PlanContext) -> datetime:
    return _PROBE.replace(tzinfo=ctx.tz)


def retime(ctx: PlanContext, received: datetime, steps: list[Step], origin: datetime) -> list[Step]:
    """Re-time steps laid out from `origin` so that they start at `received`, keeping each gap and
    moving each staff action into office hours on the real calendar."""
    out: list[Step] = []
    prev, t = origin, received
    for s in steps:
        t = t + (s.at - prev)
        t = any_time(ctx, t) if s.actor == "" else staff_time(ctx, t)
        prev = s.at
        out.append(replace(s, at=t))
    return out


def backwards(ctx: PlanContext, p: dict[str, Any]) -> CasePlan:
    """Plan a case that is in state `target` today: lay out its path, then place it in time so that
    it has spent its dwell time in that state by `now`."""
    origin = probe(ctx)
    steps, dwell, feats = plan_path(ctx, p, p["target"], origin)
    span = (steps[-1].at - origin) if steps else timedelta(0)
    # Office hours and holidays stretch a path replayed at its real dates: leave a little room.
    slack = timedelta(days=0.5 + span.days * 0.05) if steps else timedelta(0)
    received = received_time(ctx, ctx.now - span - slack - timedelta(days=dwell), p["channel"])
    return finish(ctx, p, received, retime(ctx, received, steps, origin), feats)


def forwards(ctx: PlanContext, p: dict[str, Any], received: datetime) -> CasePlan:
    """Plan a case received at a fixed moment (cluster bursts, repeat complaints): its state follows
    from how long ago that was, and its path is squeezed to fit."""
    rng = ctx.rng
    age = (ctx.now - received).total_seconds() / 86400
    if age < 2:
        target = rng.choice(("registered", "accepted", "assigned"))
    elif age < 12:
        target = rng.choices(("assigned", "in_handling", "resolved"), (0.2, 0.65, 0.15))[0]
    elif age < 60:
        target = rng.choices(("in_handling", "follow_up", "closed"), (0.45, 0.15, 0.4))[0]
    else:
        target = rng.choices(("in_handling", "closed"), (0.12, 0.88))[0]
    p["target"] = target
    origin = probe(ctx)
    steps, _dwell, feats = plan_path(ctx, p, target, origin)
    span_days = ((steps[-1].at - origin).total_seconds() / 86400) if steps else 0.0
    if steps and span_days > age * 0.8:
        steps, _dwell, feats = plan_path(ctx, p, target, origin, scale=age * 0.7 / span_days)
    return finish(ctx, p, received, retime(ctx, received, steps, origin), feats)
