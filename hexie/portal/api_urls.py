"""/api/v1/public/: filing and tracking without an account."""

from django.urls import path

from hexie.portal import api

urlpatterns = [
    path("complaints/", api.ComplaintCreateView.as_view(), name="public-complaints"),
    path("track/", api.TrackView.as_view(), name="public-track"),
    path("rate/", api.RateView.as_view(), name="public-rate"),
    path("areas/", api.AreasView.as_view(), name="public-areas"),
]
