"""/api/v1/: the staff case API (token or session authentication)."""

from django.urls import path, register_converter

from hexie.cases import api
from hexie.cases.serializers import MAX_ID


class Id64Converter:
    """A database id in a path: any run of digits, like ``<int:…>``, but never a crash.

    Python will not read a number of thousands of digits, and Django would then answer its HTML
    404 instead of the API's; such ids come through as one past the largest key, which the views
    answer with the same 404 as any missing id.
    """

    regex = "[0-9]+"

    def to_python(self, value: str) -> int:
        return int(value) if len(value) <= 19 else MAX_ID + 1

    def to_url(self, value: int) -> str:
        return str(value)


register_converter(Id64Converter, "id64")

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
