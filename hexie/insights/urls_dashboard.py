"""Dashboard URLs, joined into the "insights" namespace at /insights/."""

from django.urls import path

from hexie.insights import views_dashboard, views_network

urlpatterns = [
    path("", views_dashboard.dashboard, name="dashboard"),
    path("district/<str:code>/", views_dashboard.district, name="district"),
    path("export.xlsx", views_dashboard.export, name="export"),
    path("network/", views_network.network, name="network"),
]
