"""Every write of the prevention app: keyword-only, typed, one transaction, an audit entry each."""

from hexie.prevention.services.accounts import issue_account, send_login_code, verify_login_code
from hexie.prevention.services.assessments import (
    record_answer,
    return_assessment,
    sign_off,
    start_assessment,
    submit_assessment,
)
from hexie.prevention.services.orders import answer_order, escalate_overdue_orders, recheck_order
from hexie.prevention.services.plans import create_plan, recheck_draw
from hexie.prevention.services.sheets import import_sheet_xlsx, sheet_in_force

__all__ = [
    "answer_order", "create_plan", "escalate_overdue_orders", "import_sheet_xlsx", "issue_account", "recheck_draw",
    "recheck_order", "record_answer", "return_assessment", "send_login_code", "sheet_in_force", "sign_off",
    "start_assessment", "submit_assessment", "verify_login_code",
]
