"""Construction projects in the registry API, with their work teams and real-name roster."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response

from hexie.core.api import (
    PAGE_PARAM,
    StaffAPIView,
    check_query_params,
    id_param,
    responses,
    staff_user,
)
from hexie.core.enums import RiskLevel
from hexie.employers import selectors, services
from hexie.employers.api.common import (
    DISTRICT,
    GRADE,
    PK,
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
from hexie.employers.models import Project, ProjectStatus
from hexie.employers.panels import PROJECT_FILE
from hexie.employers.serializers import (
    ExitSerializer,
    ProjectDetailSerializer,
    ProjectInputSerializer,
    ProjectSerializer,
    RosterEntrySerializer,
    TeamInputSerializer,
    TeamSerializer,
    WorkerRegistrationSerializer,
)
from hexie.employers.services import ProjectData
from hexie.orgs.models import User


class ProjectListCreateView(ListCreate):
    """Construction projects in your jurisdiction; register one."""

    serializer_class = ProjectSerializer

    def get_queryset(self) -> QuerySet[Any]:
        r = self.request
        check_query_params(r, [Q_PARAM, "district", "grade", "status", PAGE_PARAM])
        return selectors.project_list(
            r.user, q=search(r), district=district(r), grade=choice(r, "grade", list(RiskLevel.values)),
            status=choice(r, "status", list(ProjectStatus.values))).prefetch_related("subcontractors", "owner")

    @extend_schema(
        tags=[TAG], operation_id="registry_projects_list", summary=_("工程项目列表"),
        description=_("q 匹配项目名称、项目编码或总承包单位（名称或信用代码）。"),
        parameters=[query_param(Q_PARAM, _("项目名称、编码或总包单位")), DISTRICT, GRADE,
                    query_param("status", _("状态"), enum=list(ProjectStatus.values))],
        responses=responses(ProjectSerializer(many=True), 400, 401),
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(
        tags=[TAG], operation_id="registry_projects_create", summary=_("登记工程项目"),
        description=_("项目编码唯一；须有施工总承包单位；计划竣工不早于开工；金额不为负。参建单位以统一社会信用代码指定。"),
        request=ProjectInputSerializer, responses=responses(ProjectSerializer, 400, 401, 403, created=True),
    )
    def post(self, request: Request) -> Response:
        s = ProjectInputSerializer(data=request.data, context={"request": request})
        s.is_valid(raise_exception=True)
        project = services.create_project(actor=staff_user(request), data=s.to_data())
        return self.created(request, ProjectSerializer, selectors.project_detail(request.user, project.pk))


@file_schema(
    operation="registry_projects", noun=_("工程项目"), summary=_("工程项目档案"),
    description=_("参建单位、班组、在场与登记人数、预警、监测立案。名册见 /roster/。"),
    input_serializer=ProjectInputSerializer, file_serializer=ProjectDetailSerializer,
)
class ProjectDetailView(CorrectableFile):
    """One project's file; correct its facts and parties."""

    input_serializer = ProjectInputSerializer

    def find(self, user: Any, pk: int) -> Project:
        return selectors.project_detail(user, pk)

    def answer(self, request: Request, pk: int) -> Response:
        b = selectors.project_bundle(request.user, pk, roster_rows=0)
        file = FileOf(b.project, teams=b.teams, workers_on_site=b.on_site, workers_registered=b.roster_total,
                      subcontractors=b.subcontractors, **PROJECT_FILE.data(request.user, b.project))
        return Response(ProjectDetailSerializer(file, context=self.context(request)).data)

    def correct(self, actor: User, obj: Project, data: Any, *, partial: bool) -> None:
        services.update_project(actor=actor, project_id=obj.pk,
                                data=data.to_data(ProjectData.of(obj) if partial else None))


class TeamListCreateView(ListCreate):
    """A project's work teams; add one."""

    serializer_class = TeamSerializer
    pagination_class = None

    def get_queryset(self) -> QuerySet[Any]:
        check_query_params(self.request, [])
        return selectors.project_teams(selectors.project_detail(self.request.user, self.kwargs["pk"]))

    @extend_schema(tags=[TAG], operation_id="registry_teams_list", summary=_("班组"),
                   parameters=[PK], responses=responses(TeamSerializer(many=True), 400, 401, 404))
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(
        tags=[TAG], operation_id="registry_teams_create", summary=_("添加班组"),
        description=_("班组所属单位须为该项目的总承包或分包单位；同一项目班组名称不重复。"),
        parameters=[PK], request=TeamInputSerializer, responses=responses(TeamSerializer, 400, 401, 403, 404, created=True),
    )
    def post(self, request: Request, pk: int) -> Response:
        project = selectors.project_detail(request.user, pk)
        s = TeamInputSerializer(data=request.data, context={"request": request})
        s.is_valid(raise_exception=True)
        d = s.validated_data
        team = services.create_work_team(actor=staff_user(request), project_id=project.pk, name=d["name"],
                                         employer_id=d["employer"].pk, leader_name=d.get("leader_name", ""))
        return self.created(request, TeamSerializer, team)


class RosterListCreateView(ListCreate):
    """A project's real-name roster (masked); register a worker."""

    serializer_class = RosterEntrySerializer

    def get_queryset(self) -> QuerySet[Any]:
        r = self.request
        check_query_params(r, [Q_PARAM, "on_site", PAGE_PARAM], booleans=("on_site",))
        flag = str(r.query_params.get("on_site") or "").strip().lower()
        project = selectors.project_detail(r.user, self.kwargs["pk"])
        return selectors.project_roster(project, q=search(r), on_site={"true": True, "false": False}.get(flag))

    @extend_schema(
        tags=[TAG], operation_id="registry_roster_list", summary=_("实名制名册"),
        description=_("身份证号与手机号仅显示掩码；q 匹配姓名或身份证号后四位。"),
        parameters=[PK, query_param(Q_PARAM, _("姓名或身份证号后四位")),
                    query_param("on_site", _("在场（true）或已退场（false）"), OpenApiTypes.BOOL)],
        responses=responses(RosterEntrySerializer(many=True), 400, 401, 404),
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(
        tags=[TAG], operation_id="registry_roster_create", summary=_("实名制进场登记"),
        description=_("身份证号须校验正确；同一人（同一身份证号）在多个项目共用一个工人档案。"),
        parameters=[PK], request=WorkerRegistrationSerializer,
        responses=responses(RosterEntrySerializer, 400, 401, 403, 404, created=True),
    )
    def post(self, request: Request, pk: int) -> Response:
        project = selectors.project_detail(request.user, pk)
        s = WorkerRegistrationSerializer(data=request.data, context={"request": request})
        s.is_valid(raise_exception=True)
        entry = services.register_worker(actor=staff_user(request), project_id=project.pk, data=s.to_data())
        return self.created(request, RosterEntrySerializer, entry)


class RosterExitView(StaffAPIView):
    """Record that a worker left the site."""

    @extend_schema(
        tags=[TAG], operation_id="registry_roster_exit", summary=_("退场登记"),
        description=_("退场日期不早于进场日期；已退场的返回409。"),
        parameters=[PK, id_param("entry_id", _("名册记录ID"))], request=ExitSerializer,
        responses=responses(RosterEntrySerializer, 400, 401, 403, 404, 409),
    )
    def post(self, request: Request, pk: int, entry_id: int) -> Response:
        project = selectors.project_detail(request.user, pk)
        entry = selectors.roster_entry(request.user, project, entry_id)
        s = ExitSerializer(data=request.data, context={"request": request})
        s.is_valid(raise_exception=True)
        entry = services.record_exit(actor=staff_user(request), entry_id=entry.pk, exit_date=s.validated_data["exit_date"])
        return Response(RosterEntrySerializer(entry, context=self.context(request)).data)
