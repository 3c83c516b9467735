"""/api/v1/prevention/ endpoints (read-only)."""

from django.urls import path

from hexie.prevention import api

urlpatterns = [
    path("assessments/", api.AssessmentListView.as_view(), name="api-prevention-assessment-list"),
    path("assessments/<id64:pk>/", api.AssessmentDetailView.as_view(), name="api-prevention-assessment-detail"),
    path("orders/", api.OrderListView.as_view(), name="api-prevention-order-list"),
    path("orders/<id64:pk>/", api.OrderDetailView.as_view(), name="api-prevention-order-detail"),
    path("plans/", api.PlanListView.as_view(), name="api-prevention-plan-list"),
    path("plans/<id64:pk>/", api.PlanDetailView.as_view(), name="api-prevention-plan-detail"),
]
