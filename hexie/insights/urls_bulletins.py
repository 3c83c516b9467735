"""/insights/: bulletins (archive, generate, download) and the official documents of a case."""

from django.urls import path

from hexie.insights import views_bulletins, views_documents

urlpatterns: list = [
    path("bulletins/", views_bulletins.archive, name="bulletins"),
    path("bulletins/generate/", views_bulletins.generate, name="bulletin_generate"),
    path("bulletins/runs/<int:pk>/retry/", views_bulletins.retry, name="bulletin_retry"),
    path("bulletins/<int:pk>/<str:fmt>/", views_bulletins.download, name="bulletin_download"),
    path("cases/<int:case_id>/documents/<str:kind>/", views_documents.generate, name="document_generate"),
    path("documents/<int:document_id>/", views_documents.download, name="document_download"),
    path("templates/<str:kind>/download/", views_documents.template_download, name="template_download"),
]
