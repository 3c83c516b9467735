"""Staff forms: registering a visit/call/letter/12345 order, and the inputs of each action."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from hexie.cases.models import (
    OPEN_STATUSES,
    Case,
    CaseType,
    Channel,
    ClosureConclusion,
    DisputeCause,
    Outcome,
    Track,
)
from hexie.cases.services import RESTART_GROUNDS, IntakeData
from hexie.cases.services.chain_steps import COURT_ACTIONS, COURT_RESULTS, GROUNDS, PARTIES, ROUTES
from hexie.cases.workflow import (
    CONCLUSIONS_FOR_TRACK,
    CONSULTATION_CONCLUSION,
    DEFAULT_TRACK,
    TRACKS_FOR_TYPE,
)
from hexie.core.forms import ServiceErrorsMixin
from hexie.employers.models import Project
from hexie.orgs.models import OrgLevel, OrgUnit, PartnerAgency, Role, User
from hexie.orgs.scoping import HANDLERS, restrict

STAFF_CHANNELS = [
    (Channel.VISIT, Channel.VISIT.label),
    (Channel.PHONE, Channel.PHONE.label),
    (Channel.LETTER, Channel.LETTER.label),
    (Channel.HOTLINE_12345, Channel.HOTLINE_12345.label),
    (Channel.WEB, Channel.WEB.label),
]

_AMOUNT_MSG = {
    "invalid": _("请输入金额，例如 12000.50"),
    "max_decimal_places": _("金额最多两位小数"),
    "max_digits": _("金额过大，请核对"),
}


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(d, initial) for d in data]
        return [super().clean(data, initial)] if data else []


class IntakeForm(ServiceErrorsMixin, forms.Form):
    """The front desk's registration form; domain checks live in services.validate_intake."""

    case_type = forms.ChoiceField(label=_("案件类型"), choices=CaseType.choices)
    channel = forms.ChoiceField(label=_("来源渠道"), choices=STAFF_CHANNELS)
    external_ref = forms.CharField(label=_("12345工单号"), required=False, max_length=64)
    received_at = forms.DateTimeField(
        label=_("收到时间"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        error_messages={"invalid": _("时间格式不正确")},
    )
    complainant_name = forms.CharField(label=_("投诉人姓名"), max_length=50)
    complainant_phone = forms.CharField(
        label=_("联系电话"), max_length=20,
        help_text=_("手机号会收到办理进度短信；固定电话可以登记，但收不到短信"))
    complainant_id_number = forms.CharField(label=_("身份证号"), max_length=18, required=False)
    employer_name = forms.CharField(label=_("用人单位"), max_length=200, required=False,
                                    help_text=_("选了工程项目可不填"))
    employer_credit_code = forms.CharField(label=_("统一社会信用代码"), max_length=18, required=False)
    employer_address = forms.CharField(label=_("单位地址"), max_length=200, required=False)
    project = forms.ModelChoiceField(
        label=_("登记的工程项目"), queryset=Project.objects.none(), required=False,
        error_messages={"invalid_choice": _("所选工程项目不存在或不在辖区内")},
    )
    project_name = forms.CharField(label=_("工程项目（未登记）"), max_length=200, required=False)
    org_unit = forms.ModelChoiceField(
        label=_("发生地"), queryset=OrgUnit.objects.none(),
        error_messages={"invalid_choice": _("所选区域不存在或不在辖区内")},
    )
    workers_count = forms.IntegerField(
        label=_("涉及人数"), min_value=1, max_value=100000, initial=1,
        error_messages={"min_value": _("涉及人数至少为1"),
                        "max_value": _("涉及人数过大"),
                        "invalid": _("请输入整数")},
    )
    amount_claimed = forms.DecimalField(
        label=_("诉求金额（元）"), max_digits=14, decimal_places=2, initial=Decimal("0"),
        error_messages=_AMOUNT_MSG,
    )
    description = forms.CharField(label=_("诉求内容"), widget=forms.Textarea(attrs={"rows": 4}))
    attachments = MultipleFileField(label=_("证据材料"), required=False)

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["org_unit"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = restrict(OrgUnit.objects.all(), user)
        picker = self.fields["project"]
        assert isinstance(picker, forms.ModelChoiceField)
        picker.queryset = restrict(Project.objects.all(), user).select_related("org_unit").order_by("name", "pk")
        picker.label_from_instance = lambda obj: f"{obj.name}（{obj.org_unit.name}·{obj.code}）"  # type: ignore[method-assign]
        if not self.is_bound:
            self.fields["received_at"].initial = timezone.localtime().strftime("%Y-%m-%dT%H:%M")

    def to_intake(self) -> IntakeData:
        d = self.cleaned_data
        return IntakeData(
            case_type=d["case_type"], channel=d["channel"], received_at=d["received_at"],
            complainant_name=d["complainant_name"], complainant_phone=d["complainant_phone"],
            complainant_id_number=d.get("complainant_id_number") or "", employer_name=d["employer_name"],
            employer_credit_code=d.get("employer_credit_code") or "",
            employer_address=d.get("employer_address") or "", project_name=d.get("project_name") or "",
            org_unit_id=d["org_unit"].pk, workers_count=d["workers_count"], amount_claimed=d["amount_claimed"],
            description=d["description"], external_ref=d.get("external_ref") or "",
            project_id=d["project"].pk if d.get("project") else None,
        )


def handler_label(user: User) -> str:
    """A handler as the assign form lists them: name, role, kind and current caseload."""
    parts = [user.display_name, str(user.get_role_display())]
    if user.handler_kind:
        parts.append(str(user.get_handler_kind_display()))
    caseload = getattr(user, "caseload", None)
    if caseload is not None:
        parts.append(gettext("在办 %(n)s 件") % {"n": caseload})
    return " · ".join(parts)


class ActionForm(forms.Form):
    """Inputs any transition may need; the service decides which are required."""

    reason = forms.CharField(label=_("理由/说明"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    handler = forms.ModelChoiceField(label=_("承办人"), queryset=User.objects.none(), required=False)
    responsible_leader = forms.ModelChoiceField(label=_("包案领导"), queryset=User.objects.none(),
                                                required=False)
    track = forms.ChoiceField(label=_("办理途径"), choices=[("", "—"), *Track.choices], required=False)
    agency = forms.ModelChoiceField(label=_("联动单位"), queryset=PartnerAgency.objects.all(),
                                    required=False)
    conclusion = forms.ChoiceField(label=_("办结结论"), choices=[("", "—"), *ClosureConclusion.choices],
                                   required=False)
    amount_recovered = forms.DecimalField(label=_("追回金额（元）"), max_digits=14, decimal_places=2,
                                          required=False, min_value=0, error_messages=_AMOUNT_MSG)
    workers_benefited = forms.IntegerField(label=_("受益人数"), required=False, min_value=0)
    dispute_cause = forms.ChoiceField(label=_("争议原因"), choices=[("", "—"), *DisputeCause.choices],
                                      required=False)
    outcome = forms.ChoiceField(label=_("裁决结果"), choices=[("", "—"), *Outcome.choices], required=False)
    satisfaction = forms.IntegerField(label=_("满意度（1-5）"), required=False, min_value=1, max_value=5)
    # The chain between procedures (hexie.cases.services.chain_steps).
    ground = forms.ChoiceField(label=_("转仲裁事由"), choices=[("", "—"), *GROUNDS.items()], required=False)
    final = forms.BooleanField(label=_("终局裁决"), required=False)
    party = forms.ChoiceField(label=_("提出的一方"), choices=[("", "—"), *PARTIES.items()], required=False)
    court_action = forms.ChoiceField(label=_("诉讼方式"), choices=[("", "—"), *COURT_ACTIONS.items()], required=False)
    result = forms.ChoiceField(label=_("法院处理结果"), choices=[("", "—"), *COURT_RESULTS.items()], required=False)
    route = forms.ChoiceField(label=_("后续途径"), choices=[("", "—"), *ROUTES.items()], required=False)
    amount_owed = forms.DecimalField(label=_("应付（拒不支付）金额（元）"), max_digits=14, decimal_places=2,
                                     required=False, min_value=0, error_messages=_AMOUNT_MSG)
    largest_owed = forms.DecimalField(label=_("其中欠付一名劳动者最多的金额（元）"), max_digits=14, decimal_places=2,
                                      required=False, min_value=0, error_messages=_AMOUNT_MSG)
    pay_within_days = forms.IntegerField(label=_("限期支付（日）"), required=False, min_value=1, max_value=90)
    rate = forms.DecimalField(label=_("加付比例（%）"), max_digits=5, decimal_places=2, required=False, min_value=0)
    body = forms.ModelChoiceField(label=_("调解组织或服务站"), queryset=OrgUnit.objects.none(), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, user: Any = None, case: Case | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if case is not None:
            # On the case page: only the tracks that fit its type, its own (or its type's default) first.
            track = self.fields["track"]
            assert isinstance(track, forms.ChoiceField)
            fitting = TRACKS_FOR_TYPE.get(case.case_type, frozenset())
            track.choices = [(v, label) for v, label in Track.choices if v in fitting]
            track.initial = case.track or DEFAULT_TRACK.get(case.case_type, "")
            # Only the conclusions the case's track can reach (no award on an inspection case).
            allowed = set(CONCLUSIONS_FOR_TRACK.get(case.track, ()))
            if case.case_type == CaseType.CONSULTATION:
                allowed.add(CONSULTATION_CONCLUSION)
            conclusion = self.fields["conclusion"]
            assert isinstance(conclusion, forms.ChoiceField)
            conclusion.choices = [("", "—"), *((v, label) for v, label in ClosureConclusion.choices if v in allowed)]
            if case.track != Track.ARBITRATION:
                # The cause and the award's outcome are the arbitration statistics' (rules.md §6).
                del self.fields["outcome"], self.fields["dispute_cause"]
        staff = restrict(User.objects.filter(is_active=True), user).order_by("full_name")
        handler = self.fields["handler"]
        leader = self.fields["responsible_leader"]
        assert isinstance(handler, forms.ModelChoiceField) and isinstance(leader, forms.ModelChoiceField)
        # A leader assigns to others: he is not offered as the handler of the case he hands out.
        # Each handler with role, kind and the open cases already on their desk.
        handlers = staff.filter(role__in=HANDLERS)
        if getattr(user, "pk", None) is not None:
            handlers = handlers.exclude(pk=user.pk)
        handler.queryset = handlers.annotate(
            caseload=Count("handled_cases", filter=Q(handled_cases__status__in=OPEN_STATUSES)))
        handler.label_from_instance = handler_label  # type: ignore[method-assign,assignment]
        body = self.fields["body"]
        assert isinstance(body, forms.ModelChoiceField)
        body.queryset = restrict(OrgUnit.objects.filter(level__in=[OrgLevel.MEDIATION_BODY, OrgLevel.STATION]), user)
        leader.queryset = staff.filter(role=Role.LEADER)
        for field in self.fields.values():
            css = "form-select form-select-sm" if isinstance(field.widget, forms.Select) else "form-control form-control-sm"
            field.widget.attrs.setdefault("class", css)

    def params(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, value in self.cleaned_data.items():
            if key == "version" or value in (None, ""):
                continue
            out[key] = value.pk if hasattr(value, "pk") else value
        return out


class ExtendForm(forms.Form):
    reason = forms.CharField(label=_("延期理由（审批意见）"), widget=forms.Textarea(attrs={"rows": 2}))


class RestartForm(forms.Form):
    ground = forms.ChoiceField(label=_("重新计算事由"), choices=list(RESTART_GROUNDS.items()))
    note = forms.CharField(label=_("说明"), required=False)


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("附件"))


class RegistryLinkForm(forms.Form):
    """A clerk's confirmation or change of what a case is about: a suggested employer or project,
    a credit code or project code, or removing a link (the service checks scope and records it)."""

    employer = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    project = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    code = forms.CharField(label=_("信用代码或项目编码"), max_length=32, required=False)
    unlink = forms.ChoiceField(required=False, choices=[("", "—"), ("employer", "employer"), ("project", "project")])
    reason = forms.CharField(label=_("说明"), max_length=200, required=False)

    def params(self) -> dict[str, Any]:
        d = self.cleaned_data
        return {"employer_id": d.get("employer"), "project_id": d.get("project"), "code": d.get("code") or "",
                "unlink_employer": d.get("unlink") == "employer", "unlink_project": d.get("unlink") == "project",
                "reason": d.get("reason") or ""}
