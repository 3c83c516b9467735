"""/monitoring/ pages of this part: warnings, the job's runs and graded projects."""

from django.urls import path

from hexie.monitoring import views_warnings as views

urlpatterns = [
    path("warnings/", views.warning_list, name="warnings"),
    path("warnings/<int:pk>/", views.warning_detail, name="warning"),
    path("runs/", views.run_list, name="runs"),
    path("runs/<int:pk>/retry/", views.run_retry, name="run_retry"),
    path("grades/", views.graded_projects, name="grades"),
]
