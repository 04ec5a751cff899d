"""What people ask for from the pages and the API: refresh pending counts now, push
failed leads again, stop dialling a lead for good."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from campaigns.models import Campaign
from dialer_console.errors import ApplicationError
from sync.models import CampaignRemote, JobState, LeadSync, LeadSyncState, Operation, SyncJob
from sync.services.hooks import campaign_sync_enqueue
from sync.services.jobs import sync_job_enqueue
from sync.services.push import leads_failed_requeue
from sync.services.reconcile import reconcile_check_enqueue, reconcile_repair_enqueue
from sync.services.remote import campaign_remote_id_unknown
from vendors.adapters.types import Capability


def _require_account(campaign: Campaign) -> None:
    if not campaign.vendor_account_id:
        raise ApplicationError(_("The campaign has no vendor account."))


def sync_pending_refresh_enqueue(
    *, campaign: Campaign, reason: str = "Refresh asked for"
) -> SyncJob:
    _require_account(campaign)
    remote = CampaignRemote.objects.filter(campaign=campaign).first()
    if remote is None or not remote.remote_ref:
        raise ApplicationError(
            _("The campaign is not on the dialer yet, so it has no pending calls.")
        )
    if campaign_remote_id_unknown(remote=remote):
        raise ApplicationError(_("Link the campaign with its id on the dialer first."))
    return sync_job_enqueue(
        account=campaign.vendor_account,
        operation=Operation.PENDING_REFRESH,
        campaign=campaign,
        reason=reason,
        dedupe_key=f"{Operation.PENDING_REFRESH}:{campaign.pk}",
    )


def _require_on_dialer(campaign: Campaign) -> None:
    _require_account(campaign)
    remote = CampaignRemote.objects.filter(campaign=campaign).first()
    if remote is None or not remote.remote_ref:
        raise ApplicationError(
            _("The campaign is not on the dialer yet: there is nothing to compare.")
        )
    if campaign_remote_id_unknown(remote=remote):
        raise ApplicationError(_("Link the campaign with its id on the dialer first."))


def sync_reconcile_check_enqueue(*, campaign: Campaign) -> SyncJob:
    """“Check now”: compare the campaign with its dialer."""
    _require_on_dialer(campaign)
    return reconcile_check_enqueue(campaign=campaign, reason="Check asked for")


def sync_reconcile_repair_enqueue(*, campaign: Campaign) -> SyncJob:
    """“Repair”: remove from the dialer what the console removed, push again what it
    lacks, send the settings again, then check."""
    _require_on_dialer(campaign)
    return reconcile_repair_enqueue(campaign=campaign, reason="Repair asked for", remove=True)


REMOTE_ID_MAX_LENGTH = 120


@transaction.atomic
def sync_campaign_link(*, campaign: Campaign, remote_id: str) -> SyncJob | None:
    """Link a campaign the dialer created without telling its id ("created on the dialer,
    id unknown") to the id a supervisor found in the vendor's portal, then sync it: the
    campaign is never created a second time."""
    _require_account(campaign)
    remote_id = (remote_id or "").strip()
    if not remote_id:
        raise ApplicationError(_("Enter the campaign's id on the dialer."))
    if len(remote_id) > REMOTE_ID_MAX_LENGTH or any(ch.isspace() for ch in remote_id):
        raise ApplicationError(
            _("A dialer id is one word of at most %(remote_id_max_length)s characters.")
            % {"remote_id_max_length": REMOTE_ID_MAX_LENGTH}
        )
    remote = CampaignRemote.objects.select_for_update().filter(campaign=campaign).first()
    if not campaign_remote_id_unknown(remote=remote):
        raise ApplicationError(_("This campaign's id on the dialer is already known."))
    extra = dict((remote.remote_ref or {}).get("extra") or {})
    CampaignRemote.objects.filter(pk=remote.pk).update(
        remote_ref={"remote_id": remote_id, "extra": extra}, last_error=""
    )
    # The failed create's call to action is answered by the link itself.
    SyncJob.objects.filter(
        campaign=campaign, operation=Operation.CAMPAIGN_SYNC, state=JobState.FAILED
    ).update(needs_attention=False)
    return campaign_sync_enqueue(campaign=campaign, reason=f"Linked to dialer id {remote_id}")


@transaction.atomic
def sync_failed_leads_requeue(*, campaign: Campaign) -> int:
    """“Push failed leads again”, after fixing them or checking the dialer."""
    _require_account(campaign)
    count = leads_failed_requeue(campaign=campaign)
    if not count:
        raise ApplicationError(_("No lead of this campaign failed to push."))
    campaign_sync_enqueue(campaign=campaign, reason=f"{count} failed lead(s) pushed again")
    return count


@transaction.atomic
def sync_lead_terminate(*, campaign: Campaign, lead) -> SyncJob:
    """Stop the dialer calling this lead for good (Webitel's terminate)."""
    _require_account(campaign)
    from vendors.services import vendor_adapter_class

    adapter_class = vendor_adapter_class(campaign.vendor_account.kind)
    if not adapter_class.supports(Capability.LEAD_TERMINATE):
        raise ApplicationError(
            adapter_class.unsupported_reasons.get(Capability.LEAD_TERMINATE)
            or f"{adapter_class.label} cannot stop dialling one lead."
        )
    pushed = LeadSync.objects.filter(
        campaign=campaign, lead=lead, state=LeadSyncState.PUSHED
    ).exclude(remote_id="")
    if not pushed.exists():
        raise ApplicationError(_("This lead is not on the campaign's dialer."))
    return sync_job_enqueue(
        account=campaign.vendor_account,
        operation=Operation.LEAD_TERMINATE,
        campaign=campaign,
        lead_id=lead.pk,
        reason=f"Terminate {lead.phone} asked for",
        dedupe_key=f"{Operation.LEAD_TERMINATE}:{campaign.pk}:{lead.pk}",
    )


def sync_pending_refresh_all() -> int:
    """The periodic refresh: every campaign that is on a dialer and not archived."""
    from campaigns.models import CampaignStatus

    campaigns = (
        Campaign.objects.filter(sync_remote__isnull=False, vendor_account__isnull=False)
        .exclude(sync_remote__remote_ref={})
        .exclude(status=CampaignStatus.ARCHIVED)
    )
    count = 0
    for campaign in campaigns.select_related("vendor_account", "sync_remote"):
        with transaction.atomic():
            sync_pending_refresh_enqueue(campaign=campaign, reason="Periodic refresh")
        count += 1
    return count
