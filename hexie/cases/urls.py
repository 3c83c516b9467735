from django.urls import path

from hexie.cases import views

app_name = "cases"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("new/", views.register, name="register"),
    path("supervision/", views.supervision, name="supervision"),
    path("supervision/<int:sup_id>/ack/", views.acknowledge, name="acknowledge"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/act/<str:name>/", views.act, name="act"),
    path("<int:pk>/link/", views.link, name="link"),
    path("<int:pk>/deadlines/<int:deadline_id>/extend/", views.extend, name="extend"),
    path("<int:pk>/restart/", views.restart, name="restart"),
    path("<int:pk>/attachments/", views.upload, name="upload"),
    path("<int:pk>/attachments/<int:att_id>/", views.attachment, name="attachment"),
    path("<int:pk>/referrals/<int:referral_id>/answer/", views.answer_referral, name="answer_referral"),
]
