"""Withdrawing a whole import: a leader takes an accepted batch back out of the lake, with a reason.

The batch's file leaves the lake in one rename (kept aside under ``withdrawn/``, so the content
can be inspected later); the batch's state, the reason and the audit entry are written in the
transaction around that rename, and the rename is undone if the transaction fails, so the lake
and the ledger never disagree. The warnings of the months the import covered are then
evaluated again (a failure there leaves the withdrawal in place: the nightly job evaluates
those months again, as it does every month an import touched).
"""

from __future__ import annotations

import logging
from datetime import date

from django.db import transaction
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from hexie.core import audit, clock
from hexie.core.errors import DomainError, NotPermitted
from hexie.monitoring import lake
from hexie.monitoring.models import ImportBatch, MonitorRun
from hexie.monitoring.services.import_run import _feed_lock
from hexie.monitoring.services.monitor import run_monitor
from hexie.orgs.models import User
from hexie.orgs.scoping import LEADERS, has_role, restrict

log = logging.getLogger("hexie.monitoring.imports")

NOT_ALLOWED = _("您无权撤回导入（限本辖区负责人）")
NO_REASON = _("请填写撤回原因")
NOT_DONE = _("只能撤回已导入的批次")


def can_withdraw(user: User | None, batch: ImportBatch) -> bool:
    """Leaders (and administrators) whose jurisdiction holds the batch, while it is in the lake."""
    return (batch.state == ImportBatch.State.DONE and has_role(user, LEADERS)
            and restrict(ImportBatch.objects.filter(pk=batch.pk), user).exists())


def withdraw_import(*, batch_id: int, actor: User, reason: str, as_of: date | None = None,
                    ) -> tuple[ImportBatch, list[MonitorRun]]:
    """Withdraw the accepted import ``batch_id`` for ``reason``; the batch and the monitoring
    runs that evaluated its months again."""
    reason = (reason or "").strip()
    batch = restrict(ImportBatch.objects.filter(pk=batch_id), actor).first()
    if batch is None or not has_role(actor, LEADERS):
        raise NotPermitted(NOT_ALLOWED)
    if not reason:
        raise DomainError(NO_REASON, field="reason")
    if len(reason) > 300:
        raise DomainError(gettext("撤回原因不超过300字"), field="reason")
    with _feed_lock(batch.feed):
        try:
            with transaction.atomic():
                batch = ImportBatch.objects.select_for_update().get(pk=batch_id)
                if batch.state != ImportBatch.State.DONE:
                    raise DomainError(NOT_DONE, code="not_withdrawable")
                batch.state = ImportBatch.State.WITHDRAWN
                batch.withdrawn_at, batch.withdrawn_by, batch.withdraw_reason = clock.now(), actor, reason
                batch.message = (gettext("已撤回：%(reason)s") % {"reason": reason})[:2000]
                batch.save(update_fields=["state", "withdrawn_at", "withdrawn_by", "withdraw_reason", "message"])
                audit.record(actor=actor, action=audit.Action.UPDATE, obj=batch,
                             fields=["state", "withdraw_reason"],
                             message=gettext("撤回导入（%(rows_imported)s行，月份%(months)s）：%(reason)s") % {"rows_imported": batch.rows_imported, "months": batch.months, "reason": reason})
                # Last inside the transaction: nothing after it can fail but the commit itself.
                lake.withdraw_batch(batch.feed, batch.pk)
        except BaseException:
            # The ledger rolled back: put the file back if it had already left the lake.
            if lake.withdrawn_path(batch.feed, batch_id).exists() and not lake.batch_path(batch.feed, batch_id).exists():
                lake.restore_batch(batch.feed, batch_id)
            raise
    runs: list[MonitorRun] = []
    for month in sorted(int(m) for m in batch.months or []):
        try:
            runs.append(run_monitor(month=month, as_of=as_of, actor=actor))
        except Exception:  # recorded as a failed run; the nightly job evaluates the month again
            log.exception("re-evaluating %s after withdrawing import %s failed", month, batch_id)
    return batch, runs
