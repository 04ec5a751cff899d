"""Pending-call counts from the dialers, stored with their time for the page and chart."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from sync.models import CampaignRemote, PendingSnapshot
from sync.services.remote import campaign_remote, campaign_remote_ref
from vendors.adapters.base import BaseAdapter, stored_words
from vendors.adapters.types import Capability

# Snapshots older than this are pruned when a new one is stored.
SNAPSHOT_RETENTION_DAYS = 30


def pending_refresh_run(*, adapter: BaseAdapter, campaign) -> str:
    remote = campaign_remote(campaign=campaign)
    ref = campaign_remote_ref(remote=remote)
    if ref is None:
        return "The campaign is not on the dialer yet."
    if not adapter.supports(Capability.PENDING_COUNT):
        reason = stored_words(adapter.unsupported_reasons.get(Capability.PENDING_COUNT))
        CampaignRemote.objects.filter(pk=remote.pk).update(
            pending_error=(reason or f"{adapter.label} gives no pending count.")[:500]
        )
        return reason
    count = adapter.pending_count(ref)
    fetched_at = count.fetched_at or timezone.now()
    CampaignRemote.objects.filter(pk=remote.pk).update(
        pending_calls=count.pending,
        pending_total=count.total,
        pending_state=count.state[:60],
        pending_fetched_at=fetched_at,
        pending_error="",
    )
    PendingSnapshot.objects.create(
        campaign=campaign,
        pending=count.pending,
        total=count.total,
        state=count.state[:60],
        fetched_at=fetched_at,
    )
    PendingSnapshot.objects.filter(
        campaign=campaign, fetched_at__lt=fetched_at - timedelta(days=SNAPSHOT_RETENTION_DAYS)
    ).delete()
    return ""


def pending_refresh_failed(*, campaign, message: str) -> None:
    CampaignRemote.objects.filter(campaign=campaign).update(pending_error=message[:500])
