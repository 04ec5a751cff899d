"""Journey (issue 12): a supervisor builds a Webitel campaign in the browser without typing
any value twice, and the dialer gets the campaign's values.

An agent gets its Webitel id on the agent's page and a calling window its Webitel
calendar id on the window's page, each typed once. The campaign form then takes the
campaign's own fields (name, dial method, agent, calling window, retries, interval,
wrap-up, ring timeout): Webitel's fieldset shows each of them read-only, from the
campaign, with a link to the campaign field, and asks only for Webitel's own fields. The
campaign is saved, started (its leads open within 24 hours: no confirmation) and synced
through the sandbox; the dialer the emulator holds has every derived field equal to the
campaign's.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from campaigns.models import Campaign
from sync.models import CampaignRemote
from tests.e2e.conftest import (
    click_action,
    labelled,
    lead_list_of,
    login,
    sandbox_account,
    settle,
    snap,
    sync_badge,
)
from vendors.adapters.webitel.emulator import EXAMPLE_CALENDAR
from vendors.sandbox import sandbox_emulator

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

ACCOUNT_NAME = "Webitel (sandbox, e2e)"
CAMPAIGN_NAME = "Kyiv renewals"
LEAD_LIST_NAME = "Kyiv renewals leads"
AGENT = "Olena Koval"
AGENT_ID = "1007"
WINDOW = "Kyiv office hours"
CALENDAR_ID = EXAMPLE_CALENDAR[0]  # a calendar the sandbox's Webitel has
# Typed once each, in the campaign form.
RETRIES, INTERVAL_MINUTES, WRAP_UP, RING_TIMEOUT = "5", "30", "20", "40"
# The Webitel fields the campaign decides (Webitel's field map), as the fieldset shows them:
# the campaign's value, in the campaign's words (the dialer gets seconds for the interval).
DERIVED_SHOWN = {
    "name": CAMPAIGN_NAME,
    "type": "Progressive",
    "calendar_id": f"{WINDOW} (id {CALENDAR_ID})",
    "calendar_name": f"{WINDOW} (id {CALENDAR_ID})",
    "parameters_maxTryCount": RETRIES,
    "parameters_intervalTryCount": INTERVAL_MINUTES,
    "parameters_wrapUpTime": WRAP_UP,
    "parameters_originateTimeout": RING_TIMEOUT,
    "agents": f"{AGENT} (id {AGENT_ID})",
}
SYNC_TIMEOUT_MS = 30_000


def give_ids_on_their_pages(page, account_name: str) -> None:
    """The agent's Webitel id and the window's Webitel calendar, each typed once."""
    page.get_by_role("navigation").get_by_role("link", name="Campaigns").click()
    page.get_by_role("link", name="Agents").first.click()
    page.get_by_role("button", name="New agent").click()
    labelled(page, "Name").fill(AGENT)
    labelled(page, f"Id on {account_name} (Webitel)").fill(AGENT_ID)
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#messages")).to_contain_text("saved")
    page.goto(page.url.split("/campaigns/")[0] + "/campaigns/calling-windows/new/")
    labelled(page, "Name").fill(WINDOW)
    labelled(page, f"Id on {account_name} (Webitel)").fill(CALENDAR_ID)
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#messages")).to_contain_text("saved")


def fill_and_leave(field, value: str) -> None:
    field.fill(value)
    field.press("Tab")  # leaving the field validates it and refreshes the derived values


def test_a_webitel_campaign_built_without_typing_a_value_twice(
    page, live_server, e2e_sandbox, supervisor, celery_worker
):
    sandbox_account(e2e_sandbox, "webitel", ACCOUNT_NAME)
    lead_list = lead_list_of(3, LEAD_LIST_NAME)
    lead_list.default_timezone = "Asia/Kolkata"  # open every day: nothing to confirm at start
    lead_list.save(update_fields=["default_timezone"])
    login(page, live_server, supervisor)
    give_ids_on_their_pages(page, ACCOUNT_NAME)

    page.goto(f"{live_server.url}/campaigns/new/")
    form = page.locator("#campaign-form")
    labelled(form, "Name").fill(CAMPAIGN_NAME)
    page.get_by_label("Lead list 1", exact=True).select_option(label=LEAD_LIST_NAME)
    labelled(form, "Vendor account").select_option(label=f"{ACCOUNT_NAME} (Webitel)")
    vendor = page.locator("#vendor-fieldset")
    expect(vendor.locator("legend")).to_contain_text("Webitel settings")
    settle(page)
    labelled(form, "Dial method").select_option(label="Progressive")
    settle(page)
    form.get_by_label(AGENT).check()
    settle(page)
    labelled(form, "Calling window").select_option(label=WINDOW)
    settle(page)
    fill_and_leave(labelled(form, "Retry count"), RETRIES)
    settle(page)
    fill_and_leave(labelled(form, "Retry interval (minutes)"), INTERVAL_MINUTES)
    settle(page)
    fill_and_leave(labelled(form, "Wrap-up (seconds)"), WRAP_UP)
    settle(page)
    fill_and_leave(labelled(form, "Ring timeout (seconds)"), RING_TIMEOUT)
    settle(page)

    # Each value the campaign holds is shown in Webitel's fieldset, read-only, with a link
    # to the campaign field it comes from: nothing is asked twice.
    for field, shown in DERIVED_SHOWN.items():
        derived = page.locator(f"#field-vendor-{field}")
        expect(derived.locator(".derived-value")).to_have_text(shown)
        expect(derived.get_by_role("link")).to_have_attribute("href", re.compile(r"^#field-"))
        expect(derived.locator("input:not([type=hidden]), select, textarea")).to_have_count(0)
    page.locator("#field-vendor-parameters_maxTryCount").scroll_into_view_if_needed()
    snap(page, "webitel-once-01-derived-fields-from-the-campaign")

    form.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status").first).to_contain_text(f"Campaign “{CAMPAIGN_NAME}” saved.")
    campaign = Campaign.objects.get(name=CAMPAIGN_NAME)
    # The vendor settings hold Webitel's own fields only: no derived value is stored.
    stored = campaign.vendor_settings
    assert "name" not in stored and "agents" not in stored and "calendar" not in stored
    assert not {"maxTryCount", "intervalTryCount", "wrapUpTime", "originateTimeout"} & set(
        stored.get("parameters", {})
    )

    # The preview before start: its leads (the list's zone, Kolkata) open within 24 hours.
    expect(page.locator("#start-preview")).to_contain_text("Before you start")
    snap(page, "webitel-once-02-start-preview")
    click_action(page, "Start")
    expect(page.get_by_role("status").first).to_contain_text("The campaign is now active.")
    expect(sync_badge(page)).to_have_text("In sync", timeout=SYNC_TIMEOUT_MS)
    snap(page, "webitel-once-03-in-sync")

    remote_id = CampaignRemote.objects.get(campaign=campaign).remote_ref["remote_id"]
    dialer = sandbox_emulator("webitel").dialers[remote_id]
    campaign.refresh_from_db()
    assert {
        "name": dialer["name"],
        "type": dialer["type"],
        "calendar": dialer["calendar"],
        "maxTryCount": dialer["parameters"]["maxTryCount"],
        "intervalTryCount": dialer["parameters"]["intervalTryCount"],
        "wrapUpTime": dialer["parameters"]["wrapUpTime"],
        "originateTimeout": dialer["parameters"]["originateTimeout"],
        "agents": dialer["agents"],
    } == {
        "name": campaign.name,
        "type": "Progressive Dialer",  # the campaign's dial method, progressive
        "calendar": {"id": CALENDAR_ID, "name": campaign.calling_window.name},
        "maxTryCount": campaign.retry_count,
        "intervalTryCount": campaign.retry_interval_minutes * 60,
        "wrapUpTime": campaign.wrap_up_seconds,
        "originateTimeout": campaign.ring_timeout_seconds,
        "agents": [AGENT_ID],
    }
    assert campaign.dial_method == "progressive"
    assert (campaign.retry_count, campaign.retry_interval_minutes) == (5, 30)
    assert (campaign.wrap_up_seconds, campaign.ring_timeout_seconds) == (20, 40)
