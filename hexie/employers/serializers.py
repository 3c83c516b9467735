"""Shapes of the registry API. Input serializers parse formats only (unknown keys refused, each
field's messages bilingual and naming it); the rules live in ``services``. Output never carries a
worker's ID number or phone in clear: only their masked forms."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

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


def _org_unit_field(required: bool = True) -> serializers.SlugRelatedField:
    return serializers.SlugRelatedField(
        slug_field="code", queryset=OrgUnit.objects.all(), required=required,
        error_messages=field_messages("所在区划代码 org_unit"),
        help_text="区划代码，须在本人辖区内 / Division code, within your jurisdiction.")


class _ScopedEmployerRef(serializers.SlugRelatedField):
    """An employer named by credit code among those in the caller's jurisdiction: another
    district's answers exactly like a code that is not registered."""

    def get_queryset(self) -> Any:
        request = self.context.get("request")
        user = getattr(request, "user", None)
        return nameable_employers(user) if user is not None else Employer.objects.none()


def _employer_ref_field(label: str, **kwargs: Any) -> serializers.SlugRelatedField:
    return _ScopedEmployerRef(
        slug_field="credit_code", queryset=Employer.objects.all(), error_messages=field_messages(label),
        help_text="已登记单位的统一社会信用代码 / Credit code of a registered employer.", **kwargs)


def _text(name: str, label: str, max_length: int, *, required: bool = False) -> serializers.CharField:
    return serializers.CharField(max_length=max_length, required=required, allow_blank=not required,
                                 error_messages=field_messages(label))


def _date(label: str, *, required: bool = False) -> serializers.DateField:
    return serializers.DateField(required=required, allow_null=not required, error_messages=field_messages(
        label, invalid=f"{label.split(' ')[0]}应为日期，如2026-03-01 / {label.split(' ')[-1]} must be a date such "
                       "as 2026-03-01 (YYYY-MM-DD)."))


def _money(label: str, digits: int) -> serializers.DecimalField:
    zh, _, en = label.partition(" ")
    return serializers.DecimalField(
        max_digits=digits, decimal_places=2, min_value=Decimal(0), required=False,
        error_messages=field_messages(label, min_value=f"{zh}不能为负数 / {en} cannot be negative."))


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
        child=serializers.DictField(), help_text="评级依据，每条含 source、grade、text / The findings behind the "
                                                 "grade, each with source, grade and text.")


class _MaskedPhoneField(serializers.CharField):
    """A phone stored encrypted, sent out masked (first three and last four digits)."""

    def to_representation(self, value: Any) -> str:
        return mask_phone(str(value or ""))


def _masked_phone(source: str) -> serializers.CharField:
    return _MaskedPhoneField(source=source, read_only=True,
                             help_text="电话号码掩码 / The phone, masked.")


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

    credit_code = _text("credit_code", "统一社会信用代码 credit_code", 18, required=True)
    name = _text("name", "单位名称 name", 200, required=True)
    org_unit = _org_unit_field()
    legal_representative = _text("legal_representative", "法定代表人 legal_representative", 50)
    industry = serializers.ChoiceField(choices=Industry.choices, required=False,
                                       error_messages=field_messages("行业 industry"))
    size = serializers.ChoiceField(choices=EmployerSize.choices, required=False,
                                   error_messages=field_messages("规模 size"))
    address = _text("address", "地址 address", 200)
    contact_phone = _text("contact_phone", "联系电话 contact_phone", 20)

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
        help_text="工资专户账号掩码（后四位） / The wage special account number, masked (last four digits).")

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

    code = _text("code", "项目编码 code", 32, required=True)
    name = _text("name", "项目名称 name", 200, required=True)
    org_unit = _org_unit_field()
    general_contractor = _employer_ref_field("施工总承包单位 general_contractor")
    owner = _employer_ref_field("建设单位 owner", required=False, allow_null=True)
    subcontractors = _employer_ref_field("分包单位 subcontractors", many=True, required=False)
    address = _text("address", "项目地址 address", 200)
    status = serializers.ChoiceField(choices=ProjectStatus.choices, required=False,
                                     error_messages=field_messages("状态 status"))
    contract_value = _money("合同金额 contract_value", 16)
    start_date = _date("开工日期 start_date")
    planned_end_date = _date("计划竣工日期 planned_end_date")
    special_account_bank = _text("special_account_bank", "工资专户开户行 special_account_bank", 100)
    special_account_number = _text("special_account_number", "工资专户账号 special_account_number", 40)
    special_account_opened_on = _date("专户开立日期 special_account_opened_on")
    guarantee_deposit = _money("工资保证金 guarantee_deposit", 14)
    wage_officer_name = _text("wage_officer_name", "劳资专管员 wage_officer_name", 50)
    wage_officer_phone = _text("wage_officer_phone", "专管员电话 wage_officer_phone", 20)
    has_notice_board = serializers.BooleanField(required=False, error_messages=field_messages("维权告示牌 has_notice_board"))

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

    name = _text("name", "班组名称 name", 100, required=True)
    employer = _employer_ref_field("所属单位 employer")
    leader_name = _text("leader_name", "班组长 leader_name", 50)


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

    name = _text("name", "姓名 name", 50, required=True)
    id_number = serializers.CharField(max_length=18, error_messages=field_messages("身份证号 id_number"))
    phone = _text("phone", "手机号 phone", 20, required=True)
    team = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=MAX_ID,
                                    error_messages=field_messages("班组 team"))
    trade = _text("trade", "工种 trade", 30)
    entry_date = _date("进场日期 entry_date", required=True)

    def to_data(self) -> WorkerRegistration:
        d = self.validated_data
        return WorkerRegistration(name=d["name"], id_number=d["id_number"], phone=d["phone"],
                                  entry_date=d["entry_date"], team_id=d.get("team"), trade=d.get("trade", ""))


class ExitSerializer(InputSerializer):
    """The day the worker left the site."""

    exit_date = _date("退场日期 exit_date", required=True)


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

    employer = _employer_ref_field("用人单位 employer")
    since = _date("设立日期 since", required=True)
    contact_name = _text("contact_name", "联系人 contact_name", 50)
    contact_phone = _text("contact_phone", "联系电话 contact_phone", 20)
    is_active = serializers.BooleanField(required=False, default=True, error_messages=field_messages("启用 is_active"))


class MonitoringReportSerializer(serializers.ModelSerializer):
    class Meta:
        model = MonitoringReport
        fields = ["id", "month", "headcount", "hires", "departures", "wages_paid", "arrears", "reported_at"]


class MonitoringReportInputSerializer(InputSerializer):
    """One month's figures; sending a month again corrects its report."""

    month = serializers.IntegerField(min_value=200001, max_value=210012, error_messages=field_messages(
        "月份 month", invalid="月份应为YYYYMM格式的整数，如202608 / month is an integer YYYYMM, e.g. 202608."),
        help_text="YYYYMM，如 202608 / YYYYMM, e.g. 202608.")
    headcount = serializers.IntegerField(min_value=0, max_value=10_000_000, error_messages=field_messages("在岗人数 headcount"))
    hires = serializers.IntegerField(min_value=0, max_value=10_000_000, default=0, error_messages=field_messages("新增人数 hires"))
    departures = serializers.IntegerField(min_value=0, max_value=10_000_000, default=0,
                                          error_messages=field_messages("减少人数 departures"))
    wages_paid = _money("应发工资总额 wages_paid", 14)
    arrears = _money("欠薪金额 arrears", 14)

    def to_data(self) -> ReportData:
        d = self.validated_data
        return ReportData(month=d["month"], headcount=d["headcount"], hires=d.get("hires", 0),
                          departures=d.get("departures", 0), wages_paid=d.get("wages_paid") or Decimal(0),
                          arrears=d.get("arrears") or Decimal(0))

