"""Dashboard URLs, joined into the "insights" namespace at /insights/."""

from django.urls import path

from hexie.insights import views_dashboard, views_network

urlpatterns = [
    path("", views_dashboard.dashboard, name="dashboard"),
    path("district/<str:code>/", views_dashboard.district, name="district"),
    path("export.xlsx", views_dashboard.export, name="export"),
    path("kpis/", views_dashboard.catalogue, name="catalogue"),
    path("prevention/", views_dashboard.prevention, name="prevention"),
    path("credit/", views_dashboard.credit, name="credit"),
    path("network/", views_network.network, name="network"),
]
