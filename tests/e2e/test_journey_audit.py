"""Journey (issue 17): an audit entry appears for a campaign change.

A supervisor changes a campaign's caller ID on its page. The campaign's page shows the
change in its history (who, door, old → new), and the audit trail page finds it by the
campaign and the door; a team lead finds no audit trail in the navigation.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.accounts.factories import UserFactory
from tests.campaigns.vendor_data import VALID_SETTINGS
from tests.e2e.conftest import campaign_on, login, sandbox_account, settle, snap

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_an_audit_entry_appears_for_a_campaign_change(
    page, live_server, e2e_sandbox, supervisor, celery_worker
):
    account = sandbox_account(e2e_sandbox, "webitel", "Webitel sandbox")
    campaign_on(
        account, name="Berlin renewals", settings=VALID_SETTINGS["webitel"], acting_user=supervisor
    )
    login(page, live_server, supervisor)
    page.get_by_role("navigation").get_by_role("link", name="Campaigns").click()
    page.get_by_role("link", name="Berlin renewals").click()
    page.get_by_role("button", name="Edit").click()
    page.get_by_label("Caller ID", exact=True).fill("+493012345678")
    settle(page)
    page.locator("#campaign-form").get_by_role("button", name="Save").click()
    expect(page.get_by_role("status").first).to_contain_text("saved")

    history = page.locator("section.audit-trail")
    expect(history.get_by_role("heading", name="Change history")).to_be_visible()
    # The save's entry (the same save may also record the derived vendor values it moved).
    latest = history.locator("tbody tr", has_text="Caller ID").first
    expect(latest).to_contain_text(supervisor.username)
    expect(latest).to_contain_text("Page")
    expect(latest).to_contain_text(re.compile(r"Caller ID: .* → \+493012345678"))
    expect(latest).to_contain_text("+493012345678")
    snap(page, "audit-01-campaign-page-history")

    history.get_by_role("link", name="All entries of this campaign in the audit trail").click()
    expect(page.get_by_role("heading", name="Audit trail")).to_be_visible()
    page.get_by_label("Door").select_option("page")
    settle(page)
    rows = page.locator("#entries tbody tr")
    expect(rows.first).to_contain_text("Berlin renewals")
    expect(rows.first).to_contain_text("+493012345678")
    snap(page, "audit-02-audit-trail-filtered")
    page.set_viewport_size({"width": 390, "height": 844})
    snap(page, "audit-03-audit-trail-390px")

    page.context.clear_cookies()
    lead = UserFactory(role="Team lead", with_team=True)
    login(page, live_server, lead)
    expect(page.get_by_role("navigation").get_by_role("link", name="Audit trail")).to_have_count(0)
