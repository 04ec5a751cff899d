from django.urls import path

from webhooks import api

urlpatterns = [
    path("webhooks/endpoints/", api.WebhookEndpointListApi.as_view(), name="api-webhook-endpoints"),
    path(
        "webhooks/endpoints/<int:pk>/",
        api.WebhookEndpointDetailApi.as_view(),
        name="api-webhook-endpoint",
    ),
    path(
        "webhooks/endpoints/<int:pk>/secret/",
        api.WebhookEndpointSecretApi.as_view(),
        name="api-webhook-endpoint-secret",
    ),
    path(
        "webhooks/endpoints/<int:pk>/deliveries/",
        api.WebhookDeliveryListApi.as_view(),
        name="api-webhook-deliveries",
    ),
    path(
        "webhooks/deliveries/<int:pk>/replay/",
        api.WebhookDeliveryReplayApi.as_view(),
        name="api-webhook-delivery-replay",
    ),
]
