"""Cases and everything hung on them: clocks, timeline, supervision, referrals, files, outbox.

One module per part of the file; every model and choice is importable from here, the one path
the rest of the code uses (``from hexie.cases.models import Case``).
"""

from __future__ import annotations

from hexie.cases.models.case import Case, CaseNumberSequence
from hexie.cases.models.casefile import (
    EVENT_LABELS,
    Attachment,
    Notification,
    Referral,
    TimelineEvent,
    attachment_path,
)
from hexie.cases.models.chain import ChainThreshold
from hexie.cases.models.choices import (
    ATTENTION_ORDER,
    OPEN_STATUSES,
    AttentionLevel,
    CaseType,
    Channel,
    ClosureConclusion,
    Complexity,
    DisputeCause,
    Outcome,
    Status,
    Track,
)
from hexie.cases.models.clocks import Deadline, DeadlineRule, Supervision
from hexie.cases.models.reception import ReceptionDay, ReceptionVisit
from hexie.cases.models.triage import Cluster, TriageRule

__all__ = [
    "ATTENTION_ORDER",
    "EVENT_LABELS",
    "OPEN_STATUSES",
    "Attachment",
    "AttentionLevel",
    "Case",
    "CaseNumberSequence",
    "CaseType",
    "ChainThreshold",
    "Channel",
    "ClosureConclusion",
    "Cluster",
    "Complexity",
    "Deadline",
    "DeadlineRule",
    "DisputeCause",
    "Notification",
    "Outcome",
    "ReceptionDay",
    "ReceptionVisit",
    "Referral",
    "Status",
    "Supervision",
    "TimelineEvent",
    "Track",
    "TriageRule",
    # Migration 0001 names the upload path function by this module's path.
    "attachment_path",
]
