"""Prevention at the source: score sheets (data), plans, assessments, rectification orders and the
accounts employers log in with.

Every row belongs to the unit of its employer (``employer__org_unit``), so a district sees the
check-ups of its own employers and an employer account sees only its own (``hexie.orgs.scoping``).
"""

from hexie.prevention.models.accounts import EmployerAccount, LoginCode
from hexie.prevention.models.assessments import (
    Answer,
    AnswerResult,
    Assessment,
    AssessmentOrigin,
    AssessmentState,
    Evidence,
    Plan,
    PlanMethod,
    PlanState,
)
from hexie.prevention.models.orders import OrderNumberSequence, OrderState, RectificationOrder
from hexie.prevention.models.sheets import ScoreSheet, SheetItem, SheetKind, SheetSection

__all__ = [
    "Answer", "AnswerResult", "Assessment", "AssessmentOrigin", "AssessmentState", "EmployerAccount", "Evidence",
    "LoginCode", "OrderNumberSequence", "OrderState", "Plan", "PlanMethod", "PlanState", "RectificationOrder",
    "ScoreSheet", "SheetItem", "SheetKind", "SheetSection",
]
