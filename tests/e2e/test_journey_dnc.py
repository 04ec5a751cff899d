"""Journey: a supervisor maintains the do-not-call list.

Pastes numbers in mixed formats with one line that is no number, reads the report (the
invalid line and why, the counts), sees the waiting lead become do-not-call, searches
the list by the first digits, and removes an entry with HTMX after confirming.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from leads.models import DncEntry, Lead, LeadStatus
from tests.e2e.conftest import labelled, login, run_axe, settle, snap
from tests.leads.factories import LeadFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASTED = "030 1234567\n+1 (212) 555-0100, +1 212-555-0101\nnot a number\n0151 23456789"


def test_a_supervisor_adds_searches_and_removes_dnc_numbers(page, live_server, supervisor):
    waiting = LeadFactory(phone="+12125550100")
    login(page, live_server, supervisor)
    page.get_by_role("navigation").get_by_role("link", name="Do-not-call list").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Do-not-call list")
    page.get_by_role("button", name="Add numbers").click()

    labelled(page, "Numbers").fill(PASTED)
    labelled(page, "Country").select_option("DE")
    expect(labelled(page, "Lead list (one lead list)")).to_be_hidden()  # scope: everywhere
    labelled(page, "Reason").fill("Complaint by phone")
    page.get_by_role("button", name="Add to the list").click()
    settle(page)

    report = page.locator("#dnc-report")
    expect(report).to_contain_text("Added to the do-not-call list everywhere")
    expect(report.locator('[data-count="added"]')).to_have_text("4")
    expect(report.locator('[data-count="invalid"]')).to_have_text("1")
    expect(report.locator('[data-count="leads_marked_dnc"]')).to_have_text("1")
    invalid = report.locator("table.invalid-lines tbody tr")
    expect(invalid).to_have_count(1)
    expect(invalid).to_contain_text("not a number")
    expect(invalid).to_contain_text("is not a valid phone number when read as DE")
    expect(labelled(page, "Numbers")).to_have_value("not a number")  # left to correct
    snap(page, "journey-dnc-01-report")
    assert Lead.objects.get(pk=waiting.pk).status == LeadStatus.DNC

    page.get_by_role("link", name="See the list").click()
    labelled(page, "Phone").fill("212555")
    page.get_by_role("button", name="Search").click()
    settle(page)
    rows = page.locator("#dnc-results tbody tr")
    expect(rows).to_have_count(2)
    expect(page.locator("#dnc-results")).to_contain_text("+12125550101")
    expect(page.locator("#dnc-results")).not_to_contain_text("+49301234567")
    assert "phone=212555" in page.url  # the search is in the address, to share or reload

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Remove +12125550101").click()
    removed = page.locator("#dnc-results tr.dnc-removed")
    expect(removed).to_contain_text("Removed from the do-not-call list everywhere")
    expect(rows).to_have_count(2)  # the row says what happened until the page is reloaded
    snap(page, "journey-dnc-02-search-and-remove")
    assert not DncEntry.objects.filter(phone="+12125550101").exists()
    assert DncEntry.objects.count() == 3
    assert run_axe(page) == []
