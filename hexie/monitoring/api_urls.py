"""/api/v1/monitoring/: feed batches and warnings."""

from hexie.monitoring import api_urls_imports, api_urls_warnings

urlpatterns = [*api_urls_imports.urlpatterns, *api_urls_warnings.urlpatterns]
