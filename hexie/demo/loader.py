"""Loading the demo city: `load_demo` (what `manage.py load_demo` runs) and the summary it prints.

The city is loaded once, into an empty database, in this order: the working-day calendar, the
org tree and staff (`city`), the registry of employers, projects and workers (`registry`), a year
of cases drawn as plans (`caseload`) and replayed through the case services (`replay`), three
months of monitoring feeds and the warning job over them (`feeds`), and the dashboard roll-up,
documents and bulletin (`documents`). Every piece draws from `random.Random(seed)`, so the same
seed, size and `now` give the same city.
"""

from __future__ import annotations

import sys
import time as time_mod
from collections import Counter
from datetime import datetime
from typing import Any, Protocol

from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext

from hexie.cases.models import OPEN_STATUSES, Case, Notification, Supervision
from hexie.core.public_url import public_base_url
from hexie.demo.caseload import plan_cases
from hexie.demo.chain import load_chain
from hexie.demo.city import CITY_CODE, DEMO_ADMIN, create_city
from hexie.demo.credit import load_credit
from hexie.demo.documents import load_documents
from hexie.demo.feeds import load_feeds
from hexie.demo.logins import login_table
from hexie.demo.plans import STATES
from hexie.demo.prevention import load_prevention
from hexie.demo.registry import load_registry
from hexie.demo.replay import catch_up, replay_case
from hexie.orgs.models import OrgUnit, User
from hexie.workcal.selectors import get_calendar
from hexie.workcal.services import seed_from_chinesecalendar


class Writer(Protocol):
    """Where the loader reports progress: a file, sys.stdout or a management command's stdout."""

    def write(self, text: str, /) -> Any: ...

    def flush(self) -> Any: ...


def demo_state() -> str:
    """'empty', 'loaded' (the demo city is there), or 'other' (someone else's data: leave it)."""
    if OrgUnit.objects.filter(code=CITY_CODE).exists() and User.objects.filter(username=DEMO_ADMIN).exists():
        return "loaded"
    if OrgUnit.objects.exists() or Case.objects.exists():
        return "other"
    return "empty"


def counts_by_status() -> dict[str, int]:
    got = dict(Case.objects.values_list("status").annotate(n=Count("id")).values_list("status", "n"))
    return {s: got.get(s, 0) for s in STATES}


def _summary() -> dict[str, Any]:
    today = timezone.localdate()
    return {
        "cases": Case.objects.count(),
        "by_status": counts_by_status(),
        "overdue": Case.objects.filter(status__in=OPEN_STATUSES, next_due_on__lt=today).count(),
        "collective": Case.objects.filter(is_collective=True).count(),
        "clustered": Case.objects.filter(cluster__isnull=False).count(),
        "red": Case.objects.filter(risk_level="red").count(),
        "repeat": Case.objects.filter(is_repeat=True).count(),
        "org_units": OrgUnit.objects.count(),
        "users": User.objects.count(),
        "supervisions": Supervision.objects.count(),
        "notifications_pending": Notification.objects.filter(state="pending").count(),
    }


def _base_url() -> str:
    return public_base_url()


def load_demo(*, cases: int = 1500, seed: int = 2026, now: datetime | None = None, workers: int = 20_000,
              stdout: Writer | None = None) -> dict[str, Any]:
    """Load the demo city once. A database that already has it (or has other data) is left alone."""
    out = stdout or sys.stdout
    started = time_mod.monotonic()
    seeded = seed_from_chinesecalendar()  # idempotent: 0 once the calendar is there
    state = demo_state()
    if state != "empty":
        if state == "loaded":
            out.write(gettext("演示数据已加载，未做任何更改。") + "\n")
        else:
            out.write(gettext("数据库中已有其他数据，未加载演示数据（演示数据只加载到空数据库）。") + "\n")
        summary = _summary()
        out.write(_report(summary) + "\n")
        if state == "loaded":
            out.write(login_table(_base_url()) + "\n")
        return {"loaded": False, "state": state, "calendar_rows": seeded, **summary}

    now = (now or timezone.now()).replace(microsecond=0)
    plans = plan_cases(n=cases, seed=seed, now=now, is_working_day=get_calendar().is_working_day)
    planned = time_mod.monotonic()
    with transaction.atomic():
        city = create_city()
        registry = load_registry(seed=seed, now=now, workers=workers)
        out.write(f"  registry: {registry}\n")
        for i, plan in enumerate(plans, 1):
            replay_case(plan, city)
            if i % 250 == 0:
                out.write(f"  {i}/{len(plans)} cases …\n")
                out.flush()
        # The chain (mediation → arbitration → court), 12345 orders and the mediation network.
        chain = load_chain(city=city, now=now, seed=seed)
        out.write(f"  chain, orders and network: {chain}\n")
        sweep = catch_up(now=now)
    # Three months of attendance, payroll and deposits through the importer (the lake files are
    # written outside the case transaction), then the monitor over those months.
    feeds = load_feeds(now=now, seed=seed)
    out.write(f"  monitoring feeds: {_feeds_line(feeds)}\n")
    began = time_mod.monotonic()
    prevention = load_prevention(now=now, seed=seed)
    out.write(f"  prevention: {prevention} in {time_mod.monotonic() - began:.1f} s\n")
    credit = load_credit(now=now, seed=seed)
    out.write(f"  credit: grades {credit.get('grades')}, listings {credit.get('listings')}\n")
    rollup, documents = load_documents(now=now)
    out.write(f"  dashboard roll-up: {rollup}; documents and bulletins: {documents}\n")
    elapsed = time_mod.monotonic() - started
    summary = _summary()
    feats = Counter(f for p in plans for f in p.features)
    out.write(gettext("演示数据已加载：%(cases)s件案件，用时%(elapsed).1f秒（规划%(planning).1f秒），随机种子%(seed)s。")
              % {"cases": summary["cases"], "elapsed": elapsed, "planning": planned - started, "seed": seed} + "\n")
    out.write(_report(summary) + "\n")
    out.write(f"  supervision sweep: {sweep}; planned features: {dict(sorted(feats.items()))}\n")
    out.write(login_table(_base_url()) + "\n")
    return {"loaded": True, "state": "loaded", "seconds": round(elapsed, 1), "calendar_rows": seeded,
            "sweep": sweep, **summary}


def _feeds_line(feeds: dict[str, Any]) -> str:
    if not feeds.get("loaded", True):
        return "already loaded"
    keep = ("months", "seconds", "warnings", "cases_opened", "rows")
    return ", ".join(f"{k} {feeds[k]}" for k in keep if k in feeds) or str(feeds)


def _report(summary: dict[str, Any]) -> str:
    states = ", ".join(f"{k} {v}" for k, v in summary["by_status"].items())
    return (f"  cases {summary['cases']}: {states}\n"
            f"  overdue {summary['overdue']}, collective {summary['collective']}, clustered {summary['clustered']}, "
            f"red {summary['red']}, repeat {summary['repeat']}; org units {summary['org_units']}, "
            f"staff {summary['users']}, supervision records {summary['supervisions']}, "
            f"notifications pending {summary['notifications_pending']}")
