"""/api/v1/public/: filing and tracking without an account."""

urlpatterns: list = []
