"""What a case plan is: a case's facts and every step of its history with the moment it happened,
and the shares of end states, case types, channels and tracks that a year of cases is drawn to.

Plans are pure data, drawn from one `random.Random`: the same seed, size and `now` give the same
plans. `caseload.plan_cases` draws them; `replay.replay_case` writes them through the services.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from hexie.demo.city import District
from hexie.demo.employers import EmployerSpec, ProjectSpec
from hexie.demo.people import Person


@dataclass(frozen=True)
class Step:
    """One thing that happened to a case: `kind` is transition / extend / restart / answer / rate."""

    at: datetime
    kind: str
    actor: str  # username; "" for the worker (portal)
    name: str = ""  # transition name
    params: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class CasePlan:
    received_at: datetime
    case_type: str
    channel: str
    registered_by: str  # "" for the portal, QR code and monitoring
    complainant: Person
    employer: EmployerSpec
    project_name: str
    street_code: str
    workers_count: int
    amount_claimed: Decimal
    description: str
    external_ref: str
    target: str  # the status the case ends in
    track: str
    features: tuple[str, ...]  # collective, cluster, extreme, repeat, overdue, extended, referral...
    steps: tuple[Step, ...]


STATES = ("registered", "accepted", "refused", "assigned", "in_handling", "suspended", "resolved", "follow_up",
          "closed")
STATE_SHARES = {
    "registered": 0.025, "accepted": 0.02, "refused": 0.05, "assigned": 0.025, "in_handling": 0.18,
    "suspended": 0.03, "resolved": 0.04, "follow_up": 0.04, "closed": 0.59,
}
CASE_TYPE_SHARES = {"wage_arrears": 0.55, "labour_dispute": 0.25, "petition": 0.10, "consultation": 0.10}
CHANNEL_SHARES = {"visit": 0.25, "qr": 0.18, "hotline_12345": 0.2, "phone": 0.15, "web": 0.15, "letter": 0.04,
                  "monitoring": 0.03}
TRACK_SHARES = {
    "wage_arrears": {"inspection": 0.55, "mediation": 0.25, "arbitration": 0.1, "referral": 0.1},
    "labour_dispute": {"arbitration": 0.5, "mediation": 0.4, "inspection": 0.05, "referral": 0.05},
    "petition": {"petition": 0.5, "inspection": 0.4, "referral": 0.1},
    "consultation": {"consultation": 0.7, "inspection": 0.2, "referral": 0.1},
}
# Calendar-day length of each track's statutory clock (inspection: 60 working days ≈ 86 days), which
# runs from acceptance.
TRACK_LIMIT_DAYS = {"mediation": 15, "inspection": 86, "arbitration": 45, "referral": 21, "petition": 60,
                    "consultation": 7}
HANDLER_FOR_TRACK = {"inspection": "inspector", "petition": "inspector", "referral": "inspector",
                     "mediation": "mediator", "arbitration": "arbitrator", "consultation": "mediator"}


@dataclass
class PlanContext:
    """What every planning function draws from: the city's employers and projects, the calendar, `now`,
    and one random stream, whose order of draws is part of the plan (a draw added or moved changes
    every case planned after it)."""

    rng: random.Random
    now: datetime
    tz: Any
    is_working_day: Callable[[date], bool]
    employers: list[EmployerSpec]
    projects: list[ProjectSpec]
    district_of: dict[str, District]


def pick(rng: random.Random, shares: dict[str, float]) -> str:
    return rng.choices(list(shares), list(shares.values()))[0]


def quota(n: int, shares: dict[str, float]) -> list[str]:
    """Exactly n states in the given shares (largest remainder), with at least one of each."""
    raw = {k: max(1.0, v * n) for k, v in shares.items()}
    counts = {k: int(v) for k, v in raw.items()}
    left = n - sum(counts.values())
    for k in sorted(raw, key=lambda k: raw[k] - counts[k], reverse=True):
        if left <= 0:
            break
        counts[k] += 1
        left -= 1
    while left < 0:  # tiny n: take from the largest
        k = max(counts, key=lambda k: counts[k])
        counts[k] -= 1
        left += 1
    return [k for k in shares for _ in range(counts[k])]
