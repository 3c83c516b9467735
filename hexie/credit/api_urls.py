"""/api/v1/credit/ endpoints (read-only)."""

from django.urls import path

from hexie.credit import api

urlpatterns = [
    path("listings/", api.ListingListView.as_view(), name="api-credit-listing-list"),
    path("listings/<id64:pk>/", api.ListingDetailView.as_view(), name="api-credit-listing-detail"),
    path("grades/", api.GradeListView.as_view(), name="api-credit-grade-list"),
]
