"""/insights/: dashboards and KPI exports (urls_dashboard), bulletins (urls_bulletins), rectification orders as .docx."""

from django.urls import path

from hexie.insights import urls_bulletins, urls_dashboard, views_credit, views_orders

app_name = "insights"
urlpatterns = [
    *urls_dashboard.urlpatterns, *urls_bulletins.urlpatterns,
    path("orders/<int:order_id>/order.docx", views_orders.order_docx, name="order_docx"),
    path("credit/listings/<int:listing_id>/<str:kind>.docx", views_credit.listing_docx, name="listing_docx"),
    path("credit/publications/<int:publication_id>.docx", views_credit.publication_docx, name="publication_docx"),
]
