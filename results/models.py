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

from results.kept_counts import (
    CountedAttemptQuerySet,
    CountedResultQuerySet,
    counted_row_delete,
    counted_row_save,
)


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

    objects = CountedResultQuerySet.as_manager()

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
        # A cascade (a deleted lead, list or campaign) deletes through the counted class.
        base_manager_name = "objects"

    def __str__(self) -> str:
        return f"lead {self.lead_id} in campaign {self.campaign_id}: {self.last_result_raw or '—'}"

    def save(self, *args, **kwargs):
        counted_row_save(self, lambda: super(LeadResult, self).save(*args, **kwargs))

    def delete(self, *args, **kwargs):
        return counted_row_delete(self)


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

    objects = CountedAttemptQuerySet.as_manager()

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
        base_manager_name = "objects"

    def __str__(self) -> str:
        return f"lead {self.lead_id} @ {self.attempted_at:%Y-%m-%d %H:%M}: {self.result_raw}"

    def save(self, *args, **kwargs):
        counted_row_save(self, lambda: super(CallAttempt, self).save(*args, **kwargs))

    def delete(self, *args, **kwargs):
        return counted_row_delete(self)


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


class CountFigure(models.TextChoices):
    """What a kept count counts (``results.kept_counts``); ``day`` is the day, in the
    counts' time zone, of the last attempt (``""``: none reported)."""

    STATE = "state", "Dialled leads by done (key) and last result"
    AGENT = "agent", "Dialled leads by day, agent (key) and last result"
    TRIES = "tries", 'Dialled leads by day and attempts (key; "": unknown)'
    CALLS = "calls", "Call attempts by day and result"


class ResultCount(models.Model):
    """One kept count of a campaign's results in one lead list, moved in the same
    transaction as the result rows it counts (``results.kept_counts``)."""

    campaign = models.ForeignKey("campaigns.Campaign", on_delete=models.CASCADE, related_name="+")
    figure = models.CharField(max_length=5, choices=CountFigure.choices)
    lead_list = models.ForeignKey("leads.LeadList", on_delete=models.CASCADE, related_name="+")
    day = models.CharField(max_length=10, blank=True, help_text="ISO day; blank: no time.")
    key = models.CharField(max_length=150, blank=True)
    code = models.CharField(max_length=20, blank=True)
    n = models.BigIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "figure", "lead_list", "day", "key", "code"],
                name="resultcount_once",
            )
        ]

    def __str__(self) -> str:
        where = f"{self.campaign_id}/{self.figure}/{self.lead_list_id}"
        return f"{where} {self.day} {self.key} {self.code}: {self.n}"


class ResultCountsState(models.Model):
    """Per campaign: the row its kept result counts are locked by, their time zone, and
    what the last reconciling recount found."""

    campaign = models.OneToOneField(
        "campaigns.Campaign", on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    zone = models.CharField(max_length=64)
    # When the counts were last made complete: by the recount, or when the campaign's
    # first row was written; None: rows came before the counts, wait for the recount.
    recounted_at = models.DateTimeField(null=True, blank=True)
    drift = models.JSONField(default=dict, blank=True, help_text="The last recount's kept − real.")

    class Meta:
        verbose_name_plural = "result counts states"

    def __str__(self) -> str:
        return f"{self.campaign_id} ({self.zone})"


# --- recycling and callbacks (issue #14 points 4 and 5) -------------------------------


class RecycleMatch(models.TextChoices):
    DIALER = "dialer", _("Dialer result")
    DISPOSITION = "disposition", _("Disposition code")


class RecycleAction(models.TextChoices):
    DELAY = "delay", _("Again after a delay")
    NEXT_DAY = "next_day", _("Next day, when the calling window opens")
    CALLBACK_TIME = "callback_time", _("At the callback time given")


class RecycleRule(models.Model):
    """What becomes of a lead after one outcome: dialled again after ``delay_minutes``,
    the next day at the window's opening, or at the callback time, at most ``max_times``
    per lead and campaign. A rule belongs to a disposition list or to a campaign (exactly
    one); a campaign's rule replaces its list's rule for the same outcome
    (``results.recycling.rules.effective_rules``)."""

    disposition_list = models.ForeignKey(
        "campaigns.DispositionList",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="recycle_rules",
    )
    campaign = models.ForeignKey(
        "campaigns.Campaign",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="recycle_rules",
    )
    match_kind = models.CharField(max_length=12, choices=RecycleMatch.choices)
    # A console disposition code, or a dialer outcome (vendors.adapters.types.DialOutcome).
    match_code = models.CharField(max_length=20)
    action = models.CharField(max_length=16, choices=RecycleAction.choices)
    delay_minutes = models.PositiveIntegerField(null=True, blank=True)
    max_times = models.PositiveSmallIntegerField(default=3)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(disposition_list__isnull=False, campaign__isnull=True)
                    | Q(disposition_list__isnull=True, campaign__isnull=False)
                ),
                name="recyclerule_one_owner",
            ),
            models.CheckConstraint(
                condition=~Q(action="delay") | Q(delay_minutes__gt=0),
                name="recyclerule_delay_given",
            ),
            models.UniqueConstraint(
                fields=["disposition_list", "match_kind", "match_code"],
                condition=Q(disposition_list__isnull=False),
                name="recyclerule_once_per_list",
            ),
            models.UniqueConstraint(
                fields=["campaign", "match_kind", "match_code"],
                condition=Q(campaign__isnull=False),
                name="recyclerule_once_per_campaign",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_match_kind_display()} {self.match_code}: {self.get_action_display()}"


class LeadRecycle(models.Model):
    """How many times one rule sent one lead of one campaign round again (so "at most 3
    times" holds), and when it is next due (None: not waiting)."""

    campaign = models.ForeignKey(
        "campaigns.Campaign", on_delete=models.CASCADE, related_name="lead_recycles"
    )
    lead = models.ForeignKey("leads.Lead", on_delete=models.CASCADE, related_name="recycles")
    match_kind = models.CharField(max_length=12, choices=RecycleMatch.choices)
    match_code = models.CharField(max_length=20)
    times = models.PositiveSmallIntegerField(default=0)
    last_due_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["campaign_id", "lead_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "lead", "match_kind", "match_code"],
                name="leadrecycle_once_per_rule",
            )
        ]

    def __str__(self) -> str:
        return f"lead {self.lead_id} in {self.campaign_id}: {self.match_code} × {self.times}"


class CallbackState(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Done (a later call or outcome)")
    REPLACED = "replaced", _("Replaced by a newer callback")
    CANCELLED = "cancelled", _("Cancelled")


class CallbackVia(models.TextChoices):
    DIALER = "dialer", _("Scheduled on the dialer")
    REPUSH = "repush", _("Pushed to the dialer again at the time")
    CONSOLE = "console", _("Kept in the console (no dialer)")


class Callback(models.Model):
    """A callback recorded with a disposition: open until the lead is called (an attempt
    the dialer reports at or after the time) or gets a later outcome. A lead has at most
    one open callback, across campaigns (``callback_one_open_per_lead``)."""

    campaign = models.ForeignKey(
        "campaigns.Campaign", on_delete=models.CASCADE, related_name="callbacks"
    )
    lead = models.ForeignKey("leads.Lead", on_delete=models.CASCADE, related_name="callbacks")
    disposition = models.OneToOneField(
        "campaigns.LeadDisposition", on_delete=models.CASCADE, related_name="callback"
    )
    due_at = models.DateTimeField()
    state = models.CharField(max_length=10, choices=CallbackState.choices, default="open")
    via = models.CharField(max_length=10, choices=CallbackVia.choices)
    # The sync job that schedules it on the dialer (Acefone schedule_call); a plain id.
    schedule_job_id = models.BigIntegerField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["lead"], condition=Q(state="open"), name="callback_one_open_per_lead"
            )
        ]
        indexes = [
            models.Index(
                fields=["campaign", "due_at"], condition=Q(state="open"), name="callback_open_due"
            )
        ]

    def __str__(self) -> str:
        return f"callback lead {self.lead_id} @ {self.due_at:%Y-%m-%d %H:%M} ({self.state})"
