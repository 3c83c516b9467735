"""One filter set for the staff case list and the API, so both mean the same thing."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils import timezone

from hexie.cases.models import OPEN_STATUSES, Case, CaseType, Channel, RiskLevel, Status
from hexie.orgs.models import OrgUnit


class CaseFilter(django_filters.FilterSet):
    case_type = django_filters.ChoiceFilter(choices=CaseType.choices, label="类型 Type", empty_label="全部 All")
    status = django_filters.ChoiceFilter(choices=Status.choices, label="状态 Status", empty_label="全部 All")
    risk_level = django_filters.ChoiceFilter(choices=RiskLevel.choices, label="风险 Risk", empty_label="全部 All")
    channel = django_filters.ChoiceFilter(choices=Channel.choices, label="渠道 Channel", empty_label="全部 All")
    district = django_filters.CharFilter(method="filter_district", label="区域代码 Area code")
    overdue = django_filters.BooleanFilter(method="filter_overdue", label="已超期 Overdue")
    open = django_filters.BooleanFilter(method="filter_open", label="在办 Open")
    collective = django_filters.BooleanFilter(field_name="is_collective", label="集体 Collective")
    mine = django_filters.BooleanFilter(method="filter_mine", label="我承办的 Mine")
    q = django_filters.CharFilter(method="filter_q", label="搜索 Search")
    received_from = django_filters.DateFilter(field_name="received_at", lookup_expr="date__gte")
    received_to = django_filters.DateFilter(field_name="received_at", lookup_expr="date__lte")

    class Meta:
        model = Case
        fields: list[str] = []

    def filter_district(self, qs: QuerySet[Case], name: str, value: str) -> QuerySet[Case]:
        unit = OrgUnit.objects.filter(code=value.strip()).only("path").first()
        if unit is None:
            return qs.none()
        return qs.filter(org_unit__path__startswith=unit.path)

    def filter_overdue(self, qs: QuerySet[Case], name: str, value: bool | None) -> QuerySet[Case]:
        today = timezone.localdate()
        if value is None:
            return qs
        late = Q(next_due_on__lt=today)
        return qs.filter(late) if value else qs.exclude(late)

    def filter_open(self, qs: QuerySet[Case], name: str, value: bool | None) -> QuerySet[Case]:
        if value is None:
            return qs
        return qs.filter(status__in=OPEN_STATUSES) if value else qs.exclude(status__in=OPEN_STATUSES)

    def filter_mine(self, qs: QuerySet[Case], name: str, value: bool | None) -> QuerySet[Case]:
        user: Any = getattr(self.request, "user", None)
        if not value or user is None:
            return qs
        return qs.filter(Q(handler=user) | Q(responsible_leader=user))

    def filter_q(self, qs: QuerySet[Case], name: str, value: str) -> QuerySet[Case]:
        value = value.strip()
        if not value:
            return qs
        return qs.filter(Q(number__icontains=value) | Q(employer_name__icontains=value)
                         | Q(project_name__icontains=value) | Q(complainant_name=value))
