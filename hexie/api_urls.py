"""/api/v1/: staff endpoints (token or session) and the public complaint endpoints."""

from django.urls import include, path

urlpatterns = [
    path("", include("hexie.cases.api_urls")),
    path("public/", include("hexie.portal.api_urls")),
    path("registry/", include("hexie.employers.api_urls")),
    path("monitoring/", include("hexie.monitoring.api_urls")),
    path("credit/", include("hexie.credit.api_urls")),
    path("prevention/", include("hexie.prevention.api_urls")),
    path("bridge/", include("hexie.bridge.api_urls")),
]
