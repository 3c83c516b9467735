"""/employer/credit/: an employer account's own grades and its objection (the employer's pages,
where the account is allowed)."""

from django.urls import path

from hexie.credit import views

app_name = "credit_employer"

urlpatterns = [
    path("", views.my_grades, name="mine"),
]
