"""Journey: the dialer's results reach the lead pages.

A supervisor starts a Webitel campaign on the sandbox; the sandbox dialer dials some of
its leads; the console's results pull (a sync job, as beat runs it) reads the members back,
and the campaign's Leads page and a lead's page show each lead's attempts, last result,
next attempt and done, with "unknown" and the reason where Webitel says nothing. On the
vendor account page the supervisor makes the account's receiving endpoint and sees its
secret once.
"""

from __future__ import annotations

import time

import pytest
from django.db import transaction
from playwright.sync_api import expect

from results.models import LeadResult
from sync.services.results import results_pull_enqueue
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

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

LEADS = 6
DIALLED = 3
TIMEOUT_MS = 30_000


def _wait_for_results(campaign, count: int) -> None:
    deadline = time.monotonic() + TIMEOUT_MS / 1000
    while LeadResult.objects.filter(campaign=campaign).count() < count:
        assert time.monotonic() < deadline, "the results pull did not file the results"
        time.sleep(0.2)


def test_results_from_the_sandbox_dialer_show_on_the_lead_pages(
    page, live_server, e2e_sandbox, supervisor, celery_worker
):
    account = sandbox_account(e2e_sandbox, "webitel", "Webitel sandbox")
    lead_list = lead_list_of(LEADS, "Pune renewals")
    campaign = campaign_on(
        account,
        name="Pune renewals",
        settings=VALID_SETTINGS["webitel"],
        acting_user=supervisor,
        lead_lists=[lead_list],
    )
    login(page, live_server, supervisor)
    page.goto(f"{live_server.url}/campaigns/{campaign.pk}/")
    click_action(page, "Start")
    expect(sync_badge(page)).to_have_text("In sync", timeout=TIMEOUT_MS)

    assert sandbox_control(e2e_sandbox, "webitel", "_dial", count=DIALLED) == {"dialled": DIALLED}
    with transaction.atomic():
        results_pull_enqueue(campaign=campaign, reason="journey")
    _wait_for_results(campaign, LEADS)

    page.goto(f"{live_server.url}/campaigns/{campaign.pk}/leads/")
    reports = page.locator("[data-dialer-report]")
    expect(reports).to_have_count(LEADS)
    expect(reports.filter(has_text="Attempts 1")).to_have_count(DIALLED)
    expect(reports.filter(has_text="Attempts 0")).to_have_count(LEADS - DIALLED)
    expect(reports.first).to_contain_text("Agent unknown: Webitel does not report it")
    snap(page, "results-01-campaign-leads")

    dialled = LeadResult.objects.filter(campaign=campaign, attempts=1).first()
    page.goto(f"{live_server.url}/leads/lead/{dialled.lead_id}/")
    report = page.locator("[data-dialer-report]")
    expect(report).to_contain_text("Attempts 1")
    expect(report).to_contain_text("Last attempt")
    snap(page, "results-02-lead-page")

    page.goto(f"{live_server.url}/vendors/accounts/{account.pk}/")
    page.get_by_role("button", name="Make the receiving endpoint").click()
    expect(page.locator("[data-receiving-secret]")).to_be_visible()
    expect(page.locator("[data-receiving-url]")).to_contain_text("/results/receive/")
    snap(page, "results-03-receiving-endpoint")
    page.goto(f"{live_server.url}/vendors/accounts/{account.pk}/")
    expect(page.locator("[data-receiving-secret]")).to_have_count(0)
    expect(page.locator("[data-receiving-url]")).to_contain_text("/results/receive/")
