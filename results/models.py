"""What the dialers did with each lead: the way back from the dialer to the console.

- ``LeadResult``: one row per lead and campaign, the dialer's latest word on it
  (attempts, last attempt and result, next attempt, done). ``None`` in a field means the
  dialer does not report it (or has not yet): pages say "unknown", never zero.
- ``CallAttempt``: one row per dialling attempt the dialer reported, for the results
  page's histogram and chart; idempotent on the vendor's own event id where it has one.
- ``InboundEvent``: every call a dialer made to the console's receiving endpoint (one
  per vendor account, with its own secret), raw body kept, idempotent on the vendor's
  event id.

The vendor's own status is always stored verbatim (``*_raw``) beside the console's
disposition code it was mapped to, so a mapping can be corrected and re-applied.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class ResultSource(models.TextChoices):
    PULL = "pull", _("Read from the dialer")
    CALLBACK = "callback", _("Sent by the dialer")
    CONSOLE = "console", _("Recorded in the console")


class LeadResult(models.Model):
    campaign = models.ForeignKey(
        "campaigns.Campaign", on_delete=models.CASCADE, related_name="lead_results"
    )
    lead = models.ForeignKey("leads.Lead", on_delete=models.CASCADE, related_name="results")
    attempts = models.PositiveIntegerField(null=True, blank=True)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    # The vendor's status or end cause, verbatim (Acefone dial_status, Webitel _endCause,
    # jtel nPhoneNumber1LastCause / result code, Voicenter CallStatus, Ozonetel status).
    last_result_raw = models.CharField(max_length=120, blank=True)
    # The console disposition code the raw result maps to ("" when none maps).
    last_result_code = models.CharField(max_length=20, blank=True)
    # The dialer's agent on the last attempt, where the dialer reports one.
    agent = models.CharField(max_length=150, blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    # True: the dialer will not dial it again; False: it will; None: unknown.
    done = models.BooleanField(null=True, blank=True)
    source = models.CharField(max_length=10, choices=ResultSource.choices)
    reported_at = models.DateTimeField(help_text=_("When the console learned this."))

    class Meta:
        ordering = ["campaign_id", "lead_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "lead"], name="leadresult_once_per_campaign"
            )
        ]
        indexes = [
            models.Index(fields=["campaign", "done", "lead"], name="leadresult_done"),
            models.Index(fields=["campaign", "last_result_code"], name="leadresult_code"),
        ]

    def __str__(self) -> str:
        return f"lead {self.lead_id} in campaign {self.campaign_id}: {self.last_result_raw or '—'}"


class CallAttempt(models.Model):
    campaign = models.ForeignKey(
        "campaigns.Campaign", on_delete=models.CASCADE, related_name="call_attempts"
    )
    lead = models.ForeignKey("leads.Lead", on_delete=models.CASCADE, related_name="call_attempts")
    attempted_at = models.DateTimeField()
    result_raw = models.CharField(max_length=120, blank=True)
    result_code = models.CharField(max_length=20, blank=True)
    agent = models.CharField(max_length=150, blank=True)
    duration_seconds = models.PositiveIntegerField(null=True, blank=True)
    source = models.CharField(max_length=10, choices=ResultSource.choices)
    # The vendor's id for this attempt (a CDR id, an event id); "" when it gives none.
    vendor_event_id = models.CharField(max_length=120, blank=True)

    class Meta:
        ordering = ["-attempted_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "vendor_event_id"],
                condition=~Q(vendor_event_id=""),
                name="callattempt_once_per_event",
            )
        ]
        indexes = [
            models.Index(fields=["campaign", "attempted_at"], name="callattempt_campaign_at"),
            models.Index(fields=["lead", "-attempted_at"], name="callattempt_lead_at"),
        ]

    def __str__(self) -> str:
        return f"lead {self.lead_id} @ {self.attempted_at:%Y-%m-%d %H:%M}: {self.result_raw}"


class InboundEvent(models.Model):
    vendor_account = models.ForeignKey(
        "vendors.VendorAccount", on_delete=models.CASCADE, related_name="inbound_events"
    )
    # The vendor's id for the event; "" when it gives none (then the body's hash is used
    # by the receiver, so a repeated delivery is still recognised).
    event_id = models.CharField(max_length=200)
    received_at = models.DateTimeField(auto_now_add=True)
    remote_address = models.GenericIPAddressField(null=True, blank=True)
    body = models.TextField(help_text=_("The raw body as received."))
    accepted = models.BooleanField(help_text=_("False: refused (bad secret, unreadable body)."))
    error = models.CharField(max_length=500, blank=True)
    processed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-received_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["vendor_account", "event_id"],
                condition=Q(accepted=True),
                name="inboundevent_once_per_event",
            )
        ]
        indexes = [
            models.Index(fields=["vendor_account", "-received_at"], name="inbound_account_at")
        ]

    def __str__(self) -> str:
        return f"{self.vendor_account_id} event {self.event_id}"


class ResultCodeMapping(models.Model):
    """One of a dialer's own result codes mapped to one of the campaign's disposition
    codes, per campaign: jtel's result codes, read from the campaign's ``resultCodes``
    (or its template's, before the clone), chosen on the campaign page. Results coming
    back turn ``last_result_raw`` into ``last_result_code`` through it."""

    campaign = models.ForeignKey(
        "campaigns.Campaign", on_delete=models.CASCADE, related_name="result_code_mappings"
    )
    # jtel: the result code's ExportKey (what a contact's ResultCodesExportKey holds), its
    # ID where it has no key.
    vendor_code = models.CharField(max_length=120)
    vendor_label = models.CharField(max_length=200, blank=True)
    disposition_code = models.ForeignKey(
        "campaigns.DispositionCode", on_delete=models.CASCADE, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["campaign_id", "vendor_code"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "vendor_code"], name="resultcodemapping_once_per_campaign"
            )
        ]

    def __str__(self) -> str:
        return f"{self.vendor_code} → {self.disposition_code_id} (campaign {self.campaign_id})"
