"""Webhooks API: endpoints (CRUD, a new secret), each endpoint's deliveries, Replay.

The secret is in the reply to the create and to ``secret/`` only, never in a read."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.pagination import CursorPagination
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import Team
from dialer_console.api_input import query_params_refuse_unknown
from webhooks.models import EventType, WebhookDelivery, WebhookEndpoint
from webhooks.selectors import (
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


class WebhookEndpointOutput(serializers.ModelSerializer):
    class Meta:
        model = WebhookEndpoint
        ref_name = "WebhookEndpoint"
        fields = [
            "id",
            "team",
            "url",
            "description",
            "events",
            "active",
            "secret_rotated_at",
            "created_at",
            "updated_at",
        ]


class WebhookEndpointCreated(WebhookEndpointOutput):
    secret = serializers.CharField(
        help_text="Signs every delivery (README: verifying a delivery). Shown only here."
    )

    class Meta(WebhookEndpointOutput.Meta):
        ref_name = "WebhookEndpointCreated"
        fields = [*WebhookEndpointOutput.Meta.fields, "secret"]


class WebhookEndpointInput(serializers.Serializer):
    team = serializers.PrimaryKeyRelatedField(queryset=Team.objects.all())
    url = serializers.CharField(max_length=500, help_text="https:// on the public internet.")
    events = serializers.ListField(
        child=serializers.ChoiceField(choices=EventType.choices), allow_empty=False
    )
    description = serializers.CharField(max_length=200, required=False, allow_blank=True)
    active = serializers.BooleanField(required=False, default=True)

    class Meta:
        ref_name = "WebhookEndpointInput"


class WebhookEndpointChange(serializers.Serializer):
    url = serializers.CharField(max_length=500, required=False)
    events = serializers.ListField(
        child=serializers.ChoiceField(choices=EventType.choices), required=False, allow_empty=False
    )
    description = serializers.CharField(max_length=200, required=False, allow_blank=True)
    active = serializers.BooleanField(required=False)

    class Meta:
        ref_name = "WebhookEndpointChange"


class WebhookSecretOutput(serializers.Serializer):
    secret = serializers.CharField()

    class Meta:
        ref_name = "WebhookSecret"


class WebhookDeliveryOutput(serializers.ModelSerializer):
    event_id = serializers.CharField(source="event.event_id")
    event_type = serializers.CharField(source="event.type")

    class Meta:
        model = WebhookDelivery
        ref_name = "WebhookDelivery"
        fields = [
            "id",
            "endpoint",
            "event_id",
            "event_type",
            "state",
            "attempts",
            "status_code",
            "duration_ms",
            "response_excerpt",
            "error",
            "last_attempt_at",
            "delivered_at",
            "replay_of",
            "created_at",
        ]


class _NewestFirst(CursorPagination):
    ordering = ("-created_at", "-id")
    page_size = 50


class WebhookEndpointListApi(APIView):
    """The endpoints the caller may see (a team lead: their team's); POST makes one and
    answers with its secret, the only time it is shown."""

    queryset = WebhookEndpoint.objects.none()  # permissions read the model from it
    pagination_class = _NewestFirst

    @extend_schema(responses={200: WebhookEndpointOutput(many=True)})
    def get(self, request):
        paginator = self.pagination_class()
        query_params_refuse_unknown(request, paginator=paginator)
        rows = webhook_endpoints_visible(user=request.user)
        page = paginator.paginate_queryset(rows, request, view=self)
        return paginator.get_paginated_response(WebhookEndpointOutput(page, many=True).data)

    @extend_schema(request=WebhookEndpointInput, responses={201: WebhookEndpointCreated})
    def post(self, request):
        data = WebhookEndpointInput(data=request.data)
        data.is_valid(raise_exception=True)
        endpoint, secret = webhook_endpoint_create(**data.validated_data, acting_user=request.user)
        endpoint.secret = secret
        return Response(WebhookEndpointCreated(endpoint).data, status=status.HTTP_201_CREATED)


class WebhookEndpointDetailApi(APIView):
    queryset = WebhookEndpoint.objects.none()

    def _endpoint(self, request, pk: int) -> WebhookEndpoint:
        return get_object_or_404(webhook_endpoints_visible(user=request.user), pk=pk)

    @extend_schema(responses={200: WebhookEndpointOutput})
    def get(self, request, pk: int):
        return Response(WebhookEndpointOutput(self._endpoint(request, pk)).data)

    @extend_schema(request=WebhookEndpointChange, responses={200: WebhookEndpointOutput})
    def patch(self, request, pk: int):
        endpoint = self._endpoint(request, pk)
        data = WebhookEndpointChange(data=request.data)
        data.is_valid(raise_exception=True)
        endpoint = webhook_endpoint_update(endpoint=endpoint, **data.validated_data)
        return Response(WebhookEndpointOutput(endpoint).data)

    @extend_schema(responses={204: None})
    def delete(self, request, pk: int):
        webhook_endpoint_delete(endpoint=self._endpoint(request, pk))
        return Response(status=status.HTTP_204_NO_CONTENT)


class WebhookEndpointSecretApi(APIView):
    """A new secret for the endpoint, shown in this reply only; the old one stops."""

    required_permissions = ("webhooks.change_webhookendpoint",)

    @extend_schema(request=None, responses={200: WebhookSecretOutput})
    def post(self, request, pk: int):
        endpoint = get_object_or_404(webhook_endpoints_visible(user=request.user), pk=pk)
        return Response({"secret": webhook_endpoint_rotate_secret(endpoint=endpoint)})


class WebhookDeliveryListApi(APIView):
    """The endpoint's delivery log, newest first, in cursor pages (follow ``next``)."""

    queryset = WebhookDelivery.objects.none()
    pagination_class = _NewestFirst

    @extend_schema(responses={200: WebhookDeliveryOutput(many=True)})
    def get(self, request, pk: int):
        paginator = self.pagination_class()
        query_params_refuse_unknown(request, paginator=paginator)
        endpoint = get_object_or_404(webhook_endpoints_visible(user=request.user), pk=pk)
        page = paginator.paginate_queryset(
            webhook_deliveries_for(endpoint=endpoint), request, view=self
        )
        return paginator.get_paginated_response(WebhookDeliveryOutput(page, many=True).data)


class WebhookDeliveryReplayApi(APIView):
    """Send the delivery's event (same id, same body) again, as a new delivery."""

    required_permissions = ("webhooks.change_webhookendpoint",)

    @extend_schema(request=None, responses={202: WebhookDeliveryOutput})
    def post(self, request, pk: int):
        delivery = get_object_or_404(webhook_deliveries_visible(user=request.user), pk=pk)
        replay = webhook_delivery_replay(delivery=delivery)
        return Response(WebhookDeliveryOutput(replay).data, status=status.HTTP_202_ACCEPTED)
