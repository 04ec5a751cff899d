"""Journey 3: a supervisor runs a Webitel campaign.

The supervisor attaches a lead list to a Webitel campaign on the sandbox and starts it;
the worker creates the campaign on the dialer, pushes the leads and starts it; the
campaign's sync panel shows it in sync, and after a refresh the dialer's pending calls
equal the leads pushed. Then the supervisor stops it, and the dialer stops too.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from campaigns.models import Campaign, CampaignStatus
from sync.models import CampaignRemote
from tests.campaigns.vendor_data import VALID_SETTINGS
from tests.e2e.conftest import (
    campaign_on,
    click_action,
    lead_list_of,
    login,
    sandbox_account,
    settle,
    snap,
    sync_badge,
)
from vendors.sandbox import sandbox_emulator

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

LEADS = 25
# Long enough for the worker to create, push and start on a slow CI machine.
SYNC_TIMEOUT_MS = 30_000


def dialer_of(campaign) -> dict:
    remote_id = CampaignRemote.objects.get(campaign=campaign).remote_ref["remote_id"]
    return sandbox_emulator("webitel").dialers[remote_id]


def test_a_supervisor_runs_a_webitel_campaign(
    page, live_server, e2e_sandbox, supervisor, celery_worker
):
    account = sandbox_account(e2e_sandbox, "webitel", "Webitel sandbox")
    lead_list = lead_list_of(LEADS, "Mumbai callbacks")
    campaign = campaign_on(
        account, name="Mumbai callbacks", settings=VALID_SETTINGS["webitel"], acting_user=supervisor
    )

    login(page, live_server, supervisor)
    page.get_by_role("navigation").get_by_role("link", name="Campaigns").click()
    page.get_by_role("link", name="Mumbai callbacks").click()

    # Attach the list: the first row of the campaign's lead lists, on by default.
    page.get_by_role("button", name="Edit").click()
    page.get_by_label("Lead list 1", exact=True).select_option(label=str(lead_list))
    expect(page.get_by_label("Active 1", exact=True)).to_be_checked()
    settle(page)
    page.locator("#campaign-form").get_by_role("button", name="Save").click()
    expect(page.get_by_role("status").first).to_contain_text("saved")
    lists = page.locator("article").filter(has_text="Lead lists").locator("ol li")
    expect(lists).to_have_text([f"{lead_list} active"])

    click_action(page, "Start")
    expect(page.get_by_role("status").first).to_contain_text("The campaign is now active.")
    expect(sync_badge(page)).to_have_text("In sync", timeout=SYNC_TIMEOUT_MS)
    panel = page.locator("#sync-panel")
    expect(panel.locator('[data-count="pushed"]')).to_have_text(str(LEADS))
    expect(panel.locator('[data-count="not_pushed"]')).to_have_text("0")
    assert dialer_of(campaign)["active"] is True

    panel.get_by_role("button", name="Refresh").click()
    expect(panel.locator("[data-pending-calls]")).to_have_text(str(LEADS), timeout=SYNC_TIMEOUT_MS)
    pending = int(panel.locator("[data-pending-calls]").inner_text())
    pushed = int(panel.locator('[data-count="pushed"]').inner_text())
    assert pending == pushed == LEADS
    snap(page, "journey3-01-webitel-running-in-sync")

    click_action(page, "Stop")
    confirm = page.locator("#action-confirm")
    expect(confirm).to_contain_text("Webitel is told to stop the campaign")
    confirm.get_by_role("button", name="Stop the campaign").click()
    expect(page.get_by_role("status").first).to_contain_text("The campaign is now stopped.")
    expect(sync_badge(page)).to_have_text("In sync", timeout=SYNC_TIMEOUT_MS)
    assert Campaign.objects.get(pk=campaign.pk).status == CampaignStatus.STOPPED
    assert dialer_of(campaign)["active"] is False
    snap(page, "journey3-02-webitel-stopped")
