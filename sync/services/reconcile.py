"""Reconciliation, first step: compare the leads the console believes a dialer holds with
the leads the dialer lists, for vendors that document a listing of every lead (dialled or
not). Read-only: it reports the drift; repairing it (a sync job) is not built yet."""

from __future__ import annotations

from dataclasses import dataclass

from sync.models import LeadSync, LeadSyncState
from sync.services.remote import campaign_remote, campaign_remote_ref
from vendors.adapters.base import BaseAdapter


@dataclass(frozen=True)
class LeadDrift:
    """``held_after_removal``: leads the console removed that the dialer still holds;
    ``missing``: leads the console pushed that the dialer does not hold; ``unknown``:
    leads the dialer holds that the console never pushed to this campaign."""

    held_after_removal: int
    missing: int
    unknown: int

    @property
    def any(self) -> bool:
        return bool(self.held_after_removal or self.missing or self.unknown)


def campaign_lead_drift(*, adapter: BaseAdapter, campaign) -> LeadDrift | None:
    """The campaign's lead drift, or None when it is not on the dialer or the vendor
    documents no listing of its leads."""
    ref = campaign_remote_ref(remote=campaign_remote(campaign=campaign))
    if ref is None:
        return None
    try:
        held = adapter.remote_lead_ids(ref)
    except NotImplementedError:
        return None
    rows = LeadSync.objects.filter(campaign=campaign).exclude(remote_id="")
    pushed = set(rows.filter(state=LeadSyncState.PUSHED).values_list("remote_id", flat=True))
    removed = set(rows.filter(state=LeadSyncState.REMOVED).values_list("remote_id", flat=True))
    return LeadDrift(
        held_after_removal=len(held & (removed - pushed)),
        missing=len(pushed - held),
        unknown=len(held - pushed - removed),
    )
