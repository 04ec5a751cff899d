"""The sync outbox and what it knows about each campaign's copy on its dialer.

- ``SyncJob``: one row per piece of work for a dialer, written in the same transaction
  as the change that needs it (the outbox). The row owns attempts, backoff and the error
  the user sees; Celery carries only its id.
- ``CampaignRemote``: the campaign's remote reference and sync state, one-to-one beside
  ``campaigns.Campaign`` so the campaigns app stays unaware of sync.
- ``LeadSync``: each lead's delivery to one campaign's dialer. Its state is what makes a
  push resumable and exactly-once.
- ``PushCounts``: each campaign's push rows per state, kept as they change
  (``sync.push_counts``), so no page groups a campaign's rows.
- ``PendingSnapshot``: pending-call counts fetched from the dialer, for the chart.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sync.push_counts import CountedLeadSyncQuerySet, counted_row_delete, counted_row_save


class JobState(models.TextChoices):
    PENDING = "pending", _("Pending")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")
    HELD = "held", _("Held (account needs fixing)")


class Operation(models.TextChoices):
    CAMPAIGN_SYNC = "campaign_sync", _("Sync campaign and push leads")
    LEAD_REMOVE = "lead_remove", _("Remove a lead")
    LEAD_CALL_RESULT = "lead_call_result", _("Send a call result")
    LEAD_TERMINATE = "lead_terminate", _("Stop dialling a lead")
    PENDING_REFRESH = "pending_refresh", _("Refresh pending calls")
    RECONCILE_CHECK = "reconcile_check", _("Compare with the dialer")
    RECONCILE_REPAIR = "reconcile_repair", _("Repair drift from the dialer")
    RESULTS_PULL = "results_pull", _("Read call results")
    # A CRM webhook delivery (webhooks app): no vendor account, maybe no campaign.
    WEBHOOK_DELIVERY = "webhook_delivery", _("Deliver a webhook")
    LEAD_SCHEDULE_CALL = "lead_schedule_call", _("Schedule a callback")


OPEN_STATES = (JobState.PENDING, JobState.RUNNING, JobState.HELD)


class SyncJob(models.Model):
    # Both are set on every dialer job; a webhook delivery (Operation.WEBHOOK_DELIVERY)
    # has no vendor account and, for an import's event, no campaign. Pages and the API
    # list jobs by their campaign, so those are not among the sync jobs shown.
    account = models.ForeignKey(
        "vendors.VendorAccount",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="sync_jobs",
    )
    operation = models.CharField(max_length=32, choices=Operation.choices)
    campaign = models.ForeignKey(
        "campaigns.Campaign",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="sync_jobs",
    )
    # Plain ids, not foreign keys: a lead removed from the console must still be removable
    # from the dialer, and the job must outlive the row that caused it.
    lead_id = models.BigIntegerField(null=True, blank=True)
    lead_list_id = models.BigIntegerField(null=True, blank=True)
    payload = models.JSONField(default=dict, blank=True)
    reason = models.CharField(max_length=300, blank=True, help_text=_("What asked for this job."))
    state = models.CharField(max_length=16, choices=JobState.choices, default=JobState.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0, help_text=_("Failed runs in a row."))
    max_attempts = models.PositiveSmallIntegerField(default=8)
    not_before = models.DateTimeField(db_index=True)
    enqueued_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True, help_text=_("In flight since."))
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    worker_id = models.CharField(max_length=200, blank=True)
    claim_token = models.CharField(max_length=32, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    needs_attention = models.BooleanField(default=False)
    # The same operation on the same target is queued once: a second request while one
    # waits is merged into it (unique among open jobs only).
    dedupe_key = models.CharField(max_length=120, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["state", "not_before"], name="syncjob_due"),
            models.Index(fields=["campaign", "state"], name="syncjob_campaign_state"),
            models.Index(fields=["account", "state"], name="syncjob_account_state"),
            # Jobs needing a person are few among millions: the home page counts them.
            models.Index(
                fields=["campaign"], condition=Q(needs_attention=True), name="syncjob_attention"
            ),
            # The jobs page and API list, most recently changed first, by keyset.
            models.Index(fields=["updated_at", "id"], name="syncjob_updated_id"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["dedupe_key"],
                condition=Q(state__in=["pending", "held"]) & ~Q(dedupe_key=""),
                name="syncjob_one_waiting_per_key",
            )
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.get_operation_display()} ({self.state})"

    @property
    def retryable(self) -> bool:
        return self.state in (JobState.FAILED, JobState.HELD)


class CampaignSyncState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SYNCING = "syncing", _("Syncing")
    IN_SYNC = "in_sync", _("In sync")
    OUT_OF_SYNC = "out_of_sync", _("Out of sync")
    FAILED = "failed", _("Failed")


class CampaignRemote(models.Model):
    campaign = models.OneToOneField(
        "campaigns.Campaign", on_delete=models.CASCADE, related_name="sync_remote"
    )
    account = models.ForeignKey(
        "vendors.VendorAccount", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    remote_ref = models.JSONField(default=dict, blank=True)
    # A digest of the campaign spec last accepted by the dialer: an unchanged campaign is
    # not sent again.
    spec_digest = models.CharField(max_length=64, blank=True)
    # The console status the dialer last carried out (start/stop), "" when never.
    remote_status = models.CharField(max_length=20, blank=True)
    state = models.CharField(
        max_length=16, choices=CampaignSyncState.choices, default=CampaignSyncState.DRAFT
    )
    last_synced_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    pending_calls = models.IntegerField(null=True, blank=True)
    pending_total = models.IntegerField(null=True, blank=True)
    pending_state = models.CharField(max_length=60, blank=True)
    pending_fetched_at = models.DateTimeField(null=True, blank=True)
    pending_error = models.CharField(max_length=500, blank=True)
    # Reconciliation (sync.services.reconcile): what the last comparison with the dialer
    # found. A count is None when the vendor gives no means to know it.
    drift_checked_at = models.DateTimeField(null=True, blank=True)
    drift_held_after_removal = models.IntegerField(null=True, blank=True)
    drift_missing = models.IntegerField(null=True, blank=True)
    drift_unknown = models.IntegerField(null=True, blank=True)
    drift_settings = models.CharField(max_length=500, blank=True)
    drift_note = models.CharField(max_length=500, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.campaign_id}: {self.state}"


class LeadSyncState(models.TextChoices):
    PENDING = "pending", _("Not yet pushed")
    SENDING = "sending", _("Being pushed")
    PUSHED = "pushed", _("Pushed")
    FAILED = "failed", _("Failed")
    DNC = "dnc", _("Refused as do-not-call")
    REMOVED = "removed", _("Removed")


# The reason of a PUSHED row the dialer took without a per-lead outcome (Acefone's bulk
# add when its list could not be read back): counted apart as "sent, not yet confirmed".
SENT_NOT_CONFIRMED = "Sent, not yet confirmed by the dialer."


class LeadSync(models.Model):
    campaign = models.ForeignKey(
        "campaigns.Campaign", on_delete=models.CASCADE, related_name="lead_syncs"
    )
    lead = models.ForeignKey("leads.Lead", on_delete=models.CASCADE, related_name="syncs")
    state = models.CharField(
        max_length=16, choices=LeadSyncState.choices, default=LeadSyncState.PENDING
    )
    # The batch a lead was sent in while SENDING: a batch left SENDING by a dead worker is
    # reconciled with the dialer before anything is sent again.
    batch = models.CharField(max_length=40, blank=True)
    remote_id = models.CharField(max_length=120, blank=True)
    reason = models.CharField(max_length=500, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    pushed_at = models.DateTimeField(null=True, blank=True)
    # Recycling (results.recycling): not pushed again before this time. A PUSHED row due
    # goes back to PENDING by beat (``recycle_due_run``); a PENDING row waits until then.
    not_before = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CountedLeadSyncQuerySet.as_manager()

    class Meta:
        # Cascades (a lead or a list deleted) delete through the base manager: it must be
        # the counting one too.
        base_manager_name = "objects"
        ordering = ["campaign_id", "lead_id"]  # ids: ordering by the relations would join them
        constraints = [
            models.UniqueConstraint(fields=["campaign", "lead"], name="leadsync_once_per_campaign")
        ]
        indexes = [
            models.Index(fields=["campaign", "state", "lead"], name="leadsync_next"),
            # The panel counts the few rows still waiting for the dialer's confirmation.
            models.Index(
                fields=["campaign"],
                condition=Q(state="pushed", reason=SENT_NOT_CONFIRMED),
                name="leadsync_unconfirmed",
            ),
            # Beat finds the few rows waiting for a recycle time.
            models.Index(
                fields=["not_before"], condition=Q(not_before__isnull=False), name="leadsync_due"
            ),
        ]

    def __str__(self) -> str:
        return f"lead {self.lead_id} → campaign {self.campaign_id}: {self.state}"

    def save(self, *args, **kwargs) -> None:
        counted_row_save(self, lambda: super(LeadSync, self).save(*args, **kwargs), kwargs)

    def delete(self, *args, **kwargs):
        return counted_row_delete(self)


class PushCounts(models.Model):
    """A campaign's push rows per state ({state: rows}), moved in the same transaction as
    the rows by ``sync.push_counts``; recounted by beat, which logs any drift."""

    campaign = models.OneToOneField(
        "campaigns.Campaign", on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    by_state = models.JSONField(default=dict)
    recounted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name_plural = _("push counts")

    def __str__(self) -> str:
        return f"{self.campaign_id}: {self.by_state}"

    def count(self, state: str) -> int:
        return int(self.by_state.get(state, 0))


class PendingSnapshot(models.Model):
    campaign = models.ForeignKey(
        "campaigns.Campaign", on_delete=models.CASCADE, related_name="pending_snapshots"
    )
    pending = models.IntegerField(null=True, blank=True)
    total = models.IntegerField(null=True, blank=True)
    state = models.CharField(max_length=60, blank=True)
    fetched_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["-fetched_at", "-id"]
        indexes = [models.Index(fields=["campaign", "-fetched_at"], name="snapshot_campaign_at")]

    def __str__(self) -> str:
        return f"{self.campaign_id} @ {self.fetched_at:%Y-%m-%d %H:%M}: {self.pending}"
