"""Test data for credit: violation records straight into the database."""

from __future__ import annotations

from datetime import date

from factory.django import DjangoModelFactory

from hexie.credit.models import CreditRecord, RecordKind


class CreditRecordFactory(DjangoModelFactory):
    """A violation record; pass ``employer``."""

    class Meta:
        model = CreditRecord

    kind = RecordKind.MASS_INCIDENT
    occurred_on = date(2025, 6, 1)
    description = "拖欠工资引发数十名劳动者聚集讨薪"
