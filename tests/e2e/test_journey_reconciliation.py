"""Journey: a supervisor finds a dialer that drifted from the console and repairs it.

A running campaign is in sync; then its dialer changes behind the console's back (in the
sandbox): on Webitel a member is deleted and a setting changed, on Voicenter a lead the
console removed is still pending (its removal never reached the dialer). The supervisor
clicks **Check now**: the sync panel says the drift in words. **Repair** runs a repair
job through the real worker, and the panel says the campaign is in step again.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from campaigns.models import AgentRemoteId, CampaignStatus
from campaigns.services import campaign_transition
from leads.models import LeadStatus
from sync.models import CampaignRemote, LeadSync, LeadSyncState, Operation, SyncJob
from tests.campaigns.factories import AgentFactory
from tests.campaigns.vendor_data import VALID_SETTINGS
from tests.e2e.conftest import campaign_on, lead_list_of, login, sandbox_account, snap, sync_badge
from vendors.models import VendorCall
from vendors.sandbox_state import sandbox_emulator, sandbox_state

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

LEADS = 6
SYNC_TIMEOUT_MS = 30_000
# The form offers the campaigns the dialer lists: the sandbox's enabled one.
SETTINGS = {**VALID_SETTINGS, "voicenter": {"Code": "vcsbx0001morning"}}


def _running(e2e_sandbox, supervisor, kind: str, name: str):
    account = sandbox_account(e2e_sandbox, kind, f"{kind} sandbox")
    lead_list = lead_list_of(LEADS, name)
    campaign = campaign_on(
        account,
        name=name,
        settings=SETTINGS[kind],
        acting_user=supervisor,
        lead_lists=[lead_list],
    )
    campaign_transition(campaign=campaign, to_status=CampaignStatus.ACTIVE, acting_user=supervisor)
    return campaign


def _open_panel(page, live_server, supervisor, campaign):
    page.set_viewport_size({"width": 1366, "height": 900})
    login(page, live_server, supervisor)
    page.goto(f"{live_server.url}/campaigns/{campaign.pk}/")
    expect(sync_badge(page)).to_have_text("In sync", timeout=SYNC_TIMEOUT_MS)
    panel = page.locator("#sync-panel")
    expect(panel.locator('[data-count="pushed"]')).to_have_text(str(LEADS))
    return panel


def _check_then_repair(page, panel, drift_words: str, name: str, settings) -> None:
    panel.get_by_role("button", name="Check now").click()
    drift = page.locator("#sync-panel [data-drift]")
    expect(drift).to_have_text(drift_words, timeout=SYNC_TIMEOUT_MS)
    expect(page.locator("#sync-panel").get_by_text("Checked")).to_be_visible()
    expect(sync_badge(page)).to_have_text("Out of sync")
    snap(page, f"journey-reconcile-{name}-01-drift")

    page.locator("#sync-panel").get_by_role("button", name="Repair").click()
    expect(page.locator("#sync-panel [data-drift]")).to_have_attribute(
        "data-drift", "none", timeout=SYNC_TIMEOUT_MS
    )
    expect(page.locator("#sync-panel").get_by_role("button", name="Repair")).to_have_count(0)
    expect(sync_badge(page)).to_have_text("In sync")
    snap(page, f"journey-reconcile-{name}-02-repaired")
    page.set_viewport_size({"width": 390, "height": 844})
    snap(page, f"journey-reconcile-{name}-03-repaired-narrow")
    repair = SyncJob.objects.get(operation=Operation.RECONCILE_REPAIR)
    assert repair.state == "done"


def test_a_supervisor_repairs_a_drifted_webitel_campaign(
    page, live_server, e2e_sandbox, supervisor, celery_worker, settings
):
    # The supervisor is to see the drift before it is repaired: no automatic repair.
    settings.SYNC_RECONCILE_AUTO_REPAIR = False
    campaign = _running(e2e_sandbox, supervisor, "webitel", "Pune renewals")
    panel = _open_panel(page, live_server, supervisor, campaign)

    remote_id = CampaignRemote.objects.get(campaign=campaign).remote_ref["remote_id"]
    gone = LeadSync.objects.filter(campaign=campaign).order_by("lead_id").first().remote_id
    with sandbox_state("webitel") as emulator:  # behind the console's back
        del emulator.members[remote_id][gone]
        emulator.dialers[remote_id]["priority"] = 42

    _check_then_repair(
        page,
        panel,
        "1 lead the console pushed is missing; the dialer's settings differ "
        "(priority: the dialer has 42, the console 0).",
        "webitel",
        settings,
    )
    dialer = sandbox_emulator("webitel")
    assert len(dialer.members[remote_id]) == LEADS
    assert dialer.dialers[remote_id]["priority"] == 0
    assert VendorCall.objects.filter(operation="members_list").exists()


def test_a_supervisor_repairs_a_drifted_voicenter_campaign(
    page, live_server, e2e_sandbox, supervisor, celery_worker, settings
):
    settings.SYNC_RECONCILE_AUTO_REPAIR = False
    campaign = _running(e2e_sandbox, supervisor, "voicenter", "Haifa reminders")
    panel = _open_panel(page, live_server, supervisor, campaign)

    # A lead removed in the console whose removal never reached the dialer.
    row = LeadSync.objects.filter(campaign=campaign).order_by("lead_id").first()
    row.lead.status = LeadStatus.REMOVED
    row.lead.save(update_fields=["status"])
    LeadSync.objects.filter(pk=row.pk).update(state=LeadSyncState.REMOVED)
    code = CampaignRemote.objects.get(campaign=campaign).remote_ref["remote_id"]
    assert row.remote_id in sandbox_emulator("voicenter").pending_targets(code)

    _check_then_repair(
        page, panel, "The dialer holds 1 lead the console removed.", "voicenter", settings
    )
    assert row.remote_id not in sandbox_emulator("voicenter").pending_targets(code)
    # The repair counted the pending calls again: the removed lead is no longer among them.
    expect(panel.locator("[data-pending-calls]")).to_have_text(str(LEADS - 1))
    assert VendorCall.objects.filter(operation="pending_calls").exists()
    assert VendorCall.objects.filter(operation="lead_remove").exists()


def test_a_supervisor_repairs_voicenter_members_changed_on_the_dialer(
    page, live_server, e2e_sandbox, supervisor, celery_worker, settings
):
    """Settings are compared too, by the one read Voicenter documents: its members."""
    settings.SYNC_RECONCILE_AUTO_REPAIR = False
    account = sandbox_account(e2e_sandbox, "voicenter", "voicenter sandbox")
    campaign = campaign_on(
        account,
        name="Eilat members",
        settings=SETTINGS["voicenter"],
        acting_user=supervisor,
        lead_lists=[lead_list_of(LEADS, "Eilat members")],
    )
    # Its members are its agents' Voicenter ids (the field map).
    campaign.agents.clear()
    for remote_id in ("SIP1001", "SIP1003"):
        agent = AgentFactory(name=f"Agent {remote_id}")
        AgentRemoteId.objects.create(agent=agent, vendor_account=account, remote_id=remote_id)
        campaign.agents.add(agent)
    campaign_transition(campaign=campaign, to_status=CampaignStatus.ACTIVE, acting_user=supervisor)
    panel = _open_panel(page, live_server, supervisor, campaign)
    code = CampaignRemote.objects.get(campaign=campaign).remote_ref["remote_id"]
    with sandbox_state("voicenter") as emulator:  # someone edits the members in the portal
        del emulator.campaigns[code].members["SIP1003"]

    _check_then_repair(
        page,
        panel,
        "The dialer's settings differ (Members: the dialer has SIP1001, the console SIP1001, "
        "SIP1003).",
        "voicenter-members",
        settings,
    )
    assert set(sandbox_emulator("voicenter").campaigns[code].members) == {"SIP1001", "SIP1003"}
