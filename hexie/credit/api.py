"""Read-only API of credit for other agencies' systems: /api/v1/credit/listings/ (the
joint-punishment list, persons with masked ID numbers) and /api/v1/credit/grades/.

The same selectors and scoping as the pages: a row outside the user's jurisdiction answers the
same 404 as a missing one.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from hexie.core.api import PAGE_PARAM, StaffAPIView, StaffPagination, check_query_params, id_param, responses
from hexie.credit import selectors
from hexie.credit.models import CreditGrade, Grade, ListedPerson, Listing


class ListedPersonSerializer(serializers.ModelSerializer):
    """A listed person: the ID number is masked, never sent in full."""

    id_number_masked = serializers.CharField(source="id_masked", read_only=True)

    class Meta:
        model = ListedPerson
        fields = ["role", "name", "id_number_masked"]


class ListingSerializer(serializers.ModelSerializer):
    """One employer on (or proposed for) the joint-punishment list."""

    employer_name = serializers.CharField(source="employer.name", read_only=True)
    employer_credit_code = serializers.CharField(source="employer.credit_code", read_only=True)
    org_unit_code = serializers.CharField(source="org_unit.code", read_only=True)
    persons = ListedPersonSerializer(many=True, read_only=True)
    # A plain string: other components have a "state" with other values (one enum name per field).
    state = serializers.CharField(read_only=True, help_text="proposed、notified、listed、published、expired、"
                                                            "removed、withdrawn")

    class Meta:
        model = Listing
        fields = ["id", "employer_name", "employer_credit_code", "org_unit_code", "state", "reasons", "basis",
                  "notified_on", "statement_due_on", "decided_on", "published_on", "expires_on", "ended_on",
                  "persons"]


class GradeSerializer(serializers.ModelSerializer):
    """An employer's compliance grade for a record year, with the counts that decided it."""

    employer_name = serializers.CharField(source="employer.name", read_only=True)
    employer_credit_code = serializers.CharField(source="employer.credit_code", read_only=True)
    state = serializers.CharField(read_only=True, help_text="computed、notified、objected、final")

    class Meta:
        model = CreditGrade
        fields = ["id", "employer_name", "employer_credit_code", "year", "grade", "computed_grade", "state",
                  "sanctions", "ignored_orders", "obstructions", "mass_incidents", "child_labour", "forced_labour",
                  "criminal", "evaluations_passed", "notified_on", "objection_due_on"]


class ListingListView(StaffAPIView, generics.ListAPIView):
    """The joint-punishment list of the user's jurisdiction (in force by default)."""

    serializer_class = ListingSerializer
    filter_backends: list[Any] = []
    pagination_class = StaffPagination

    def get_queryset(self) -> QuerySet[Listing]:
        # An empty filter means no choice made: the default, the listings in force.
        state = self.request.query_params.get("state", "").strip() or "in_force"
        qs = selectors.listings(self.request.user).prefetch_related("persons").order_by("-id")
        if state == "in_force":
            return qs.filter(state__in=[Listing.State.LISTED, Listing.State.PUBLISHED])
        if state not in Listing.State.values:
            raise ValidationError({"state": [_("无效的状态。")]})
        return qs.filter(state=state)

    @extend_schema(
        tags=["credit"], operation_id="credit_listings_list", summary="失信联合惩戒对象名单",
        description="辖区内的名单，默认只含列入期内的（已列入、已公布）；责任人身份证号以掩码提供。",
        parameters=[OpenApiParameter("state", OpenApiTypes.STR, OpenApiParameter.QUERY,
                                     enum=["in_force", *Listing.State.values], description="状态")],
        responses=responses(ListingSerializer(many=True), 400, 401),
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """One page of listings."""
        check_query_params(request, ["state", PAGE_PARAM])
        return super().get(request, *args, **kwargs)


class ListingDetailView(StaffAPIView):
    """One listing."""

    @extend_schema(tags=["credit"], operation_id="credit_listings_retrieve", summary="名单详情",
                   parameters=[id_param("id", "名单记录ID")], responses=responses(ListingSerializer, 401, 404))
    def get(self, request: Request, pk: int) -> Response:
        """The listing, if in the user's scope."""
        check_query_params(request, [])
        return Response(ListingSerializer(selectors.listing_detail(request.user, pk)).data)


class GradeListView(StaffAPIView, generics.ListAPIView):
    """Compliance grades of the user's jurisdiction for one record year."""

    serializer_class = GradeSerializer
    filter_backends: list[Any] = []
    pagination_class = StaffPagination

    def get_queryset(self) -> QuerySet[CreditGrade]:
        params = self.request.query_params
        raw = params.get("year", "").strip()
        try:
            # An empty filter means no choice made: the last record year, as on the grades page.
            year = int(raw) if raw else selectors.last_record_year()
        except ValueError:
            raise ValidationError({"year": [_("请提供评价年度，如 2025。")]}) from None
        qs = selectors.grades(self.request.user).filter(year=year).order_by("employer_id")
        grade = params.get("grade", "")
        if grade:
            if grade not in Grade.values:
                raise ValidationError({"grade": [_("等级须为A、B或C。")]})
            qs = qs.filter(grade=grade)
        return qs

    @extend_schema(
        tags=["credit"], operation_id="credit_grades_list", summary="守法诚信等级",
        parameters=[OpenApiParameter("year", OpenApiTypes.INT, OpenApiParameter.QUERY,
                                     description="评价年度（默认上一年）"),
                    OpenApiParameter("grade", OpenApiTypes.STR, OpenApiParameter.QUERY, enum=Grade.values,
                                     description="等级")],
        responses=responses(GradeSerializer(many=True), 400, 401),
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """One page of grades."""
        check_query_params(request, ["year", "grade", PAGE_PARAM])
        return super().get(request, *args, **kwargs)
