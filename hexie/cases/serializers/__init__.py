"""Shapes of the staff case API: what a client sends (``inputs``) and what it gets back (``outputs``)."""

from __future__ import annotations

from hexie.cases.serializers.inputs import (
    AcknowledgeRequestSerializer,
    CaseIntakeSerializer,
    ComplaintSerializer,
    ExtendRequestSerializer,
    ReferralAnswerRequestSerializer,
    RestartClockRequestSerializer,
    TokenRequestSerializer,
    TransitionRequestSerializer,
)
from hexie.cases.serializers.outputs import (
    CaseCreatedSerializer,
    CaseDetailSerializer,
    CaseRefSerializer,
    CaseSummarySerializer,
    ReferralSerializer,
    SupervisionSerializer,
    TimelineEventSerializer,
    TokenSerializer,
)

__all__ = [
    "AcknowledgeRequestSerializer",
    "CaseCreatedSerializer",
    "CaseDetailSerializer",
    "CaseIntakeSerializer",
    "CaseRefSerializer",
    "CaseSummarySerializer",
    "ComplaintSerializer",
    "ExtendRequestSerializer",
    "ReferralAnswerRequestSerializer",
    "ReferralSerializer",
    "RestartClockRequestSerializer",
    "SupervisionSerializer",
    "TimelineEventSerializer",
    "TokenRequestSerializer",
    "TokenSerializer",
    "TransitionRequestSerializer",
]
