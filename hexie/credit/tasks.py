"""Background jobs of credit (each calls a service): the yearly grades, the end of objection
windows and the expiry of joint-punishment listings."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from hexie.credit import selectors
from hexie.credit.services import compute_grades, expire_listings, finalise_grades


@db_periodic_task(crontab(month="1", day="15", hour="3", minute="0"))
def credit_grades_yearly() -> dict[str, int]:
    """Mid-January: grade every employer on the previous year's record."""
    return compute_grades(actor=None, year=selectors.last_record_year())


@db_periodic_task(crontab(hour="3", minute="15"))
def credit_daily() -> dict[str, int]:
    """Every night: grades whose objection window passed become final; listings past their term end."""
    return {"finalised": finalise_grades(), "expired": expire_listings()}
