"""Journey 4: a vendor fails.

The Webitel sandbox answers every call with a server error on purpose. The supervisor
starts a campaign; the worker tries, backs off, tries again and gives up, and the
campaign's page shows the dialer's error and a Retry button. Once the fault is cleared,
Retry brings the campaign back in sync.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from sync.models import JobState, SyncJob
from tests.campaigns.vendor_data import VALID_SETTINGS
from tests.e2e.conftest import (
    campaign_on,
    click_action,
    lead_list_of,
    login,
    sandbox_account,
    sandbox_control,
    snap,
    sync_badge,
)
from tests.e2e.test_journey_webitel_campaign import SYNC_TIMEOUT_MS, dialer_of

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

LEADS = 10


def test_a_failing_vendor_shows_its_error_and_retry_brings_it_back(
    page, live_server, e2e_sandbox, supervisor, celery_worker, settings
):
    # Two attempts, a second apart, so the journey sees the back-off and the giving up.
    settings.SYNC_MAX_ATTEMPTS = 2
    settings.SYNC_RETRY_BASE_SECONDS = 1
    account = sandbox_account(e2e_sandbox, "webitel", "Webitel sandbox")
    lead_list = lead_list_of(LEADS, "Pune renewals")
    campaign = campaign_on(
        account,
        name="Pune renewals",
        settings=VALID_SETTINGS["webitel"],
        acting_user=supervisor,
        lead_lists=[lead_list],
    )
    sandbox_control(e2e_sandbox, "webitel", "_faults", fault="server_error", remaining=None)

    login(page, live_server, supervisor)
    page.goto(f"{live_server.url}/campaigns/{campaign.pk}/")
    click_action(page, "Start")
    expect(page.get_by_role("status").first).to_contain_text("The campaign is now active.")
    panel = page.locator("#sync-panel")
    expect(sync_badge(page)).to_have_text("Failed", timeout=SYNC_TIMEOUT_MS)
    error = panel.get_by_role("alert")
    expect(error).to_contain_text("Gave up after 2 attempts")
    expect(error).to_contain_text("Webitel had a server error (503)")
    job = SyncJob.objects.get(campaign=campaign)
    assert (job.state, job.needs_attention) == (JobState.FAILED, True)
    retry = panel.get_by_role("button", name=f"Retry job #{job.pk}")
    expect(retry).to_be_enabled()
    snap(page, "journey4-01-vendor-failing-retry-offered")

    sandbox_control(e2e_sandbox, "webitel", "_faults", method="DELETE")
    retry.click()
    expect(page.get_by_role("status").first).to_contain_text(f"Job #{job.pk} is queued again.")
    expect(sync_badge(page)).to_have_text("In sync", timeout=SYNC_TIMEOUT_MS)
    expect(panel.get_by_role("alert")).to_have_count(0)
    expect(panel.locator('[data-count="pushed"]')).to_have_text(str(LEADS))
    assert dialer_of(campaign)["active"] is True
    snap(page, "journey4-02-vendor-back-in-sync")
