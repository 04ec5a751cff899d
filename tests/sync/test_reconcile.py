"""Reconciliation, first step: the drift between what the console pushed or removed and
what the dialer lists, made by changing the emulator behind the console's back."""

from __future__ import annotations

import copy

import pytest

from sync.models import CampaignRemote, LeadSync, LeadSyncState
from sync.services.adapters import sync_adapter
from sync.services.hooks import campaign_sync_enqueue
from sync.services.reconcile import LeadDrift, campaign_lead_drift
from tests.sync.conftest import run_jobs
from tests.sync.factories import campaign_on, lead_list_with_leads


def _drop(kind: str, emulator, remote_id: str, campaign_id: str) -> None:
    if kind == "webitel":
        del emulator.members[campaign_id][remote_id]
    else:
        [contact] = [c for c in emulator.contacts.values() if c.get("UserData") == remote_id]
        emulator._drop_contact(contact["ID"])


def _add_stranger(kind: str, emulator, campaign_id: str) -> None:
    if kind == "webitel":
        member = copy.deepcopy(next(iter(emulator.members[campaign_id].values())))
        member["_id"] = "f" * 24
        emulator.members[campaign_id][member["_id"]] = member
    else:
        emulator._add_contact(
            {"Name": "Stranger", "PhoneNumber1": "+4930999", "UserData": "not-ours",
             "DiallerCampaignsID": int(campaign_id)}
        )  # fmt: skip


@pytest.mark.parametrize("kind", ["webitel", "jtel"])
def test_drift_is_detected_both_ways(kind, emulated_account):
    account, emulator = emulated_account(kind)
    campaign = campaign_on(account, lead_list=lead_list_with_leads(5))
    campaign_sync_enqueue(campaign=campaign, reason="test")
    run_jobs()
    adapter = sync_adapter(account=account)
    assert campaign_lead_drift(adapter=adapter, campaign=campaign) == LeadDrift(0, 0, 0)

    remote_id = CampaignRemote.objects.get(campaign=campaign).remote_ref["remote_id"]
    rows = list(LeadSync.objects.filter(campaign=campaign).order_by("lead_id"))
    _drop(kind, emulator, rows[0].remote_id, remote_id)  # deleted behind the console's back
    _add_stranger(kind, emulator, remote_id)  # a lead the console never pushed
    # The console took this lead back, but the dialer still holds it.
    LeadSync.objects.filter(pk=rows[1].pk).update(state=LeadSyncState.REMOVED)

    drift = campaign_lead_drift(adapter=adapter, campaign=campaign)
    assert drift == LeadDrift(held_after_removal=1, missing=1, unknown=1)
    assert drift.any


def test_a_vendor_without_a_listing_reports_no_drift(emulated_account):
    account, _ = emulated_account("ozonetel")
    campaign = campaign_on(account)
    CampaignRemote.objects.update_or_create(
        campaign=campaign, defaults={"remote_ref": {"remote_id": "Sandbox_Outbound"}}
    )
    assert campaign_lead_drift(adapter=sync_adapter(account=account), campaign=campaign) is None
