"""/api/v1/public/: file, track and rate without an account (for the WeChat mini-program, a
partner's app, or a kiosk). No authentication, so no CSRF; limited per IP like the pages."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from hexie.cases import services as case_services
from hexie.cases.models import Case, CaseType, Channel, Deadline, DeadlineRule, TimelineEvent
from hexie.cases.serializers import ComplaintSerializer
from hexie.core.api import CREATE_REFUSALS, FieldErrorsSerializer
from hexie.core.idempotency import IDEMPOTENCY_KEY_PARAMETER, idempotent
from hexie.core.lockout import client_ip
from hexie.core.parsers import SafeJSONParser, SafeMultiPartParser
from hexie.core.serializers import ApiErrorSerializer, NamedCharacterErrorsMixin, field_messages
from hexie.core.validators import validate_mobile
from hexie.orgs.models import OrgUnit
from hexie.portal import selectors, services

PUBLIC_CASE_TYPES = [
    (CaseType.WAGE_ARREARS.value, CaseType.WAGE_ARREARS.label),
    (CaseType.LABOUR_DISPUTE.value, CaseType.LABOUR_DISPUTE.label),
]
PUBLIC_CHANNELS = [(Channel.WEB.value, Channel.WEB.label), (Channel.QR.value, Channel.QR.label)]


# The public API offers a subset of the case types and channels. Named components of their own keep
# them apart from the full enums of the staff API (which share the field names).
@extend_schema_field({"type": "string", "enum": [v for v, _ in PUBLIC_CASE_TYPES]},
                     component_name="PublicCaseTypeEnum")
class PublicCaseTypeField(serializers.ChoiceField):
    """wage_arrears or labour_dispute."""


@extend_schema_field({"type": "string", "enum": [v for v, _ in PUBLIC_CHANNELS]}, component_name="PublicChannelEnum")
class PublicChannelField(serializers.ChoiceField):
    """web or qr."""


_LAST4 = _("手机号后四位应为4位数字")


# --- shapes ---------------------------------------------------------------------------------


class PublicSerializer(NamedCharacterErrorsMixin, serializers.Serializer):
    """Base of the public request bodies."""


class PublicComplaintSerializer(ComplaintSerializer):
    """A complaint filed by a worker (JSON, or multipart with evidence files)."""

    case_type = PublicCaseTypeField(
        choices=PUBLIC_CASE_TYPES, error_messages=field_messages(_("投诉类型")),
        help_text=_("wage_arrears 欠薪 或 labour_dispute 劳动争议"),
    )
    channel = PublicChannelField(
        choices=PUBLIC_CHANNELS, default=Channel.WEB.value, error_messages=field_messages(_("来源渠道")),
        help_text=_("web（默认），扫描海报二维码而来时为 qr"),
    )
    org_unit = serializers.SlugRelatedField(
        slug_field="code", queryset=selectors.filing_units(),
        error_messages=field_messages(
            _("发生地区划代码"),
            does_not_exist=_("所选区域“{value}”不存在"),
            invalid=_("发生地区划代码格式不正确")),
        help_text=_("用工所在区县或街道的区划代码，见 GET /api/v1/public/areas/"),
    )
    # Every step is sent to the worker by SMS: a landline would never hear of the case.
    complainant_phone = serializers.CharField(
        max_length=20, validators=[validate_mobile], error_messages=field_messages(_("手机号码")),
        help_text=_("11位手机号码，办理进度以短信通知"))

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        errors: dict[str, list[str]] = {}
        try:
            attrs = super().validate(attrs)
        except serializers.ValidationError as exc:
            errors.update(exc.detail if isinstance(exc.detail, dict) else {})  # type: ignore[arg-type]
        message = selectors.amount_claim_error(attrs.get("case_type"), attrs.get("amount_claimed"))
        if message:
            errors["amount_claimed"] = [message]
        if errors:
            raise serializers.ValidationError(errors)
        return attrs


@extend_schema_field({"type": "string", "format": "binary"})
class UploadField(serializers.FileField):
    """A file sent as a multipart part."""


class UploadListField(serializers.ListField):
    """Several files under one name. A part that is not a file is refused with the field's own
    messages, as the document promises (field → list of messages), not DRF's map of positions."""

    def to_internal_value(self, data: Any) -> Any:
        try:
            return super().to_internal_value(data)
        except serializers.ValidationError as exc:
            if not isinstance(exc.detail, dict):
                raise
            messages = [str(m) for errors in exc.detail.values() for m in (errors if isinstance(errors, list) else [errors])]
            raise serializers.ValidationError(list(dict.fromkeys(messages))) from None


class PublicComplaintUploadSerializer(PublicComplaintSerializer):
    """The same complaint sent as multipart/form-data, with evidence files."""

    attachments = UploadListField(
        child=UploadField(error_messages=field_messages(_("证据材料"))), required=False,
        error_messages=field_messages(_("证据材料")),
        help_text=_("证据照片或文件（可多个）：图片、PDF、Word、Excel、音视频"),
    )

    def validate_attachments(self, files: list[Any]) -> list[Any]:
        try:
            case_services.check_attachments(files)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.messages) from None
        return files


class PublicComplaintCreatedSerializer(serializers.ModelSerializer):
    """The answer to a filing: the numbers the worker must keep."""

    message = serializers.SerializerMethodField()

    class Meta:
        model = Case
        fields = ["number", "tracking_code", "case_type", "status", "received_at", "message"]

    def get_message(self, obj: Case) -> str:
        return (gettext("请妥善保存查询码，凭查询码和手机号后四位查询进度"))


class TrackRequestSerializer(PublicSerializer):
    """A tracking code and the last four digits of the phone given when filing."""

    tracking_code = serializers.CharField(max_length=20, error_messages=field_messages(_("查询码")))
    phone_last4 = serializers.RegexField(
        r"^\d{4}$", max_length=4, error_messages=field_messages(_("手机号后四位"), invalid=_LAST4))


class RateRequestSerializer(TrackRequestSerializer):
    """The worker's rating of the result: 1–5 and an optional comment."""

    satisfaction = serializers.IntegerField(
        min_value=1, max_value=5, error_messages=field_messages(_("满意度")))
    comment = serializers.CharField(
        max_length=1000, required=False, allow_blank=True, default="",
        error_messages=field_messages(_("意见建议")))


class PublicEventSerializer(serializers.ModelSerializer):
    """A public timeline entry: when, and what the worker is told (no staff, no internal note)."""

    message = serializers.CharField(source="public_message")

    class Meta:
        model = TimelineEvent
        fields = ["at", "message"]


class PublicDeadlineSerializer(serializers.ModelSerializer):
    """A running clock: the step, its due date, and the law it comes from."""

    step = serializers.CharField(source="rule.step")
    basis = serializers.CharField(source="rule.basis")
    unit = serializers.ChoiceField(source="rule.unit", choices=DeadlineRule.Unit.choices)
    length = serializers.IntegerField(source="rule.length")

    class Meta:
        model = Deadline
        fields = ["step", "state", "due_on", "is_provisional", "unit", "length", "basis"]


class PublicOutcomeSerializer(serializers.Serializer):
    """How a resolved case was resolved, what was recovered and the office that handled it."""

    conclusion = serializers.CharField()
    amount_recovered = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True)
    workers_benefited = serializers.IntegerField(allow_null=True)
    resolved_at = serializers.DateTimeField(allow_null=True)
    office = serializers.CharField()


class PublicCaseSerializer(serializers.ModelSerializer):
    """What a worker may see of a case: its number, type, status, public timeline and clocks."""

    case_type_display = serializers.CharField(source="get_case_type_display")
    status_display = serializers.CharField(source="get_status_display")
    timeline = serializers.SerializerMethodField()
    deadlines = serializers.SerializerMethodField()
    can_rate = serializers.SerializerMethodField()
    outcome = serializers.SerializerMethodField()

    class Meta:
        model = Case
        fields = ["number", "case_type", "case_type_display", "status", "status_display", "received_at",
                  "satisfaction", "can_rate", "outcome", "timeline", "deadlines"]

    @extend_schema_field(PublicOutcomeSerializer(allow_null=True))
    def get_outcome(self, obj: Case) -> Any:
        outcome = selectors.public_outcome(obj)
        return None if outcome is None else PublicOutcomeSerializer(outcome).data

    @extend_schema_field(PublicEventSerializer(many=True))
    def get_timeline(self, obj: Case) -> Any:
        return PublicEventSerializer(selectors.public_timeline(obj), many=True).data

    @extend_schema_field(PublicDeadlineSerializer(many=True))
    def get_deadlines(self, obj: Case) -> Any:
        return PublicDeadlineSerializer(selectors.running_deadlines(obj), many=True).data

    def get_can_rate(self, obj: Case) -> bool:
        return selectors.can_rate(obj)


class StreetSerializer(serializers.ModelSerializer):
    class Meta:
        model = OrgUnit
        fields = ["code", "name"]


class AreaSerializer(serializers.ModelSerializer):
    """A district with its streets."""

    children = StreetSerializer(many=True, source="street_list")

    class Meta:
        model = OrgUnit
        fields = ["code", "name", "children"]


# --- views ----------------------------------------------------------------------------------


class PublicAPIView(APIView):
    """No account, no session: so no CSRF either; limits are per IP in the services."""

    authentication_classes: list[Any] = []
    permission_classes = [AllowAny]


_BAD_INPUT = OpenApiResponse(FieldErrorsSerializer, description=_("输入有误"))
_TOO_MANY = OpenApiResponse(ApiErrorSerializer, description=_("超过每小时次数限制"))
_NOT_FOUND = OpenApiResponse(
    ApiErrorSerializer,
    description=_("查询码或手机号后四位不符（两者答复相同）"),
)


class ComplaintCreateView(PublicAPIView):
    parser_classes = [SafeJSONParser, SafeMultiPartParser]

    @extend_schema(
        operation_id="public_complaint_create",
        summary=_("投诉欠薪或劳动争议"),
        description=_("无需账号；成功后返回案件编号和查询码。每个IP每小时限提交若干次（只计成功提交）。"),
        request={"application/json": PublicComplaintSerializer,
                 "multipart/form-data": PublicComplaintUploadSerializer},
        parameters=[IDEMPOTENCY_KEY_PARAMETER],
        responses={201: PublicComplaintCreatedSerializer, **CREATE_REFUSALS, 429: _TOO_MANY},
        examples=[OpenApiExample(str(_("欠薪")), request_only=True, value={
            "case_type": "wage_arrears", "org_unit": "430104001", "complainant_name": "张三",
            "complainant_phone": "13800138000", "employer_name": "长沙某建筑劳务有限公司", "workers_count": 3,
            "amount_claimed": "24000.00", "description": "项目完工后三个月工资未发。"})],
        tags=["public"],
    )
    def post(self, request: Request) -> Response:
        """File a complaint; a retry with the same Idempotency-Key gets the first answer back."""
        return idempotent(request, scope="public.complaint", create=lambda: self._create(request))

    def _create(self, request: Request) -> Response:
        multipart = (request.content_type or "").startswith("multipart/")
        s = (PublicComplaintUploadSerializer if multipart else PublicComplaintSerializer)(data=request.data)
        s.is_valid(raise_exception=True)
        case = services.file_complaint(data=s.to_intake(), ip=client_ip(request),
                                       attachments=s.validated_data.get("attachments") or [])
        return Response(PublicComplaintCreatedSerializer(case).data, status=status.HTTP_201_CREATED)


class TrackView(PublicAPIView):
    parser_classes = [SafeJSONParser]

    @extend_schema(
        operation_id="public_track",
        summary=_("查询进度"),
        description=_("凭查询码和手机号后四位查询：状态、公开的办理记录、正在计算的法定期限。查不到时返回404，查询码错误与手机号后四位错误的回答完全相同；失败次数过多返回429。"),
        request=TrackRequestSerializer,
        responses={200: PublicCaseSerializer, 400: _BAD_INPUT, 404: _NOT_FOUND, 429: _TOO_MANY},
        tags=["public"],
    )
    def post(self, request: Request) -> Response:
        """Status, public timeline and running deadlines of one case."""
        s = TrackRequestSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        case = services.find_case(tracking_code=s.validated_data["tracking_code"],
                                  phone_last4=s.validated_data["phone_last4"], ip=client_ip(request))
        return Response(PublicCaseSerializer(case).data)


class RateView(PublicAPIView):
    parser_classes = [SafeJSONParser]

    @extend_schema(
        operation_id="public_rate",
        summary=_("评价办理结果"),
        description=_("案件办结后（已办结或回访中）可评价：3–5分结案，1–2分重新办理。"),
        request=RateRequestSerializer,
        responses={200: PublicCaseSerializer, 400: _BAD_INPUT, 404: _NOT_FOUND,
                   409: OpenApiResponse(ApiErrorSerializer, description=_("案件尚未办结")),
                   429: _TOO_MANY},
        tags=["public"],
    )
    def post(self, request: Request) -> Response:
        """Record the worker's rating; answers the case as it now stands."""
        s = RateRequestSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        d = s.validated_data
        case = services.rate_case(tracking_code=d["tracking_code"], phone_last4=d["phone_last4"],
                                  satisfaction=d["satisfaction"], comment=d.get("comment") or "",
                                  ip=client_ip(request))
        return Response(PublicCaseSerializer(case).data)


class AreasView(PublicAPIView):
    @extend_schema(
        operation_id="public_areas",
        summary=_("区县和街道"),
        description=_("填写投诉时可选的发生地：区县及其下属街道乡镇（GB/T 2260区划代码）。"),
        responses={200: AreaSerializer(many=True)},
        tags=["public"],
    )
    def get(self, request: Request) -> Response:
        """Districts with their streets, in code order."""
        return Response(AreaSerializer(selectors.areas(), many=True).data)
