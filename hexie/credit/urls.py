from django.urls import path

from hexie.credit import views

app_name = "credit"

urlpatterns = [
    path("grades/", views.grade_list, name="grades"),
    path("grades/compute/", views.grade_compute, name="grade_compute"),
    path("grades/notify/", views.grade_notify, name="grade_notify"),
    path("grades/<int:pk>/", views.grade_detail, name="grade"),
    path("grades/<int:pk>/delivery/", views.grade_delivery, name="grade_delivery"),
    path("grades/<int:pk>/objection/", views.grade_objection, name="grade_objection"),
    path("grades/<int:pk>/decide/", views.grade_decide, name="grade_decide"),
    path("records/new/", views.record_create, name="record_create"),
    path("listings/", views.listing_list, name="listings"),
    path("listings/export.<str:fmt>", views.listing_export, name="listing_export"),
    path("listings/new/", views.listing_propose, name="listing_propose"),
    path("listings/<int:pk>/", views.listing_detail, name="listing"),
    path("listings/<int:pk>/<str:step>/", views.listing_step, name="listing_step"),
    path("publications/", views.publication_list, name="publications"),
    path("publications/<int:pk>/", views.publication_detail, name="publication"),
    path("publications/<int:pk>/<str:step>/", views.publication_step, name="publication_step"),
]
