"""/api/v1/bridge/: work orders, and their Open311 GeoReport v2 view."""

from django.urls import path

from hexie.bridge import api, open311

urlpatterns = [
    path("orders/", api.OrderListView.as_view(), name="api-bridge-orders"),
    path("orders/import/", api.OrderImportView.as_view(), name="api-bridge-orders-import"),
    path("orders/<id64:pk>/actions/", api.OrderActionView.as_view(), name="api-bridge-order-act"),
    path("open311/v2/services.json", open311.ServicesView.as_view(), name="open311-services"),
    path("open311/v2/requests.json", open311.RequestsView.as_view(), name="open311-requests"),
    path("open311/v2/requests/<str:ref>.json", open311.RequestView.as_view(), name="open311-request"),
]
