"""/api/v1/monitoring/ endpoints of this part: warnings and rules (read-only)."""

from django.urls import path

from hexie.cases import api_urls as _cases_api_urls  # noqa: F401  (registers the id64 converter)
from hexie.monitoring import api_warnings as api

urlpatterns = [
    path("warnings/", api.WarningListView.as_view(), name="api-monitoring-warning-list"),
    path("warnings/<id64:pk>/", api.WarningDetailView.as_view(), name="api-monitoring-warning-detail"),
    path("rules/", api.WarningRuleListView.as_view(), name="api-monitoring-rule-list"),
]
