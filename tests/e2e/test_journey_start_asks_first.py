"""Journey: starting a campaign none of whose leads can be called in the next 24 hours asks
first, with the reason and the preview by time zone (#13 point 4); confirming starts it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from campaigns.models import CallingWindow, CallingWindowDay, CampaignStatus
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


def test_a_start_with_nothing_callable_soon_asks_first(page, live_server, e2e_sandbox, supervisor):
    account = sandbox_account(e2e_sandbox, "jtel")
    lead_list = lead_list_of(3, "Slow leads")
    campaign = campaign_on(
        account,
        name="In three days",
        settings=VALID_SETTINGS["jtel"],
        acting_user=supervisor,
        lead_lists=[lead_list],
    )
    # Open one hour, three days from now, in UTC: no lead can be called in the next 24 hours.
    later = (timezone.now() + dt.timedelta(days=3)).weekday()
    window = CallingWindow.objects.create(
        name="In three days", timezone_policy="fixed", fixed_timezone="UTC"
    )
    CallingWindowDay.objects.create(
        calling_window=window, weekday=later, start=dt.time(9, 0), end=dt.time(10, 0)
    )
    campaign.calling_window = window
    campaign.save(update_fields=["calling_window"])

    login(page, live_server, supervisor)
    page.goto(f"{live_server.url}/campaigns/{campaign.pk}/")
    preview = page.locator("#start-preview")
    expect(preview.locator("[data-nothing-soon]")).to_contain_text(
        "Nothing to call in the next 24 hours."
    )
    click_action(page, "Start")
    confirm = page.locator("#action-confirm")
    expect(confirm).to_contain_text("No lead of this campaign can be called in the next 24 hours")
    snap(page, "h13-start-asks-first")
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.DRAFT  # asking changed nothing

    confirm.get_by_role("button", name="Start the campaign anyway").click()
    expect(page.get_by_role("status").first).to_contain_text("The campaign is now active.")
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.ACTIVE
