"""Outbound webhooks: a team's CRM told what happened, signed, through the sync outbox.

- ``WebhookEndpoint``: an HTTPS address of one team, the events it wants, its secret
  (encrypted at rest like vendor credentials: ``vendors.crypto``; shown once).
- ``WebhookEvent``: one thing that happened (an outcome, a disposition, an import
  finished), with the body every endpoint receives; its ``event_id`` is the
  idempotency key a receiver dedupes on (a replay sends the same id again).
- ``WebhookDelivery``: one event to one endpoint. Its sending, retries and backoff are a
  ``sync.SyncJob`` (``Operation.WEBHOOK_DELIVERY``); the delivery keeps what the
  endpoint answered, for the delivery log.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class EventType(models.TextChoices):
    OUTCOME_RECORDED = "outcome.recorded", _("Outcome recorded (dialer result or disposition)")
    DISPOSITION_RECORDED = "disposition.recorded", _("Disposition recorded")
    IMPORT_FINISHED = "import.finished", _("Lead import finished")


class WebhookEndpoint(models.Model):
    team = models.ForeignKey(
        "accounts.Team", on_delete=models.CASCADE, related_name="webhook_endpoints"
    )
    url = models.URLField("URL", max_length=500)
    description = models.CharField(max_length=200, blank=True)
    # EventType values this endpoint receives.
    events = models.JSONField(default=list)
    active = models.BooleanField(default=True)
    secret_encrypted = models.TextField(editable=False)
    secret_rotated_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["team_id", "url", "id"]
        indexes = [models.Index(fields=["team", "active"], name="webhookendpoint_team_active")]

    def __str__(self) -> str:
        return self.url

    def event_labels(self) -> list[str]:
        labels = dict(EventType.choices)
        return [labels.get(event, event) for event in self.events]


class WebhookEvent(models.Model):
    event_id = models.CharField(max_length=40, unique=True)
    team = models.ForeignKey("accounts.Team", on_delete=models.CASCADE, related_name="+")
    type = models.CharField(max_length=40, choices=EventType.choices)
    # What the ``data`` of the body holds.
    data = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.event_id} {self.type}"


class DeliveryState(models.TextChoices):
    PENDING = "pending", _("Waiting")
    RETRYING = "retrying", _("Retrying")
    DELIVERED = "delivered", _("Delivered")
    FAILED = "failed", _("Failed")
    SKIPPED = "skipped", _("Not sent (endpoint off)")


class WebhookDelivery(models.Model):
    endpoint = models.ForeignKey(
        WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries"
    )
    event = models.ForeignKey(WebhookEvent, on_delete=models.CASCADE, related_name="deliveries")
    # The sync job sending it (a plain id: the job may be pruned before the log is).
    job_id = models.BigIntegerField(null=True, blank=True)
    replay_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    state = models.CharField(
        max_length=16, choices=DeliveryState.choices, default=DeliveryState.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0, help_text=_("Requests sent."))
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    duration_ms = models.PositiveIntegerField(null=True, blank=True)
    # The start of the endpoint's reply, redacted (the secret and signature masked).
    response_excerpt = models.CharField(max_length=500, blank=True)
    error = models.CharField(max_length=500, blank=True)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = _("webhook deliveries")
        indexes = [
            models.Index(fields=["endpoint", "-created_at", "-id"], name="webhookdelivery_log")
        ]

    def __str__(self) -> str:
        return f"{self.event_id} → {self.endpoint_id}: {self.state}"
