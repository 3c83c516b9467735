"""/api/v1/: staff endpoints (token or session) and the public complaint endpoints."""

from django.urls import include, path

urlpatterns = [
    path("", include("hexie.cases.api_urls")),
    path("public/", include("hexie.portal.api_urls")),
]
