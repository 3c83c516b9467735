from django.urls import path

from hexie.prevention import views_employer as v

app_name = "employer"

urlpatterns = [
    path("", v.home, name="home"),
    path("login/", v.login_view, name="login"),
    path("login/code/", v.code_view, name="code"),
    path("self/<slug:sheet_code>/", v.start, name="start"),
    path("assessments/<int:pk>/", v.assessment, name="assessment"),
    path("assessments/<int:pk>/items/<int:item_id>/", v.answer, name="answer"),
    path("assessments/<int:pk>/submit/", v.submit, name="submit"),
    path("orders/<int:pk>/", v.order, name="order"),
    path("evidence/<int:pk>/", v.evidence, name="evidence"),
]
