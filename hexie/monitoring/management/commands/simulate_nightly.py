"""``manage.py simulate_nightly --month 2026-12``: a month of nightly runs over the data loaded,
with the clock fixed at each night, counting the warnings raised.

``--logic before`` evaluates only the last complete and the current month each night (the
schedule before the nightly job learnt which rules fell due); ``after`` runs the nightly job
(``services.nightly.run_nightly``); ``both`` (the default) runs one, then the other, on the same
data. Each simulation starts from no warnings and is rolled back at its end, so the database is
left as it was (the lake is only read).
"""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, time, timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from hexie.core import clock
from hexie.monitoring.models import MonitoringCase, NightlyRun, Warning
from hexie.monitoring.months import first_day, last_day, month_text, parse_month
from hexie.monitoring.schedule import latest_months
from hexie.monitoring.services import run_monitor
from hexie.monitoring.services.nightly import run_nightly

LOGICS = ("before", "after")


class _RollBack(Exception):
    pass


def simulate(month: int, logic: str, *, days: int = 31, engine: str | None = None) -> dict[str, Any]:
    """The first ``days`` nights of ``month`` (all of them by default) under ``logic``, from no
    warnings; rolled back. The counts."""
    out: dict[str, Any] = {}
    try:
        with transaction.atomic():
            Warning.objects.all().delete()
            MonitoringCase.objects.all().delete()
            NightlyRun.objects.all().delete()
            raised, runs = 0, 0
            day = first_day(month)
            end = min(last_day(month), first_day(month) + timedelta(days=days - 1))
            while day <= end:
                with clock.at(timezone.make_aware(datetime.combine(day, time(2, 30)))):
                    raised_tonight, runs_tonight = _night(day, logic, engine)
                raised += raised_tonight
                runs += runs_tonight
                day += timedelta(days=1)
            by_rule = Counter(Warning.objects.values_list("rule__code", flat=True))
            out = {"logic": logic, "nights": end.day, "runs": runs, "raised": raised,
                   "warnings": sum(by_rule.values()), "by_rule": dict(sorted(by_rule.items())),
                   "months": sorted(set(Warning.objects.values_list("month", flat=True)))}
            raise _RollBack
    except _RollBack:
        pass
    return out


def _night(day: date, logic: str, engine: str | None) -> tuple[int, int]:
    """One night: (warnings raised, monitoring runs)."""
    if logic == "before":
        raised = 0
        for m in latest_months(day):
            w = run_monitor(month=m, as_of=day, engine=engine).stats["warnings"]
            raised += w["opened"] + w["reopened"]
        return raised, 2
    night = run_nightly(today=day, engine=engine)
    return int(night.stats["raised"]), len(night.months)


class Command(BaseCommand):
    help = "模拟一个月的夜间监测并统计触发的预警"  # the command line speaks the bureau's language

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--month", required=True, help=gettext("月份"))
        parser.add_argument("--logic", default="both", choices=[*LOGICS, "both"])
        parser.add_argument("--days", type=int, default=31, help=gettext("只模拟前N夜"))
        parser.add_argument("--engine", default=None)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            month = parse_month(options["month"])
        except ValueError as exc:
            raise CommandError(str(exc), returncode=2) from None
        logics = LOGICS if options["logic"] == "both" else (options["logic"],)
        for logic in logics:
            r = simulate(month, logic, days=max(options["days"], 1), engine=options["engine"])
            self.stdout.write(
                f"{month_text(month)} {logic:<6} "
                + gettext("夜数 %(nights)s · 监测运行 %(runs)s · 触发预警 %(raised)s · 月末预警 %(warnings)s · 月份 %(months)s")
                % {"nights": r["nights"], "runs": r["runs"], "raised": r["raised"], "warnings": r["warnings"],
                   "months": "、".join(month_text(m) for m in r["months"])})
            self.stdout.write("    " + ", ".join(f"{code} {n}" for code, n in r["by_rule"].items()))
