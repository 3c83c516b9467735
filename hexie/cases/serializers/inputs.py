"""What a client sends to the staff case API (and, for a complaint, the public API).

Input serializers only parse and check formats (reusing the validators the forms and services
use); domain rules stay in ``services`` and come back as a ValidationError naming the field.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib.auth import authenticate
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from hexie.cases.models import CaseType, Channel, ClosureConclusion, Track
from hexie.cases.services import MAX_WORKERS, RESTART_GROUNDS, IntakeData
from hexie.cases.services.chain_steps import COURT_ACTIONS, COURT_RESULTS, GROUNDS, PARTIES, ROUTES
from hexie.cases.workflow import TRANSITIONS
from hexie.core import clock
from hexie.core.lockout import refuse_if_locked_out
from hexie.core.serializers import MAX_ID, InputSerializer, NamedCharacterErrorsMixin, field_messages
from hexie.core.validators import validate_credit_code, validate_id_number, validate_phone
from hexie.orgs.models import OrgUnit

# Channels a member of staff may register through the API; "qr" belongs to the public portal and
# "monitoring" to the arrears-detection job.
STAFF_API_CHANNELS = (
    Channel.API, Channel.PHONE, Channel.VISIT, Channel.LETTER, Channel.HOTLINE_12345, Channel.WEB,
)


# --- intake ---------------------------------------------------------------------------------


class ComplaintSerializer(NamedCharacterErrorsMixin, serializers.Serializer):
    """What every channel says about a complaint: who, against whom, how many, how much, what.

    The staff API and the public API add the type, channel and place their own way.
    """

    complainant_name = serializers.CharField(max_length=50, error_messages=field_messages(_("投诉人姓名")))
    complainant_phone = serializers.CharField(
        max_length=20, validators=[validate_phone], error_messages=field_messages(_("联系电话")))
    complainant_id_number = serializers.CharField(
        max_length=18, required=False, allow_blank=True, validators=[validate_id_number],
        error_messages=field_messages(_("身份证号")))
    employer_name = serializers.CharField(
        max_length=200, required=False, allow_blank=True, error_messages=field_messages(_("用人单位名称")),
        help_text=_("选了工程项目时可省略（取项目的施工总承包单位）"))
    employer_credit_code = serializers.CharField(
        max_length=18, required=False, allow_blank=True, validators=[validate_credit_code],
        error_messages=field_messages(_("统一社会信用代码")))
    employer_address = serializers.CharField(
        max_length=200, required=False, allow_blank=True, error_messages=field_messages(_("单位地址")))
    project_name = serializers.CharField(
        max_length=200, required=False, allow_blank=True, error_messages=field_messages(_("工程项目")))
    project = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, max_value=MAX_ID, error_messages=field_messages(_("工程项目")),
        help_text=_("登记的工程项目id（项目选择器或项目二维码海报）"))
    workers_count = serializers.IntegerField(
        min_value=1, max_value=MAX_WORKERS, default=1, error_messages=field_messages(_("涉及人数")))
    amount_claimed = serializers.DecimalField(
        max_digits=14, decimal_places=2, min_value=Decimal("0"), default=Decimal("0"),
        error_messages=field_messages(_("诉求金额"), min_value=_("金额不能为负数")),
    )
    description = serializers.CharField(max_length=5000, error_messages=field_messages(_("诉求内容")))

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        attrs = super().validate(attrs)
        if not (attrs.get("employer_name") or "").strip() and attrs.get("project") is None:
            raise serializers.ValidationError(
                {"employer_name": [self.fields["employer_name"].error_messages["required"]]})
        return attrs

    def to_intake(self) -> IntakeData:
        """The checked fields as the services take them (received now unless the client said when)."""
        d = self.validated_data
        return IntakeData(
            case_type=d["case_type"], channel=d["channel"], received_at=d.get("received_at") or clock.now(),
            complainant_name=d["complainant_name"], complainant_phone=d["complainant_phone"],
            complainant_id_number=d.get("complainant_id_number", ""), employer_name=d.get("employer_name", ""),
            employer_credit_code=d.get("employer_credit_code", ""), employer_address=d.get("employer_address", ""),
            project_name=d.get("project_name", ""), org_unit_id=d["org_unit"].pk,
            workers_count=d["workers_count"], amount_claimed=d["amount_claimed"], description=d["description"],
            external_ref=d.get("external_ref", ""), project_id=d.get("project"),
        )


class CaseIntakeSerializer(InputSerializer, ComplaintSerializer):
    """A complaint registered by staff through the API (front desk, hotline, 12345 bridge)."""

    case_type = serializers.ChoiceField(choices=CaseType.choices, error_messages=field_messages(_("案件类型")))
    channel = serializers.ChoiceField(
        choices=Channel.choices, default=Channel.API, error_messages=field_messages(_("来源渠道")),
        help_text=_("默认 api；可为 phone、visit、letter、hotline_12345、web"),
    )
    received_at = serializers.DateTimeField(
        required=False, error_messages=field_messages(
            _("收到时间"),
            invalid=_("收到时间格式不正确，应为 ISO 8601，如 2025-03-01T09:30:00+08:00")),
        help_text=_("缺省为当前时间"),
    )
    external_ref = serializers.CharField(
        max_length=64, required=False, allow_blank=True, error_messages=field_messages(_("外部工单号")))
    org_unit = serializers.SlugRelatedField(
        slug_field="code", queryset=OrgUnit.objects.all(), error_messages=field_messages(_("发生地区划代码")),
        help_text=_("发生地的区划代码，须在本人辖区内"),
    )

    def validate_channel(self, value: str) -> str:
        if value not in STAFF_API_CHANNELS:
            raise serializers.ValidationError(
                gettext("该渠道不能通过工作人员接口登记"))
        return value


# --- actions --------------------------------------------------------------------------------


class TransitionRequestSerializer(InputSerializer):
    """A step in the workflow with the inputs it needs (the service says which are required)."""

    action = serializers.ChoiceField(
        choices=[(t.name, t.label) for t in TRANSITIONS.values()], error_messages=field_messages(_("操作")))
    version = serializers.IntegerField(
        required=False, allow_null=True, min_value=0, max_value=MAX_ID, error_messages=field_messages(_("版本号")),
        help_text=_("读取案件时的 version；若案件已被他人更新则返回 409"),
    )
    reason = serializers.CharField(
        required=False, allow_blank=True, max_length=2000, error_messages=field_messages(_("理由")))
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000, error_messages=field_messages(_("说明")))
    handler = serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID, error_messages=field_messages(_("承办人")))
    responsible_leader = serializers.IntegerField(
        required=False, min_value=1, max_value=MAX_ID, error_messages=field_messages(_("包案领导")))
    track = serializers.ChoiceField(choices=Track.choices, required=False, error_messages=field_messages(_("办理途径")))
    agency = serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID, error_messages=field_messages(_("联动单位")))
    conclusion = serializers.ChoiceField(
        choices=ClosureConclusion.choices, required=False, error_messages=field_messages(_("办结结论")))
    amount_recovered = serializers.DecimalField(
        max_digits=14, decimal_places=2, min_value=0, required=False,
        error_messages=field_messages(_("追回金额"),
                                min_value=_("金额不能为负数")))
    workers_benefited = serializers.IntegerField(
        required=False, min_value=0, max_value=1000000, error_messages=field_messages(_("受益人数")))
    satisfaction = serializers.IntegerField(
        required=False, min_value=1, max_value=5, error_messages=field_messages(_("满意度")))
    # The chain between procedures (hexie.cases.services.chain_steps).
    ground = serializers.ChoiceField(choices=list(GROUNDS.items()), required=False,
                                     error_messages=field_messages(_("转仲裁事由")))
    final = serializers.BooleanField(required=False, error_messages=field_messages(_("终局裁决")))
    party = serializers.ChoiceField(choices=list(PARTIES.items()), required=False,
                                    error_messages=field_messages(_("当事人")))
    court_action = serializers.ChoiceField(choices=list(COURT_ACTIONS.items()), required=False,
                                           error_messages=field_messages(_("诉讼方式")))
    result = serializers.ChoiceField(choices=list(COURT_RESULTS.items()), required=False,
                                     error_messages=field_messages(_("法院处理结果")))
    route = serializers.ChoiceField(choices=list(ROUTES.items()), required=False,
                                    error_messages=field_messages(_("后续途径")))
    amount_owed = serializers.DecimalField(max_digits=14, decimal_places=2, min_value=0, required=False,
                                           error_messages=field_messages(_("金额")))
    largest_owed = serializers.DecimalField(max_digits=14, decimal_places=2, min_value=0, required=False,
                                            error_messages=field_messages(_("金额")))
    pay_within_days = serializers.IntegerField(required=False, min_value=1, max_value=90,
                                               error_messages=field_messages(_("限期支付")))
    rate = serializers.DecimalField(max_digits=5, decimal_places=2, min_value=0, required=False,
                                    error_messages=field_messages(_("加付比例")))
    body = serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID,
                                    error_messages=field_messages(_("调解组织")))

    def params(self) -> dict[str, Any]:
        """The inputs that were given, as keyword arguments for ``services.transition``."""
        return {k: v for k, v in self.validated_data.items() if k not in ("action", "version") and v is not None}


class ExtendRequestSerializer(InputSerializer):
    """A leader's approval to extend a deadline by its statutory extension."""

    reason = serializers.CharField(max_length=2000, error_messages=field_messages(_("延期理由")))


class RestartClockRequestSerializer(InputSerializer):
    """Restart an arbitration clock on one of the grounds of 办案规则 Art. 46."""

    ground = serializers.ChoiceField(choices=list(RESTART_GROUNDS.items()), error_messages=field_messages(_("事由")))
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000,
                                 error_messages=field_messages(_("说明")))


class AcknowledgeRequestSerializer(InputSerializer):
    """A leader signs for a supervision record, optionally with instructions."""

    note = serializers.CharField(required=False, allow_blank=True, max_length=2000,
                                 error_messages=field_messages(_("批示")))


class ReferralAnswerRequestSerializer(InputSerializer):
    """A partner agency's answer to a referral."""

    answer = serializers.CharField(max_length=5000, error_messages=field_messages(_("答复内容")))

# --- tokens ---------------------------------------------------------------------------------


class TokenRequestSerializer(InputSerializer):
    """A member of staff's username and password, exchanged for an API token."""

    username = serializers.CharField(max_length=150, error_messages=field_messages(_("用户名")))
    password = serializers.CharField(
        max_length=128, trim_whitespace=False, write_only=True, style={"input_type": "password"},
        error_messages=field_messages(_("密码")),
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        request = self.context.get("request")
        user = authenticate(request, username=attrs["username"], password=attrs["password"])
        if user is None:
            refuse_if_locked_out(request)
            # One message for an unknown user, a wrong password and a disabled account, so the
            # answer does not tell a guesser which usernames exist.
            raise serializers.ValidationError(
                {"non_field_errors": [gettext("用户名或密码不正确，或账号已停用")]},
                code="invalid_credentials",
            )
        attrs["user"] = user
        return attrs
