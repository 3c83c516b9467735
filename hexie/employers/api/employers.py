"""Employers in the registry API: list, register, the employer's file, corrections."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response

from hexie.core.api import (
    PAGE_PARAM,
    check_query_params,
    responses,
    staff_user,
)
from hexie.core.enums import RiskLevel
from hexie.employers import selectors, services
from hexie.employers.api.common import (
    DISTRICT,
    GRADE,
    Q_PARAM,
    TAG,
    CorrectableFile,
    FileOf,
    ListCreate,
    choice,
    district,
    file_schema,
    query_param,
    search,
)
from hexie.employers.models import Employer, Industry
from hexie.employers.panels import EMPLOYER_FILE
from hexie.employers.serializers import (
    EmployerDetailSerializer,
    EmployerInputSerializer,
    EmployerSerializer,
)
from hexie.employers.services import EmployerData
from hexie.orgs.models import User


class EmployerListCreateView(ListCreate):
    """Employers in your jurisdiction; register one."""

    serializer_class = EmployerSerializer

    def get_queryset(self) -> QuerySet[Any]:
        r = self.request
        check_query_params(r, [Q_PARAM, "district", "industry", "grade", PAGE_PARAM])
        return selectors.employer_list(
            r.user, q=search(r), district=district(r), industry=choice(r, "industry", list(Industry.values)),
            grade=choice(r, "grade", list(RiskLevel.values)))

    @extend_schema(
        tags=[TAG], operation_id="registry_employers_list", summary=_("用人单位列表"),
        description=_("本人辖区内的用人单位，风险等级高的在前；q 匹配名称或统一社会信用代码。"),
        parameters=[query_param(Q_PARAM, _("名称（包含）或统一社会信用代码")), DISTRICT,
                    query_param("industry", _("行业"), enum=list(Industry.values)), GRADE],
        responses=responses(EmployerSerializer(many=True), 400, 401),
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """One page of employers."""
        return super().get(request, *args, **kwargs)

    @extend_schema(
        tags=[TAG], operation_id="registry_employers_create", summary=_("登记用人单位"),
        description=_("统一社会信用代码须校验正确且未登记；所在区划须在本人辖区内。"),
        request=EmployerInputSerializer, responses=responses(EmployerSerializer, 400, 401, 403, created=True),
    )
    def post(self, request: Request) -> Response:
        """Register through the service; answer the employer."""
        s = EmployerInputSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        employer = services.create_employer(actor=staff_user(request), data=s.to_data())
        return self.created(request, EmployerSerializer, selectors.employer_detail(request.user, employer.pk))


@file_schema(
    operation="registry_employers", noun=_("用人单位"), summary=_("用人单位档案"),
    description=_("基本信息、风险等级及依据、参建项目、在办案件（未结案且未不予受理）、预警（未消除的在前）。"),
    input_serializer=EmployerInputSerializer, file_serializer=EmployerDetailSerializer,
)
class EmployerDetailView(CorrectableFile):
    """One employer's file; correct its facts."""

    input_serializer = EmployerInputSerializer

    def find(self, user: Any, pk: int) -> Employer:
        return selectors.employer_detail(user, pk)

    def answer(self, request: Request, pk: int) -> Response:
        b = selectors.employer_bundle(request.user, pk)
        file = FileOf(b.employer, projects=b.projects, **EMPLOYER_FILE.data(request.user, b.employer))
        return Response(EmployerDetailSerializer(file, context=self.context(request)).data)

    def correct(self, actor: User, obj: Employer, data: Any, *, partial: bool) -> None:
        services.update_employer(actor=actor, employer_id=obj.pk,
                                 data=data.to_data(EmployerData.of(obj) if partial else None))
