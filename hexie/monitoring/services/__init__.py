"""Every write of monitoring: imports submitted and run, the monitoring run (warnings, cases,
grades), and the seeded minimum wages. Keyword-only, typed, each in a transaction, each recorded
in the audit log (``hexie.core.audit``) or, for a case, on its timeline.

- ``imports``: submit a file or API records, retry a failed one; ``import_run``: check a batch, write it to the lake
  or reject it; ``retention``: delete originals whose retention period is over; ``withdraw``: take a whole import
  back out of the lake, with a reason;
- ``monitor``: the detection run; ``nightly``: the months each night evaluates; ``cases``: the cases red warnings open; ``grades``: the risk
  grades it leaves; ``minimum_wages``: seeding the local minimum wages.
"""

from __future__ import annotations

from hexie.monitoring.services.grades import recompute_grades
from hexie.monitoring.services.import_run import run_import
from hexie.monitoring.services.imports import (
    API_MAX_RECORDS,
    OTHER_UNIT,
    RETRYING,
    ImportRefused,
    NotRetryable,
    RowsInvalid,
    Submission,
    import_file,
    max_bytes,
    retry_import,
    submit_file,
    submit_records,
)
from hexie.monitoring.services.minimum_wages import seed_minimum_wages
from hexie.monitoring.services.monitor import run_monitor
from hexie.monitoring.services.retention import delete_original, purge_expired_originals
from hexie.monitoring.services.withdraw import can_withdraw, withdraw_import

__all__ = [
    "API_MAX_RECORDS", "OTHER_UNIT", "RETRYING", "ImportRefused", "NotRetryable", "RowsInvalid", "Submission",
    "can_withdraw", "delete_original", "import_file", "max_bytes", "purge_expired_originals", "recompute_grades",
    "retry_import", "run_import", "run_monitor", "seed_minimum_wages",
    "submit_file", "submit_records", "withdraw_import",
]
