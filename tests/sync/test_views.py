"""Sync pages and API, with the Django test client."""

from __future__ import annotations

import pytest
from django.urls import reverse

from sync.models import CampaignRemote, CampaignSyncState, JobState, PendingSnapshot, SyncJob
from sync.services.hooks import campaign_sync_enqueue
from tests.sync.conftest import run_jobs
from tests.sync.factories import campaign_on, lead_list_with_leads


@pytest.fixture
def synced(emulated_account):
    account, emulator = emulated_account("webitel")
    # Without waitingForResultStatus a dialled member ends at once (no call result awaited).
    parameters = {"limit": 20, "waitingForResultStatus": False}
    campaign = campaign_on(account, lead_list=lead_list_with_leads(12), parameters=parameters)
    campaign_sync_enqueue(campaign=campaign, reason="test")
    run_jobs()
    return campaign, emulator


def test_the_panel_shows_state_breakdown_and_stops_polling_when_idle(supervisor_client, synced):
    campaign, _ = synced
    url = reverse("sync:campaign-panel", args=[campaign.pk])
    page = supervisor_client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-sync-state="in_sync"' in html
    assert 'data-count="pushed">12<' in html
    assert "hx-trigger" not in html.split('id="sync-panel"')[1].split(">")[0]
    fragment = supervisor_client.get(url + "?poll=1", HTTP_HX_REQUEST="true")
    assert fragment.status_code == 286  # HTMX stops polling
    assert "<html" not in fragment.content.decode()


def test_the_breakdown_counts_push_rows_without_joining_leads_or_campaigns(synced):
    """The panel's counts run on every poll: over a million-lead campaign a join to the
    leads (which an ordering by the relations brought in) cost 1.7 s instead of 0.2 s."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from sync.selectors import campaign_breakdown

    campaign, _ = synced
    with CaptureQueriesContext(connection) as queries:
        breakdown = campaign_breakdown(campaign=campaign)
    assert breakdown.pushed == 12
    counting = [q["sql"] for q in queries.captured_queries if "sync_leadsync" in q["sql"]]
    assert len(counting) == 1 and "JOIN" not in counting[0].upper()


def test_the_panel_polls_while_work_is_in_flight(supervisor_client, synced):
    campaign, _ = synced
    campaign_sync_enqueue(campaign=campaign, reason="again")
    html = supervisor_client.get(
        reverse("sync:campaign-panel", args=[campaign.pk]), HTTP_HX_REQUEST="true"
    ).content.decode()
    assert 'hx-trigger="every 2s"' in html


def test_a_panel_that_reads_syncing_keeps_polling_though_no_job_is_left(supervisor_client, synced):
    """The run ended between the panel's two reads (state, then open jobs): polling on
    shows the state it left instead of a "Syncing" that never changes."""
    campaign, _ = synced
    CampaignRemote.objects.filter(campaign=campaign).update(state=CampaignSyncState.SYNCING)
    assert not SyncJob.objects.filter(state__in=(JobState.PENDING, JobState.RUNNING)).exists()
    url = reverse("sync:campaign-panel", args=[campaign.pk])
    response = supervisor_client.get(url + "?poll=1", HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and 'hx-trigger="every 2s"' in response.content.decode()
    CampaignRemote.objects.filter(campaign=campaign).update(state=CampaignSyncState.IN_SYNC)
    assert supervisor_client.get(url + "?poll=1", HTTP_HX_REQUEST="true").status_code == 286


def test_refresh_fetches_pending_counts_that_match_the_dialer(supervisor_client, synced):
    campaign, emulator = synced
    url = reverse("sync:campaign-refresh", args=[campaign.pk])
    response = supervisor_client.post(url, HTTP_HX_REQUEST="true")
    assert "Asking the dialer" in response.content.decode()
    run_jobs()
    remote = CampaignRemote.objects.get(campaign=campaign)
    assert remote.pending_calls == 12
    assert emulator.simulate_dialling(5) == 5
    supervisor_client.post(url)
    run_jobs()
    html = supervisor_client.get(reverse("sync:campaign-panel", args=[campaign.pk])).content
    assert b"data-pending-calls>7<" in html
    assert b"<polyline" in html  # two readings make a chart
    # The sync's own reading when it finished, then one per Refresh.
    assert PendingSnapshot.objects.filter(campaign=campaign).count() == 3


def test_a_finished_sync_counts_the_pending_calls_at_once(synced):
    campaign, emulator = synced
    remote = CampaignRemote.objects.get(campaign=campaign)
    assert remote.pending_calls == 12
    assert remote.pending_fetched_at is not None


def test_refresh_of_a_campaign_not_on_the_dialer_says_why(supervisor_client, emulated_account):
    account, _ = emulated_account("webitel")
    campaign = campaign_on(account, status="draft")
    response = supervisor_client.post(
        reverse("sync:campaign-refresh", args=[campaign.pk]), HTTP_HX_REQUEST="true"
    )
    assert "not on the dialer yet" in response.content.decode()
    assert not SyncJob.objects.exists()


def test_jobs_page_lists_filters_and_retries(supervisor_client, synced):
    campaign, _ = synced
    job = SyncJob.objects.get()
    SyncJob.objects.filter(pk=job.pk).update(
        state=JobState.FAILED, needs_attention=True, last_error="Webitel refused the data (400)"
    )
    page = supervisor_client.get(reverse("sync:job-list") + "?state=failed&attention=1")
    assert "Webitel refused the data (400)" in page.content.decode()
    assert "Retry" in page.content.decode()
    empty = supervisor_client.get(reverse("sync:job-list") + "?state=held")
    assert "No sync jobs match." in empty.content.decode()
    response = supervisor_client.post(reverse("sync:job-retry", args=[job.pk]))
    assert response.status_code == 302
    assert SyncJob.objects.get().state == JobState.PENDING


def test_retry_of_a_job_that_did_not_fail_is_refused_with_a_message(supervisor_client, synced):
    job = SyncJob.objects.get()
    response = supervisor_client.post(reverse("sync:job-retry", args=[job.pk]), follow=True)
    assert "Only a failed or held job can be retried" in response.content.decode()


def test_team_leads_see_but_cannot_retry(team_lead_client, synced):
    job = SyncJob.objects.get()
    SyncJob.objects.filter(pk=job.pk).update(state=JobState.FAILED)
    assert team_lead_client.post(reverse("sync:job-retry", args=[job.pk])).status_code == 403


def test_api_lists_retries_and_reports_a_campaign(api_client, supervisor, synced):
    campaign, _ = synced
    api_client.force_authenticate(supervisor)
    listing = api_client.get("/api/v1/sync/jobs/?state=done").json()
    assert listing["count"] == 1
    job_id = listing["results"][0]["id"]
    refused = api_client.post(f"/api/v1/sync/jobs/{job_id}/retry/")
    assert refused.status_code == 400 and "Only a failed" in refused.json()["message"]
    report = api_client.get(f"/api/v1/sync/campaigns/{campaign.pk}/").json()
    assert report["state"] == CampaignSyncState.IN_SYNC
    assert report["breakdown"]["pushed"] == 12
    queued = api_client.post(f"/api/v1/sync/campaigns/{campaign.pk}/refresh/")
    assert queued.status_code == 202 and queued.json()["operation"] == "pending_refresh"


def test_api_never_shows_credentials(api_client, supervisor, synced):
    campaign, emulator = synced
    api_client.force_authenticate(supervisor)
    body = api_client.get("/api/v1/sync/jobs/").content.decode()
    for secret in emulator.credentials.values():
        assert secret not in body


@pytest.mark.parametrize("target", ["//evil.example/", "/\\evil.example", "https://evil.example/"])
def test_retry_never_redirects_off_the_site(supervisor_client, synced, target):
    job = SyncJob.objects.get()
    SyncJob.objects.filter(pk=job.pk).update(state=JobState.FAILED)
    response = supervisor_client.post(reverse("sync:job-retry", args=[job.pk]), {"next": target})
    assert response.status_code == 302
    assert "evil.example" not in response["Location"]
