"""Scheduled bulletins, run by the Huey worker: each for the last complete period, for the city and
each district (周调度 Monday 07:00 for last week; 月度 on the 1st for last month; 季度 on the 1st of
January, April, July and October for last quarter); and every ten minutes the dashboards' roll-up
of closed cases."""

from __future__ import annotations

from typing import Any

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from hexie.insights.models import PeriodKind
from hexie.insights.selectors import keep_rolled_parts
from hexie.insights.services.bulletins import generate_scheduled
from hexie.insights.services.rollup import refresh_rollup


@db_periodic_task(crontab(day_of_week="1", hour="7", minute="0"))
def weekly_bulletins() -> dict[str, Any]:
    return generate_scheduled(kind=PeriodKind.WEEKLY)


@db_periodic_task(crontab(day="1", hour="7", minute="10"))
def monthly_bulletins() -> dict[str, Any]:
    return generate_scheduled(kind=PeriodKind.MONTHLY)


@db_periodic_task(crontab(month="1,4,7,10", day="1", hour="7", minute="20"))
def quarterly_bulletins() -> dict[str, Any]:
    return generate_scheduled(kind=PeriodKind.QUARTERLY)


@db_periodic_task(crontab(minute="*/10"))
def refresh_case_rollup() -> dict[str, Any]:
    """Count the cases closed or refused since the last run into the dashboards' roll-up, then read
    its part of the default period's figures for the city and each district (kept until the next run)."""
    done = refresh_rollup()
    done["kept_units"] = keep_rolled_parts()
    return done
