"""/monitoring/ pages of this part: feed imports (attendance, payroll, special-account deposits)."""

from django.urls import path

from hexie.monitoring import views_imports as views

urlpatterns = [
    path("imports/", views.import_list, name="imports"),
    path("imports/new/", views.import_new, name="import_new"),
    path("imports/<int:pk>/", views.import_detail, name="import_detail"),
    path("imports/<int:pk>/progress/", views.import_progress, name="import_progress"),
    path("imports/<int:pk>/errors.csv", views.import_errors, name="import_errors"),
    path("imports/<int:pk>/withdraw/", views.import_withdraw, name="import_withdraw"),
    path("imports/<int:pk>/retry/", views.import_retry, name="import_retry"),
]
