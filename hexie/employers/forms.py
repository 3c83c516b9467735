"""Staff forms of the registry. They parse what was typed; the services check the rules and their
errors come back onto the field they name, in Chinese and English."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from hexie.core.forms import ServiceErrorsMixin
from hexie.core.pii import mask_bank_card
from hexie.core.validators import validate_credit_code, validate_id_number, validate_phone
from hexie.crypto.forms import SecretInput
from hexie.employers.models import Employer, EmployerSize, Industry, ProjectStatus, WorkTeam
from hexie.employers.services import EmployerData, ProjectData, ReportData, WorkerRegistration
from hexie.employers.services.checks import nameable_employers
from hexie.orgs.models import OrgUnit
from hexie.orgs.scoping import restrict

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def _messages(label: str) -> dict[str, str]:
    # Built per form instance, so in the request's language; %(limit_value)s is Django's, filled later.
    keep = {"label": label, "limit_value": "%(limit_value)s"}
    return {key: gettext(message) % keep for key, message in {
        "required": gettext_noop("请填写%(label)s"),
        "invalid": gettext_noop("%(label)s格式不正确"),
        "invalid_choice": gettext_noop("%(label)s：所选项无效"),
        "invalid_list": gettext_noop("%(label)s：请选择列表中的项"),
        "invalid_pk_value": gettext_noop("%(label)s：所选项无效"),
        "max_length": gettext_noop("%(label)s过长"),
        "min_value": gettext_noop("%(label)s不能小于%(limit_value)s"),
        "max_value": gettext_noop("%(label)s不能大于%(limit_value)s"),
        "max_digits": gettext_noop("%(label)s数值过大，请核对"),
        "max_whole_digits": gettext_noop("%(label)s数值过大，请核对"),
        "max_decimal_places": gettext_noop("%(label)s最多两位小数"),
    }.items()}


class BilingualForm(ServiceErrorsMixin, forms.Form):
    """Every field's own errors in the request's language, naming the field; service errors put on their field."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for f in self.fields.values():
            f.error_messages.update(_messages(str(f.label)))
            widget = f.widget
            css = ("form-check-input" if isinstance(widget, forms.CheckboxInput)
                   else "form-select" if isinstance(widget, forms.Select) else "form-control")
            widget.attrs["class"] = css
            for v in f.validators:
                # MaxLengthValidator etc. carry their own English message.
                code = getattr(v, "code", None)
                if code in ("max_length", "min_value", "max_value"):
                    v.message = f.error_messages[code]  # type: ignore[attr-defined]



def _date(label: StrOrPromise, required: bool = False) -> forms.DateField:
    return forms.DateField(label=label, required=required, widget=forms.DateInput(attrs={"type": "date"}))


def _amount(label: StrOrPromise, digits: int) -> forms.DecimalField:
    return forms.DecimalField(label=label, max_digits=digits, decimal_places=2, required=False, min_value=0)


def _kept(form: forms.Form, name: str) -> str:
    """A secret field's answer; blank on an edit page keeps the stored value (the page never shows it)."""
    return str(form.cleaned_data.get(name) or form.initial.get(name) or "")


class EmployerForm(BilingualForm):
    credit_code = forms.CharField(label=_("统一社会信用代码"), max_length=18, validators=[validate_credit_code])
    name = forms.CharField(label=_("单位名称"), max_length=200)
    org_unit = forms.ModelChoiceField(label=_("所在区划"), queryset=OrgUnit.objects.none())
    legal_representative = forms.CharField(label=_("法定代表人"), max_length=50, required=False)
    industry = forms.ChoiceField(label=_("行业"), choices=Industry.choices, initial=Industry.OTHER)
    size = forms.ChoiceField(label=_("规模"), choices=EmployerSize.choices, initial=EmployerSize.SMALL)
    address = forms.CharField(label=_("地址"), max_length=200, required=False)
    contact_phone = forms.CharField(label=_("联系电话"), max_length=20, required=False,
                                    widget=SecretInput())

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["org_unit"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = restrict(OrgUnit.objects.exclude(level="community"), user)

    def to_data(self) -> EmployerData:
        d = self.cleaned_data
        return EmployerData(
            credit_code=d["credit_code"], name=d["name"], org_unit_id=d["org_unit"].pk,
            legal_representative=d.get("legal_representative") or "", industry=d["industry"], size=d["size"],
            address=d.get("address") or "", contact_phone=_kept(self, "contact_phone"))

    @staticmethod
    def initial_from(data: EmployerData) -> dict[str, Any]:
        values = dict(data.__dict__)
        values["org_unit"] = values.pop("org_unit_id")
        return values


class _EmployerChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Employer) -> str:  # type: ignore[override]
        return f"{obj.name}（{obj.credit_code}）"


class _EmployerMultiple(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Employer) -> str:  # type: ignore[override]
        return f"{obj.name}（{obj.credit_code}）"


class ProjectForm(BilingualForm):
    code = forms.CharField(label=_("项目编码"), max_length=32)
    name = forms.CharField(label=_("项目名称"), max_length=200)
    org_unit = forms.ModelChoiceField(label=_("所在区划"), queryset=OrgUnit.objects.none())
    address = forms.CharField(label=_("项目地址"), max_length=200, required=False)
    status = forms.ChoiceField(label=_("状态"), choices=ProjectStatus.choices, initial=ProjectStatus.BUILDING)
    general_contractor = _EmployerChoice(label=_("施工总承包单位"), queryset=Employer.objects.all())
    owner = _EmployerChoice(label=_("建设单位"), queryset=Employer.objects.all(), required=False)
    subcontractors = _EmployerMultiple(label=_("分包单位"), queryset=Employer.objects.all(), required=False,
                                       widget=forms.SelectMultiple(attrs={"size": 8}))
    contract_value = _amount(_("合同金额（元）"), 16)
    start_date = _date(_("开工日期"))
    planned_end_date = _date(_("计划竣工日期"))
    special_account_bank = forms.CharField(label=_("工资专户开户行"), max_length=100, required=False)
    special_account_number = forms.CharField(label=_("工资专户账号"), max_length=40, required=False,
                                             widget=SecretInput(mask_bank_card))
    special_account_opened_on = _date(_("专户开立日期"))
    guarantee_deposit = _amount(_("工资保证金（元）"), 14)
    wage_officer_name = forms.CharField(label=_("劳资专管员"), max_length=50, required=False)
    wage_officer_phone = forms.CharField(label=_("专管员电话"), max_length=20, required=False,
                                         widget=SecretInput())
    has_notice_board = forms.BooleanField(label=_("维权告示牌"), required=False)

    def __init__(self, *args: Any, user: Any = None, project: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["org_unit"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = restrict(OrgUnit.objects.exclude(level="community"), user)
        # The pickers offer what the service accepts: no other district's employer is listed.
        nameable = nameable_employers(user, project) if user is not None else Employer.objects.none()
        for name in ("general_contractor", "owner", "subcontractors"):
            picker = self.fields[name]
            assert isinstance(picker, forms.ModelChoiceField)
            picker.queryset = nameable

    def to_data(self) -> ProjectData:
        d = self.cleaned_data
        return ProjectData(
            code=d["code"], name=d["name"], org_unit_id=d["org_unit"].pk, address=d.get("address") or "",
            status=d["status"], general_contractor_id=d["general_contractor"].pk,
            owner_id=d["owner"].pk if d.get("owner") else None,
            subcontractor_ids=tuple(e.pk for e in d.get("subcontractors") or []),
            contract_value=d.get("contract_value") or Decimal(0), start_date=d.get("start_date"),
            planned_end_date=d.get("planned_end_date"), special_account_bank=d.get("special_account_bank") or "",
            special_account_number=_kept(self, "special_account_number"),
            special_account_opened_on=d.get("special_account_opened_on"),
            guarantee_deposit=d.get("guarantee_deposit") or Decimal(0), wage_officer_name=d.get("wage_officer_name") or "",
            wage_officer_phone=_kept(self, "wage_officer_phone"), has_notice_board=d.get("has_notice_board", False))

    @staticmethod
    def initial_from(data: ProjectData) -> dict[str, Any]:
        values = dict(data.__dict__)
        values["org_unit"] = values.pop("org_unit_id")
        values["general_contractor"] = values.pop("general_contractor_id")
        values["owner"] = values.pop("owner_id")
        values["subcontractors"] = list(values.pop("subcontractor_ids"))
        return values


class WorkTeamForm(BilingualForm):
    name = forms.CharField(label=_("班组名称"), max_length=100)
    employer = _EmployerChoice(label=_("所属单位"), queryset=Employer.objects.none())
    leader_name = forms.CharField(label=_("班组长"), max_length=50, required=False)

    def __init__(self, *args: Any, project: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["employer"]
        assert isinstance(field, forms.ModelChoiceField)
        ids = [project.general_contractor_id, *project.subcontractors.values_list("pk", flat=True)]
        field.queryset = Employer.objects.filter(pk__in=ids)


class _TeamChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: WorkTeam) -> str:  # type: ignore[override]
        return f"{obj.name}（{obj.leader_name or '—'}）"


class WorkerForm(BilingualForm):
    name = forms.CharField(label=_("姓名"), max_length=50)
    id_number = forms.CharField(label=_("身份证号"), max_length=18, validators=[validate_id_number])
    phone = forms.CharField(label=_("手机号"), max_length=20, validators=[validate_phone])
    team = _TeamChoice(label=_("班组"), queryset=WorkTeam.objects.none(), required=False)
    trade = forms.CharField(label=_("工种"), max_length=30, required=False)
    entry_date = _date(_("进场日期"), required=True)

    def __init__(self, *args: Any, project: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["team"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = project.teams.all()

    def to_data(self) -> WorkerRegistration:
        d = self.cleaned_data
        return WorkerRegistration(name=d["name"], id_number=d["id_number"], phone=d["phone"],
                                  entry_date=d["entry_date"], team_id=d["team"].pk if d.get("team") else None,
                                  trade=d.get("trade") or "")


class ExitForm(BilingualForm):
    exit_date = _date(_("退场日期"), required=True)


class PointForm(BilingualForm):
    employer = _EmployerChoice(label=_("用人单位"), queryset=Employer.objects.none())
    since = _date(_("设立日期"), required=True)
    contact_name = forms.CharField(label=_("联系人"), max_length=50, required=False)
    contact_phone = forms.CharField(label=_("联系电话"), max_length=20, required=False)
    is_active = forms.BooleanField(label=_("启用"), required=False, initial=True)

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["employer"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = restrict(Employer.objects.filter(monitoring_point__isnull=True), user)


class ReportForm(BilingualForm):
    month = forms.CharField(label=_("月份（YYYYMM）"), max_length=7,
                            widget=forms.TextInput(attrs={"placeholder": "202608"}))
    headcount = forms.IntegerField(label=_("在岗人数"), min_value=0, max_value=10_000_000)
    hires = forms.IntegerField(label=_("新增人数"), min_value=0, max_value=10_000_000, initial=0)
    departures = forms.IntegerField(label=_("减少人数"), min_value=0, max_value=10_000_000, initial=0)
    wages_paid = forms.DecimalField(label=_("应发工资总额（元）"), max_digits=14, decimal_places=2, min_value=0)
    arrears = forms.DecimalField(label=_("欠薪金额（元）"), max_digits=14, decimal_places=2, min_value=0,
                                 initial=0, required=False)

    def clean_month(self) -> int:
        from hexie.employers.services import parse_month

        month = parse_month(self.cleaned_data["month"])
        if month is None:
            raise ValidationError(gettext("月份应为YYYYMM格式，如202608"))
        return month

    def to_data(self) -> ReportData:
        d = self.cleaned_data
        return ReportData(month=d["month"], headcount=d["headcount"], hires=d.get("hires") or 0,
                          departures=d.get("departures") or 0, wages_paid=d["wages_paid"],
                          arrears=d.get("arrears") or Decimal(0))
