from django.urls import path

from webhooks import views

app_name = "webhooks"
urlpatterns = [
    path("", views.endpoint_list, name="endpoint-list"),
    path("new/", views.endpoint_create, name="endpoint-create"),
    path("<int:endpoint_id>/", views.endpoint_detail, name="endpoint-detail"),
    path("<int:endpoint_id>/edit/", views.endpoint_edit, name="endpoint-edit"),
    path("<int:endpoint_id>/secret/", views.endpoint_rotate, name="endpoint-rotate"),
    path("<int:endpoint_id>/delete/", views.endpoint_delete, name="endpoint-delete"),
    path("deliveries/<int:delivery_id>/replay/", views.delivery_replay, name="delivery-replay"),
]
