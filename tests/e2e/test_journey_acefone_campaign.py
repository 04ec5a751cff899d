"""Journey 1: a supervisor sets up an Acefone campaign.

Log in, add a sandbox Acefone account and test its connection; create an Acefone
campaign with the Preview dial method (auto_dial_duration appears, is required, and is
accepted); save it, start it, link the campaign Acefone created without naming its id,
and watch it sync to the dialer.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from campaigns.models import Campaign
from tests.e2e.conftest import labelled, lead_list_of, login, sandbox_account, settle, snap
from vendors.sandbox import sandbox_credentials, sandbox_emulator, sandbox_state

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

ACCOUNT_NAME = "Acefone (sandbox, e2e)"
CAMPAIGN_NAME = "Diwali follow-up"
LEAD_LIST_NAME = "Diwali leads"
# Acefone's mandatory settings besides the dial method (labels as the form shows them).
ACEFONE_FIELDS = {
    "Name on Acefone": "Diwali follow-up",
    "Outbound caller ID": "918045678900",
    "Disposition list id": "301",
    "Number of retries": "3",
    "Retry after (minutes)": "60",
    "Wrap-up time (seconds)": "30",
    "Dial status": "NEW",
    "Ring timeout (seconds)": "30",
    "Agents": "5101",
}
SYNC_TIMEOUT_MS = 30_000
REQUIRED_IN_PREVIEW = "Auto dial duration is required when Dial method is Preview."


def add_sandbox_account(page, live_server, sandbox_url: str, kind: str, name: str) -> None:
    """Through the Vendors pages: choose the vendor, fill in what its adapter asks for,
    and add the account."""
    page.get_by_role("navigation").get_by_role("link", name="Vendors").click()
    page.get_by_role("button", name="Add a vendor account").click()
    labelled(page, "Name").fill(name)
    labelled(page, "Vendor").select_option(kind)
    credentials = page.locator("#credential-fields fieldset")
    expect(credentials).to_be_visible()
    labelled(page, "Base URL").fill(f"{sandbox_url}/{kind}")
    for field_name, value in sandbox_credentials(kind).items():
        page.locator(f'[name="cred_{field_name}"]').fill(value)
    page.get_by_role("button", name="Add account").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(name)


def test_a_supervisor_sets_up_an_acefone_campaign(
    page, live_server, e2e_sandbox, supervisor, celery_worker
):
    lead_list_of(3, LEAD_LIST_NAME)
    with sandbox_state("acefone") as emulator:
        emulator._list(101)  # made in Acefone's dashboard (no documented API)
    login(page, live_server, supervisor)

    add_sandbox_account(page, live_server, e2e_sandbox, "acefone", ACCOUNT_NAME)
    health = page.locator("#health")
    expect(health).to_contain_text("Not checked")
    health.get_by_role("button", name="Test connection").click()
    expect(health.locator(".badge")).to_have_text("Healthy")
    expect(health).to_contain_text("The vendor said:")
    snap(page, "journey1-01-acefone-account-healthy")

    page.get_by_role("navigation").get_by_role("link", name="Campaigns").click()
    page.get_by_role("button", name="New campaign").click()
    labelled(page, "Name").fill(CAMPAIGN_NAME)
    # A campaign starts only with a lead list to dial: attached here, on by default.
    page.get_by_label("Lead list 1", exact=True).select_option(label=LEAD_LIST_NAME)
    labelled(page, "Vendor account").select_option(label=f"{ACCOUNT_NAME} (Acefone)")
    vendor = page.locator("#vendor-fieldset")
    expect(vendor.locator("legend")).to_contain_text("Acefone settings")
    settle(page)
    # Its leads go to one of Acefone's lists (made in Acefone's dashboard), switched on.
    vendor.get_by_label("Acefone list id 1", exact=True).select_option("101")
    vendor.get_by_label("Active 1", exact=True).check()

    auto_dial = page.locator("#field-vendor-auto_dial_duration")
    labelled(vendor, "Dial method").select_option(label="Preview")
    settle(page)
    expect(auto_dial).to_be_visible()
    expect(page.locator("#field-vendor-dial_ratio")).to_be_hidden()
    for label, value in ACEFONE_FIELDS.items():
        labelled(vendor, label).fill(value)
        settle(page)

    # Saved without it, the form comes back with the reason and everything typed kept.
    page.locator("#campaign-form").get_by_role("button", name="Save").click()
    expect(auto_dial.locator(".field-error")).to_have_text(REQUIRED_IN_PREVIEW)
    expect(labelled(page, "Name")).to_have_value(CAMPAIGN_NAME)
    expect(labelled(vendor, "Outbound caller ID")).to_have_value("918045678900")
    assert not Campaign.objects.filter(name=CAMPAIGN_NAME).exists()
    snap(page, "journey1-02-auto-dial-duration-required")

    labelled(auto_dial, "Auto dial duration").fill("15")
    labelled(auto_dial, "Auto dial duration").press("Tab")  # leaving the field validates it
    settle(page)
    expect(auto_dial.locator(".field-error")).to_have_count(0)
    page.locator("#campaign-form").get_by_role("button", name="Save").click()
    expect(page.get_by_role("status")).to_contain_text(f"Campaign “{CAMPAIGN_NAME}” saved.")
    campaign = Campaign.objects.get(name=CAMPAIGN_NAME)
    assert campaign.vendor_settings["dial_method"] == "1"
    assert campaign.vendor_settings["auto_dial_duration"] == "15"
    assert "dial_ratio" not in campaign.vendor_settings

    # Saved, it is a draft: the dialer gets it when it is started.
    panel = page.locator("#sync-panel")
    expect(panel.locator("[data-sync-state]")).to_have_text("Draft")
    expect(panel).to_contain_text("the dialer gets it when it is started")
    snap(page, "journey1-03-campaign-saved-draft")
    page.get_by_role("region", name="Actions").get_by_role("button", name="Start").click()
    expect(page.get_by_role("status").first).to_contain_text("The campaign is now active.")
    # Acefone's documented create reply is {success, message}, with no id: the campaign
    # is on the dialer, and the page asks the supervisor to link it rather than create
    # it again.
    link = panel.locator("form.remote-link")
    expect(link).to_contain_text("Created on the dialer, id unknown", timeout=SYNC_TIMEOUT_MS)
    expect(panel.get_by_role("button", name="Refresh")).to_be_disabled()
    [remote_id] = list(sandbox_emulator("acefone").campaigns)
    snap(page, "journey1-04-created-id-unknown")
    link.get_by_label("Campaign id on the dialer").fill(remote_id)
    link.get_by_role("button", name="Link").click()
    expect(panel.locator("[data-sync-state]")).to_have_text("In sync", timeout=SYNC_TIMEOUT_MS)
    expect(panel.get_by_role("alert")).to_have_count(0)
    on_dialer = list(sandbox_emulator("acefone").campaigns.values())
    assert [body["name"] for body in on_dialer] == [ACEFONE_FIELDS["Name on Acefone"]]
    assert (on_dialer[0]["dial_method"], on_dialer[0]["auto_dial_duration"]) == ("1", "15")
    snap(page, "journey1-05-campaign-in-sync")


def test_the_preview_shown_at_first_shows_auto_dial_duration(
    page, live_server, e2e_sandbox, supervisor
):
    account = sandbox_account(e2e_sandbox, "acefone", ACCOUNT_NAME)
    login(page, live_server, supervisor)
    page.goto(f"{live_server.url}/campaigns/new/")
    labelled(page, "Vendor account").select_option(str(account.pk))
    vendor = page.locator("#vendor-fieldset")
    expect(vendor.locator("legend")).to_contain_text("Acefone settings")
    expect(labelled(vendor, "Dial method")).to_have_value("1")
    expect(page.locator("#field-vendor-auto_dial_duration")).to_be_visible()
