"""Read-only views of the webhook tables: the pages, the API and the services change them
(a secret is made and shown by the service only)."""

from django.contrib import admin

from dialer_console.admin_tools import BigTableAdmin, ReadOnlyAdmin
from webhooks.models import WebhookDelivery, WebhookEndpoint, WebhookEvent


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(ReadOnlyAdmin):
    list_display = ("url", "team", "active", "updated_at")
    list_filter = ("active",)
    list_select_related = ("team",)
    exclude = ("secret_encrypted",)


@admin.register(WebhookEvent)
class WebhookEventAdmin(ReadOnlyAdmin, BigTableAdmin):
    list_display = ("event_id", "type", "team", "created_at")
    list_filter = ("type",)
    search_fields = ("=event_id",)
    list_select_related = ("team",)


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(ReadOnlyAdmin, BigTableAdmin):
    list_display = ("id", "event", "endpoint", "state", "attempts", "status_code", "created_at")
    list_filter = ("state",)
    search_fields = ("=id",)
    list_select_related = ("event", "endpoint")
