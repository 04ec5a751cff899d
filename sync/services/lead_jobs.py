"""Jobs about one lead on one campaign's dialer: remove it, report its call result,
terminate it."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from dialer_console.errors import ApplicationError
from leads.models import Lead, LeadStatus
from sync.models import LeadSync, LeadSyncState, SyncJob
from sync.services.remote import campaign_remote, campaign_remote_ref
from vendors.adapters.base import BaseAdapter, stored_words
from vendors.adapters.errors import VendorTemporaryError
from vendors.adapters.types import Capability, RemoteRef


def _lead_on_dialer(job: SyncJob) -> tuple[LeadSync | None, RemoteRef | None]:
    row = LeadSync.objects.filter(campaign_id=job.campaign_id, lead_id=job.lead_id).first()
    ref = campaign_remote_ref(remote=campaign_remote(campaign=job.campaign))
    return row, ref


def _require(adapter: BaseAdapter, capability: Capability) -> None:
    if not adapter.supports(capability):
        raise ApplicationError(
            stored_words(adapter.unsupported_reasons.get(capability))
            or f"{adapter.label} has no call for this."
        )


def _state_when_gone(job: SyncJob) -> str:
    """A lead taken off a dialer because its number went on the do-not-call list counts as
    DNC, not as removed: the sync panel's DNC figure must include it."""
    on_dnc_list = Lead.objects.filter(pk=job.lead_id, status=LeadStatus.DNC).exists()
    return LeadSyncState.DNC if on_dnc_list else LeadSyncState.REMOVED


def lead_remove_run(*, adapter: BaseAdapter, job: SyncJob) -> str:
    """Take the lead off the dialer. A lead never sent is simply not sent."""
    gone = _state_when_gone(job)
    with transaction.atomic():
        never_sent = LeadSync.objects.filter(
            campaign_id=job.campaign_id, lead_id=job.lead_id, state=LeadSyncState.PENDING
        ).update(state=gone, reason="Removed before it was sent.")
    if never_sent:
        return "The lead had not been sent yet; it will not be."
    row, ref = _lead_on_dialer(job)
    if row is not None and row.state == LeadSyncState.SENDING:
        raise VendorTemporaryError("The lead is being pushed right now; removing it after that.")
    if row is None or row.state != LeadSyncState.PUSHED or ref is None:
        return "The lead is not on the dialer; nothing to remove."
    _require(adapter, Capability.LEAD_REMOVE)
    adapter.lead_remove(ref, remote_lead_id=row.remote_id, phone=job.payload.get("phone", ""))
    reason = "Taken off the dialer: the number is on the do-not-call list."
    LeadSync.objects.filter(pk=row.pk).update(
        state=gone, reason=reason if gone == LeadSyncState.DNC else "Removed."
    )
    return ""


def lead_call_result_run(*, adapter: BaseAdapter, job: SyncJob) -> str:
    row, ref = _lead_on_dialer(job)
    if row is None or row.state != LeadSyncState.PUSHED or ref is None or not row.remote_id:
        raise ApplicationError(_("The lead is not on the dialer, so it has no call to report."))
    _require(adapter, Capability.CALL_RESULT)
    adapter.lead_call_result(
        ref,
        remote_lead_id=row.remote_id,
        disposition=str(job.payload.get("disposition", "")),
        success=bool(job.payload.get("success", False)),
    )
    return ""


def lead_schedule_call_run(*, adapter: BaseAdapter, job: SyncJob) -> str:
    """Schedule a callback on the dialer (Acefone schedule_call) at the payload's time."""
    from datetime import datetime

    row, ref = _lead_on_dialer(job)
    if row is None or ref is None:
        raise ApplicationError("The campaign or the lead is not on the dialer yet.")
    _require(adapter, Capability.SCHEDULE_CALL)
    adapter.lead_schedule_call(
        ref,
        phone=str(job.payload.get("phone", "")),
        when=datetime.fromisoformat(job.payload["when"]),
        name=str(job.payload.get("name", "")),
    )
    return ""


def lead_terminate_run(*, adapter: BaseAdapter, job: SyncJob) -> str:
    row, ref = _lead_on_dialer(job)
    if row is None or row.state != LeadSyncState.PUSHED or ref is None or not row.remote_id:
        raise ApplicationError(_("The lead is not on the dialer, so there is nothing to stop."))
    _require(adapter, Capability.LEAD_TERMINATE)
    adapter.lead_terminate(ref, remote_lead_id=row.remote_id)
    LeadSync.objects.filter(pk=row.pk).update(reason="Dialling stopped for good (terminated).")
    return ""
