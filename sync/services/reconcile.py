"""Reconciliation: compare what the console believes a dialer holds with what the dialer
reports, store the drift on the campaign's remote state, and repair it through sync jobs.

Means, cheapest documented first, per vendor:
- a count (``RECONCILE_COUNT``): the adapter's ``remote_lead_count`` (Webitel's members
  count, Voicenter's pending count) against the leads the console pushed; when they agree
  and the last comparison found no drift, the leads are not listed. Equal counts are then
  taken as no drift: a lead missing and one unknown arising in the same interval cancel
  out until the counts next differ;
- leads (``RECONCILE_LEADS``): the adapter's ``remote_lead_ids`` (every lead, dialled or
  not: Webitel members, jtel contacts, Acefone's list leads) gives leads missing, leads
  held after removal and unknown leads; Voicenter's GetCampaignPendingCalls lists only
  calls still waiting, so a dialled call leaves it and "missing" cannot be told from
  "dialled": it is unknown there;
- settings (``RECONCILE_SETTINGS``): the adapter's ``campaign_settings_drift`` (Webitel's
  get dialer);
- what a vendor lacks is said in ``drift_note`` and in its capability matrix.

Repair removes from the dialer the leads the console removed, resets the pushed leads
the dialer lacks to pending (through the counted manager) so the ordinary push sends them
again, and forgets the spec digest so the campaign's settings are sent again. Unknown
leads are left alone: the console never pushed them (a person may have added them in the
vendor's portal), so it reports them and does not delete what it does not own.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from campaigns.models import Campaign, CampaignStatus
from campaigns.selectors import campaign_spec
from sync.models import (
    CampaignRemote,
    CampaignSyncState,
    JobState,
    LeadSync,
    LeadSyncState,
    Operation,
    SyncJob,
)
from sync.services.campaign_jobs import campaign_sync_run
from sync.services.jobs import sync_job_enqueue
from sync.services.push import leads_confirm_sent
from sync.services.remote import (
    ID_UNKNOWN,
    campaign_remote,
    campaign_remote_mark,
    campaign_remote_ref,
)
from vendors.adapters.base import BaseAdapter, stored_words
from vendors.adapters.errors import VendorError
from vendors.adapters.types import Capability, RemoteRef, SettingDifference

MISSING_REPUSHED = "Missing on the dialer (reconciliation): pushed again."
REMOVED_BY_REPAIR = "Taken off the dialer by reconciliation: the console had removed it."


@dataclass(frozen=True)
class LeadDrift:
    """``held_after_removal``: leads the console removed that the dialer still holds;
    ``missing``: leads the console pushed that the dialer does not hold (None: the vendor's
    listing cannot tell); ``unknown``: leads the dialer holds that the console never
    pushed to this campaign."""

    held_after_removal: int
    missing: int | None
    unknown: int

    @property
    def any(self) -> bool:
        return bool(self.held_after_removal or self.missing or self.unknown)


@dataclass
class _Listing:
    """The ids behind a ``LeadDrift``, for the repair."""

    held_after_removal: set[str] = field(default_factory=set)
    missing: set[str] | None = field(default_factory=set)
    unknown: set[str] = field(default_factory=set)

    def drift(self) -> LeadDrift:
        missing = None if self.missing is None else len(self.missing)
        return LeadDrift(len(self.held_after_removal), missing, len(self.unknown))


@dataclass(frozen=True)
class _Counted:
    """The dialer's count of the campaign's leads and the console's pushed leads."""

    on_dialer: int
    pushed: int
    lists_all: bool
    clean_before: bool  # the last comparison found no drift

    @property
    def agree(self) -> bool:
        """Equal, or (a listing of waiting calls only) none waiting: nothing the console
        removed and nothing unknown is held, and missing ones cannot be told anyway; and
        no drift found last time is waiting to be seen gone."""
        equal = self.on_dialer == self.pushed or (not self.lists_all and self.on_dialer == 0)
        return equal and self.clean_before

    def words(self, label: str) -> str:
        held = f"{label} counts {self.on_dialer:,}{'' if self.lists_all else ' waiting'}"
        if self.agree:
            listed = "not listed"
        elif self.clean_before:
            listed = "listed"
        else:
            listed = "listed, as the last comparison found drift or none had run"
        return f"{held}, the console pushed {self.pushed:,}: the leads were {listed}."


def _clean_before(remote: CampaignRemote) -> bool:
    drift = (remote.drift_held_after_removal, remote.drift_missing, remote.drift_unknown)
    return remote.drift_checked_at is not None and not any(drift)


def _lead_count(adapter: BaseAdapter, campaign, ref: RemoteRef) -> _Counted | None:
    """The counts, where the vendor documents one and this reply gave it."""
    if not adapter.supports(Capability.RECONCILE_COUNT):
        return None
    on_dialer = adapter.remote_lead_count(ref)
    if on_dialer is None:
        return None
    pushed = LeadSync.objects.filter(campaign=campaign, state=LeadSyncState.PUSHED).count()
    clean = _clean_before(campaign_remote(campaign=campaign))
    return _Counted(on_dialer, pushed, adapter.lead_listing_complete, clean)


def _lead_listing(
    adapter: BaseAdapter, campaign, ref: RemoteRef, counted: _Counted | None = None
) -> _Listing | None:
    """The drift's ids; empty without a listing when the counts agree."""
    if not adapter.supports(Capability.RECONCILE_LEADS):
        return None
    if counted and counted.agree:
        return _Listing(missing=set() if counted.lists_all else None)
    held = adapter.remote_lead_ids(ref)
    lists_all = adapter.lead_listing_complete
    rows = LeadSync.objects.filter(campaign=campaign).exclude(remote_id="")
    pushed = set(rows.filter(state=LeadSyncState.PUSHED).values_list("remote_id", flat=True))
    removed = set(
        rows.filter(state__in=(LeadSyncState.REMOVED, LeadSyncState.DNC)).values_list(
            "remote_id", flat=True
        )
    )
    return _Listing(
        held_after_removal=held & (removed - pushed),
        missing=(pushed - held) if lists_all else None,
        unknown=held - pushed - removed,
    )


def campaign_lead_drift(*, adapter: BaseAdapter, campaign) -> LeadDrift | None:
    """The campaign's lead drift, or None when it is not on the dialer or the vendor
    documents no listing of its leads."""
    ref = campaign_remote_ref(remote=campaign_remote(campaign=campaign))
    if ref is None:
        return None
    listing = _lead_listing(adapter, campaign, ref, _lead_count(adapter, campaign, ref))
    return None if listing is None else listing.drift()


def _settings_drift(
    adapter: BaseAdapter, campaign, ref: RemoteRef
) -> list[SettingDifference] | None:
    if not adapter.supports(Capability.RECONCILE_SETTINGS):
        return None
    return adapter.campaign_settings_drift(ref, campaign_spec(campaign=campaign))


def _settings_words(differences: list[SettingDifference] | None) -> str:
    """ "maxTryCount: the dialer has 5, the console 3; ...", within the column's 500."""
    words = "; ".join(difference.words for difference in differences or [])
    return words if len(words) <= 500 else f"{words[:499]}…"


def _note(
    adapter: BaseAdapter, counted: _Counted | None, listing: _Listing | None, settings_drift
) -> str:
    """How the leads were compared, and what the check could not compare, in the vendor's
    words (its capability matrix)."""
    reasons = adapter.unsupported_reasons
    notes = [counted.words(adapter.label)] if counted else []
    if listing is None:
        notes.append(
            stored_words(reasons.get(Capability.RECONCILE_LEADS))
            or f"{adapter.label} documents no listing of a campaign's leads."
        )
    elif listing.missing is None:
        notes.append(
            f"{adapter.label} lists only calls still waiting, so missing leads cannot be "
            "told from dialled ones."
        )
    if settings_drift is not None and Capability.RECONCILE_SETTINGS in adapter.capability_notes:
        notes.append(stored_words(adapter.capability_notes[Capability.RECONCILE_SETTINGS]))
    if settings_drift and not adapter.supports(Capability.CAMPAIGN_UPDATE):
        notes.append(
            f"{adapter.label} documents no call to change a campaign: change it in "
            f"{adapter.label}'s portal."
        )
    if settings_drift is None:
        notes.append(
            stored_words(reasons.get(Capability.RECONCILE_SETTINGS))
            or f"{adapter.label} documents no call to read the campaign's settings."
        )
    return " ".join(notes)[:500]


def reconcile_check_run(*, adapter: BaseAdapter, campaign) -> str:
    """Compare the campaign with its dialer and store the drift; enqueue the automatic
    repair the settings allow. Returns a note for the job."""
    remote = campaign_remote(campaign=campaign)
    ref = campaign_remote_ref(remote=remote)
    if ref is None:
        return "The campaign is not on the dialer yet."
    # Leads sent but never confirmed are settled first, so the listing sees their ids.
    leads_confirm_sent(adapter=adapter, ref=ref, campaign=campaign)
    counted = _lead_count(adapter, campaign, ref)
    listing = _lead_listing(adapter, campaign, ref, counted)
    settings_drift = _settings_drift(adapter, campaign, ref)
    drift = listing.drift() if listing else None
    CampaignRemote.objects.filter(pk=remote.pk).update(
        drift_checked_at=timezone.now(),
        drift_held_after_removal=drift.held_after_removal if drift else None,
        drift_missing=drift.missing if drift else None,
        drift_unknown=drift.unknown if drift else None,
        drift_settings=_settings_words(settings_drift),
        drift_note=_note(adapter, counted, listing, settings_drift),
    )
    _mark_state(remote, drift, bool(settings_drift))
    # Settings a vendor cannot update would be "repaired" again at every check.
    repairable = bool(settings_drift) and adapter.supports(Capability.CAMPAIGN_UPDATE)
    _auto_repair(campaign, drift, repairable)
    return ""


def reconcile_check_failed(*, campaign, message: str) -> None:
    """The check failed for good: the last drift found stays, with the failure beside it."""
    CampaignRemote.objects.filter(campaign=campaign).update(
        drift_note=f"The last comparison with the dialer failed: {message}"[:500]
    )


def _mark_state(remote: CampaignRemote, drift: LeadDrift | None, settings_differ: bool) -> None:
    """A campaign in sync whose dialer drifted is out of sync until a check finds it in
    step again. Unknown leads are reported but do not count: the console does not own
    them, so no repair would clear them. A state with an error is left to its job."""
    drifted = settings_differ or bool(drift and (drift.held_after_removal or drift.missing))
    remote.refresh_from_db(fields=["state", "last_error"])
    if drifted and remote.state == CampaignSyncState.IN_SYNC:
        campaign_remote_mark(campaign_id=remote.campaign_id, state=CampaignSyncState.OUT_OF_SYNC)
    elif not drifted and remote.state == CampaignSyncState.OUT_OF_SYNC and not remote.last_error:
        campaign_remote_mark(campaign_id=remote.campaign_id, state=CampaignSyncState.IN_SYNC)


def _auto_repair(campaign, drift: LeadDrift | None, settings_differ: bool) -> None:
    """Re-pushing missing leads and re-sending settings only restore what the console
    holds: safe, on by default. Removing leads is on only when the setting says so."""
    repush = settings.SYNC_RECONCILE_AUTO_REPAIR and (
        settings_differ or bool(drift and drift.missing)
    )
    remove = settings.SYNC_RECONCILE_AUTO_REMOVE and bool(drift and drift.held_after_removal)
    if repush or remove:
        reconcile_repair_enqueue(
            campaign=campaign, reason="Automatic repair after the periodic check", remove=remove
        )


def reconcile_check_enqueue(*, campaign, reason: str) -> SyncJob:
    return sync_job_enqueue(
        account=campaign.vendor_account,
        operation=Operation.RECONCILE_CHECK,
        campaign=campaign,
        reason=reason,
        dedupe_key=f"{Operation.RECONCILE_CHECK}:{campaign.pk}",
    )


def reconcile_repair_enqueue(*, campaign, reason: str, remove: bool = True) -> SyncJob:
    return sync_job_enqueue(
        account=campaign.vendor_account,
        operation=Operation.RECONCILE_REPAIR,
        campaign=campaign,
        reason=reason,
        payload={"remove": remove},
        dedupe_key=f"{Operation.RECONCILE_REPAIR}:{campaign.pk}",
    )


def _remove_held(adapter: BaseAdapter, campaign, ref: RemoteRef, remote_ids: set[str]) -> None:
    rows = LeadSync.objects.filter(campaign=campaign, remote_id__in=remote_ids).select_related(
        "lead"
    )
    for row in rows.order_by("lead_id"):
        try:
            adapter.lead_remove(ref, remote_lead_id=row.remote_id, phone=row.lead.phone)
        except VendorError as exc:
            exc.message = f"Removing {row.lead.phone} from {adapter.label}: {exc.message}"
            raise
        LeadSync.objects.filter(pk=row.pk).update(reason=REMOVED_BY_REPAIR)


def reconcile_repair_run(*, adapter: BaseAdapter, job: SyncJob, still_mine) -> tuple[bool, str]:
    """Repair the drift found now (not the stored one: the dialer may have moved), then
    run the ordinary campaign sync, which re-sends settings and pushes the reset leads,
    and check again. Returns (more work left, note)."""
    campaign = job.campaign
    remote = campaign_remote(campaign=campaign)
    ref = campaign_remote_ref(remote=remote)
    if ref is None:
        return False, "The campaign is not on the dialer yet."
    listing = _lead_listing(adapter, campaign, ref, _lead_count(adapter, campaign, ref))
    if listing and listing.held_after_removal and job.payload.get("remove", True):
        _remove_held(adapter, campaign, ref, listing.held_after_removal)
    with transaction.atomic():
        if listing and listing.missing:
            LeadSync.objects.filter(
                campaign=campaign, state=LeadSyncState.PUSHED, remote_id__in=listing.missing
            ).update(state=LeadSyncState.PENDING, remote_id="", batch="", reason=MISSING_REPUSHED)
        # Forgetting the digest makes the campaign job send the settings again.
        CampaignRemote.objects.filter(pk=remote.pk).update(spec_digest="")
    more, note = campaign_sync_run(adapter=adapter, campaign=campaign, still_mine=still_mine)
    if not more:
        reconcile_check_run(adapter=adapter, campaign=campaign)
    return more, note


def reconcile_due_campaigns():
    """Running campaigns on a dialer whose last check is older than the interval, on
    accounts that are not failing and have no held jobs, with no sync or repair waiting."""
    due_before = timezone.now() - timedelta(minutes=settings.SYNC_RECONCILE_INTERVAL_MINUTES)
    held_accounts = SyncJob.objects.filter(state=JobState.HELD).values("account_id")
    # A campaign the console is still sending to is compared once that work is done.
    busy = SyncJob.objects.filter(
        state__in=(JobState.PENDING, JobState.RUNNING),
        operation__in=(Operation.CAMPAIGN_SYNC, Operation.RECONCILE_REPAIR),
    ).values("campaign_id")
    never_or_long_ago = Q(sync_remote__drift_checked_at__isnull=True) | Q(
        sync_remote__drift_checked_at__lt=due_before
    )
    return (
        Campaign.objects.filter(
            never_or_long_ago,
            status__in=(CampaignStatus.ACTIVE, CampaignStatus.PAUSED),
            vendor_account__isnull=False,
            sync_remote__isnull=False,
        )
        .exclude(sync_remote__remote_ref={})
        .exclude(sync_remote__remote_ref__has_key=ID_UNKNOWN)
        .exclude(vendor_account__health_ok=False)
        .exclude(vendor_account_id__in=held_accounts)
        .exclude(pk__in=busy)
        .select_related("vendor_account")
    )


def sync_reconcile_all() -> int:
    """The beat: enqueue a check for every campaign due one. Returns how many."""
    count = 0
    for campaign in reconcile_due_campaigns():
        reconcile_check_enqueue(campaign=campaign, reason="Periodic reconciliation")
        count += 1
    return count
