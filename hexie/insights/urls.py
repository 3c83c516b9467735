"""/insights/: dashboards and KPI exports (urls_dashboard), bulletins (urls_bulletins)."""

from hexie.insights import urls_bulletins, urls_dashboard

app_name = "insights"
urlpatterns = [*urls_dashboard.urlpatterns, *urls_bulletins.urlpatterns]
