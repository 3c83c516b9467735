"""What credit adds to lower apps: the credit part of the registry's employer file, and the
findings the triage of a new complaint reads about its employer (``cases.triage``). Both lower
apps declare the hook and never import credit."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from hexie.cases.triage import register_employer_signal
from hexie.core.enums import RiskLevel
from hexie.core.panels import Panel, Slot
from hexie.credit.models import CreditGrade, Grade, Listing
from hexie.credit.selectors import employer_credit, explain, latest_grade, listing_in_force
from hexie.employers.panels import EMPLOYER_FILE

#: The pages of a listing and of a publication: insights adds their Word documents here.
LISTING_PAGE = Slot("joint-punishment listing page")
PUBLICATION_PAGE = Slot("publication page")

GRADE_BASIS = "《企业劳动保障守法诚信等级评价办法》（人社部规〔2016〕1号）"
LISTING_BASIS = "《拖欠农民工工资失信联合惩戒对象名单管理暂行办法》（人力资源社会保障部令第45号）"


def employer_findings(employer_id: int) -> list[dict[str, str]]:
    """A complaint against a C-graded employer is orange and watched closely; against one on the
    joint-punishment list, red and specially watched: both have already ignored the bureau once."""
    out = []
    listing = listing_in_force(employer_id)
    if listing is not None:
        out.append({"rule": "credit_listed", "name": "失信联合惩戒对象", "basis": LISTING_BASIS,
                    "why": f"用人单位已列入拖欠农民工工资失信联合惩戒对象名单（至{listing.expires_on}）",
                    "risk_level": RiskLevel.RED, "attention_level": "special"})
    grade = latest_grade(employer_id)
    if grade is not None and grade.grade == Grade.C:
        out.append({"rule": "credit_grade_c", "name": "守法诚信等级C级", "basis": GRADE_BASIS,
                    "why": f"用人单位{grade.year}年度劳动保障守法诚信等级为C级",
                    "risk_level": RiskLevel.ORANGE, "attention_level": "key"})
    return out


class GradeRefSerializer(serializers.ModelSerializer):
    """A compliance grade as the employer's file lists it."""

    class Meta:
        model = CreditGrade
        fields = ["id", "year", "grade", "computed_grade", "state", "notified_on", "objection_due_on"]


class ListingRefSerializer(serializers.ModelSerializer):
    """A joint-punishment listing as the employer's file lists it."""

    class Meta:
        model = Listing
        fields = ["id", "state", "decided_on", "published_on", "expires_on"]


class CreditPanelSerializer(serializers.Serializer):
    grades = GradeRefSerializer(many=True)
    listings = ListingRefSerializer(many=True)


def _context(user: Any, employer: Any) -> dict[str, Any]:
    from hexie.credit.forms import ProposeForm, RecordForm
    from hexie.orgs.scoping import HANDLING, has_role

    data = employer_credit(user, employer.pk)
    latest = data["grades"][0] if data["grades"] else None
    can_act = has_role(user, HANDLING)
    return {**data, "latest": latest, "explained": explain(latest) if latest else [], "can_act": can_act,
            "employer_id": employer.pk,
            "record_form": RecordForm(initial={"employer": employer.pk}, auto_id="credit_rec_%s") if can_act else None,
            "propose_form": ProposeForm(initial={"employer": employer.pk, "legal_rep_name":
                                                 employer.legal_representative}, auto_id="credit_pro_%s")
            if can_act else None}


def register() -> None:
    register_employer_signal("credit", employer_findings)
    EMPLOYER_FILE.register(Panel(
        name="credit", order=30, template="credit/panels/employer_credit.html", context=_context,
        field=lambda: CreditPanelSerializer(help_text="守法诚信等级与失信联合惩戒"),
        data=_data,
    ))


def _data(user: Any, employer: Any) -> dict[str, Any]:
    data = employer_credit(user, employer.pk, with_records=False)
    return {"grades": GradeRefSerializer(data["grades"], many=True).data,
            "listings": ListingRefSerializer(data["listings"], many=True).data}
