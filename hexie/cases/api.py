"""The staff case API (/api/v1/): the same services and scoping as the staff pages, as JSON.

Views are thin: a request serializer parses and checks formats, a service function does the
work (permissions, state, timeline), an output serializer answers. Refusals come back through
``hexie.core.api.exception_handler``: 400 naming the field, 403 wrong role, 404 outside the user's
scope (the same body as a case that does not exist), 409 wrong state or stale version.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import django_filters
from django.db.models import Prefetch, QuerySet, prefetch_related_objects
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, status
from rest_framework.authtoken.models import Token
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from hexie.cases import selectors, services
from hexie.cases.filters import CaseFilter
from hexie.cases.models import Case, Deadline, Referral, Supervision
from hexie.cases.serializers import (
    AcknowledgeRequestSerializer,
    CaseCreatedSerializer,
    CaseDetailSerializer,
    CaseIntakeSerializer,
    CaseSummarySerializer,
    ExtendRequestSerializer,
    ReferralAnswerRequestSerializer,
    ReferralSerializer,
    RestartClockRequestSerializer,
    SupervisionSerializer,
    TimelineEventSerializer,
    TokenRequestSerializer,
    TokenSerializer,
    TransitionRequestSerializer,
)
from hexie.core import clock
from hexie.core.api import (
    CREATE_REFUSALS,
    PAGE_PARAM,
    REFUSALS,
    StaffAPIView,
    StaffPagination,
    check_query_params,
    id_param,
    responses,
    staff_user,
)
from hexie.core.i18n import interpolate
from hexie.core.idempotency import IDEMPOTENCY_KEY_PARAMETER, idempotent
from hexie.core.serializers import ApiErrorSerializer
from hexie.orgs.models import OrgUnit, User

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# The document calls a "pk" path parameter "id" (drf-spectacular's SCHEMA_COERCE_PATH_PK).
CASE_ID = id_param("id", _("案件ID"))


def _case_file(request: Request, pk: int) -> Case:
    """The case as the user may see it (404 otherwise), with its clocks and referrals loaded."""
    case = selectors.case_detail(request.user, pk)
    prefetch_related_objects(
        [case],
        Prefetch("deadlines", queryset=Deadline.objects.select_related("rule")),
        Prefetch("referrals", queryset=Referral.objects.select_related("agency")),
    )
    return case


# --- tokens ---------------------------------------------------------------------------------


class TokenObtainView(APIView):
    """Exchange a username and password for the user's API token (created on first request)."""

    authentication_classes: list[Any] = []
    permission_classes = [AllowAny]

    @extend_schema(
        tags=["auth"], operation_id="auth_token_create", summary=_("获取令牌"),
        description=_("用工作人员账号换取令牌；之后在请求头中发送 Authorization: Token <令牌>。令牌可在管理后台吊销。"),
        request=TokenRequestSerializer, auth=[],
        responses={200: TokenSerializer, 400: REFUSALS[400],
                   429: OpenApiResponse(ApiErrorSerializer, description=_("登录失败次数过多，已暂时锁定"))},
    )
    def post(self, request: Request) -> Response:
        """Check the credentials; answer the user's token."""
        s = TokenRequestSerializer(data=request.data, context={"request": request})
        s.is_valid(raise_exception=True)
        token, _created = Token.objects.get_or_create(user=s.validated_data["user"])
        return Response(TokenSerializer({"token": token.key}).data)


# --- cases ----------------------------------------------------------------------------------


class CaseFilterBackend(filters.DjangoFilterBackend):
    """CaseFilter, strictly: a filter value it cannot use answers 400 naming the filter.

    The staff queue page shows everything when a filter is garbled; an API client would instead
    act on a list it believes is filtered, so here nothing is silently ignored.
    """

    def get_filterset_kwargs(self, request: Request, queryset: QuerySet[Any], view: Any) -> dict[str, Any]:
        kwargs = super().get_filterset_kwargs(request, queryset, view)
        filterset_class = self.get_filterset_class(view, queryset)
        names = list(filterset_class.base_filters) if filterset_class else []
        booleans = tuple(n for n in names if isinstance(filterset_class.base_filters[n], django_filters.BooleanFilter))
        check_query_params(request, [*names, PAGE_PARAM], booleans)
        data = request.query_params.copy()
        for name in booleans:
            if name in data:
                data[name] = str(data.get(name) or "").strip().lower()
        district = str(data.get("district") or "").strip()
        # Division codes are digits; checking the shape first keeps odd bytes (NUL) away from the database.
        if district and not (district.isascii() and district.isalnum()
                             and OrgUnit.objects.filter(code=district).exists()):
            raise ValidationError({"district": [
                gettext("区域代码“%(district)s”不存在") % {"district": district[:20]}]})
        kwargs["data"] = data
        return kwargs

    def filter_queryset(self, request: Request, queryset: QuerySet[Any], view: Any) -> QuerySet[Any]:
        filterset = self.get_filterset(request, queryset, view)
        if filterset is None:
            return queryset
        if not filterset.is_valid():
            raise ValidationError({
                name: [self._message(name, filterset.filters[name], request.query_params.get(name, ""))]
                for name in filterset.errors
            })
        return filterset.qs

    @staticmethod
    def _message(name: str, f: Any, value: str) -> str:
        head = gettext("筛选条件 %(name)s 的值“%(value)s”无效") % {"name": name, "value": value[:50]}
        if isinstance(f, django_filters.ChoiceFilter):
            choices = ", ".join(str(c) for c, _label in f.extra.get("choices", []))
            return f"{head}; use one of: {choices}."
        if isinstance(f, django_filters.DateFilter):
            return f"{head}; use a date such as 2026-03-01 (YYYY-MM-DD)."
        return f"{head}."


def _bool_param(name: str, what: StrOrPromise) -> OpenApiParameter:
    return OpenApiParameter(name, OpenApiTypes.BOOL, OpenApiParameter.QUERY,
                            description=interpolate(_("%(what)s（true 或 false）"), what=what))


# What the document cannot read from CaseFilter's methods: their types and meaning.
CASE_FILTER_PARAMETERS = [
    _bool_param("overdue", _("已超期：最早的在途期限已过")),
    _bool_param("open", _("在办：已登记至已中止")),
    _bool_param("mine", _("我承办或包案的")),
    OpenApiParameter("district", OpenApiTypes.STR, OpenApiParameter.QUERY,
                     description=_("区划代码，含下级")),
    OpenApiParameter("q", OpenApiTypes.STR, OpenApiParameter.QUERY,
                     description=_("案件编号、单位、项目（包含）或投诉人姓名（完全相同）")),
    OpenApiParameter("received_from", OpenApiTypes.DATE, OpenApiParameter.QUERY,
                     description=_("收到日期不早于")),
    OpenApiParameter("received_to", OpenApiTypes.DATE, OpenApiParameter.QUERY,
                     description=_("收到日期不晚于")),
]


class CaseListCreateView(StaffAPIView, generics.ListAPIView):
    """The case list (the staff queue, as JSON) and registration."""

    serializer_class = CaseSummarySerializer
    filter_backends = [CaseFilterBackend]
    filterset_class = CaseFilter
    pagination_class = StaffPagination

    def get_queryset(self) -> QuerySet[Case]:
        return selectors.queue(self.request.user)

    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context(), "today": clock.today()}

    @extend_schema(
        tags=["cases"], operation_id="cases_list", summary=_("案件列表"),
        description=_("与工作台队列相同的筛选与排序（先到期的在前），仅含本人辖区内的案件；无效的筛选值返回400。"),
        parameters=CASE_FILTER_PARAMETERS, responses=responses(CaseSummarySerializer(many=True), 400, 401),
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """One page of the queue, filtered."""
        return super().get(request, *args, **kwargs)

    @extend_schema(
        tags=["cases"], operation_id="cases_create", summary=_("登记案件"),
        description=_("登记来访、来电、来信或12345工单：分流、编号、启动法定期限。携带 Idempotency-Key 可安全重试。"),
        request=CaseIntakeSerializer, parameters=[IDEMPOTENCY_KEY_PARAMETER],
        responses={201: CaseCreatedSerializer, **CREATE_REFUSALS, 401: REFUSALS[401], 403: REFUSALS[403]},
    )
    def post(self, request: Request) -> Response:
        """Register a complaint; a retry with the same Idempotency-Key returns the first answer."""
        user = staff_user(request)
        return idempotent(request, scope=f"cases.create:user:{user.pk}", create=lambda: self._register(request, user))

    def _register(self, request: Request, user: User) -> Response:
        s = CaseIntakeSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        case = services.register_case(data=s.to_intake(), actor=user)
        prefetch_related_objects([case], Prefetch("deadlines", queryset=Deadline.objects.select_related("rule")))
        return Response(CaseCreatedSerializer(case, context=self.context(request)).data,
                        status=status.HTTP_201_CREATED)


class CaseDetailView(StaffAPIView):
    """One case file."""

    @extend_schema(
        tags=["cases"], operation_id="cases_retrieve", summary=_("案件详情"),
        description=_("期限（含法律依据、剩余天数）、移送、当前用户可执行的操作；个人信息仅显示掩码。"),
        parameters=[CASE_ID], responses=responses(CaseDetailSerializer, 401, 404),
    )
    def get(self, request: Request, pk: int) -> Response:
        """The case, if in the user's scope."""
        return Response(CaseDetailSerializer(_case_file(request, pk), context=self.context(request)).data)


class CaseTimelineView(StaffAPIView):
    """The case file's events, oldest first."""

    @extend_schema(
        tags=["cases"], operation_id="cases_timeline", summary=_("案件记录"),
        description=_("案件的全部记录，按时间先后。"),
        parameters=[CASE_ID], responses=responses(TimelineEventSerializer(many=True), 401, 404),
    )
    def get(self, request: Request, pk: int) -> Response:
        """Every event of a case in the user's scope."""
        case = selectors.case_detail(request.user, pk)
        events = case.events.select_related("actor").order_by("at", "id")
        return Response(TimelineEventSerializer(events, many=True, context=self.context(request)).data)


class CaseTransitionView(StaffAPIView):
    """Move a case one step through the workflow."""

    @extend_schema(
        tags=["cases"], operation_id="cases_transition", summary=_("办理操作"),
        description=_("action 为 accept、refuse、assign、start_handling、transfer_track、suspend、resume、resolve、start_follow_up、close、reopen 之一；各操作所需字段见说明。受理时确定办理途径（track，缺省按案件类型），办理期限自受理起算。传入 version 可防止覆盖他人的更新。"),
        parameters=[CASE_ID], request=TransitionRequestSerializer,
        responses=responses(CaseDetailSerializer, 400, 401, 403, 404, 409),
    )
    def post(self, request: Request, pk: int) -> Response:
        """Apply the transition through the one transition service; answer the updated case."""
        user = staff_user(request)
        s = TransitionRequestSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        services.transition(case_id=pk, actor=user, name=s.validated_data["action"],
                            expected_version=s.validated_data.get("version"), **s.params())
        return Response(CaseDetailSerializer(_case_file(request, pk), context=self.context(request)).data)


class DeadlineExtendView(StaffAPIView):
    """A leader's approved extension of one clock."""

    @extend_schema(
        tags=["cases"], operation_id="cases_deadline_extend", summary=_("批准延期"),
        description=_("领导批准，按规则的法定延长期延长一次（如仲裁第四十三条延长15日）；不可延长的期限返回409。"),
        parameters=[CASE_ID, id_param("deadline_id", _("期限ID"))],
        request=ExtendRequestSerializer, responses=responses(CaseDetailSerializer, 400, 401, 403, 404, 409),
    )
    def post(self, request: Request, pk: int, deadline_id: int) -> Response:
        """Extend the deadline if it belongs to this case in the user's scope; answer the case."""
        user = staff_user(request)
        selectors.case_part(user, pk, Deadline, deadline_id)
        s = ExtendRequestSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        services.extend_deadline(deadline_id=deadline_id, actor=user, reason=s.validated_data["reason"])
        return Response(CaseDetailSerializer(_case_file(request, pk), context=self.context(request)).data)


class RestartClockView(StaffAPIView):
    """Restart the arbitration clock (办案规则 Art. 46)."""

    @extend_schema(
        tags=["cases"], operation_id="cases_restart_clock", summary=_("重新计算仲裁期限"),
        description=_("仅限办理中的仲裁案件，事由见《劳动人事争议仲裁办案规则》第四十六条。"),
        parameters=[CASE_ID], request=RestartClockRequestSerializer,
        responses=responses(CaseDetailSerializer, 400, 401, 403, 404, 409),
    )
    def post(self, request: Request, pk: int) -> Response:
        """Restart the clock through the service; answer the case with its new due dates."""
        user = staff_user(request)
        s = RestartClockRequestSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        services.restart_clock(case_id=pk, actor=user, ground=s.validated_data["ground"],
                               note=s.validated_data.get("note", ""))
        return Response(CaseDetailSerializer(_case_file(request, pk), context=self.context(request)).data)


class ReferralAnswerView(StaffAPIView):
    """A partner agency answers a referral."""

    @extend_schema(
        tags=["cases"], operation_id="cases_referral_answer", summary=_("答复移送"),
        description=_("联动单位答复移送给本单位的案件；每个移送只能答复一次。"),
        parameters=[CASE_ID, id_param("referral_id", _("移送ID"))],
        request=ReferralAnswerRequestSerializer, responses=responses(ReferralSerializer, 400, 401, 403, 404, 409),
    )
    def post(self, request: Request, pk: int, referral_id: int) -> Response:
        """Record the answer if the referral belongs to this case in the user's scope."""
        user = staff_user(request)
        selectors.case_part(user, pk, Referral, referral_id)
        s = ReferralAnswerRequestSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        referral = services.answer_referral(referral_id=referral_id, actor=user, answer=s.validated_data["answer"])
        return Response(ReferralSerializer(referral, context=self.context(request)).data)


# --- supervision ----------------------------------------------------------------------------


class SupervisionListView(StaffAPIView, generics.ListAPIView):
    """The supervision list (督办): records not yet signed for first."""

    serializer_class = SupervisionSerializer
    filter_backends: list[Any] = []
    pagination_class = StaffPagination

    def get_queryset(self) -> QuerySet[Supervision]:
        qs = selectors.supervision_list(self.request.user)
        if self.request.query_params.get("mine", "").strip().lower() == "true":
            qs = qs.filter(leader_id=self.request.user.pk)
        return qs

    @extend_schema(
        tags=["supervision"], operation_id="supervisions_list", summary=_("督办列表"),
        description=_("辖区内案件的临期提醒、超期督办和提级督办，未签收的在前。"),
        parameters=[OpenApiParameter(
            "mine", OpenApiTypes.BOOL, OpenApiParameter.QUERY,
            description=_("仅看提级给我的"))],
        responses=responses(SupervisionSerializer(many=True), 400, 401),
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """One page of the supervision list."""
        check_query_params(request, ["mine", PAGE_PARAM], booleans=("mine",))
        return super().get(request, *args, **kwargs)


class SupervisionAcknowledgeView(StaffAPIView):
    """A leader signs for a supervision record."""

    @extend_schema(
        tags=["supervision"], operation_id="supervisions_acknowledge", summary=_("签收督办"),
        description=_("领导签收督办，可附批示；已签收的返回409。"),
        parameters=[id_param("id", _("督办记录ID"))],
        request=AcknowledgeRequestSerializer, responses=responses(SupervisionSerializer, 400, 401, 403, 404, 409),
    )
    def post(self, request: Request, pk: int) -> Response:
        """Acknowledge through the service; answer the record."""
        user = staff_user(request)
        s = AcknowledgeRequestSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        sup = services.acknowledge_supervision(supervision_id=pk, actor=user, note=s.validated_data.get("note", ""))
        return Response(SupervisionSerializer(sup, context=self.context(request)).data)
