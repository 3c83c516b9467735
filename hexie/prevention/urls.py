from django.urls import path

from hexie.prevention import views

app_name = "prevention"

urlpatterns = [
    path("", views.home, name="home"),
    path("assessments/", views.assessment_list, name="assessments"),
    path("orders/", views.order_list, name="orders"),
    path("assessments/<int:pk>/", views.assessment, name="assessment"),
    path("assessments/<int:pk>/items/<int:item_id>/", views.staff_answer, name="answer"),
    path("assessments/<int:pk>/submit/", views.submit, name="submit"),
    path("assessments/<int:pk>/sign-off/", views.sign_off, name="sign_off"),
    path("orders/<int:pk>/", views.order, name="order"),
    path("orders/<int:pk>/recheck/", views.recheck, name="recheck"),
    path("plans/new/", views.plan_new, name="plan_new"),
    path("plans/<int:pk>/", views.plan, name="plan"),
    path("accounts/new/", views.account_new, name="account_new"),
    path("sheets/", views.sheets, name="sheets"),
    path("evidence/<int:pk>/", views.evidence, name="evidence"),
]
