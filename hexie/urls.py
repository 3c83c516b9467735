"""Hexie's URL map: staff pages, the public portal, the API and its documents, the admin."""

from typing import Any

from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.generic import RedirectView
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from hexie.core.views import favicon


class ApiDocsView(SpectacularSwaggerSplitView):
    """Swagger UI: its start-up script is served as a file (the split view), but it inserts its own
    <style> elements, so this page alone allows inline styles — never inline scripts."""

    @extend_schema(exclude=True)
    def get(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        response = super().get(request, *args, **kwargs)
        if request.GET.get("script") is None:
            response["Content-Security-Policy"] = settings.CONTENT_SECURITY_POLICY.replace(
                "style-src 'self'", "style-src 'self' 'unsafe-inline'")
        return response


urlpatterns = [
    path("", RedirectView.as_view(pattern_name="cases:queue", permanent=False)),
    # Browsers ask for /favicon.ico whatever the page says: send them to the static file.
    path("favicon.ico", favicon, name="favicon"),
    path("admin/", admin.site.urls),
    path("cases/", include("hexie.cases.urls")),
    path("portal/", include("hexie.portal.urls")),
    path("registry/", include("hexie.employers.urls")),
    path("monitoring/", include("hexie.monitoring.urls")),
    path("insights/", include("hexie.insights.urls")),
    path("credit/", include("hexie.credit.urls")),
    path("bridge/", include("hexie.bridge.urls")),
    path("reception/", include("hexie.cases.urls_reception")),
    path("prevention/", include("hexie.prevention.urls")),
    path("employer/credit/", include("hexie.credit.urls_employer")),
    path("employer/", include("hexie.prevention.urls_employer")),
    path("audit/", include("hexie.core.urls")),
    path("api/v1/", include("hexie.api_urls")),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves Swagger UI's start-up script as a file: the CSP allows no inline script.
    path("api/docs/", ApiDocsView.as_view(url_name="api-schema"), name="api-docs"),
]

# Errors outside any API view: JSON under /api/, the usual pages elsewhere.
handler400 = "hexie.core.handlers.bad_request"
handler403 = "hexie.core.handlers.permission_denied"
handler404 = "hexie.core.handlers.not_found"
handler500 = "hexie.core.handlers.server_error"
