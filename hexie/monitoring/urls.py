"""/monitoring/: feed imports (urls_imports) and warnings, grades and runs (urls_warnings)."""

from hexie.monitoring import urls_imports, urls_warnings

app_name = "monitoring"
urlpatterns = [*urls_imports.urlpatterns, *urls_warnings.urlpatterns]
