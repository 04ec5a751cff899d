"""Webhook pages: the endpoints, each with its delivery log and Replay buttons.
Supervisors manage them; a team lead reads their own team's."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from accounts.access import get_visible_or_404, permission_required_or_403
from dialer_console.errors import ApplicationError
from dialer_console.keyset import keyset_page
from webhooks.forms import WebhookEndpointForm
from webhooks.models import WebhookEndpoint
from webhooks.selectors import (
    DELIVERY_SORTING,
    ENDPOINT_SORTING,
    webhook_deliveries_for,
    webhook_deliveries_visible,
    webhook_endpoints_visible,
)
from webhooks.services.endpoints import (
    webhook_endpoint_create,
    webhook_endpoint_delete,
    webhook_endpoint_rotate_secret,
    webhook_endpoint_update,
)
from webhooks.services.events import webhook_delivery_replay

DELIVERIES_PER_PAGE = 50


def _endpoint(request: HttpRequest, endpoint_id: int) -> WebhookEndpoint:
    return get_visible_or_404(
        webhook_endpoints_visible(user=request.user), request.user, pk=endpoint_id
    )


@permission_required_or_403("webhooks.view_webhookendpoint")
def endpoint_list(request: HttpRequest) -> HttpResponse:
    page = keyset_page(
        request, webhook_endpoints_visible(user=request.user), sorting=ENDPOINT_SORTING
    )
    return render(request, "webhooks/endpoint_list.html", {"page": page})


def _detail(request: HttpRequest, endpoint: WebhookEndpoint, **extra) -> HttpResponse:
    page = keyset_page(
        request,
        webhook_deliveries_for(endpoint=endpoint),
        sorting=DELIVERY_SORTING,
        size=DELIVERIES_PER_PAGE,
        path=endpoint_path(endpoint),
    )
    context = {"endpoint": endpoint, "page": page, **extra}
    return render(request, "webhooks/endpoint_detail.html", context)


def endpoint_path(endpoint: WebhookEndpoint) -> str:
    from django.urls import reverse

    return reverse("webhooks:endpoint-detail", args=[endpoint.pk])


@permission_required_or_403("webhooks.view_webhookendpoint", "webhooks.view_webhookdelivery")
def endpoint_detail(request: HttpRequest, endpoint_id: int) -> HttpResponse:
    return _detail(request, _endpoint(request, endpoint_id))


@permission_required_or_403("webhooks.add_webhookendpoint")
def endpoint_create(request: HttpRequest) -> HttpResponse:
    form = WebhookEndpointForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            endpoint, secret = webhook_endpoint_create(
                team=data["team"],
                url=data["url"],
                events=data["events"],
                active=data["active"],
                description=data["description"],
                acting_user=request.user,
            )
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            # Rendered, not redirected: the secret is on this page only, never stored in a
            # message or the session.
            return _detail(request, endpoint, new_secret=secret)
    return render(request, "webhooks/endpoint_form.html", {"form": form, "endpoint": None})


@permission_required_or_403("webhooks.change_webhookendpoint")
def endpoint_edit(request: HttpRequest, endpoint_id: int) -> HttpResponse:
    endpoint = _endpoint(request, endpoint_id)
    initial = {
        "url": endpoint.url,
        "team": endpoint.team_id,
        "events": endpoint.events,
        "description": endpoint.description,
        "active": endpoint.active,
    }
    form = WebhookEndpointForm(request.POST or None, initial=initial)
    form.fields["team"].disabled = True  # a secret given to one team's CRM stays with it
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            webhook_endpoint_update(
                endpoint=endpoint,
                url=data["url"],
                events=data["events"],
                active=data["active"],
                description=data["description"],
            )
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, gettext("Endpoint saved."))
            return redirect("webhooks:endpoint-detail", endpoint_id=endpoint.pk)
    return render(request, "webhooks/endpoint_form.html", {"form": form, "endpoint": endpoint})


@permission_required_or_403("webhooks.change_webhookendpoint")
@require_POST
def endpoint_rotate(request: HttpRequest, endpoint_id: int) -> HttpResponse:
    endpoint = _endpoint(request, endpoint_id)
    secret = webhook_endpoint_rotate_secret(endpoint=endpoint)
    return _detail(request, endpoint, new_secret=secret)


@permission_required_or_403("webhooks.delete_webhookendpoint")
@require_POST
def endpoint_delete(request: HttpRequest, endpoint_id: int) -> HttpResponse:
    endpoint = _endpoint(request, endpoint_id)
    webhook_endpoint_delete(endpoint=endpoint)
    messages.success(
        request, gettext("Endpoint %(url)s deleted, with its delivery log.") % {"url": endpoint.url}
    )
    return redirect("webhooks:endpoint-list")


@permission_required_or_403("webhooks.change_webhookendpoint")
@require_POST
def delivery_replay(request: HttpRequest, delivery_id: int) -> HttpResponse:
    delivery = get_visible_or_404(
        webhook_deliveries_visible(user=request.user), request.user, pk=delivery_id
    )
    try:
        replay = webhook_delivery_replay(delivery=delivery)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            gettext("Event %(event)s queued again as delivery #%(number)s.")
            % {"event": delivery.event.event_id, "number": replay.pk},
        )
    return redirect("webhooks:endpoint-detail", endpoint_id=delivery.endpoint_id)
