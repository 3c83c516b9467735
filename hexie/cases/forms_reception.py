"""The reception-day forms: scheduling a leader's day, and registering a visit on it (with a new
complaint, or linked to a case on file). Messages name the field."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from hexie.cases.models import CaseType, Channel
from hexie.cases.services.intake import IntakeData
from hexie.core import clock
from hexie.orgs.models import OrgUnit, Role, User
from hexie.orgs.scoping import restrict

_CTRL = {"class": "form-control form-control-sm"}
_SELECT = {"class": "form-select form-select-sm"}


class ScheduleForm(forms.Form):
    org_unit = forms.ModelChoiceField(label=_("接访单位"), queryset=OrgUnit.objects.none(),
                                      widget=forms.Select(attrs=_SELECT))
    leader = forms.ModelChoiceField(label=_("接访领导"), queryset=User.objects.none(),
                                    widget=forms.Select(attrs=_SELECT))
    on = forms.DateField(label=_("接访日期"), widget=forms.DateInput(attrs={"type": "date", **_CTRL}))
    place = forms.CharField(label=_("地点"), max_length=200, widget=forms.TextInput(attrs=_CTRL))
    topic = forms.CharField(label=_("主题"), max_length=200, required=False, widget=forms.TextInput(attrs=_CTRL))

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["org_unit"].queryset = restrict(OrgUnit.objects.order_by("code"), user)  # type: ignore[attr-defined]
        self.fields["leader"].queryset = restrict(  # type: ignore[attr-defined]
            User.objects.filter(is_active=True, role=Role.LEADER).order_by("username"), user)
        self.fields["leader"].label_from_instance = lambda u: u.display_name  # type: ignore[attr-defined]


class VisitForm(forms.Form):
    """A visit: how many came and what about; the case it takes, new or on file, if any."""

    TAKE = [("none", _("仅登记接访")), ("new", _("登记新案件")), ("link", _("关联已有案件"))]

    people = forms.IntegerField(label=_("来访人数"), min_value=1, max_value=10000, initial=1,
                                widget=forms.NumberInput(attrs=_CTRL))
    summary = forms.CharField(label=_("接访摘要"), max_length=500, required=False,
                              widget=forms.Textarea(attrs={"rows": 2, **_CTRL}))
    take = forms.ChoiceField(label=_("受理案件"), choices=TAKE, initial="none", widget=forms.Select(attrs=_SELECT))
    case_number = forms.CharField(label=_("已有案件编号"), max_length=40, required=False,
                                  widget=forms.TextInput(attrs=_CTRL))
    case_type = forms.ChoiceField(label=_("案件类型"), choices=CaseType.choices, required=False,
                                  widget=forms.Select(attrs=_SELECT))
    complainant_name = forms.CharField(label=_("投诉人姓名"), max_length=50, required=False,
                                       widget=forms.TextInput(attrs=_CTRL))
    complainant_phone = forms.CharField(label=_("联系电话"), max_length=20, required=False,
                                        widget=forms.TextInput(attrs=_CTRL))
    employer_name = forms.CharField(label=_("用人单位"), max_length=200, required=False,
                                    widget=forms.TextInput(attrs=_CTRL))
    org_unit = forms.ModelChoiceField(label=_("发生地"), queryset=OrgUnit.objects.none(), required=False,
                                      widget=forms.Select(attrs=_SELECT))
    workers_count = forms.IntegerField(label=_("涉及人数"), min_value=1, max_value=100000, initial=1, required=False,
                                       widget=forms.NumberInput(attrs=_CTRL))
    amount_claimed = forms.DecimalField(label=_("诉求金额（元）"), max_digits=14, decimal_places=2, min_value=0,
                                        required=False, widget=forms.NumberInput(attrs=_CTRL))
    description = forms.CharField(label=_("诉求内容"), required=False, widget=forms.Textarea(attrs={"rows": 3, **_CTRL}))

    NEEDED_FOR_NEW = ("case_type", "complainant_name", "complainant_phone", "org_unit", "description")

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["org_unit"].queryset = restrict(OrgUnit.objects.order_by("code"), user)  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        d = super().clean() or {}
        if d.get("take") == "new":
            for name in self.NEEDED_FOR_NEW:
                if not d.get(name):
                    self.add_error(name, _("登记新案件时必填"))
        elif d.get("take") == "link" and not d.get("case_number"):
            self.add_error("case_number", _("关联已有案件时必填"))
        return d

    def complaint(self) -> IntakeData | None:
        d = self.cleaned_data
        if d["take"] != "new":
            return None
        return IntakeData(case_type=d["case_type"], channel=Channel.VISIT, received_at=clock.now(),
                          complainant_name=d["complainant_name"], complainant_phone=d["complainant_phone"],
                          employer_name=d.get("employer_name") or "", org_unit_id=d["org_unit"].pk,
                          description=d["description"], workers_count=d.get("workers_count") or 1,
                          amount_claimed=d.get("amount_claimed") or Decimal("0"))

