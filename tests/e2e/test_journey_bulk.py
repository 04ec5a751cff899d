"""Journey: a supervisor acts on many things at once.

On a lead list's page, filters to the waiting leads, chooses "every lead that matches",
marks them do-not-call after a confirmation that counts them, and sees the list's counts
change; on the campaign list, ticks two running campaigns and stops both after a
confirmation that says what happens on each dialer. Screenshots at 1366 and 390 px.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from campaigns.models import Campaign, CampaignStatus
from leads.models import Lead, LeadStatus
from leads.services import lead_list_counts_refresh
from tests.campaigns.factories import CampaignFactory, VendorAccountFactory
from tests.campaigns.vendor_data import VALID_SETTINGS
from tests.e2e.conftest import login, run_axe, settle, snap
from tests.leads.factories import LeadFactory, LeadListFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}


def _list_with_leads():
    lead_list = LeadListFactory(name="Spring leads")
    for n in range(5):
        LeadFactory(lead_list=lead_list, phone=f"+1212555{n:04d}")
    for n in range(2):
        LeadFactory(lead_list=lead_list, phone=f"+1212556{n:04d}", status=LeadStatus.DONE)
    lead_list_counts_refresh(lead_list=lead_list)
    return lead_list


def test_mark_leads_dnc_by_filter_and_see_the_counts_change(page, live_server, supervisor):
    lead_list = _list_with_leads()
    login(page, live_server, supervisor)
    page.goto(f"{live_server.url}/leads/{lead_list.pk}/")
    expect(page.locator('[data-count="callable"]')).to_have_text("5")
    expect(page.locator('[data-count="dnc"]')).to_have_text("0")
    page.locator('form.toolbar select[name="status"]').first.select_option("new")
    page.get_by_role("button", name="Filter").click()
    settle(page)
    bar = page.locator("#lead-bulk")
    bar.get_by_label("Every lead that matches", exact=False).check()
    bar.locator('select[name="action"]').select_option("dnc")
    page.set_viewport_size(DESKTOP)
    snap(page, "journey-bulk-01-list-1366")
    page.set_viewport_size(PHONE)
    snap(page, "journey-bulk-01-list-390")
    page.set_viewport_size(DESKTOP)
    bar.get_by_role("button", name="Review…").click()

    heading = page.locator("#bulk-confirm-title")
    expect(heading).to_have_text("Mark do-not-call: 5 leads?")
    expect(page.locator(".confirm-step")).to_contain_text("with status New")
    snap(page, "journey-bulk-02-confirm-1366")
    page.set_viewport_size(PHONE)
    snap(page, "journey-bulk-02-confirm-390")
    page.set_viewport_size(DESKTOP)
    assert run_axe(page) == []
    page.get_by_role("button", name="Mark do-not-call: 5 leads").click()

    expect(page.locator("#messages .flash")).to_contain_text("5 leads done")
    expect(page.locator('[data-count="callable"]')).to_have_text("0")
    expect(page.locator('[data-count="dnc"]')).to_have_text("5")
    expect(page.locator('[data-count="done"]')).to_have_text("2")
    assert "status=new" in page.url  # back on the page, the filter kept
    snap(page, "journey-bulk-03-after-1366")
    assert Lead.objects.filter(lead_list=lead_list, status=LeadStatus.DNC).count() == 5


def test_stop_two_campaigns_at_once(page, live_server, supervisor):
    running = [
        CampaignFactory(
            name=f"Running {kind}",
            vendor_account=VendorAccountFactory(kind=kind),
            vendor_settings=VALID_SETTINGS[kind],
            status=CampaignStatus.ACTIVE,
        )
        for kind in ("acefone", "jtel")
    ]
    CampaignFactory(name="Left alone", status=CampaignStatus.DRAFT)
    login(page, live_server, supervisor)
    page.goto(f"{live_server.url}/campaigns/")
    for campaign in running:
        page.get_by_label(f"Select {campaign.name}").check()
    page.locator('#campaign-bulk select[name="action"]').select_option("stop")
    snap(page, "journey-bulk-04-campaigns-1366")
    page.set_viewport_size(PHONE)
    snap(page, "journey-bulk-04-campaigns-390")
    page.set_viewport_size(DESKTOP)
    page.locator("#campaign-bulk").get_by_role("button", name="Review…").click()

    expect(page.locator("#bulk-confirm-title")).to_have_text("Stop 2 campaigns?")
    expect(page.locator(".bulk-campaigns")).to_contain_text("Running acefone")
    expect(page.locator(".bulk-campaigns")).to_contain_text("Its leads stay on the dialer")
    snap(page, "journey-bulk-05-confirm-1366")
    page.set_viewport_size(PHONE)
    snap(page, "journey-bulk-05-confirm-390")
    page.set_viewport_size(DESKTOP)
    page.get_by_role("button", name="Stop 2 campaigns").click()
    settle(page)
    expect(page.locator("#messages .flash")).to_contain_text("Stop: 2 campaigns done")
    statuses = set(
        Campaign.objects.filter(pk__in=[c.pk for c in running]).values_list("status", flat=True)
    )
    assert statuses == {CampaignStatus.STOPPED}
    assert Campaign.objects.get(name="Left alone").status == CampaignStatus.DRAFT


def test_dnc_entries_removed_together(page, live_server, supervisor):
    from leads.models import DncEntry
    from tests.leads.factories import DncEntryFactory

    entries = [DncEntryFactory(phone=f"+1212557{n:04d}") for n in range(3)]
    login(page, live_server, supervisor)
    page.goto(f"{live_server.url}/dnc/")
    for entry in entries[:2]:
        page.get_by_label(f"Select {entry.phone}").check()
    snap(page, "journey-bulk-06-dnc-1366")
    page.set_viewport_size(PHONE)
    snap(page, "journey-bulk-06-dnc-390")
    page.set_viewport_size(DESKTOP)
    page.get_by_role("button", name="Remove the ticked numbers…").click()
    expect(page.locator("#bulk-confirm-title")).to_have_text(
        "Remove 2 numbers from the do-not-call list?"
    )
    page.get_by_role("button", name="Remove 2 numbers").click()
    expect(page.locator("#messages .flash")).to_contain_text("2 numbers removed")
    assert list(DncEntry.objects.values_list("pk", flat=True)) == [entries[2].pk]
