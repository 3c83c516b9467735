"""Staff forms: a plan (a list of credit codes, a grid, or a random draw) and an employer account."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from hexie.core.forms import ServiceErrorsMixin
from hexie.core.validators import normalise_credit_code
from hexie.employers.models import Employer
from hexie.orgs.models import HandlerKind, OrgUnit, Role, User
from hexie.orgs.scoping import restrict, under
from hexie.prevention import selectors
from hexie.prevention.models import PlanMethod


class PlanForm(ServiceErrorsMixin, forms.Form):
    service_field_names = {"sheet": "sheet_id", "employer_ids": "credit_codes", "inspector_ids": "inspectors"}

    name = forms.CharField(label=_("计划名称"), max_length=120)
    sheet_id = forms.TypedChoiceField(label=_("量表"), coerce=int)
    method = forms.ChoiceField(label=_("方式"), choices=PlanMethod.choices)
    starts_on = forms.DateField(label=_("开始日期"), widget=forms.DateInput(attrs={"type": "date"}))
    due_on = forms.DateField(label=_("完成期限"), widget=forms.DateInput(attrs={"type": "date"}))
    credit_codes = forms.CharField(label=_("单位信用代码（指定名单，每行一个）"), required=False,
                                   widget=forms.Textarea(attrs={"rows": 3}))
    grid_unit = forms.ModelChoiceField(label=_("网格（区域）"), queryset=OrgUnit.objects.none(), required=False)
    draw_employers = forms.IntegerField(label=_("抽取单位数"), required=False, min_value=1)
    draw_inspectors = forms.IntegerField(label=_("抽取检查人员数"), required=False, min_value=1)
    seed = forms.CharField(label=_("抽取种子（留空自动生成）"), required=False, max_length=64)
    inspectors = forms.ModelMultipleChoiceField(label=_("检查人员"), queryset=User.objects.none(), required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["sheet_id"].choices = [  # type: ignore[attr-defined]
            (s.pk, f"{s.name} v{s.version}") for s in selectors.sheets(user).filter(effective_to__isnull=True)]
        self.fields["grid_unit"].queryset = restrict(OrgUnit.objects.order_by("path"), user)  # type: ignore[attr-defined]
        unit = getattr(user, "org_unit", None)
        self.fields["inspectors"].queryset = (  # type: ignore[attr-defined]
            restrict(User.objects.filter(under(unit), role=Role.HANDLER, handler_kind=HandlerKind.INSPECTOR,
                                         is_active=True), user) if unit else User.objects.none())

    def employer_ids(self) -> list[int]:
        """The employers named by credit code; an unknown code is named in the error."""
        codes = [normalise_credit_code(c) for c in self.cleaned_data.get("credit_codes", "").split() if c.strip()]
        found = dict(restrict(Employer.objects.filter(credit_code__in=codes), self.user)
                     .values_list("credit_code", "pk"))
        unknown = [c for c in codes if c not in found]
        if unknown:
            raise forms.ValidationError({"credit_codes": [_("未登记或不在辖区内的信用代码：%(c)s")
                                                          % {"c": "、".join(unknown)}]})
        return list(found.values())


class AccountForm(ServiceErrorsMixin, forms.Form):
    service_field_names = {"employer": "credit_code"}

    credit_code = forms.CharField(label=_("统一社会信用代码"), max_length=18)
    username = forms.CharField(label=_("登录名"), max_length=150)
    phone = forms.CharField(label=_("接收验证码的手机"), max_length=20)


class SheetImportForm(ServiceErrorsMixin, forms.Form):
    service_field_names = {"owner_unit": "owner_unit"}

    file = forms.FileField(label=_("量表文件（.xlsx：工作表“量表”和“项目”）"))
    owner_unit = forms.ModelChoiceField(label=_("制定单位（留空为全系统默认）"), queryset=OrgUnit.objects.none(),
                                        required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner_unit"].queryset = restrict(OrgUnit.objects.order_by("path"), user)  # type: ignore[attr-defined]
