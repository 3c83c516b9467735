from django.urls import path

from hexie.bridge import views

app_name = "bridge"

urlpatterns = [
    path("orders/", views.order_list, name="orders"),
    path("orders/import/", views.order_import, name="order_import"),
    path("orders/<int:pk>/", views.order_detail, name="order"),
    path("orders/<int:pk>/<str:action>/", views.order_act, name="order_act"),
]
