"""/api/v1/registry/: employers, projects, work teams, the roster, monitoring points."""

from django.urls import path

from hexie.employers import api

urlpatterns = [
    path("employers/", api.EmployerListCreateView.as_view(), name="api-registry-employer-list"),
    path("employers/<id64:pk>/", api.EmployerDetailView.as_view(), name="api-registry-employer-detail"),
    path("projects/", api.ProjectListCreateView.as_view(), name="api-registry-project-list"),
    path("projects/<id64:pk>/", api.ProjectDetailView.as_view(), name="api-registry-project-detail"),
    path("projects/<id64:pk>/teams/", api.TeamListCreateView.as_view(), name="api-registry-team-list"),
    path("projects/<id64:pk>/roster/", api.RosterListCreateView.as_view(), name="api-registry-roster"),
    path("projects/<id64:pk>/roster/<id64:entry_id>/exit/", api.RosterExitView.as_view(),
         name="api-registry-roster-exit"),
    path("points/", api.PointListCreateView.as_view(), name="api-registry-point-list"),
    path("points/<id64:pk>/", api.PointDetailView.as_view(), name="api-registry-point-detail"),
    path("points/<id64:pk>/reports/", api.ReportListCreateView.as_view(), name="api-registry-report-list"),
]
