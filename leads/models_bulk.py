"""A bulk action on leads too big for one request (``LEADS_BULK_INLINE_MAX``), run by a
Celery task in chunks (``leads.services.bulk_runs``). Kept apart from ``leads.models``
(imported at its end) so that module stays under the size the house allows."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class BulkRunState(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class BulkRunSource(models.TextChoices):
    LIST = "list", _("A lead list's page")
    CAMPAIGN = "campaign", _("A campaign's Leads page")


class LeadBulkRun(models.Model):
    """Who asked for which action on which selection (ticked ids, or the page's filter,
    read again by the worker through ``leads.selectors_bulk`` with the creator's own
    visibility), and what became of it. Each committed chunk moves ``after_id`` and the
    counts together, so a run resumed after a dead worker neither repeats nor skips."""

    ACTIVE_STATES = (BulkRunState.QUEUED, BulkRunState.RUNNING)

    action = models.CharField(max_length=16)  # leads.services.bulk_actions.ACTIONS
    source = models.CharField(max_length=16, choices=BulkRunSource.choices)
    lead_list = models.ForeignKey(
        "leads.LeadList", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    campaign = models.ForeignKey(
        "campaigns.Campaign", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    lead_ids = models.JSONField(default=list, blank=True)  # empty: by filter
    filters = models.JSONField(default=dict, blank=True)
    description = models.CharField(max_length=300)
    target_list = models.ForeignKey(
        "leads.LeadList", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    target_campaign = models.ForeignKey(
        "campaigns.Campaign", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The team whose leads the selection holds (as an import's list's team): its members
    # see the run too. None for a supervisor's run over a campaign's lists of any team.
    team = models.ForeignKey(
        "accounts.Team", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    state = models.CharField(
        max_length=16, choices=BulkRunState.choices, default=BulkRunState.QUEUED
    )
    selected_count = models.PositiveIntegerField(
        default=0, help_text=_("Leads the selection held when it was confirmed.")
    )
    after_id = models.BigIntegerField(default=0, help_text=_("The last lead id acted on."))
    done_count = models.PositiveIntegerField(default=0)
    skipped_count = models.PositiveIntegerField(default=0)
    skipped_reasons = models.JSONField(default=dict, blank=True)  # reason -> leads
    # Lists to recount and campaigns to sync once, when every chunk is done.
    lead_list_ids = models.JSONField(default=list, blank=True)
    campaign_ids = models.JSONField(default=list, blank=True)
    campaigns_synced = models.PositiveIntegerField(default=0)
    error_message = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    # Written with each committed chunk: a RUNNING run without one for a while lost its
    # worker, and ``lead_bulk_run_sweep_stale`` queues it to resume after ``after_id``.
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["state", "heartbeat_at"], name="leadbulkrun_state_beat")]

    def __str__(self) -> str:
        return f"{self.action} {self.description}"

    @property
    def is_active(self) -> bool:
        return self.state in self.ACTIVE_STATES

    @property
    def processed_count(self) -> int:
        return self.done_count + self.skipped_count

    @property
    def skipped_list(self) -> list[tuple[str, int]]:
        """Skip reasons, most leads first."""
        return sorted(self.skipped_reasons.items(), key=lambda item: (-item[1], item[0]))
