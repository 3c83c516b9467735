"""/api/v1/: the staff case API (token or session authentication)."""

from django.urls import path

from hexie.cases import api

urlpatterns = [
    path("auth/token/", api.TokenObtainView.as_view(), name="api-token"),
    path("cases/", api.CaseListCreateView.as_view(), name="api-case-list"),
    path("cases/<id64:pk>/", api.CaseDetailView.as_view(), name="api-case-detail"),
    path("cases/<id64:pk>/timeline/", api.CaseTimelineView.as_view(), name="api-case-timeline"),
    path("cases/<id64:pk>/transitions/", api.CaseTransitionView.as_view(), name="api-case-transition"),
    path("cases/<id64:pk>/deadlines/<id64:deadline_id>/extend/", api.DeadlineExtendView.as_view(),
         name="api-deadline-extend"),
    path("cases/<id64:pk>/restart-clock/", api.RestartClockView.as_view(), name="api-case-restart-clock"),
    path("cases/<id64:pk>/referrals/<id64:referral_id>/answer/", api.ReferralAnswerView.as_view(),
         name="api-referral-answer"),
    path("supervisions/", api.SupervisionListView.as_view(), name="api-supervision-list"),
    path("supervisions/<id64:pk>/acknowledge/", api.SupervisionAcknowledgeView.as_view(),
         name="api-supervision-acknowledge"),
]
