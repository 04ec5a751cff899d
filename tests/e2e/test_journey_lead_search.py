"""Journey: a supervisor finds a lead by a number typed as people write it at home.

A Webitel campaign on the sandbox runs with an Indian list; the worker pushes its leads.
The supervisor types one number in the Indian national format into the search box of
the navigation, opens the lead from the results, sees it on the campaign's dialer with
the dialer's id, records an outcome there and sees it arrive on the same page, in its
outcomes and its history.
"""

from __future__ import annotations

import time

import pytest
from playwright.sync_api import expect

from campaigns.models import Campaign, CampaignStatus
from campaigns.services import campaign_transition
from leads.models import Lead
from sync.models import LeadSync, LeadSyncState
from tests.campaigns.factories import disposition_list_with_codes
from tests.campaigns.vendor_data import VALID_SETTINGS
from tests.e2e.conftest import campaign_on, lead_list_of, login, run_axe, settle, snap

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

LEADS = 5
SYNC_TIMEOUT_SECONDS = 30
TYPED = "098765 00003"  # +919876500003 as it is dialled within India


def _wait_until_pushed(campaign, count: int) -> None:
    deadline = time.monotonic() + SYNC_TIMEOUT_SECONDS
    pushed = LeadSync.objects.filter(campaign=campaign, state=LeadSyncState.PUSHED)
    while pushed.count() < count:
        assert time.monotonic() < deadline, "the worker did not push the leads in time"
        time.sleep(0.2)


def test_a_supervisor_finds_a_lead_by_a_local_number_and_follows_it(
    page, live_server, e2e_sandbox, supervisor, celery_worker
):
    from tests.e2e.conftest import sandbox_account

    account = sandbox_account(e2e_sandbox, "webitel", "Webitel sandbox")
    lead_list = lead_list_of(LEADS, "Mumbai renewals")
    campaign = campaign_on(
        account,
        name="Mumbai renewals",
        settings=VALID_SETTINGS["webitel"],
        acting_user=supervisor,
        lead_lists=[lead_list],
    )
    Campaign.objects.filter(pk=campaign.pk).update(disposition_list=disposition_list_with_codes())
    campaign.refresh_from_db()
    campaign_transition(campaign=campaign, to_status=CampaignStatus.ACTIVE, acting_user=supervisor)
    _wait_until_pushed(campaign, LEADS)
    wanted = Lead.objects.get(phone="+919876500003")

    login(page, live_server, supervisor)
    search = page.get_by_role("search").get_by_role("searchbox")
    search.fill(TYPED)
    search.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Find a lead")
    rows = page.locator("#search-results tbody tr")
    expect(rows).to_have_count(1)
    expect(rows).to_contain_text("Mumbai renewals")
    expect(rows).to_contain_text("New")
    snap(page, "journey-lead-search-01-results")

    rows.get_by_role("link", name="+919876500003").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("+919876500003")
    dialer = page.locator('[data-section="campaigns"] tr[data-campaign]')
    expect(dialer).to_contain_text("Mumbai renewals")
    expect(dialer.locator("[data-lead-sync]")).to_have_text("Pushed")
    remote_id = LeadSync.objects.get(campaign=campaign, lead=wanted).remote_id
    assert remote_id
    expect(dialer).to_contain_text(f"Dialer's id {remote_id}")
    expect(dialer).to_contain_text("No outcome yet")

    dialer.get_by_label(f"Outcome in {campaign.name}").select_option("NA")
    dialer.get_by_role("button", name="Record").click()
    settle(page)
    expect(page.get_by_role("status").first).to_contain_text("NA – No answer recorded")
    expect(dialer.locator("[data-outcome]")).to_have_text("NA")
    outcomes = page.locator('[data-section="outcomes"] tbody tr')
    expect(outcomes).to_have_count(1)
    expect(outcomes).to_contain_text("No answer")
    history = page.locator('[data-section="history"] li[data-history="outcome"]')
    expect(history).to_contain_text("Outcome NA – No answer recorded by")
    snap(page, "journey-lead-search-02-lead")
    assert run_axe(page) == []
