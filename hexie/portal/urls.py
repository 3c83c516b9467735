"""/portal/: the worker-facing pages, and the QR posters."""

from django.urls import path

from hexie.portal import views, views_credit

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("file/", views.file_complaint, name="file"),
    path("filed/", views.filed, name="filed"),
    path("track/", views.track, name="track"),
    path("rate/", views.rate, name="rate"),
    path("credit/", views_credit.credit_lists, name="credit"),
    path("credit/publications/<int:pk>/", views_credit.publication, name="publication"),
    path("posters/", views.posters, name="posters"),
    path("posters/project/<int:pk>/", views.project_poster, name="project_poster"),
    path("posters/<str:code>/", views.poster, name="poster"),
]
