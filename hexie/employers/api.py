"""The registry API (/api/v1/registry/): employers, projects, work teams, the roster, monitoring
points and their reports, with the same services and scoping as the staff pages.

Refusals come back through ``hexie.core.api.exception_handler``: 400 naming the field, 403 a role
that may not write (partner agencies), 404 outside the user's jurisdiction (the same body as a row
that does not exist), 409 a worker who already left.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Model, QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer

from hexie.core.api import (
    PAGE_PARAM,
    StaffAPIView,
    StaffPagination,
    check_query_params,
    id_param,
    responses,
    staff_user,
)
from hexie.core.enums import RiskLevel
from hexie.employers import selectors, services
from hexie.employers.models import Industry, ProjectStatus
from hexie.employers.panels import EMPLOYER_FILE, PROJECT_FILE
from hexie.employers.serializers import (
    EmployerDetailSerializer,
    EmployerInputSerializer,
    EmployerSerializer,
    ExitSerializer,
    MonitoringPointInputSerializer,
    MonitoringPointSerializer,
    MonitoringReportInputSerializer,
    MonitoringReportSerializer,
    ProjectDetailSerializer,
    ProjectInputSerializer,
    ProjectSerializer,
    RosterEntrySerializer,
    TeamInputSerializer,
    TeamSerializer,
    WorkerRegistrationSerializer,
)
from hexie.employers.services import EmployerData, ProjectData
from hexie.orgs.models import OrgUnit

TAG = "registry"


def _query(name: str, what: str, kind: Any = OpenApiTypes.STR, enum: list[str] | None = None) -> OpenApiParameter:
    return OpenApiParameter(name, kind, OpenApiParameter.QUERY, description=what, enum=enum)


PK = id_param("id", "ID")
Q_PARAM = "q"
DISTRICT = _query("district", "区划代码，含下级 / Division code, including the units below it")
GRADE = _query("grade", "风险等级 / Risk grade", enum=list(RiskLevel.values))


def _choice(request: Request, name: str, allowed: list[str]) -> str:
    """A filter value from a fixed list, or 400 naming the filter."""
    value = str(request.query_params.get(name) or "").strip()
    if value and value not in allowed:
        raise ValidationError({name: [
            f"筛选条件 {name} 的值“{value[:50]}”无效 / Filter {name}: \"{value[:50]}\" is not valid; "
            f"use one of: {', '.join(allowed)}."]})
    return value


def _district(request: Request) -> str:
    code = str(request.query_params.get("district") or "").strip()
    if code and not (code.isascii() and code.isalnum() and OrgUnit.objects.filter(code=code).exists()):
        raise ValidationError({"district": [
            f"区域代码“{code[:20]}”不存在 / district: no area has the code \"{code[:20]}\"."]})
    return code


def _search(request: Request) -> str:
    return str(request.query_params.get(Q_PARAM) or "")[:100]


class _ListCreate(StaffAPIView, generics.ListAPIView):
    pagination_class: Any = StaffPagination
    filter_backends: list[Any] = []

    def created(self, request: Request, serializer: type[BaseSerializer], obj: Model) -> Response:
        return Response(serializer(obj, context=self.context(request)).data, status=status.HTTP_201_CREATED)


class _File:
    """A row with its page's lists attached under the names the detail serializer reads (a model's
    reverse relations, such as ``warnings``, cannot be assigned a list)."""

    def __init__(self, obj: Model, **lists: Any) -> None:
        self._obj = obj
        self.__dict__.update(lists)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._obj, name)


# --- employers ------------------------------------------------------------------------------


class EmployerListCreateView(_ListCreate):
    """Employers in your jurisdiction; register one."""

    serializer_class = EmployerSerializer

    def get_queryset(self) -> QuerySet[Any]:
        r = self.request
        check_query_params(r, [Q_PARAM, "district", "industry", "grade", PAGE_PARAM])
        return selectors.employer_list(
            r.user, q=_search(r), district=_district(r), industry=_choice(r, "industry", list(Industry.values)),
            grade=_choice(r, "grade", list(RiskLevel.values)))

    @extend_schema(
        tags=[TAG], operation_id="registry_employers_list", summary="用人单位列表 List employers",
        description="本人辖区内的用人单位，风险等级高的在前；q 匹配名称或统一社会信用代码。 / Employers in your "
                    "jurisdiction, worst grade first; q matches the name or the credit code.",
        parameters=[_query(Q_PARAM, "名称（包含）或统一社会信用代码 / Name (contains) or credit code"), DISTRICT,
                    _query("industry", "行业 / Industry", enum=list(Industry.values)), GRADE],
        responses=responses(EmployerSerializer(many=True), 400, 401),
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """One page of employers."""
        return super().get(request, *args, **kwargs)

    @extend_schema(
        tags=[TAG], operation_id="registry_employers_create", summary="登记用人单位 Register an employer",
        description="统一社会信用代码须校验正确且未登记；所在区划须在本人辖区内。 / The credit code must be valid "
                    "(GB 32100) and not yet registered; the org unit must be in your jurisdiction.",
        request=EmployerInputSerializer, responses=responses(EmployerSerializer, 400, 401, 403, created=True),
    )
    def post(self, request: Request) -> Response:
        """Register through the service; answer the employer."""
        s = EmployerInputSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        employer = services.create_employer(actor=staff_user(request), data=s.to_data())
        return self.created(request, EmployerSerializer, selectors.employer_detail(request.user, employer.pk))


class EmployerDetailView(StaffAPIView):
    """One employer's file; correct its facts."""

    def _answer(self, request: Request, pk: int) -> Response:
        b = selectors.employer_bundle(request.user, pk)
        file = _File(b.employer, projects=b.projects, **EMPLOYER_FILE.data(request.user, b.employer))
        return Response(EmployerDetailSerializer(file, context=self.context(request)).data)

    @extend_schema(
        tags=[TAG], operation_id="registry_employers_retrieve", summary="用人单位档案 Employer file",
        description="基本信息、风险等级及依据、参建项目、在办案件（未结案且未不予受理）、预警（未消除的在前）。 / "
                    "Facts, grade with its reasons, projects, open cases (not closed or refused), warnings (open first).",
        parameters=[PK], responses=responses(EmployerDetailSerializer, 401, 404),
    )
    def get(self, request: Request, pk: int) -> Response:
        return self._answer(request, pk)

    def _update(self, request: Request, pk: int, partial: bool) -> Response:
        employer = selectors.employer_detail(request.user, pk)
        s = EmployerInputSerializer(data=request.data, partial=partial)
        s.is_valid(raise_exception=True)
        services.update_employer(actor=staff_user(request), employer_id=employer.pk,
                                 data=s.to_data(EmployerData.of(employer) if partial else None))
        return self._answer(request, pk)

    @extend_schema(
        tags=[TAG], operation_id="registry_employers_update", summary="修改用人单位 Replace an employer's facts",
        parameters=[PK], request=EmployerInputSerializer,
        responses=responses(EmployerDetailSerializer, 400, 401, 403, 404),
    )
    def put(self, request: Request, pk: int) -> Response:
        return self._update(request, pk, partial=False)

    @extend_schema(
        tags=[TAG], operation_id="registry_employers_partial_update", summary="修改用人单位 Correct an employer",
        description="只发送要修改的字段。 / Send only the fields that change.",
        parameters=[PK], request=EmployerInputSerializer,
        responses=responses(EmployerDetailSerializer, 400, 401, 403, 404),
    )
    def patch(self, request: Request, pk: int) -> Response:
        return self._update(request, pk, partial=True)


# --- projects -------------------------------------------------------------------------------


class ProjectListCreateView(_ListCreate):
    """Construction projects in your jurisdiction; register one."""

    serializer_class = ProjectSerializer

    def get_queryset(self) -> QuerySet[Any]:
        r = self.request
        check_query_params(r, [Q_PARAM, "district", "grade", "status", PAGE_PARAM])
        return selectors.project_list(
            r.user, q=_search(r), district=_district(r), grade=_choice(r, "grade", list(RiskLevel.values)),
            status=_choice(r, "status", list(ProjectStatus.values))).prefetch_related("subcontractors", "owner")

    @extend_schema(
        tags=[TAG], operation_id="registry_projects_list", summary="工程项目列表 List projects",
        description="q 匹配项目名称、项目编码或总承包单位（名称或信用代码）。 / q matches the name, the project code "
                    "or the general contractor (name or credit code).",
        parameters=[_query(Q_PARAM, "项目名称、编码或总包单位 / Name, code or general contractor"), DISTRICT, GRADE,
                    _query("status", "状态 / Status", enum=list(ProjectStatus.values))],
        responses=responses(ProjectSerializer(many=True), 400, 401),
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(
        tags=[TAG], operation_id="registry_projects_create", summary="登记工程项目 Register a project",
        description="项目编码唯一；须有施工总承包单位；计划竣工不早于开工；金额不为负。参建单位以统一社会信用代码指定。 / "
                    "Code unique; general contractor required; planned end not before the start; amounts not "
                    "negative. Parties are named by credit code.",
        request=ProjectInputSerializer, responses=responses(ProjectSerializer, 400, 401, 403, created=True),
    )
    def post(self, request: Request) -> Response:
        s = ProjectInputSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        project = services.create_project(actor=staff_user(request), data=s.to_data())
        return self.created(request, ProjectSerializer, selectors.project_detail(request.user, project.pk))


class ProjectDetailView(StaffAPIView):
    """One project's file; correct its facts and parties."""

    def _answer(self, request: Request, pk: int) -> Response:
        b = selectors.project_bundle(request.user, pk, roster_rows=0)
        file = _File(b.project, teams=b.teams, workers_on_site=b.on_site, workers_registered=b.roster_total,
                     subcontractors=b.subcontractors, **PROJECT_FILE.data(request.user, b.project))
        return Response(ProjectDetailSerializer(file, context=self.context(request)).data)

    @extend_schema(
        tags=[TAG], operation_id="registry_projects_retrieve", summary="工程项目档案 Project file",
        description="参建单位、班组、在场与登记人数、预警、监测立案。名册见 /roster/。 / Parties, teams, workers on "
                    "site and registered, warnings, cases opened by monitoring. The roster is at /roster/.",
        parameters=[PK], responses=responses(ProjectDetailSerializer, 401, 404),
    )
    def get(self, request: Request, pk: int) -> Response:
        return self._answer(request, pk)

    def _update(self, request: Request, pk: int, partial: bool) -> Response:
        project = selectors.project_detail(request.user, pk)
        s = ProjectInputSerializer(data=request.data, partial=partial)
        s.is_valid(raise_exception=True)
        services.update_project(actor=staff_user(request), project_id=project.pk,
                                data=s.to_data(ProjectData.of(project) if partial else None))
        return self._answer(request, pk)

    @extend_schema(
        tags=[TAG], operation_id="registry_projects_update", summary="修改工程项目 Replace a project's facts",
        parameters=[PK], request=ProjectInputSerializer,
        responses=responses(ProjectDetailSerializer, 400, 401, 403, 404),
    )
    def put(self, request: Request, pk: int) -> Response:
        return self._update(request, pk, partial=False)

    @extend_schema(
        tags=[TAG], operation_id="registry_projects_partial_update", summary="修改工程项目 Correct a project",
        description="只发送要修改的字段。 / Send only the fields that change.",
        parameters=[PK], request=ProjectInputSerializer,
        responses=responses(ProjectDetailSerializer, 400, 401, 403, 404),
    )
    def patch(self, request: Request, pk: int) -> Response:
        return self._update(request, pk, partial=True)


class TeamListCreateView(_ListCreate):
    """A project's work teams; add one."""

    serializer_class = TeamSerializer
    pagination_class = None

    def get_queryset(self) -> QuerySet[Any]:
        check_query_params(self.request, [])
        return selectors.project_teams(selectors.project_detail(self.request.user, self.kwargs["pk"]))

    @extend_schema(tags=[TAG], operation_id="registry_teams_list", summary="班组 Work teams",
                   parameters=[PK], responses=responses(TeamSerializer(many=True), 400, 401, 404))
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(
        tags=[TAG], operation_id="registry_teams_create", summary="添加班组 Add a work team",
        description="班组所属单位须为该项目的总承包或分包单位；同一项目班组名称不重复。 / The team's employer is the "
                    "project's general contractor or a subcontractor; team names are unique on a project.",
        parameters=[PK], request=TeamInputSerializer, responses=responses(TeamSerializer, 400, 401, 403, 404, created=True),
    )
    def post(self, request: Request, pk: int) -> Response:
        project = selectors.project_detail(request.user, pk)
        s = TeamInputSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        d = s.validated_data
        team = services.create_work_team(actor=staff_user(request), project_id=project.pk, name=d["name"],
                                         employer_id=d["employer"].pk, leader_name=d.get("leader_name", ""))
        return self.created(request, TeamSerializer, team)


class RosterListCreateView(_ListCreate):
    """A project's real-name roster (masked); register a worker."""

    serializer_class = RosterEntrySerializer

    def get_queryset(self) -> QuerySet[Any]:
        r = self.request
        check_query_params(r, [Q_PARAM, "on_site", PAGE_PARAM], booleans=("on_site",))
        flag = str(r.query_params.get("on_site") or "").strip().lower()
        project = selectors.project_detail(r.user, self.kwargs["pk"])
        return selectors.project_roster(project, q=_search(r), on_site={"true": True, "false": False}.get(flag))

    @extend_schema(
        tags=[TAG], operation_id="registry_roster_list", summary="实名制名册 Roster",
        description="身份证号与手机号仅显示掩码；q 匹配姓名或身份证号后四位。 / ID numbers and phones masked; q "
                    "matches the name or the ID number's last four characters.",
        parameters=[PK, _query(Q_PARAM, "姓名或身份证号后四位 / Name or ID last four"),
                    _query("on_site", "在场（true）或已退场（false） / On site (true) or left (false)", OpenApiTypes.BOOL)],
        responses=responses(RosterEntrySerializer(many=True), 400, 401, 404),
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(
        tags=[TAG], operation_id="registry_roster_create", summary="实名制进场登记 Register a worker",
        description="身份证号须校验正确；同一人（同一身份证号）在多个项目共用一个工人档案。 / The ID number must be "
                    "valid (GB 11643); the same person on several projects keeps one worker record.",
        parameters=[PK], request=WorkerRegistrationSerializer,
        responses=responses(RosterEntrySerializer, 400, 401, 403, 404, created=True),
    )
    def post(self, request: Request, pk: int) -> Response:
        project = selectors.project_detail(request.user, pk)
        s = WorkerRegistrationSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        entry = services.register_worker(actor=staff_user(request), project_id=project.pk, data=s.to_data())
        return self.created(request, RosterEntrySerializer, entry)


class RosterExitView(StaffAPIView):
    """Record that a worker left the site."""

    @extend_schema(
        tags=[TAG], operation_id="registry_roster_exit", summary="退场登记 Record an exit",
        description="退场日期不早于进场日期；已退场的返回409。 / Not before the entry date; a worker who already left "
                    "answers 409.",
        parameters=[PK, id_param("entry_id", "名册记录ID / Roster entry id")], request=ExitSerializer,
        responses=responses(RosterEntrySerializer, 400, 401, 403, 404, 409),
    )
    def post(self, request: Request, pk: int, entry_id: int) -> Response:
        project = selectors.project_detail(request.user, pk)
        entry = selectors.roster_entry(request.user, project, entry_id)
        s = ExitSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        entry = services.record_exit(actor=staff_user(request), entry_id=entry.pk, exit_date=s.validated_data["exit_date"])
        return Response(RosterEntrySerializer(entry, context=self.context(request)).data)


# --- monitoring points ----------------------------------------------------------------------


class PointListCreateView(_ListCreate):
    """Monitoring points in your jurisdiction; create one."""

    serializer_class = MonitoringPointSerializer

    def get_queryset(self) -> QuerySet[Any]:
        r = self.request
        check_query_params(r, [Q_PARAM, "district", "active", PAGE_PARAM], booleans=("active",))
        flag = str(r.query_params.get("active") or "").strip().lower()
        return selectors.point_list(r.user, q=_search(r), district=_district(r),
                                    active={"true": True, "false": False}.get(flag))

    @extend_schema(
        tags=[TAG], operation_id="registry_points_list", summary="监测点 Monitoring points",
        parameters=[_query(Q_PARAM, "单位名称或信用代码 / Employer name or credit code"), DISTRICT,
                    _query("active", "启用 / Active", OpenApiTypes.BOOL)],
        responses=responses(MonitoringPointSerializer(many=True), 400, 401),
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(
        tags=[TAG], operation_id="registry_points_create", summary="设立监测点 Create a monitoring point",
        request=MonitoringPointInputSerializer,
        responses=responses(MonitoringPointSerializer, 400, 401, 403, created=True),
    )
    def post(self, request: Request) -> Response:
        s = MonitoringPointInputSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        d = s.validated_data
        point = services.create_monitoring_point(
            actor=staff_user(request), employer_id=d["employer"].pk, since=d["since"],
            contact_name=d.get("contact_name", ""), contact_phone=d.get("contact_phone", ""),
            is_active=d.get("is_active", True))
        return self.created(request, MonitoringPointSerializer, point)


class PointDetailView(StaffAPIView):
    """One monitoring point."""

    @extend_schema(tags=[TAG], operation_id="registry_points_retrieve", summary="监测点 Monitoring point",
                   parameters=[PK], responses=responses(MonitoringPointSerializer, 401, 404))
    def get(self, request: Request, pk: int) -> Response:
        point = selectors.point_detail(request.user, pk)
        return Response(MonitoringPointSerializer(point, context=self.context(request)).data)


class ReportListCreateView(_ListCreate):
    """A monitoring point's monthly reports, newest first; file one (or correct a month)."""

    serializer_class = MonitoringReportSerializer

    def get_queryset(self) -> QuerySet[Any]:
        check_query_params(self.request, [PAGE_PARAM])
        return selectors.point_reports(selectors.point_detail(self.request.user, self.kwargs["pk"]))

    @extend_schema(tags=[TAG], operation_id="registry_reports_list", summary="监测点月报 Monthly reports",
                   parameters=[PK], responses=responses(MonitoringReportSerializer(many=True), 400, 401, 404))
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(
        tags=[TAG], operation_id="registry_reports_create", summary="填报月报 File a monthly report",
        description="月份为YYYYMM且不晚于本月；数字不为负；减少人数不多于月初人数与新增人数之和；欠薪不大于应发工资。同月再次"
                    "填报即更正。 / month is YYYYMM, not in the future; figures not negative; departures not more than "
                    "the month's starting headcount plus hires; arrears not above the wages. Filing a month again "
                    "corrects it.",
        parameters=[PK], request=MonitoringReportInputSerializer,
        responses={**responses(MonitoringReportSerializer, 400, 401, 403, 404, created=True),
                   200: OpenApiResponse(MonitoringReportSerializer, description="已更正 / Corrected.")},
    )
    def post(self, request: Request, pk: int) -> Response:
        point = selectors.point_detail(request.user, pk)
        s = MonitoringReportInputSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        existed = point.reports.filter(month=s.validated_data["month"]).exists()
        report = services.record_monitoring_report(actor=staff_user(request), point_id=point.pk, data=s.to_data())
        return Response(MonitoringReportSerializer(report, context=self.context(request)).data,
                        status=status.HTTP_200_OK if existed else status.HTTP_201_CREATED)
