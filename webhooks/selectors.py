"""What a user may see of the webhooks: supervisors every team's, a team lead their own
team's (``accounts.access.team_scope``), others nothing (they lack the view permission)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy

from accounts.access import team_scope
from dialer_console.keyset import Column, Sorting
from webhooks.models import WebhookDelivery, WebhookEndpoint

ENDPOINT_SORTING = Sorting(columns=(Column("url", gettext_lazy("URL"), "url"),), default="url")
DELIVERY_SORTING = Sorting(
    columns=(Column("when", gettext_lazy("Created"), "created_at", descending_first=True),),
    default="-when",
)


def webhook_endpoints_visible(*, user) -> QuerySet[WebhookEndpoint]:
    return team_scope(WebhookEndpoint.objects.select_related("team"), user)


def webhook_deliveries_visible(*, user) -> QuerySet[WebhookDelivery]:
    return team_scope(
        WebhookDelivery.objects.select_related("event", "endpoint"), user, "endpoint__team"
    )


def webhook_deliveries_for(*, endpoint: WebhookEndpoint) -> QuerySet[WebhookDelivery]:
    return WebhookDelivery.objects.filter(endpoint=endpoint).select_related("event")
