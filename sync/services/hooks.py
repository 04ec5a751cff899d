"""What the campaigns and leads services call, inside their own transaction, when
something changes that a dialer must learn about. Each writes the outbox row in that
transaction (so the change and its sync commit together) and Celery gets the id after
commit. Nothing here talks to a vendor."""

from __future__ import annotations

from campaigns.models import Campaign, CampaignStatus
from sync.models import CampaignSyncState, LeadSync, LeadSyncState, Operation, SyncJob
from sync.services.jobs import sync_job_enqueue
from sync.services.remote import campaign_remote_mark
from vendors.adapters.types import Capability


def _syncable(campaign: Campaign) -> bool:
    """Drafts stay in the console: the dialer gets a campaign when it is first started."""
    return bool(campaign.vendor_account_id) and campaign.status != CampaignStatus.DRAFT


def campaign_sync_enqueue(*, campaign: Campaign, reason: str) -> SyncJob | None:
    """Queue the campaign job (once: it is merged with one already waiting)."""
    if not _syncable(campaign):
        return None
    job = sync_job_enqueue(
        account=campaign.vendor_account,
        operation=Operation.CAMPAIGN_SYNC,
        campaign=campaign,
        reason=reason,
        dedupe_key=f"{Operation.CAMPAIGN_SYNC}:{campaign.pk}",
    )
    if job.state != "held":
        campaign_remote_mark(campaign_id=campaign.pk, state=CampaignSyncState.SYNCING)
    return job


def sync_on_campaign_saved(*, campaign: Campaign) -> SyncJob | None:
    return campaign_sync_enqueue(campaign=campaign, reason="Campaign saved")


def sync_on_campaign_status_changed(*, campaign: Campaign) -> SyncJob | None:
    return campaign_sync_enqueue(
        campaign=campaign, reason=f"Campaign {campaign.get_status_display().lower()}"
    )


def sync_on_lead_list_attached(*, campaign: Campaign, lead_list) -> SyncJob | None:
    return campaign_sync_enqueue(campaign=campaign, reason=f"Lead list “{lead_list}” attached")


def sync_on_import_finished(*, import_job) -> list[SyncJob]:
    """Every synced campaign dialling the import's list pushes the new leads."""
    campaigns = Campaign.objects.filter(
        list_links__lead_list_id=import_job.lead_list_id, list_links__active=True
    ).select_related("vendor_account")
    reason = f"Import of {import_job.original_name} finished"
    return [
        job
        for campaign in campaigns
        if (job := campaign_sync_enqueue(campaign=campaign, reason=reason)) is not None
    ]


def sync_on_import_undone(*, import_job) -> list[SyncJob]:
    """The undone import's leads that dialers hold were kept as REMOVED: each campaign
    holding some gets its job, which takes them off its dialer
    (``push.leads_remove_slice``)."""
    holding = LeadSync.objects.filter(
        lead__import_job=import_job,
        state__in=(LeadSyncState.SENDING, LeadSyncState.PUSHED),
    ).values("campaign_id")
    campaigns = Campaign.objects.filter(pk__in=holding).select_related("vendor_account")
    reason = f"Import of {import_job.original_name} undone"
    return [
        job
        for campaign in campaigns
        if (job := campaign_sync_enqueue(campaign=campaign, reason=reason)) is not None
    ]


def sync_on_lead_removed(*, lead, reason: str = "") -> list[SyncJob]:
    """Take the lead off every dialer it was queued for or sent to. ``reason`` replaces
    the default one, which names the number (an erasure must not)."""
    rows = LeadSync.objects.filter(
        lead=lead,
        state__in=(LeadSyncState.PENDING, LeadSyncState.SENDING, LeadSyncState.PUSHED),
    ).select_related("campaign__vendor_account")
    jobs = []
    for row in rows:
        campaign = row.campaign
        if not campaign.vendor_account_id:
            continue
        jobs.append(
            sync_job_enqueue(
                account=campaign.vendor_account,
                operation=Operation.LEAD_REMOVE,
                campaign=campaign,
                lead_id=lead.pk,
                payload={"phone": lead.phone},
                reason=reason or f"Lead {lead.phone} removed",
                dedupe_key=f"{Operation.LEAD_REMOVE}:{campaign.pk}:{lead.pk}",
            )
        )
    return jobs


def campaign_waits_for_result(campaign: Campaign) -> bool:
    """Webitel's dialer holds each member until its result is reported only when the
    campaign's ``waitingForResultStatus`` is on (its settings form stores it under
    ``parameters``); only then does the console send call results."""
    from vendors.adapters.webitel.payloads import RESULT_STATUS_FLAG

    parameters = (campaign.vendor_settings or {}).get("parameters") or {}
    return bool(parameters.get(RESULT_STATUS_FLAG))


def sync_on_lead_dispositioned(
    *, lead, campaign: Campaign, disposition: str, success: bool = False
) -> SyncJob | None:
    """Send the call result when the campaign's dialer waits for one."""
    if not _syncable(campaign):
        return None
    from vendors.services import vendor_adapter_class

    adapter_class = vendor_adapter_class(campaign.vendor_account.kind)
    if not adapter_class.supports(Capability.CALL_RESULT) or not campaign_waits_for_result(
        campaign
    ):
        return None
    return sync_job_enqueue(
        account=campaign.vendor_account,
        operation=Operation.LEAD_CALL_RESULT,
        campaign=campaign,
        lead_id=lead.pk,
        payload={"disposition": disposition, "success": success},
        reason=f"Disposition {disposition} recorded for {lead.phone}",
    )
