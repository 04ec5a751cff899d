"""Journey: a campaign with nothing to dial says so (#12). A draft without an active lead
list cannot be started and its Start button says why; once a list is attached in the
form (on by default) it starts; a running campaign whose list is switched off is flagged
on its page and in the campaign list."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from campaigns.models import CampaignStatus
from campaigns.readiness import NO_ACTIVE_LIST
from tests.campaigns.vendor_data import VALID_SETTINGS
from tests.e2e.conftest import (
    campaign_on,
    click_action,
    lead_list_of,
    login,
    sandbox_account,
    snap,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_campaign_with_nothing_to_dial_says_so(page, live_server, e2e_sandbox, supervisor):
    account = sandbox_account(e2e_sandbox, "jtel")
    campaign = campaign_on(
        account, name="Nothing yet", settings=VALID_SETTINGS["jtel"], acting_user=supervisor
    )
    lead_list = lead_list_of(2, "Spring leads")
    login(page, live_server, supervisor)
    page.goto(f"{live_server.url}/campaigns/{campaign.pk}/")
    actions = page.get_by_role("region", name="Actions")
    expect(actions.get_by_role("button", name="Start")).to_be_disabled()
    expect(page.locator("#reason-start")).to_have_text(NO_ACTIVE_LIST)
    snap(page, "h12form-start-refused-no-list")

    page.get_by_role("button", name="Edit").click()
    page.get_by_label("Lead list 1", exact=True).select_option(label=str(lead_list))
    page.locator("#campaign-form").get_by_role("button", name="Save").click()
    click_action(page, "Start")
    expect(page.get_by_role("status").first).to_contain_text("The campaign is now active.")

    # The list switched off while the campaign runs: flagged, not read as "all is well".
    campaign.list_links.update(active=False)
    page.reload()
    expect(page.locator(".dial-problem")).to_contain_text(f"Nothing to dial: {NO_ACTIVE_LIST}")
    snap(page, "h12form-running-nothing-to-dial")
    page.get_by_role("banner").get_by_role("link", name="Campaigns").click()
    row = page.get_by_role("row").filter(has_text="Nothing yet")
    expect(row.locator("[data-nothing-to-dial]")).to_be_visible()
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.ACTIVE
    snap(page, "h12form-campaign-list-nothing-to-dial")
