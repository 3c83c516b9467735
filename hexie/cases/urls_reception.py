from django.urls import path

from hexie.cases import views_reception as views

app_name = "reception"

urlpatterns = [
    path("", views.day_list, name="days"),
    path("new/", views.day_create, name="day_create"),
    path("<int:pk>/", views.day_detail, name="day"),
    path("<int:pk>/visits/", views.visit_create, name="visit_create"),
]
