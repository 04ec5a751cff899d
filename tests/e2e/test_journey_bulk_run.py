"""Journey: a supervisor acts on a selection too big for one request.

With the threshold set low, on a lead list's page they filter to the waiting leads,
choose "every lead that matches", mark them do-not-call; the confirmation says a worker
will do it, and the confirm goes to a progress page that follows the worker (a real
Celery worker) to the end and shows what was done and what was skipped. Screenshots at
1366 and 390 px.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from leads.models import Lead, LeadBulkRun, LeadStatus
from leads.services import bulk_actions, lead_list_counts_refresh
from tests.e2e.conftest import login, run_axe, snap
from tests.leads.factories import LeadFactory, LeadListFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}


def test_a_big_selection_runs_in_the_background_with_progress(
    page, live_server, supervisor, celery_worker, settings, monkeypatch
):
    settings.LEADS_BULK_INLINE_MAX = 5
    monkeypatch.setattr(bulk_actions, "BULK_BATCH", 3)  # several committed batches
    lead_list = LeadListFactory(name="Autumn leads")
    for n in range(9):
        LeadFactory(lead_list=lead_list, phone=f"+1212555{n:04d}")
    for n in range(2):
        LeadFactory(lead_list=lead_list, phone=f"+1212556{n:04d}", status=LeadStatus.DONE)
    lead_list_counts_refresh(lead_list=lead_list)

    login(page, live_server, supervisor)
    page.set_viewport_size(DESKTOP)
    page.goto(f"{live_server.url}/leads/{lead_list.pk}/")
    bar = page.locator("#lead-bulk")
    bar.get_by_label("Every lead that matches", exact=False).check()
    bar.locator('select[name="action"]').select_option("dnc")
    bar.get_by_role("button", name="Review…").click()

    expect(page.locator("#bulk-confirm-title")).to_have_text("Mark do-not-call: 11 leads?")
    expect(page.locator("[data-bulk-background]")).to_contain_text("by a worker")
    snap(page, "journey-bulk-run-01-confirm-1366")
    page.get_by_role("button", name="Mark do-not-call: 11 leads").click()

    run = LeadBulkRun.objects.get()
    page.wait_for_url(f"{live_server.url}/leads/actions/{run.pk}/")
    status = page.locator("#bulk-run-status")
    expect(status).to_have_attribute("data-run-state", "done", timeout=20_000)
    expect(status.locator('[data-count="processed"]')).to_have_text("11")
    expect(status.locator('[data-count="done"]')).to_have_text("9")
    expect(status.locator('[data-count="skipped"]')).to_have_text("2")
    expect(status.locator(".bulk-skipped")).to_contain_text("Done (final disposition)")
    snap(page, "journey-bulk-run-02-done-1366")
    page.set_viewport_size(PHONE)
    snap(page, "journey-bulk-run-02-done-390")
    page.set_viewport_size(DESKTOP)
    assert run_axe(page) == []

    assert Lead.objects.filter(lead_list=lead_list, status=LeadStatus.DNC).count() == 9
    page.get_by_role("link", name="Back to Autumn leads").click()
    expect(page.locator('[data-count="dnc"]')).to_have_text("9")


def test_the_progress_page_follows_a_running_run_until_it_ends(page, live_server, supervisor):
    from django.utils import timezone

    lead_list = LeadListFactory(name="Winter leads")
    run = LeadBulkRun.objects.create(
        action="delete",
        source="list",
        lead_list=lead_list,
        description="every lead of “Winter leads”",
        state="running",
        selected_count=12_000,
        done_count=3_000,
        skipped_count=1_000,
        created_by=supervisor,
        heartbeat_at=timezone.now(),
    )
    login(page, live_server, supervisor)
    page.set_viewport_size(DESKTOP)
    page.goto(f"{live_server.url}/leads/actions/{run.pk}/")
    status = page.locator("#bulk-run-status")
    expect(status).to_contain_text("4,000 of 12,000 leads handled so far")
    snap(page, "journey-bulk-run-03-running-1366")
    page.set_viewport_size(PHONE)
    snap(page, "journey-bulk-run-03-running-390")
    page.set_viewport_size(DESKTOP)
    LeadBulkRun.objects.filter(pk=run.pk).update(
        state="done", done_count=11_000, finished_at=timezone.now()
    )
    expect(status).to_have_attribute("data-run-state", "done", timeout=5_000)  # polled
    expect(status.locator('[data-count="processed"]')).to_have_text("12,000")


def test_a_team_lead_removes_one_lead_from_its_list(page, live_server, team_lead):
    lead_list = LeadListFactory(name="Team list", team=team_lead.team)
    lead = LeadFactory(lead_list=lead_list, phone="+12125557777")
    LeadFactory(lead_list=lead_list, phone="+12125557778")
    lead_list_counts_refresh(lead_list=lead_list)
    login(page, live_server, team_lead)
    page.set_viewport_size(DESKTOP)
    page.goto(f"{live_server.url}/leads/lead/{lead.pk}/")
    snap(page, "journey-bulk-run-04-lead-1366")
    page.set_viewport_size(PHONE)
    snap(page, "journey-bulk-run-04-lead-390")
    page.set_viewport_size(DESKTOP)
    page.get_by_role("button", name="Remove from list…").click()
    expect(page.locator("#lead-remove-title")).to_contain_text("+12125557777")
    snap(page, "journey-bulk-run-05-remove-confirm-1366")
    page.set_viewport_size(PHONE)
    snap(page, "journey-bulk-run-05-remove-confirm-390")
    page.set_viewport_size(DESKTOP)
    assert run_axe(page) == []
    page.get_by_role("button", name="Remove the lead").click()
    expect(page.locator("#messages .flash")).to_contain_text("was deleted from “Team list”")
    assert not Lead.objects.filter(pk=lead.pk).exists()
