"""Shapes of the registry API. Input serializers parse formats only (unknown keys refused, each
field's messages bilingual and naming it); the rules live in ``services``. Output never carries a
worker's ID number or phone in clear: only their masked forms."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from hexie.core.i18n import interpolate
from hexie.core.pii import mask_bank_card, mask_id_number, mask_phone
from hexie.core.serializers import MAX_ID, InputSerializer, OrgUnitRefSerializer, field_messages
from hexie.employers.models import (
    Employer,
    EmployerSize,
    Industry,
    MonitoringPoint,
    MonitoringReport,
    Project,
    ProjectStatus,
    RosterEntry,
    WorkTeam,
)
from hexie.employers.panels import EMPLOYER_FILE, PROJECT_FILE
from hexie.employers.services import EmployerData, ProjectData, ReportData, WorkerRegistration
from hexie.employers.services.checks import nameable_employers
from hexie.orgs.models import OrgUnit

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def _org_unit_field(required: bool = True) -> serializers.SlugRelatedField:
    return serializers.SlugRelatedField(
        slug_field="code", queryset=OrgUnit.objects.all(), required=required,
        error_messages=field_messages(gettext("所在区划代码")),
        help_text=gettext("区划代码，须在本人辖区内"))


class _ScopedEmployerRef(serializers.SlugRelatedField):
    """An employer named by credit code among those in the caller's jurisdiction: another
    district's answers exactly like a code that is not registered."""

    def get_queryset(self) -> Any:
        request = self.context.get("request")
        user = getattr(request, "user", None)
        return nameable_employers(user) if user is not None else Employer.objects.none()


def _employer_ref_field(label: StrOrPromise, **kwargs: Any) -> serializers.SlugRelatedField:
    return _ScopedEmployerRef(
        slug_field="credit_code", queryset=Employer.objects.all(), error_messages=field_messages(label),
        help_text=gettext("已登记单位的统一社会信用代码"), **kwargs)


def _text(name: str, label: StrOrPromise, max_length: int, *, required: bool = False) -> serializers.CharField:
    return serializers.CharField(max_length=max_length, required=required, allow_blank=not required,
                                 error_messages=field_messages(label))


def _date(label: StrOrPromise, *, required: bool = False) -> serializers.DateField:
    return serializers.DateField(required=required, allow_null=not required, error_messages=field_messages(
        label, invalid=interpolate(_("%(label)s应为日期，如2026-03-01"), label=label)))


def _money(label: StrOrPromise, digits: int) -> serializers.DecimalField:
    return serializers.DecimalField(
        max_digits=digits, decimal_places=2, min_value=Decimal(0), required=False,
        error_messages=field_messages(label, min_value=interpolate(_("%(label)s不能为负数"), label=label)))


# --- references -----------------------------------------------------------------------------


class EmployerRefSerializer(serializers.ModelSerializer):
    """An employer as named elsewhere: id, credit code, name."""

    class Meta:
        model = Employer
        fields = ["id", "credit_code", "name"]


class ProjectRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Project
        fields = ["id", "code", "name", "status", "risk_grade"]


def _reasons_field() -> serializers.ListField:
    return serializers.ListField(
        child=serializers.DictField(), help_text=gettext("评级依据，每条含 source、grade、text"))


class _MaskedPhoneField(serializers.CharField):
    """A phone stored encrypted, sent out masked (first three and last four digits)."""

    def to_representation(self, value: Any) -> str:
        return mask_phone(str(value or ""))


def _masked_phone(source: str) -> serializers.CharField:
    return _MaskedPhoneField(source=source, read_only=True,
                             help_text=gettext("电话号码掩码"))


class _MaskedAccountField(serializers.CharField):
    """A bank account number sent out masked (its last four digits), like a bank card."""

    def to_representation(self, value: Any) -> str:
        return mask_bank_card(str(value or ""))


# --- employers ------------------------------------------------------------------------------


class EmployerSerializer(serializers.ModelSerializer):
    """An employer as listed."""

    org_unit = OrgUnitRefSerializer()
    risk_reasons = _reasons_field()
    contact_phone_masked = _masked_phone("contact_phone")

    class Meta:
        model = Employer
        fields = ["id", "credit_code", "name", "legal_representative", "industry", "size", "address", "org_unit",
                  "contact_phone_masked", "risk_grade", "risk_reasons", "graded_at", "updated_at"]


class EmployerDetailSerializer(EmployerSerializer):
    """An employer's file: its projects, and what other apps add to it (``panels.EMPLOYER_FILE``:
    the open cases about it, its warnings)."""

    projects = ProjectRefSerializer(many=True)

    class Meta(EmployerSerializer.Meta):
        fields = [*EmployerSerializer.Meta.fields, "projects"]

    def get_fields(self) -> dict[str, serializers.Field]:
        return {**super().get_fields(), **EMPLOYER_FILE.fields()}


class EmployerInputSerializer(InputSerializer):
    """An employer to register (all required fields) or to correct (PATCH: only what changes)."""

    credit_code = _text("credit_code", _("统一社会信用代码"), 18, required=True)
    name = _text("name", _("单位名称"), 200, required=True)
    org_unit = _org_unit_field()
    legal_representative = _text("legal_representative", _("法定代表人"), 50)
    industry = serializers.ChoiceField(choices=Industry.choices, required=False,
                                       error_messages=field_messages(_("行业")))
    size = serializers.ChoiceField(choices=EmployerSize.choices, required=False,
                                   error_messages=field_messages(_("规模")))
    address = _text("address", _("地址"), 200)
    contact_phone = _text("contact_phone", _("联系电话"), 20)

    def to_data(self, base: EmployerData | None = None) -> EmployerData:
        d = dict(self.validated_data)
        if "org_unit" in d:
            d["org_unit_id"] = d.pop("org_unit").pk
        if base is None:
            return EmployerData(**d)
        return replace(base, **d)


# --- projects -------------------------------------------------------------------------------


class ProjectSerializer(serializers.ModelSerializer):
    """A construction project as listed."""

    org_unit = OrgUnitRefSerializer()
    general_contractor = EmployerRefSerializer()
    owner = EmployerRefSerializer(allow_null=True)
    subcontractors = EmployerRefSerializer(many=True)
    risk_reasons = _reasons_field()
    wage_officer_phone_masked = _masked_phone("wage_officer_phone")
    special_account_number_masked = _MaskedAccountField(
        source="special_account_number", read_only=True,
        help_text=_("工资专户账号掩码（后四位）"))

    class Meta:
        model = Project
        fields = ["id", "code", "name", "org_unit", "address", "status", "owner", "general_contractor",
                  "subcontractors", "contract_value", "start_date", "planned_end_date", "special_account_bank",
                  "special_account_number_masked", "special_account_opened_on", "guarantee_deposit", "wage_officer_name",
                  "wage_officer_phone_masked", "has_notice_board", "risk_grade", "risk_reasons", "graded_at",
                  "updated_at"]


class TeamSerializer(serializers.ModelSerializer):
    """A work team, its employer and how many of its members are on site."""

    employer = EmployerRefSerializer()
    members_on_site = serializers.SerializerMethodField()

    class Meta:
        model = WorkTeam
        fields = ["id", "name", "employer", "leader_name", "members_on_site"]

    def get_members_on_site(self, obj: WorkTeam) -> int:
        count = getattr(obj, "members_count", None)
        return int(count) if count is not None else obj.members.filter(exit_date__isnull=True).count()


class ProjectDetailSerializer(ProjectSerializer):
    """A project's file: teams, roster counts, and what other apps add to it (``panels.PROJECT_FILE``:
    its warnings, the cases the monitoring job opened)."""

    teams = TeamSerializer(many=True)
    workers_on_site = serializers.IntegerField()
    workers_registered = serializers.IntegerField()

    class Meta(ProjectSerializer.Meta):
        fields = [*ProjectSerializer.Meta.fields, "teams", "workers_on_site", "workers_registered"]

    def get_fields(self) -> dict[str, serializers.Field]:
        return {**super().get_fields(), **PROJECT_FILE.fields()}


class ProjectInputSerializer(InputSerializer):
    """A project to register, or (PATCH) the facts that change. Parties are named by credit code."""

    code = _text("code", _("项目编码"), 32, required=True)
    name = _text("name", _("项目名称"), 200, required=True)
    org_unit = _org_unit_field()
    general_contractor = _employer_ref_field(_("施工总承包单位"))
    owner = _employer_ref_field(_("建设单位"), required=False, allow_null=True)
    subcontractors = _employer_ref_field(_("分包单位"), many=True, required=False)
    address = _text("address", _("项目地址"), 200)
    status = serializers.ChoiceField(choices=ProjectStatus.choices, required=False,
                                     error_messages=field_messages(_("状态")))
    contract_value = _money(_("合同金额"), 16)
    start_date = _date(_("开工日期"))
    planned_end_date = _date(_("计划竣工日期"))
    special_account_bank = _text("special_account_bank", _("工资专户开户行"), 100)
    special_account_number = _text("special_account_number", _("工资专户账号"), 40)
    special_account_opened_on = _date(_("专户开立日期"))
    guarantee_deposit = _money(_("工资保证金"), 14)
    wage_officer_name = _text("wage_officer_name", _("劳资专管员"), 50)
    wage_officer_phone = _text("wage_officer_phone", _("专管员电话"), 20)
    has_notice_board = serializers.BooleanField(required=False, error_messages=field_messages(_("维权告示牌")))

    def to_data(self, base: ProjectData | None = None) -> ProjectData:
        d = dict(self.validated_data)
        if "org_unit" in d:
            d["org_unit_id"] = d.pop("org_unit").pk
        if "general_contractor" in d:
            d["general_contractor_id"] = d.pop("general_contractor").pk
        if "owner" in d:
            owner = d.pop("owner")
            d["owner_id"] = owner.pk if owner is not None else None
        if "subcontractors" in d:
            d["subcontractor_ids"] = tuple(e.pk for e in d.pop("subcontractors"))
        for key in ("contract_value", "guarantee_deposit"):
            if key in d and d[key] is None:
                d[key] = Decimal(0)
        if base is None:
            return ProjectData(**d)
        return replace(base, **d)


class TeamInputSerializer(InputSerializer):
    """A work team to add to the project: its employer (credit code) is the contractor or a subcontractor."""

    name = _text("name", _("班组名称"), 100, required=True)
    employer = _employer_ref_field(_("所属单位"))
    leader_name = _text("leader_name", _("班组长"), 50)


# --- roster ---------------------------------------------------------------------------------


class WorkerRefSerializer(serializers.Serializer):
    """A worker with masked identifiers only."""

    id = serializers.IntegerField()
    name = serializers.CharField()
    id_number_masked = serializers.SerializerMethodField()
    phone_masked = serializers.SerializerMethodField()

    def get_id_number_masked(self, obj: Any) -> str:
        return mask_id_number(obj.id_number)

    def get_phone_masked(self, obj: Any) -> str:
        return mask_phone(obj.phone)


class TeamRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = WorkTeam
        fields = ["id", "name"]


class RosterEntrySerializer(serializers.ModelSerializer):
    """A line of the real-name roster."""

    worker = WorkerRefSerializer()
    team = TeamRefSerializer(allow_null=True)

    class Meta:
        model = RosterEntry
        fields = ["id", "worker", "team", "trade", "entry_date", "exit_date"]


class WorkerRegistrationSerializer(InputSerializer):
    """A worker's real-name registration on the project."""

    name = _text("name", _("姓名"), 50, required=True)
    id_number = serializers.CharField(max_length=18, error_messages=field_messages(_("身份证号")))
    phone = _text("phone", _("手机号"), 20, required=True)
    team = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=MAX_ID,
                                    error_messages=field_messages(_("班组")))
    trade = _text("trade", _("工种"), 30)
    entry_date = _date(_("进场日期"), required=True)

    def to_data(self) -> WorkerRegistration:
        d = self.validated_data
        return WorkerRegistration(name=d["name"], id_number=d["id_number"], phone=d["phone"],
                                  entry_date=d["entry_date"], team_id=d.get("team"), trade=d.get("trade", ""))


class ExitSerializer(InputSerializer):
    """The day the worker left the site."""

    exit_date = _date(_("退场日期"), required=True)


# --- monitoring points ----------------------------------------------------------------------


class MonitoringPointSerializer(serializers.ModelSerializer):
    """A monitoring point and its latest report month."""

    employer = EmployerRefSerializer()
    latest_month = serializers.SerializerMethodField()
    contact_phone_masked = _masked_phone("contact_phone")

    class Meta:
        model = MonitoringPoint
        fields = ["id", "employer", "since", "contact_name", "contact_phone_masked", "is_active", "latest_month"]

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_latest_month(self, obj: MonitoringPoint) -> int | None:
        return obj.reports.order_by("-month").values_list("month", flat=True).first()


class MonitoringPointInputSerializer(InputSerializer):
    """An employer in your jurisdiction (credit code) to become a monitoring point."""

    employer = _employer_ref_field(_("用人单位"))
    since = _date(_("设立日期"), required=True)
    contact_name = _text("contact_name", _("联系人"), 50)
    contact_phone = _text("contact_phone", _("联系电话"), 20)
    is_active = serializers.BooleanField(required=False, default=True, error_messages=field_messages(_("启用")))


class MonitoringReportSerializer(serializers.ModelSerializer):
    class Meta:
        model = MonitoringReport
        fields = ["id", "month", "headcount", "hires", "departures", "wages_paid", "arrears", "reported_at"]


class MonitoringReportInputSerializer(InputSerializer):
    """One month's figures; sending a month again corrects its report."""

    month = serializers.IntegerField(min_value=200001, max_value=210012, error_messages=field_messages(
        _("月份"), invalid=_("月份应为YYYYMM格式的整数，如202608")),
        help_text=_("YYYYMM，如 202608"))
    headcount = serializers.IntegerField(min_value=0, max_value=10_000_000, error_messages=field_messages(_("在岗人数")))
    hires = serializers.IntegerField(min_value=0, max_value=10_000_000, default=0, error_messages=field_messages(_("新增人数")))
    departures = serializers.IntegerField(min_value=0, max_value=10_000_000, default=0,
                                          error_messages=field_messages(_("减少人数")))
    wages_paid = _money(_("应发工资总额"), 14)
    arrears = _money(_("欠薪金额"), 14)

    def to_data(self) -> ReportData:
        d = self.validated_data
        return ReportData(month=d["month"], headcount=d["headcount"], hires=d.get("hires", 0),
                          departures=d.get("departures", 0), wages_paid=d.get("wages_paid") or Decimal(0),
                          arrears=d.get("arrears") or Decimal(0))

