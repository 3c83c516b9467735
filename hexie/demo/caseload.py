"""The demo year's caseload: `plan_cases` draws every case the demo city received in the twelve months
before `now` — a few special cases first, so that even a small demo shows every feature, then
cluster bursts, repeat complainants, and the rest in the shares of their end states."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date, datetime, timedelta

from django.utils import timezone

from hexie.demo.city import DISTRICTS
from hexie.demo.employers import make_employers, make_projects
from hexie.demo.facts import case_facts
from hexie.demo.paths import (
    Timeline,
    any_time,
    backwards,
    finish,
    forwards,
    plan_path,
    probe,
    received_time,
    retime,
)
from hexie.demo.people import make_person
from hexie.demo.plans import STATE_SHARES, STATES, CasePlan, PlanContext, quota


def plan_cases(*, n: int, seed: int, now: datetime, is_working_day: Callable[[date], bool]) -> list[CasePlan]:
    """`n` case plans over the twelve months before `now`, sorted by receipt. Pure: same inputs,
    same plans."""
    rng = random.Random(f"cases:{seed}:{n}")
    employers = make_employers(seed)
    ctx = PlanContext(rng=rng, now=now, tz=timezone.get_default_timezone(), is_working_day=is_working_day,
                      employers=employers, projects=make_projects(employers, seed),
                      district_of={d.code: d for d in DISTRICTS})
    plans: list[CasePlan] = []

    # Special cases first, so that even a small demo shows every feature.
    # 1. An overdue collective case on the inspection clock (the screenshot's case).
    proj = ctx.projects[0]
    p = case_facts(ctx, case_type="wage_arrears", project=proj, workers=24, extreme=False, track="inspection",
                   target="in_handling", channel="visit")
    steps, _, feats = plan_path(ctx, {**p, "quick": False}, "in_handling", probe(ctx))
    received = received_time(ctx, now - timedelta(days=130), "visit")
    steps = [s for s in steps if s.kind == "transition"]
    plans.append(finish(ctx, p, received, retime(ctx, received, steps, probe(ctx)), {"overdue", "collective"}))
    # 2. Arbitration in handling with an approved extension.
    p = case_facts(ctx, case_type="labour_dispute", track="arbitration", target="in_handling", channel="visit")
    tl = Timeline(ctx, received_time(ctx, now - timedelta(days=52), "visit"))
    received = tl.t
    slug = p["slug"]
    tl.add(1, "transition", f"desk_{slug}", "accept", track="arbitration")
    tl.add(1, "transition", p["assigner"], "assign", handler=p["handler"], responsible_leader=p["responsible"])
    tl.add(0.5, "transition", p["handler"], "start_handling")
    tl.add(40, "extend", p["assigner"], reason="案情复杂，经仲裁委员会主任书面批准延长十五日")
    plans.append(finish(ctx, p, received, tl.steps, {"extended"}))
    # 2b. Mediation that reached no agreement in its 15 days, moved on to arbitration (调裁衔接).
    p = case_facts(ctx, case_type="labour_dispute", track="arbitration", target="in_handling", channel="visit")
    tl = Timeline(ctx, received_time(ctx, now - timedelta(days=30), "visit"))
    received = tl.t
    tl.add(1, "transition", f"desk_{p['slug']}", "accept", track="mediation")
    tl.add(0.5, "transition", p["assigner"], "assign", handler=p["handler"], responsible_leader=p["responsible"])
    tl.add(0.5, "transition", p["handler"], "start_handling")
    tl.add(15, "transition", p["handler"], "transfer_track", track="arbitration")
    plans.append(finish(ctx, p, received, tl.steps, {"track_changed"}))
    # 3. A referral answered by the partner agency and closed.
    p = case_facts(ctx, case_type="wage_arrears", project=ctx.projects[1], track="referral", target="closed")
    steps, _, feats = plan_path(ctx, {**p, "quick": False}, "closed", probe(ctx))
    received = received_time(ctx, now - timedelta(days=90), p["channel"])
    plans.append(finish(ctx, p, received, retime(ctx, received, steps, probe(ctx)), feats))
    # 4. Alarming words in a fresh complaint (triage: red, special attention).
    p = case_facts(ctx, case_type="wage_arrears", project=ctx.projects[2], workers=12, extreme=True,
                   track="inspection", target="registered", channel="hotline_12345")
    plans.append(finish(ctx, p, any_time(ctx, now - timedelta(hours=20)), [], set()))
    specials = len(plans)

    # Cluster bursts: 3-5 workers complain separately about one project within a week.
    bursts = max(1, n // 100)
    burst_cases = 0
    for b in range(bursts):
        proj = ctx.projects[(3 + b * 7) % len(ctx.projects)]
        anchor = now - timedelta(days=3 if b == 0 else rng.uniform(10, 330))
        size = rng.randint(3, 5) if b else 4
        for k in range(size):
            if burst_cases + specials >= n - 2 * len(STATES):
                break
            at = any_time(ctx, anchor + timedelta(days=k * rng.uniform(0.3, 1.4)))
            at = min(at, now - timedelta(hours=1))
            p = case_facts(ctx, case_type="wage_arrears", project=proj, workers=rng.choice((1, 1, 2, 4)),
                           extreme=False, channel=rng.choice(("qr", "visit", "hotline_12345")))
            plan = forwards(ctx, p, at)
            plans.append(CasePlan(**{**plan.__dict__, "features": tuple(sorted({*plan.features, "cluster"}))}))
            burst_cases += 1

    # Repeat complainants: one worker comes back about the same employer two to four times.
    repeaters = max(1, n // 60)
    repeat_cases = 0
    for _ in range(repeaters):
        person = make_person(rng)
        emp_idx = rng.randrange(len(employers))
        first = now - timedelta(days=rng.uniform(60, 340))
        for k in range(rng.randint(2, 4)):
            if specials + burst_cases + repeat_cases >= n - len(STATES):
                break
            at = first + timedelta(days=k * rng.uniform(20, 60))
            if at > now - timedelta(days=1):
                break
            p = case_facts(ctx, case_type=rng.choice(("wage_arrears", "wage_arrears", "petition")),
                           employer_idx=emp_idx, person=person, extreme=False)
            plan = forwards(ctx, p, received_time(ctx, at, p["channel"]))
            plans.append(CasePlan(**{**plan.__dict__, "features": tuple(sorted({*plan.features, "repeat"}))}))
            repeat_cases += 1

    for target in _shuffled(rng, quota(n - len(plans), STATE_SHARES)):
        p = case_facts(ctx, target=target)
        plans.append(backwards(ctx, p))
    plans.sort(key=lambda c: (c.received_at, c.complainant.phone))
    return plans


def _shuffled(rng: random.Random, items: list[str]) -> list[str]:
    items = list(items)
    rng.shuffle(items)
    return items
