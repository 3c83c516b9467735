"""/api/v1/monitoring/ endpoints of this part: warnings and rules (read-only), and retrying a failed run."""

from django.urls import path

from hexie.monitoring import api_warnings as api

urlpatterns = [
    path("warnings/", api.WarningListView.as_view(), name="api-monitoring-warning-list"),
    path("warnings/<id64:pk>/", api.WarningDetailView.as_view(), name="api-monitoring-warning-detail"),
    path("rules/", api.WarningRuleListView.as_view(), name="api-monitoring-rule-list"),
    path("runs/<id64:pk>/retry/", api.RunRetryView.as_view(), name="api-monitoring-run-retry"),
]
