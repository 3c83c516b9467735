"""Which months the nightly job evaluates (rules.md §3: "a rule becomes decidable on its due date:
the scheduled job must evaluate every month with a rule that fell due since its last run").

Pure: no database. ``services.nightly`` adds what needs one (months with open warnings, months
an import touched) and runs the job.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta

from hexie.monitoring import rules as R
from hexie.monitoring.months import add_months, month_key

# With no earlier night on record, the first one catches up the rules that fell due in the last
# month; older months are evaluated on demand (``manage.py monitor --month``).
FIRST_LOOKBACK_DAYS = 31


def latest_months(today: date) -> list[int]:
    """The last complete month and the current one (always evaluated: their data is still coming)."""
    current = month_key(today)
    return [add_months(current, -1), current]


def months_due(since: date, today: date, thresholds: Mapping[str, int]) -> list[int]:
    """The months with a rule that became decidable after the night of ``since`` and by ``today``:
    rule × month with ``since <= waits_until < today`` (decidable the day after it waits until)."""
    if today <= since:
        return []
    # A rule waits at most a month after the next one, plus the leaver rule's days of grace.
    grace = max([int(thresholds.get("exit_unsettled", 0)), 0])
    first = add_months(month_key(since), -(2 + grace // 28 + 1))
    out: list[int] = []
    month = first
    while month <= month_key(today):
        if any(since <= R.waits_until(code, month, thresholds.get(code, 0)) < today for code in thresholds):
            out.append(month)
        month = add_months(month, 1)
    return out


def since_last(last_day: date | None, today: date) -> date:
    """The day from which rules count as newly due: the last night that ran (at most a year back),
    or a month back for the first night."""
    if last_day is None:
        return today - timedelta(days=FIRST_LOOKBACK_DAYS)
    return max(last_day, today - timedelta(days=366))
