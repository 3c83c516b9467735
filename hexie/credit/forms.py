"""The staff forms of credit: each turns a POST into a service call's arguments, with messages
that name the field."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from hexie.credit.models import DeliveryMethod, Grade, ListedPerson, Publication, RecordKind


class YearForm(forms.Form):
    year = forms.IntegerField(label=_("评价年度"), min_value=2000, max_value=2100)


class ObjectionForm(forms.Form):
    reason = forms.CharField(label=_("异议理由"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000)
    received_on = forms.DateField(label=_("收到日期"), widget=forms.DateInput(attrs={"type": "date"}))


class DecisionForm(forms.Form):
    grade = forms.ChoiceField(label=_("复核等级"), choices=Grade.choices)
    reason = forms.CharField(label=_("复核意见"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000)


class RecordForm(forms.Form):
    employer = forms.IntegerField(label=_("用人单位"), widget=forms.HiddenInput)
    kind = forms.ChoiceField(label=_("种类"), choices=RecordKind.choices)
    occurred_on = forms.DateField(label=_("发生日期"), widget=forms.DateInput(attrs={"type": "date"}))
    case = forms.IntegerField(label=_("关联案件编号（内部ID）"), required=False)
    description = forms.CharField(label=_("情况"), widget=forms.Textarea(attrs={"rows": 2}), max_length=4000)
    amount = forms.DecimalField(label=_("拖欠金额（元）"), required=False, min_value=0, max_digits=14,
                                decimal_places=2)
    workers = forms.IntegerField(label=_("涉及人数"), required=False, min_value=0, max_value=100000)
    months = forms.IntegerField(label=_("拖欠月数"), required=False, min_value=0, max_value=600)


class ProposeForm(forms.Form):
    employer = forms.IntegerField(label=_("用人单位"), widget=forms.HiddenInput)
    order_record = forms.IntegerField(label=_("逾期未支付的限期支付指令（记录）"))
    incident_record = forms.IntegerField(label=_("群体性或极端事件（记录）"), required=False)
    reasons = forms.CharField(label=_("列入事由"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000)
    legal_rep_name = forms.CharField(label=_("法定代表人姓名"), max_length=50)
    legal_rep_id = forms.CharField(label=_("法定代表人身份证号"), max_length=30)
    other_name = forms.CharField(label=_("其他责任人姓名"), max_length=50, required=False)
    other_id = forms.CharField(label=_("其他责任人身份证号"), max_length=30, required=False)

    def persons(self) -> list[tuple[str, str, str]]:
        d = self.cleaned_data
        out: list[tuple[str, str, str]] = [(ListedPerson.Role.LEGAL_REPRESENTATIVE, d["legal_rep_name"], d["legal_rep_id"])]
        if d.get("other_name"):
            out.append((ListedPerson.Role.RESPONSIBLE, d["other_name"], d.get("other_id") or ""))
        return out


class StatementForm(forms.Form):
    text = forms.CharField(label=_("陈述申辩内容"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000)
    received_on = forms.DateField(label=_("收到日期"), widget=forms.DateInput(attrs={"type": "date"}))


class DeliveryForm(forms.Form):
    """The day and the way a notice was served (送达): its window runs from that day."""

    delivered_on = forms.DateField(label=_("送达日期"), widget=forms.DateInput(attrs={"type": "date"}),
                                   help_text=_("公告送达填公告发出之日，自该日起经过三十日视为送达"))
    delivery_method = forms.ChoiceField(label=_("送达方式"), choices=DeliveryMethod.choices)


class ListingDecisionForm(forms.Form):
    list_it = forms.TypedChoiceField(label=_("决定"), choices=[("1", _("列入")), ("0", _("不予列入"))],
                                     coerce=lambda v: v == "1")
    reason = forms.CharField(label=_("决定理由"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000)


class RemovalForm(forms.Form):
    paid_on = forms.DateField(label=_("清偿日期"), widget=forms.DateInput(attrs={"type": "date"}))
    corrected_on = forms.DateField(label=_("纠正失信行为日期"), widget=forms.DateInput(attrs={"type": "date"}))
    pledge_on = forms.DateField(label=_("信用修复承诺书日期"), widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(label=_("决定理由"), widget=forms.Textarea(attrs={"rows": 2}), max_length=4000)


class PublicationForm(forms.Form):
    kind = forms.ChoiceField(label=_("种类"), choices=Publication.Kind.choices)
    unit = forms.IntegerField(label=_("发布机关所在区划"), widget=forms.HiddenInput)
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    quarter = forms.IntegerField(label=_("季度"), min_value=1, max_value=4)
    incentives = forms.CharField(label=_("激励措施（和谐企业名单）"), required=False, max_length=2000)
