"""Reconciliation of campaign settings for every vendor (#15): each emulator's campaign is
changed behind the console's back; where the vendor documents a read of it (Webitel's
dialer, Voicenter's members, jtel's campaign record) the check finds the difference with
both values, the panel shows it, and a repair sends what the console holds (or, where the
vendor documents no update, says where to change it). The others say that settings cannot
be read back from them."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.roles import Role
from sync.models import CampaignRemote, CampaignSyncState, Operation, SyncJob
from sync.services.hooks import campaign_sync_enqueue
from sync.services.reconcile import reconcile_check_enqueue, reconcile_repair_enqueue
from tests.accounts.factories import UserFactory
from tests.sync.conftest import run_jobs
from tests.sync.factories import campaign_on, lead_list_with_leads
from vendors.models import VendorCall


def _on_dialer(kind: str, emulated_account, agents=(), **settings):
    """The campaign on its dialer; ``agents``: their ids on the account (Voicenter's
    members are the campaign's agents, through the field map)."""
    from campaigns.models import AgentRemoteId
    from tests.campaigns.factories import AgentFactory

    account, emulator = emulated_account(kind)
    campaign = campaign_on(account, lead_list=lead_list_with_leads(1), **settings)
    if agents:
        campaign.agents.clear()
    for remote_id in agents:
        agent = AgentFactory(name=f"Agent {remote_id}")
        AgentRemoteId.objects.create(agent=agent, vendor_account=account, remote_id=remote_id)
        campaign.agents.add(agent)
    campaign_sync_enqueue(campaign=campaign, reason="test")
    run_jobs()
    remote = CampaignRemote.objects.get(campaign=campaign)
    return emulator, campaign, remote.remote_ref["remote_id"]


def _check(campaign) -> CampaignRemote:
    reconcile_check_enqueue(campaign=campaign, reason="test")
    run_jobs()
    return CampaignRemote.objects.get(campaign=campaign)


def _panel(client, campaign) -> str:
    client.force_login(UserFactory(role=Role.SUPERVISOR, with_team=True))
    return client.get(reverse("sync:campaign-panel", args=[campaign.pk])).content.decode()


def test_voicenter_members_changed_on_the_dialer_are_found_and_set_again(
    emulated_account, settings, client
):
    settings.SYNC_RECONCILE_AUTO_REPAIR = False
    emulator, campaign, code = _on_dialer(
        "voicenter", emulated_account, agents=["SIP1001", "SIP1003"]
    )
    members = emulator.campaigns[code].members
    assert set(members) == {"SIP1001", "SIP1003"}
    del members["SIP1003"]
    members["SIP1002"] = "Support 2"

    remote = _check(campaign)

    assert remote.drift_settings == (
        "Members: the dialer has SIP1001, SIP1002, the console SIP1001, SIP1003"
    )
    assert remote.state == CampaignSyncState.OUT_OF_SYNC
    assert "strategy and IVR settings cannot be read back from Voicenter" in remote.drift_note
    assert "the console SIP1001, SIP1003" in _panel(client, campaign)

    reconcile_repair_enqueue(campaign=campaign, reason="test")
    run_jobs()
    assert set(emulator.campaigns[code].members) == {"SIP1001", "SIP1003"}
    remote = CampaignRemote.objects.get(campaign=campaign)
    assert remote.drift_settings == ""
    assert remote.state == CampaignSyncState.IN_SYNC
    assert VendorCall.objects.filter(operation="agents").exists()


def test_voicenter_members_the_console_does_not_name_are_left_alone(emulated_account, settings):
    settings.SYNC_RECONCILE_AUTO_REPAIR = False
    emulator, campaign, code = _on_dialer("voicenter", emulated_account, members=[])
    emulator.campaigns[code].members["SIP1002"] = "Support 2"
    assert _check(campaign).drift_settings == ""


def test_a_jtel_campaign_renamed_in_its_portal_is_found_and_not_repaired_in_a_loop(
    emulated_account, settings, client
):
    settings.SYNC_RECONCILE_AUTO_REPAIR = True
    emulator, campaign, campaign_id = _on_dialer("jtel", emulated_account)
    record = emulator.campaigns[int(campaign_id)]
    console_name = record["Name"]
    record["Name"] = "Renamed in jtel"

    remote = _check(campaign)

    assert (
        remote.drift_settings == f"Name: the dialer has Renamed in jtel, the console {console_name}"
    )
    assert remote.state == CampaignSyncState.OUT_OF_SYNC
    assert "jtel documents no call to change a campaign: change it in jtel's portal." in (
        remote.drift_note
    )
    # No update call exists: an automatic repair could not change it and would recur.
    assert not SyncJob.objects.filter(operation=Operation.RECONCILE_REPAIR).exists()
    assert "Renamed in jtel" in _panel(client, campaign)

    record["Name"] = console_name
    assert _check(campaign).drift_settings == ""


def test_a_jtel_campaign_deleted_in_its_portal_is_said(emulated_account, settings):
    settings.SYNC_RECONCILE_AUTO_REPAIR = False
    emulator, campaign, campaign_id = _on_dialer("jtel", emulated_account)
    del emulator.campaigns[int(campaign_id)]
    assert _check(campaign).drift_settings.startswith(
        "the campaign itself: the dialer has nothing (it is gone)"
    )


@pytest.mark.parametrize("kind", ["acefone", "ozonetel"])
def test_vendors_without_a_read_say_settings_cannot_be_read_back(
    kind, emulated_account, settings, client
):
    settings.SYNC_RECONCILE_AUTO_REPAIR = False
    _, campaign, _ = _on_dialer(kind, emulated_account)
    label = {"acefone": "Acefone", "ozonetel": "Ozonetel"}[kind]
    remote = _check(campaign)
    assert f"Settings cannot be read back from {label}" in remote.drift_note
    assert remote.drift_settings == ""
    assert f"Settings cannot be read back from {label}" in _panel(client, campaign)
