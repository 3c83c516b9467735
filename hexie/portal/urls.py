"""/portal/: the worker-facing pages."""

app_name = "portal"

urlpatterns: list = []
