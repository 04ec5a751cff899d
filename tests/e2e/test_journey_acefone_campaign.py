"""Journey 1: a supervisor sets up an Acefone campaign, typing no value twice.

Log in, add a sandbox Acefone account and test its connection; give an agent and a
disposition list their Acefone ids on their own pages; create the campaign with its own
fields (name, Preview, caller ID, agent, disposition list, retries...): the Acefone
fieldset shows each of those read-only, from the campaign, and asks only for Acefone's
own fields (auto_dial_duration appears with Preview, is required, and is accepted); save
it, start it, link the campaign Acefone created without naming its id, and watch it sync:
the dialer holds the campaign's values.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from campaigns.models import Campaign
from tests.e2e.conftest import labelled, lead_list_of, login, sandbox_account, settle, snap
from vendors.sandbox import sandbox_credentials, sandbox_emulator, sandbox_state

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

ACCOUNT_NAME = "Acefone (sandbox, e2e)"
CAMPAIGN_NAME = "Diwali follow-up"
LEAD_LIST_NAME = "Diwali leads"
AGENT = "Asha Rao"
DISPOSITIONS = "Diwali outcomes"
# The Acefone fields the campaign decides (Acefone's field map), as the fieldset shows them.
DERIVED_SHOWN = {
    "name": CAMPAIGN_NAME,
    "dial_method": "Preview",
    "outbound_caller_id": "+918045678900",
    "disposition_list": f"{DISPOSITIONS} (id 301)",
    "number_of_retry": "4",
    "agent": f"{AGENT} (id 5101)",
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


def add_agent_and_dispositions(page, account_name: str) -> None:
    """Each typed once, on its own page, with its Acefone id."""
    page.get_by_role("navigation").get_by_role("link", name="Campaigns").click()
    page.get_by_role("link", name="Agents").first.click()
    page.get_by_role("button", name="New agent").click()
    labelled(page, "Name").fill(AGENT)
    labelled(page, f"Id on {account_name} (Acefone)").fill("5101")
    page.get_by_role("button", name="Save").click()
    page.get_by_role("link", name="Disposition lists").first.click()
    page.get_by_role("button", name="New disposition list").click()
    labelled(page, "Name").fill(DISPOSITIONS)
    page.get_by_label("Short code 1").fill("SALE")
    page.get_by_label("Label 1").fill("Sale")
    labelled(page, f"Id on {account_name} (Acefone)").fill("301")
    snap(page, "journey1-02-disposition-list-acefone-id")
    page.get_by_role("button", name="Save").click()


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
    add_agent_and_dispositions(page, ACCOUNT_NAME)

    page.get_by_role("banner").get_by_role("link", name="Campaigns").click()
    page.get_by_role("button", name="New campaign").click()
    form = page.locator("#campaign-form")
    labelled(form, "Name").fill(CAMPAIGN_NAME)
    # A campaign starts only with a lead list to dial: attached here, on by default.
    page.get_by_label("Lead list 1", exact=True).select_option(label=LEAD_LIST_NAME)
    labelled(form, "Vendor account").select_option(label=f"{ACCOUNT_NAME} (Acefone)")
    vendor = page.locator("#vendor-fieldset")
    expect(vendor.locator("legend")).to_contain_text("Acefone settings")
    settle(page)
    # Its leads go to one of Acefone's lists, chosen from those the dialer lists.
    vendor.get_by_label("Acefone list id 1", exact=True).select_option("101")
    vendor.get_by_label("Active 1", exact=True).check()
    # The new campaign's default dial method is one Acefone does not have: said at once.
    expect(page.locator("#field-vendor-dial_method")).to_contain_text(
        "Acefone cannot dial “Progressive”"
    )
    labelled(form, "Dial method").select_option(label="Preview")
    settle(page)
    labelled(form, "Caller ID").fill("+918045678900")
    labelled(form, "Caller ID").press("Tab")
    settle(page)
    form.get_by_label(AGENT).check()
    settle(page)
    labelled(form, "Disposition list").select_option(label=DISPOSITIONS)
    settle(page)
    labelled(form, "Retry count").fill("4")
    labelled(form, "Retry count").press("Tab")
    settle(page)

    # Every value the campaign holds is shown in Acefone's fieldset, read-only, with a
    # link to the campaign field: nothing is asked twice.
    for field, shown in DERIVED_SHOWN.items():
        derived = page.locator(f"#field-vendor-{field}")
        expect(derived.locator(".derived-value")).to_have_text(shown)
        expect(derived.get_by_role("link")).to_have_attribute("href", re.compile(r"^#field-"))
        expect(derived.locator("input:not([type=hidden]), select")).to_have_count(0)
    auto_dial = page.locator("#field-vendor-auto_dial_duration")
    expect(auto_dial).to_be_visible()
    expect(page.locator("#field-vendor-dial_ratio")).to_be_hidden()
    labelled(vendor, "Dial status").fill("NEW")
    settle(page)
    page.locator("#field-vendor-number_of_retry").scroll_into_view_if_needed()
    snap(page, "journey1-03-derived-fields-from-the-campaign")

    # Saved without it, the form comes back with the reason and everything typed kept.
    form.get_by_role("button", name="Save").click()
    expect(auto_dial.locator(".field-error")).to_have_text(REQUIRED_IN_PREVIEW)
    expect(labelled(page, "Name")).to_have_value(CAMPAIGN_NAME)
    expect(labelled(vendor, "Dial status")).to_have_value("NEW")
    assert not Campaign.objects.filter(name=CAMPAIGN_NAME).exists()
    snap(page, "journey1-04-auto-dial-duration-required")

    labelled(auto_dial, "Auto dial duration").fill("15")
    labelled(auto_dial, "Auto dial duration").press("Tab")  # leaving the field validates it
    settle(page)
    expect(auto_dial.locator(".field-error")).to_have_count(0)
    page.locator("#campaign-form").get_by_role("button", name="Save").click()
    expect(page.get_by_role("status")).to_contain_text(f"Campaign “{CAMPAIGN_NAME}” saved.")
    campaign = Campaign.objects.get(name=CAMPAIGN_NAME)
    assert campaign.vendor_settings == {
        "auto_dial_duration": "15",
        "dial_status": ["NEW"],
        "hide_lead_details": 0,
        "update_lead_details": 0,
        "agent_wise_caller_id": 0,
        "agent_wise_lead_list": 0,
        "automatic_schedule_call_enabled": 0,
        "enable_hangup": 0,
        "enable_transfer": 0,
        "enable_external_transfer": 0,
        "enable_web_form": 0,
        "connect_agent_through": "1",
        "dial_in_type": "1",
        "agent_only_callback": 0,
        "manual_dial_enabled": 0,
        "enable_inbound": 0,
        "enable_agent_opt_out": 0,
        "enable_auto_answer": 0,
        "lead_list_map": [{"list_id": 101, "list_status": 1}],
    }

    # Saved, it is a draft: the dialer gets it when it is started.
    panel = page.locator("#sync-panel")
    expect(panel.locator("[data-sync-state]")).to_have_text("Draft")
    snap(page, "journey1-05-campaign-saved-draft")
    page.get_by_role("region", name="Actions").get_by_role("button", name="Start").click()
    expect(page.get_by_role("status").first).to_contain_text("The campaign is now active.")
    # Acefone's documented create reply is {success, message}, with no id: the campaign
    # is on the dialer, and the page asks the supervisor to link it rather than create
    # it again.
    link = panel.locator("form.remote-link")
    expect(link).to_contain_text("Created on the dialer, id unknown", timeout=SYNC_TIMEOUT_MS)
    [remote_id] = list(sandbox_emulator("acefone").campaigns)
    link.get_by_label("Campaign id on the dialer").fill(remote_id)
    link.get_by_role("button", name="Link").click()
    expect(panel.locator("[data-sync-state]")).to_have_text("In sync", timeout=SYNC_TIMEOUT_MS)
    expect(panel.get_by_role("alert")).to_have_count(0)
    [on_dialer] = list(sandbox_emulator("acefone").campaigns.values())
    # The dialer holds the campaign's values, each typed once in the console.
    assert {key: on_dialer[key] for key in (
        "name", "dial_method", "outbound_caller_id", "disposition_list", "number_of_retry",
        "agent", "auto_dial_duration",
    )} == {
        "name": CAMPAIGN_NAME,
        "dial_method": "1",
        "outbound_caller_id": "+918045678900",
        "disposition_list": "301",
        "number_of_retry": "4",
        "agent": [5101],
        "auto_dial_duration": "15",
    }  # fmt: skip
    snap(page, "journey1-06-campaign-in-sync")


def test_the_campaigns_dial_method_decides_the_acefone_fields_shown(
    page, live_server, e2e_sandbox, supervisor
):
    account = sandbox_account(e2e_sandbox, "acefone", ACCOUNT_NAME)
    login(page, live_server, supervisor)
    page.goto(f"{live_server.url}/campaigns/new/")
    labelled(page, "Vendor account").select_option(str(account.pk))
    vendor = page.locator("#vendor-fieldset")
    expect(vendor.locator("legend")).to_contain_text("Acefone settings")
    settle(page)
    labelled(page.locator("#campaign-form"), "Dial method").select_option(label="Preview")
    settle(page)
    expect(page.locator("#field-vendor-dial_method .derived-value")).to_have_text("Preview")
    expect(page.locator("#field-vendor-auto_dial_duration")).to_be_visible()
    labelled(page.locator("#campaign-form"), "Dial method").select_option(label="Ratio")
    settle(page)
    expect(page.locator("#field-vendor-dial_ratio")).to_be_visible()
    expect(page.locator("#field-vendor-auto_dial_duration")).to_be_hidden()
