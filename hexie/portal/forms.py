"""The worker's forms: filing a complaint, tracking it, rating the result.

Messages name the field in Chinese and English; they come from the same ``field_messages`` as the
API, with the placeholders Django forms use.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django import forms
from django.core.validators import RegexValidator
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from hexie.cases import services as case_services
from hexie.cases.forms import MultipleFileField, MultipleFileInput
from hexie.cases.models import CaseType
from hexie.core import clock
from hexie.core.forms import ServiceErrorsMixin
from hexie.core.serializers import field_messages
from hexie.core.validators import validate_credit_code, validate_id_number, validate_mobile
from hexie.employers.models import Project
from hexie.orgs.models import OrgLevel, OrgUnit
from hexie.portal.selectors import amount_claim_error, normalise_tracking_code

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

PUBLIC_CASE_TYPES = [
    (CaseType.WAGE_ARREARS.value, _("我要投诉欠薪")),
    (CaseType.LABOUR_DISPUTE.value, _("劳动争议")),
]

# What the phone's file picker offers: the types services.check_attachment accepts.
ATTACHMENT_ACCEPT = ",".join(["image/jpeg", "image/png", *case_services.ALLOWED_ATTACHMENTS])

# DRF writes placeholders as {name}; Django forms as %(name)s.
_PLACEHOLDERS = {
    "{max_length}": "%(limit_value)s", "{min_length}": "%(limit_value)s", "{min_value}": "%(limit_value)s",
    "{max_value}": "%(limit_value)s", "{input}": "%(value)s", "{value}": "%(value)s",
}


def _django_placeholders(message: Any) -> str:
    text = str(message)
    for drf, django in _PLACEHOLDERS.items():
        text = text.replace(drf, django)
    return text


_django_placeholders_lazy = lazy(_django_placeholders, str)


def form_messages(label: StrOrPromise, **extra: StrOrPromise) -> dict[str, StrOrPromise]:
    """``public_messages`` for a Django form field, naming the field, in the language of the request
    that reads them (so translated when shown, not when the form class is defined)."""
    return {key: _django_placeholders_lazy(message) for key, message in field_messages(label, **extra).items()}


LAST4_VALIDATOR = RegexValidator(
    r"^\d{4}$", _("手机号后四位应为4位数字"), code="invalid"
)


class BootstrapForm(forms.Form):
    """Bootstrap classes on every widget, and the invalid style on the fields that have errors."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.RadioSelect | forms.HiddenInput):
                continue
            css = "form-select" if isinstance(widget, forms.Select) else "form-control"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()

    def add_error(self, field: str | None, error: Any) -> None:
        super().add_error(field, error)
        for name in self.errors:
            widget = self.fields[name].widget if name in self.fields else None
            if widget is not None and "is-invalid" not in widget.attrs.get("class", ""):
                widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid".strip()


class ComplaintForm(ServiceErrorsMixin, BootstrapForm):
    """A complaint filed by a worker on a phone; domain checks live in cases.services."""

    service_field_names = {"org_unit": "district"}

    case_type = forms.ChoiceField(
        label=_("投诉类型"), choices=PUBLIC_CASE_TYPES, widget=forms.RadioSelect,
        initial=CaseType.WAGE_ARREARS.value, error_messages=form_messages(_("投诉类型")),
    )
    district = forms.ModelChoiceField(
        label=_("区县"), queryset=OrgUnit.objects.none(), to_field_name="code", empty_label=_("请选择"),
        error_messages=form_messages(
            _("区县"), invalid_choice=_("所选区县不存在，请重新选择"),
            required=_("请选择区县")),
    )
    street = forms.ModelChoiceField(
        label=_("街道乡镇"), queryset=OrgUnit.objects.none(), to_field_name="code", required=False,
        empty_label=_("不清楚"),
        error_messages=form_messages(
            _("街道乡镇"), invalid_choice=_("所选街道不存在，请重新选择")),
    )
    complainant_name = forms.CharField(
        label=_("您的姓名"), max_length=50, error_messages=form_messages(_("姓名")))
    # Every step of the case is sent to this number by SMS: a landline would never hear of it.
    complainant_phone = forms.CharField(
        label=_("手机号码（接收办理进度短信）"), max_length=20,
        validators=[validate_mobile],
        error_messages=form_messages(_("手机号码")),
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    complainant_id_number = forms.CharField(
        label=_("身份证号（选填）"), max_length=18, required=False,
        validators=[validate_id_number], error_messages=form_messages(_("身份证号")),
    )
    project = forms.ModelChoiceField(
        label=_("工程项目（工地，选填）"), queryset=Project.objects.none(), required=False,
        empty_label=_("不清楚或不在列表中"),
        error_messages=form_messages(
            _("工程项目"),
            invalid_choice=_("所选工程项目不存在，请重新选择")),
    )
    employer_name = forms.CharField(
        label=_("用人单位（老板或公司名称）"), max_length=200, required=False,
        error_messages=form_messages(_("用人单位名称")),
    )
    employer_credit_code = forms.CharField(
        label=_("统一社会信用代码（选填）"), max_length=18, required=False,
        validators=[validate_credit_code], error_messages=form_messages(_("统一社会信用代码")),
    )
    employer_address = forms.CharField(
        label=_("单位地址（选填）"), max_length=200, required=False,
        error_messages=form_messages(_("单位地址")),
    )
    project_name = forms.CharField(
        label=_("工程项目名称（选填）"), max_length=200, required=False,
        error_messages=form_messages(_("工程项目")),
    )
    workers_count = forms.IntegerField(
        label=_("涉及人数"), min_value=1, max_value=case_services.MAX_WORKERS, initial=1,
        error_messages=form_messages(_("涉及人数"),
                                     min_value=_("涉及人数至少为1"),
                                     invalid=_("涉及人数请填整数")),
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    # Required for a wage complaint (clean); a labour dispute may claim no money (a contract, insurance).
    amount_claimed = forms.DecimalField(
        label=_("被拖欠金额（元）"), max_digits=14, decimal_places=2, min_value=0, required=False,
        help_text=_("欠薪投诉必填，应大于0元；没有金额诉求的劳动争议可不填"),
        error_messages=form_messages(
            _("被拖欠金额"), min_value=_("金额不能为负数"),
            invalid=_("金额请填数字，例如 12000.50")),
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.01", "min": "0"}),
    )
    description = forms.CharField(
        label=_("情况说明"), max_length=5000, widget=forms.Textarea(attrs={"rows": 5}),
        error_messages=form_messages(_("情况说明")),
    )
    attachments = MultipleFileField(
        label=_("证据照片或文件（选填）"), required=False,
        error_messages=form_messages(_("证据材料")),
        widget=MultipleFileInput(attrs={"accept": ATTACHMENT_ACCEPT}),
    )
    src = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        district = self.fields["district"]
        street = self.fields["street"]
        assert isinstance(district, forms.ModelChoiceField) and isinstance(street, forms.ModelChoiceField)
        district.queryset = OrgUnit.objects.filter(level=OrgLevel.DISTRICT).order_by("code")
        street.queryset = OrgUnit.objects.filter(level=OrgLevel.STREET).select_related("parent").order_by("code")
        project = self.fields["project"]
        assert isinstance(project, forms.ModelChoiceField)
        project.queryset = Project.objects.select_related("org_unit").order_by("org_unit__code", "name", "pk")
        project.label_from_instance = lambda obj: f"{obj.name}（{obj.org_unit.name}）"  # type: ignore[method-assign]

    def clean_attachments(self) -> list[Any]:
        files = list(self.cleaned_data.get("attachments") or [])
        case_services.check_attachments(files)
        return files

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        district, street = data.get("district"), data.get("street")
        if district is not None and street is not None and street.parent_id != district.pk:
            self.add_error("street", gettext("所选街道不在所选区县内，请重新选择"))
        if "amount_claimed" not in self.errors:
            message = amount_claim_error(data.get("case_type"), data.get("amount_claimed"))
            if message:
                self.add_error("amount_claimed", message)
            elif data.get("amount_claimed") is None:
                data["amount_claimed"] = Decimal(0)
        # On a site the worker may not know the company: the project's general contractor answers.
        if not (data.get("employer_name") or "").strip() and data.get("project") is None and "project" not in self.errors:
            self.add_error("employer_name", gettext("请填写用人单位名称，或选择工程项目"))
        return data

    def section(self, *names: str) -> list[forms.BoundField]:
        return [self[name] for name in names]

    @property
    def about_you(self) -> list[forms.BoundField]:
        return self.section("complainant_name", "complainant_phone", "complainant_id_number")

    @property
    def about_employer(self) -> list[forms.BoundField]:
        return self.section("project", "employer_name", "employer_credit_code", "employer_address", "project_name")

    @property
    def about_claim(self) -> list[forms.BoundField]:
        return self.section("workers_count", "amount_claimed", "description", "attachments")

    @property
    def channel(self) -> str:
        return "qr" if (self.cleaned_data.get("src") or "") == "qr" else "web"

    def to_intake(self) -> case_services.IntakeData:
        d = self.cleaned_data
        unit = d.get("street") or d["district"]
        return case_services.IntakeData(
            case_type=d["case_type"], channel=self.channel, received_at=clock.now(),
            complainant_name=d["complainant_name"], complainant_phone=d["complainant_phone"],
            complainant_id_number=d.get("complainant_id_number") or "", employer_name=d.get("employer_name") or "",
            employer_credit_code=d.get("employer_credit_code") or "",
            employer_address=d.get("employer_address") or "", project_name=d.get("project_name") or "",
            org_unit_id=unit.pk, workers_count=d["workers_count"], amount_claimed=d["amount_claimed"],
            description=d["description"], project_id=d["project"].pk if d.get("project") else None,
        )



class TrackForm(BootstrapForm):
    """A tracking code and the last four digits of the phone given when filing."""

    tracking_code = forms.CharField(
        label=_("查询码"), max_length=20, error_messages=form_messages(_("查询码")),
        widget=forms.TextInput(attrs={"autocapitalize": "characters", "autocomplete": "off"}),
    )
    phone_last4 = forms.CharField(
        label=_("手机号后四位"), max_length=4, validators=[LAST4_VALIDATOR],
        error_messages=form_messages(_("手机号后四位"),
                                     max_length=_("手机号后四位应为4位数字")),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )

    def clean_tracking_code(self) -> str:
        return normalise_tracking_code(self.cleaned_data["tracking_code"])


class RateForm(TrackForm):
    """A 1–5 rating of the result, with an optional comment."""

    satisfaction = forms.TypedChoiceField(
        label=_("满意度"), coerce=int, choices=[(i, str(i)) for i in range(5, 0, -1)],
        widget=forms.RadioSelect,
        error_messages=form_messages(_("满意度"),
                                     invalid_choice=_("满意度为1至5分")),
    )
    comment = forms.CharField(
        label=_("意见建议（选填）"), max_length=1000, required=False,
        widget=forms.Textarea(attrs={"rows": 3}), error_messages=form_messages(_("意见建议")),
    )
