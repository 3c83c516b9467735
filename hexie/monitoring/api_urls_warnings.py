"""/api/v1/monitoring/ endpoints of this part: warnings and rules (read-only)."""

from django.urls import path

from hexie.monitoring import api_warnings as api

urlpatterns = [
    path("warnings/", api.WarningListView.as_view(), name="api-monitoring-warning-list"),
    path("warnings/<id64:pk>/", api.WarningDetailView.as_view(), name="api-monitoring-warning-detail"),
    path("rules/", api.WarningRuleListView.as_view(), name="api-monitoring-rule-list"),
]
