"""Test data for credit: violation records straight into the database."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from django.utils import timezone
from factory.django import DjangoModelFactory

from hexie.credit.models import CreditRecord, RecordKind
from hexie.prevention.models import Assessment, AssessmentState, ScoreSheet


class CreditRecordFactory(DjangoModelFactory):
    """A violation record; pass ``employer``."""

    class Meta:
        model = CreditRecord

    kind = RecordKind.MASS_INCIDENT
    occurred_on = date(2025, 6, 1)
    description = "拖欠工资引发数十名劳动者聚集讨薪"


def signed_assessment(employer: Any, kind: str, passed: bool, signed: date) -> Assessment:
    """An assessment of the kind (a seeded sheet), signed off on the day with the result."""
    at = timezone.make_aware(datetime.combine(signed, time(9)))
    return Assessment.objects.create(sheet=ScoreSheet.objects.filter(kind=kind).first(), kind=kind, employer=employer,
                                     year=signed.year, started_at=at, state=AssessmentState.SIGNED_OFF, passed=passed,
                                     signed_off_at=at)
