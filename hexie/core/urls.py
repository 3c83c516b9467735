"""The kernel's own pages: the audit log."""

from django.urls import path

from hexie.core import views

app_name = "core"

urlpatterns = [
    path("", views.audit_log, name="audit_log"),
]
