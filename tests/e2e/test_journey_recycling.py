"""Journey (issue #14 points 4 and 5): a team lead recycles leads by hand and sees the
campaign's missed callbacks.

On the campaign page the team lead sees one missed callback, opens "Recycle leads", ticks
the outcome NA, previews the count (2, in place, by HTMX), sends them again and lands on
the campaign page with the count said; the leads' push rows are pending. The supervisor's
disposition list form carries the recycling rules as rows."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from campaigns.models import LeadDisposition
from results.models import Callback, RecycleRule
from sync.models import LeadSync
from tests.e2e.conftest import login, run_axe, settle, snap
from tests.results.scenario import build_scenario

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_team_lead_recycles_leads_by_hand(page, live_server, supervisor):
    scenario = build_scenario()
    campaign, lead = scenario.campaign, scenario.leads["north"][0]
    scenario.team_lead.set_password("correct-horse-battery")
    scenario.team_lead.save()
    due = timezone.now() - dt.timedelta(hours=1)
    disposition = LeadDisposition.objects.create(
        campaign=campaign, lead=lead, code="CBT", label="x", is_callback=True, callback_at=due
    )
    Callback.objects.create(
        campaign=campaign, lead=lead, disposition=disposition, due_at=due, via="repush"
    )
    login(page, live_server, scenario.team_lead)
    page.goto(f"{live_server.url}/campaigns/{campaign.pk}/")
    expect(page.locator('[data-figure="callbacks-missed"]')).to_have_text("1")
    page.get_by_role("button", name="Recycle leads").click()
    page.get_by_label("NA – No answer").check()
    page.get_by_role("button", name="Preview the count").click()
    settle(page)
    expect(page.locator('[data-figure="recycle-count"]')).to_contain_text("2 leads would be sent")
    assert not LeadSync.objects.exists()
    snap(page, "recycle-preview")
    assert run_axe(page) == []
    page.get_by_role("button", name="Send them again").click()
    page.wait_for_url(f"{live_server.url}/campaigns/{campaign.pk}/")
    expect(page.get_by_text("2 leads sent again to “Spring”.")).to_be_visible()
    assert LeadSync.objects.filter(campaign=campaign, state="pending").count() == 2

    RecycleRule.objects.create(
        disposition_list=campaign.disposition_list, match_kind="dialer", match_code="BUSY",
        action="delay", delay_minutes=30, max_times=3,
    )  # fmt: skip
    page.context.clear_cookies()
    login(page, live_server, supervisor)
    page.goto(f"{live_server.url}/campaigns/dispositions/{campaign.disposition_list_id}/edit/")
    expect(page.locator('input[name="recycle_rules-0-match_code"]')).to_have_value("BUSY")
    snap(page, "recycle-rules-rows")
    assert run_axe(page) == []
    # Saved as the page posts it, blank rows at their defaults included: one rule still.
    page.locator("#disposition-list-form").get_by_role("button", name="Save").click()
    page.wait_for_url(f"{live_server.url}/campaigns/dispositions/")
    assert RecycleRule.objects.count() == 1
