"""The staff forms of the work-order pages: each turns a POST into the bridge service's arguments,
with messages that name the field."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from hexie.bridge.services import RESULTS


class _Versioned(forms.Form):
    # The order's version the page was drawn from: a step taken meanwhile by someone else is refused.
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class SignForm(_Versioned):
    pass


class HandBackForm(_Versioned):
    reason = forms.CharField(label=_("回退理由"), widget=forms.Textarea(attrs={"rows": 2, "class": "form-control form-control-sm"}), max_length=2000)


class ExtendForm(_Versioned):
    days = forms.IntegerField(label=_("延期工作日"), min_value=1, max_value=30,
                              widget=forms.NumberInput(attrs={"class": "form-control form-control-sm"}))
    reason = forms.CharField(label=_("延期理由"), widget=forms.Textarea(attrs={"rows": 2, "class": "form-control form-control-sm"}), max_length=2000)


class ReplyForm(_Versioned):
    result = forms.ChoiceField(label=_("办理结果"), choices=list(RESULTS.items()),
                               widget=forms.Select(attrs={"class": "form-select form-select-sm"}))
    text = forms.CharField(label=_("答复内容"), widget=forms.Textarea(attrs={"rows": 3, "class": "form-control form-control-sm"}), max_length=4000)


class RateForm(_Versioned):
    rating = forms.TypedChoiceField(label=_("群众评价"), coerce=int,
                                    choices=[(n, str(n)) for n in range(5, 0, -1)],
                                    widget=forms.Select(attrs={"class": "form-select form-select-sm"}))


#: The form of each step, by the action name the service knows.
FORMS: dict[str, type[forms.Form]] = {
    "sign": SignForm, "hand_back": HandBackForm, "extend": ExtendForm, "reply": ReplyForm, "rate": RateForm,
}


class ImportForm(forms.Form):
    """A workbook of orders or wage clues (.xlsx), imported all or nothing."""

    file = forms.FileField(label=_("工单文件（.xlsx）"),
                           widget=forms.ClearableFileInput(attrs={"class": "form-control form-control-sm",
                                                                  "accept": ".xlsx"}))
