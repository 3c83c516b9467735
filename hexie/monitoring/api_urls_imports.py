"""/api/v1/monitoring/ endpoints of this part: feed records in, import batches out."""

from django.urls import path

from hexie.monitoring import api_imports as api

urlpatterns = [
    path("feeds/<str:feed>/", api.FeedRecordsView.as_view(), name="api-monitoring-feed-records"),
    path("imports/", api.ImportListView.as_view(), name="api-monitoring-import-list"),
    path("imports/<id64:pk>/", api.ImportDetailView.as_view(), name="api-monitoring-import-detail"),
    path("imports/<id64:pk>/withdraw/", api.ImportWithdrawView.as_view(), name="api-monitoring-import-withdraw"),
    path("imports/<id64:pk>/retry/", api.ImportRetryView.as_view(), name="api-monitoring-import-retry"),
]
