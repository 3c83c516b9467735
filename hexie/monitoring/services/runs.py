"""Retrying a detection run that failed, its worker killed included (the runs page, the API).

A failed run is not resumed: the month is evaluated again from scratch by a new run, which is
what a run on the same data does anyway (running a month twice changes nothing). The new run
is queued for the worker, since the job can take minutes on a city's feeds.
"""

from __future__ import annotations

from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext

from hexie.core import audit, leases
from hexie.core.errors import DomainError
from hexie.core.permissions import require_role
from hexie.monitoring.models import MonitorRun
from hexie.orgs.models import User
from hexie.orgs.scoping import ADMINS, restrict


class RunNotRetryable(DomainError):
    """A retry of a run that succeeded or is still running."""

    code = "not_retryable"
    http_status = 409


def retry_run(*, run_id: int, actor: User) -> MonitorRun:
    """Queue a new run of a failed run's month (administrators; scoping table ``monitoring.monitorrun``).

    A run still "running" on an expired lease counts as failed. Audited under the actor; the new
    run records itself when the worker runs it."""
    run = restrict(MonitorRun.objects.filter(pk=run_id), actor).first()
    if run is None:
        raise Http404
    require_role(actor, ADMINS, gettext("只有管理员可以重新运行监测"))
    if run.finished_at is None and leases.is_stale(run):
        leases.expire(run)
        run.refresh_from_db()
    if run.ok or run.finished_at is None:
        raise RunNotRetryable(gettext("只有失败的监测运行可以重新运行"))
    with transaction.atomic():
        audit.record(actor=actor, action=audit.Action.RUN, obj=run,
                     message=gettext("重新运行%(month)s的监测") % {"month": run.month})
        transaction.on_commit(lambda: _enqueue(run.month, actor.pk))
    return run


def _enqueue(month: int, actor_id: int) -> None:
    from hexie.monitoring.tasks_warnings import rerun_month

    rerun_month(month, actor_id)
