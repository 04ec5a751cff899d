"""The campaign job: bring the dialer's copy of one campaign in line with the console.

One job does it all, in order, and each step is idempotent, so a retry (or the next
slice of a long push) resumes where the last run stopped: create or link the campaign
(or update it when its spec changed), take off the dialer the leads the console removed
since they were pushed, enrol new leads and push them, then carry out the console status
(start or stop).
"""

from __future__ import annotations

import hashlib
import json
import time
from dataclasses import asdict

from django.conf import settings

from campaigns.models import Campaign, CampaignStatus
from campaigns.spec import campaign_field_map_check, campaign_spec
from dialer_console.errors import ApplicationError
from sync.models import CampaignRemote
from sync.services.push import leads_enroll, leads_push_slice, leads_remove_slice
from sync.services.remote import (
    campaign_remote,
    campaign_remote_id_unknown,
    campaign_remote_id_unknown_mark,
    campaign_remote_ref,
)
from sync.window_gate import leads_take_back_slice
from vendors.adapters.base import BaseAdapter, stored_words
from vendors.adapters.errors import VendorRemoteIdUnknown
from vendors.adapters.types import Capability, RemoteRef

ACTIVE = "active"
ID_UNKNOWN_MESSAGE = (
    "Created on the dialer, id unknown: find the campaign in {vendor} and link it below "
    "with its id; the console will not create it a second time."
)
STOPPED = "stopped"


def _digest(spec) -> str:
    text = json.dumps(asdict(spec), sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def campaign_ensure_remote(*, adapter: BaseAdapter, campaign: Campaign) -> RemoteRef:
    """Create (or, for Voicenter, link) the campaign on the dialer, or update it when
    its spec changed since the dialer last accepted it."""
    remote = campaign_remote(campaign=campaign)
    # What the vendor cannot take (a dial method it lacks, an agent without its id) is
    # refused here, with the reason, before anything is sent.
    campaign_field_map_check(campaign=campaign, before_sync=True)
    spec = campaign_spec(campaign=campaign)
    digest = _digest(spec)
    if campaign_remote_id_unknown(remote=remote):
        raise ApplicationError(ID_UNKNOWN_MESSAGE.format(vendor=adapter.label))
    ref = campaign_remote_ref(remote=remote)
    if ref is None:
        if not (
            adapter.supports(Capability.CAMPAIGN_CREATE)
            or adapter.supports(Capability.CAMPAIGN_LINK)
        ):
            raise ApplicationError(
                stored_words(adapter.unsupported_reasons.get(Capability.CAMPAIGN_CREATE))
                or f"{adapter.label} cannot create or link campaigns from the console."
            )
        try:
            ref = adapter.campaign_create(spec)
        except VendorRemoteIdUnknown as exc:
            # The dialer holds the campaign: record it so no retry creates it twice.
            campaign_remote_id_unknown_mark(remote=remote, extra=exc.extra)
            CampaignRemote.objects.filter(pk=remote.pk).update(spec_digest=digest)
            raise ApplicationError(
                f"{exc.message} {ID_UNKNOWN_MESSAGE.format(vendor=adapter.label)}"
            ) from exc
    elif digest != remote.spec_digest and adapter.supports(Capability.CAMPAIGN_UPDATE):
        ref = adapter.campaign_update(ref, spec)
    # Saved at once: a later step failing must not create the campaign a second time.
    CampaignRemote.objects.filter(pk=remote.pk).update(
        remote_ref=ref.as_json(), spec_digest=digest, account=campaign.vendor_account
    )
    if campaign.replaced_vendor_values:
        # The dialer now holds the campaign's values: the page stops saying it will.
        Campaign.objects.filter(pk=campaign.pk).update(replaced_vendor_values={})
    return ref


def campaign_apply_status(*, adapter: BaseAdapter, campaign: Campaign, ref: RemoteRef) -> str:
    """Start or stop the campaign on the dialer to match the console. Returns a note for
    the job when the vendor cannot do it from here."""
    remote = campaign_remote(campaign=campaign)
    wanted = ACTIVE if campaign.status == CampaignStatus.ACTIVE else STOPPED
    if remote.remote_status == wanted or (wanted == STOPPED and remote.remote_status == ""):
        return ""
    note = ""
    if not adapter.supports(Capability.CAMPAIGN_START_STOP):
        note = (
            stored_words(adapter.unsupported_reasons.get(Capability.CAMPAIGN_START_STOP))
            or f"{adapter.label} cannot be started or stopped from the console."
        )
    elif wanted == ACTIVE:
        adapter.campaign_start(ref)
    else:
        adapter.campaign_stop(ref)
    CampaignRemote.objects.filter(pk=remote.pk).update(remote_status=wanted)
    return note


def campaign_sync_run(*, adapter: BaseAdapter, campaign: Campaign, still_mine) -> tuple[bool, str]:
    """One slice of the campaign job. Returns (more work left, note for the job)."""
    if campaign.status == CampaignStatus.DRAFT:
        return False, "The campaign is a draft: nothing is sent to the dialer until it starts."
    ref = campaign_ensure_remote(adapter=adapter, campaign=campaign)
    deadline = time.monotonic() + settings.SYNC_JOB_SLICE_SECONDS
    slice_args = {
        "adapter": adapter,
        "ref": ref,
        "campaign": campaign,
        "deadline": deadline,
        "still_mine": still_mine,
    }
    # Removals first: a lead taken back in the console must stop being called soonest.
    more = leads_remove_slice(**slice_args)
    # Then the leads whose calling window closed before the dialer reached them.
    more = more or leads_take_back_slice(**slice_args)
    if campaign.status != CampaignStatus.ARCHIVED and not more:
        leads_enroll(campaign=campaign)
        more = leads_push_slice(**slice_args)
        # A batch that was in flight when its leads were removed has landed since.
        more = more or leads_remove_slice(**slice_args)
    note = campaign_apply_status(adapter=adapter, campaign=campaign, ref=ref)
    return more, note
