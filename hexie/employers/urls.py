"""Staff pages of the registry, mounted at /registry/."""

from django.urls import path

from hexie.employers import views

app_name = "employers"

urlpatterns = [
    path("", views.employer_list, name="list"),
    path("employers/new/", views.employer_create, name="employer_create"),
    path("employers/<int:pk>/", views.employer_detail, name="detail"),
    path("employers/<int:pk>/edit/", views.employer_edit, name="employer_edit"),
    path("projects/", views.project_list, name="projects"),
    path("projects/new/", views.project_create, name="project_create"),
    path("projects/<int:pk>/", views.project_detail, name="project"),
    path("projects/<int:pk>/edit/", views.project_edit, name="project_edit"),
    path("projects/<int:pk>/teams/new/", views.team_create, name="team_create"),
    path("projects/<int:pk>/roster/", views.roster, name="roster"),
    path("projects/<int:pk>/roster/new/", views.register_worker, name="register_worker"),
    path("projects/<int:pk>/roster/<int:entry_id>/exit/", views.record_exit, name="record_exit"),
    path("points/", views.point_list, name="points"),
    path("points/new/", views.point_create, name="point_create"),
    path("points/<int:pk>/", views.point_detail, name="point"),
]
