"""What the staff case API answers: cases, their clocks, timeline, referrals and supervision records.

Output serializers never carry a complainant's phone or ID number in clear: only the masked forms.
"""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.fields import Field

from hexie.cases.models import Case, Deadline, DeadlineRule, Referral, Supervision, TimelineEvent
from hexie.cases.services import allowed_actions
from hexie.core import clock
from hexie.core.serializers import OrgUnitRefSerializer

# --- output pieces --------------------------------------------------------------------------


class StaffRefSerializer(serializers.Serializer):
    """A member of staff as shown on a case: id and name only."""

    id = serializers.IntegerField()
    name = serializers.CharField(source="display_name")


class CaseRefSerializer(serializers.ModelSerializer):
    """A case as named on another file (an employer's): open it at /api/v1/cases/{id}/."""

    class Meta:
        model = Case
        fields = ["id", "number", "case_type", "status", "risk_level", "workers_count", "received_at"]


class TriageSerializer(serializers.ModelSerializer):
    """Triage on intake and why (each reason names the rule, the figure and its basis)."""

    triage_reasons = serializers.ListField(child=serializers.DictField(child=serializers.CharField()))

    class Meta:
        model = Case
        fields = ["complexity", "is_collective", "is_repeat", "is_backlog", "risk_level", "attention_level",
                  "triage_reasons"]


class DeadlineSerializer(serializers.ModelSerializer):
    """One clock on a case with the rule (and legal basis) it comes from."""

    step = serializers.CharField(source="rule.step")
    rule = serializers.CharField(source="rule.code")
    unit = serializers.ChoiceField(source="rule.unit", choices=DeadlineRule.Unit.choices)
    length = serializers.IntegerField(source="rule.length")
    extension_length = serializers.IntegerField(source="rule.extension_length")
    basis = serializers.CharField(source="rule.basis")
    period = serializers.CharField(source="rule.period_words", help_text=_("法定期限表述，如“自立案之日起六十个工作日内”"))
    days_left = serializers.SerializerMethodField()
    is_overdue = serializers.SerializerMethodField()

    class Meta:
        model = Deadline
        fields = ["id", "rule", "step", "state", "starts_on", "due_on", "days_left", "is_overdue",
                  "is_provisional", "unit", "length", "extended", "extension_length", "period", "basis"]

    def _today(self) -> date:
        # One "today" per response, so every deadline is measured against the same day.
        today = self.context.get("today")
        return today if isinstance(today, date) else clock.today()

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_days_left(self, obj: Deadline) -> int | None:
        """Days until due (negative when overdue); null once the clock has finished."""
        if obj.state not in (Deadline.State.RUNNING, Deadline.State.PAUSED):
            return None
        return (obj.due_on - self._today()).days

    def get_is_overdue(self, obj: Deadline) -> bool:
        # A party's window that passes has lapsed; the bureau is not late.
        return obj.state == Deadline.State.RUNNING and obj.due_on < self._today() and not obj.rule.binds_party


class ReferralSerializer(serializers.ModelSerializer):
    """A referral to a partner agency and its answer."""

    agency = serializers.CharField(source="agency.name")

    class Meta:
        model = Referral
        fields = ["id", "agency", "referred_at", "note", "answered_at", "answer"]


class ActionSerializer(serializers.Serializer):
    """A transition this user may take now: its name (the ``action`` to send) and its label."""

    name = serializers.CharField()

    def get_fields(self) -> dict[str, Field]:
        # "label" is also an attribute of every DRF field, so it cannot be declared on the class.
        fields = super().get_fields()
        fields["label"] = serializers.CharField()
        return fields


# --- cases ----------------------------------------------------------------------------------


class CaseSummarySerializer(serializers.ModelSerializer):
    """A row of the queue."""

    org_unit = OrgUnitRefSerializer()
    handler = StaffRefSerializer(allow_null=True)
    complainant_phone_masked = serializers.CharField(source="phone_masked")
    is_overdue = serializers.SerializerMethodField()

    class Meta:
        model = Case
        fields = ["id", "number", "case_type", "channel", "status", "track", "received_at", "complainant_name",
                  "complainant_phone_masked", "employer_name", "project_name", "org_unit", "workers_count",
                  "amount_claimed", "is_collective", "risk_level", "attention_level", "next_due_on",
                  "is_overdue", "handler", "version"]

    def get_is_overdue(self, obj: Case) -> bool:
        today = self.context.get("today") or clock.today()
        return obj.next_due_on is not None and obj.next_due_on < today


class CaseCreatedSerializer(serializers.ModelSerializer):
    """The answer to a registration: the numbers to quote, the triage and the clocks started."""

    triage = TriageSerializer(source="*")
    deadlines = DeadlineSerializer(many=True)

    class Meta:
        model = Case
        fields = ["id", "number", "tracking_code", "status", "triage", "deadlines", "version"]


class CaseDetailSerializer(serializers.ModelSerializer):
    """One case file as staff see it; personal identifiers only masked."""

    org_unit = OrgUnitRefSerializer()
    complainant_phone_masked = serializers.CharField(source="phone_masked")
    complainant_id_number_masked = serializers.CharField(source="id_number_masked")
    triage = TriageSerializer(source="*")
    deadlines = DeadlineSerializer(many=True)
    referrals = ReferralSerializer(many=True)
    handler = StaffRefSerializer(allow_null=True)
    responsible_leader = StaffRefSerializer(allow_null=True)
    registered_by = StaffRefSerializer(allow_null=True)
    allowed_actions = serializers.SerializerMethodField()

    class Meta:
        model = Case
        fields = [
            "id", "number", "tracking_code", "case_type", "channel", "status", "track", "received_at",
            "external_ref", "complainant_name", "complainant_phone_masked", "complainant_id_number_masked",
            "employer_name", "employer_credit_code", "employer_address", "project_name", "org_unit",
            "workers_count", "amount_claimed", "description", "triage", "cluster", "deadlines", "next_due_on",
            "handler", "responsible_leader", "registered_by", "referrals", "refusal_reason",
            "closure_conclusion", "amount_recovered", "workers_benefited", "satisfaction", "reopen_count",
            "accepted_at", "track_accepted_at", "resolved_at", "closed_at", "allowed_actions", "version",
        ]

    @extend_schema_field(ActionSerializer(many=True))
    def get_allowed_actions(self, obj: Case) -> list[dict[str, str]]:
        request = self.context.get("request")
        user = getattr(request, "user", None)
        if user is None:
            return []
        return [{"name": t.name, "label": str(t.label)} for t in allowed_actions(obj, user)]


class TimelineEventSerializer(serializers.ModelSerializer):
    """An entry of the case file."""

    actor = serializers.SerializerMethodField()

    class Meta:
        model = TimelineEvent
        fields = ["id", "at", "kind", "from_status", "to_status", "message", "public_message", "is_public",
                  "actor", "data"]

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_actor(self, obj: TimelineEvent) -> str | None:
        return obj.actor.display_name if obj.actor is not None else None


# --- supervision ----------------------------------------------------------------------------


class SupervisedCaseSerializer(serializers.ModelSerializer):
    """The case a supervision record is about, as a line of the leader's list."""

    org_unit = OrgUnitRefSerializer()
    handler = StaffRefSerializer(allow_null=True)

    class Meta:
        model = Case
        fields = ["id", "number", "case_type", "status", "employer_name", "project_name", "org_unit",
                  "risk_level", "handler"]


class SupervisedDeadlineSerializer(serializers.ModelSerializer):
    """The clock that is due soon or overdue, with its basis."""

    step = serializers.CharField(source="rule.step")
    basis = serializers.CharField(source="rule.basis")

    class Meta:
        model = Deadline
        fields = ["id", "step", "state", "due_on", "basis"]


class SupervisionSerializer(serializers.ModelSerializer):
    """A supervision record (督办): which clock, how late, who answers for it, and whether it was signed."""

    case = SupervisedCaseSerializer()
    deadline = SupervisedDeadlineSerializer()
    leader = StaffRefSerializer(allow_null=True)

    class Meta:
        model = Supervision
        fields = ["id", "kind", "created_at", "case", "deadline", "leader", "acknowledged_at", "note"]


# --- tokens ---------------------------------------------------------------------------------


class TokenSerializer(serializers.Serializer):
    """The token to send as ``Authorization: Token <token>``."""

    token = serializers.CharField()
