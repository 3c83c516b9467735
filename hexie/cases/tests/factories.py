"""Test data for cases: a complaint as any channel gives it to the intake service."""

from __future__ import annotations

from decimal import Decimal

import factory
from django.utils import timezone

from hexie.cases.services import IntakeData
from hexie.core.tests.factories import VALID_CREDIT_CODE, VALID_ID


class IntakeDataFactory(factory.Factory):
    """A wage-arrears complaint made at the desk; pass ``org_unit_id`` (where the work happened)."""

    class Meta:
        model = IntakeData

    case_type = "wage_arrears"
    channel = "visit"
    received_at = factory.LazyFunction(timezone.now)
    complainant_name = "张三"
    complainant_phone = "13800138000"
    complainant_id_number = VALID_ID
    employer_name = "长沙某建筑劳务有限公司"
    employer_credit_code = VALID_CREDIT_CODE
    employer_address = "岳麓区麓山南路1号"
    project_name = ""
    workers_count = 1
    amount_claimed = Decimal("8000.00")
    description = "拖欠三个月工资"
