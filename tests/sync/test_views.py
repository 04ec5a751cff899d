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


def test_the_breakdown_reads_kept_counts_and_never_the_push_rows_or_leads(synced):
    """The panel's counts run on every poll: grouping a million-lead campaign's push rows
    cost 127-167 ms a request; the kept counts are one primary-key read."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from sync.selectors import campaign_breakdown

    campaign, _ = synced
    with CaptureQueriesContext(connection) as queries:
        breakdown = campaign_breakdown(campaign=campaign)
    assert breakdown.pushed == 12
    touched = [q["sql"] for q in queries.captured_queries]
    # The one read of push rows: those still unconfirmed, by a partial index, capped.
    unconfirmed = [sql for sql in touched if "sync_leadsync" in sql]
    assert len(unconfirmed) == 1 and "LIMIT 10001" in unconfirmed[0]
    assert "Sent, not yet confirmed" in unconfirmed[0]
    touched = [sql for sql in touched if sql not in unconfirmed]
    assert not [sql for sql in touched if '"leads_lead"' in sql]
    assert len(touched) == 3  # the kept counts, the active lists, their imports' rejects


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
    assert len(listing["results"]) == 1 and listing["next"] is None  # cursor pages, no count
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


def test_leads_put_on_the_dnc_list_count_as_dnc_not_removed(supervisor_client, synced):
    """Four pushed leads whose numbers go on the do-not-call list are taken off the dialer
    and counted under DNC; Removed stays for leads taken back in the console."""
    from leads.models import Lead, LeadStatus
    from leads.services import dnc_entry_create
    from sync.models import LeadSync, LeadSyncState
    from sync.selectors import campaign_breakdown

    campaign, _ = synced
    leads = list(Lead.objects.filter(lead_list__campaign_links__campaign=campaign).order_by("id"))
    for lead in leads[:4]:
        dnc_entry_create(phone=lead.phone)
    run_jobs()
    assert Lead.objects.filter(pk__in=[lead.pk for lead in leads[:4]], status="dnc").count() == 4
    breakdown = campaign_breakdown(campaign=campaign)
    rows = LeadSync.objects.filter(campaign=campaign)
    assert breakdown.dnc == rows.filter(lead__status=LeadStatus.DNC).count() == 4
    assert breakdown.dnc == rows.filter(state=LeadSyncState.DNC).count()
    assert breakdown.removed == 0
    assert breakdown.pushed == rows.filter(state=LeadSyncState.PUSHED).count() == 8
    html = supervisor_client.get(reverse("sync:campaign-panel", args=[campaign.pk])).content
    assert 'data-count="dnc">4<' in html.decode()
    assert 'data-count="removed"' not in html.decode()


def test_jobs_page_subtitle_matches_its_newest_first_order(supervisor_client, synced):
    campaign, _ = synced
    older = SyncJob.objects.get()
    newer = campaign_sync_enqueue(campaign=campaign, reason="again")
    html = supervisor_client.get(reverse("sync:job-list")).content.decode()
    assert "most recently changed first" in html and "oldest change first" not in html
    assert html.index(f"#{newer.pk} ") < html.index(f"#{older.pk} ")


def test_done_jobs_show_no_attempt_count_and_their_note_is_not_an_error(supervisor_client, synced):
    job = SyncJob.objects.get()
    note = "Acefone has no documented call for this."
    SyncJob.objects.filter(pk=job.pk).update(state=JobState.DONE, attempts=0, last_error=note)
    html = supervisor_client.get(reverse("sync:job-list")).content.decode()
    row = html.split(f"#{job.pk} ")[1].split("</tr>")[0]
    assert "0 of 10" not in row and "0 / 10" not in row
    assert "data-job-error" not in row
    assert f"Note: {note}" in row


def test_failed_jobs_show_attempts_and_error(supervisor_client, synced):
    job = SyncJob.objects.get()
    SyncJob.objects.filter(pk=job.pk).update(
        state=JobState.FAILED, attempts=3, max_attempts=10, last_error="Webitel said no"
    )
    html = supervisor_client.get(reverse("sync:job-list")).content.decode()
    row = html.split(f"#{job.pk} ")[1].split("</tr>")[0]
    assert "3 of 10" in row and "<small data-job-error>Webitel said no</small>" in row


def test_routine_pending_refreshes_are_hidden_unless_asked_for(supervisor_client, synced):
    from django.utils import timezone

    from sync.models import Operation

    campaign, _ = synced
    sync_job = SyncJob.objects.get()
    refresh = SyncJob.objects.create(
        account=sync_job.account,
        campaign=campaign,
        operation=Operation.PENDING_REFRESH,
        state=JobState.DONE,
        reason="Beat",
        not_before=timezone.now(),
    )
    url = reverse("sync:job-list")
    html = supervisor_client.get(url).content.decode()
    assert f"#{sync_job.pk} " in html and f"#{refresh.pk} " not in html
    assert "Done (1)" in html  # the state counts agree with the rows listed
    for query in ({"routine": "1"}, {"operation": Operation.PENDING_REFRESH}):
        html = supervisor_client.get(url, query).content.decode()
        assert f"#{refresh.pk} " in html


def test_the_jobs_page_pages_by_keyset_and_caps_its_state_counts(supervisor_client, monkeypatch):
    from datetime import timedelta

    from django.utils import timezone

    from campaigns.models import Campaign
    from sync import selectors
    from sync.models import Operation
    from vendors.models import VendorAccount

    monkeypatch.setattr(selectors, "STATE_COUNT_CAP", 3)
    account = VendorAccount.objects.create(name="Acefone", kind="acefone")
    campaign = Campaign.objects.create(name="Spring")
    now = timezone.now()
    jobs = [
        SyncJob.objects.create(
            account=account,
            campaign=campaign,
            operation=Operation.CAMPAIGN_SYNC,
            state=JobState.FAILED if n < 2 else JobState.DONE,
            not_before=now,
        )
        for n in range(55)
    ]
    for n, job in enumerate(jobs):  # job 0 changed last: first on the page
        SyncJob.objects.filter(pk=job.pk).update(updated_at=now - timedelta(seconds=n))
    url = reverse("sync:job-list")
    first = supervisor_client.get(url)
    page = first.context["page"]
    assert [job.pk for job in page.rows] == [job.pk for job in jobs[:50]]
    html = first.content.decode()
    # Counted no further than the cap: "3+" for 53 done jobs, exact for the 2 failed.
    assert ">Done (3+)</option>" in html and ">Failed (2)</option>" in html
    assert "Page 1 of" not in html  # nothing counted for the pager
    second = supervisor_client.get(page.next_url)
    assert [job.pk for job in second.context["page"].rows] == [job.pk for job in jobs[50:]]
    by_job = supervisor_client.get(url, {"sort": "-job", "state": "failed"})
    assert [job.pk for job in by_job.context["page"].rows] == [jobs[1].pk, jobs[0].pk]
    assert by_job.context["page"].headers["job"].url == f"{url}?state=failed&sort=job"


def test_the_panel_shows_leads_sent_but_not_yet_confirmed(
    supervisor_client, emulated_account, monkeypatch
):
    from vendors.adapters.acefone.adapter import AcefoneAdapter
    from vendors.adapters.errors import VendorTemporaryError

    def unreadable(self, list_id, leads):
        raise VendorTemporaryError("Acefone did not answer in time.")

    monkeypatch.setattr(AcefoneAdapter, "_confirm_bulk", unreadable)
    account, _ = emulated_account("acefone")
    campaign = campaign_on(account, lead_list=lead_list_with_leads(4))
    campaign_sync_enqueue(campaign=campaign, reason="test")
    run_jobs()
    html = supervisor_client.get(reverse("sync:campaign-panel", args=[campaign.pk])).content
    html = html.decode()
    assert 'data-count="pushed">4<' in html
    assert 'data-count="unconfirmed">4<' in html
    assert "sent, not yet confirmed" in html


def test_leads_sent_but_not_confirmed_are_settled_by_the_next_check(
    supervisor_client, emulated_account, monkeypatch
):
    """The read-back after the bulk add failed: the next reconciliation check asks the
    dialer's documented list-leads call, and each lead gets its outcome and id."""
    from sync.models import SENT_NOT_CONFIRMED, LeadSync, LeadSyncState
    from sync.services.actions import sync_reconcile_check_enqueue
    from vendors.adapters.acefone.adapter import AcefoneAdapter
    from vendors.adapters.errors import VendorTemporaryError

    def unreadable(self, list_id, leads):
        raise VendorTemporaryError("Acefone did not answer in time.")

    account, _ = emulated_account("acefone")
    campaign = campaign_on(account, lead_list=lead_list_with_leads(4))
    with monkeypatch.context() as patched:
        patched.setattr(AcefoneAdapter, "_confirm_bulk", unreadable)
        campaign_sync_enqueue(campaign=campaign, reason="test")
        run_jobs()
    rows = LeadSync.objects.filter(campaign=campaign)
    assert rows.filter(reason=SENT_NOT_CONFIRMED).count() == 4
    sync_reconcile_check_enqueue(campaign=campaign)
    run_jobs()
    assert rows.filter(reason=SENT_NOT_CONFIRMED).count() == 0
    assert rows.filter(state=LeadSyncState.PUSHED).exclude(remote_id="").count() == 4
    html = supervisor_client.get(reverse("sync:campaign-panel", args=[campaign.pk])).content
    assert 'data-count="unconfirmed"' not in html.decode()


def test_a_dialer_that_gives_a_position_not_a_count_shows_the_position(
    supervisor_client, emulated_account
):
    from django.utils import timezone

    account, _ = emulated_account("ozonetel")
    campaign = campaign_on(account)
    CampaignRemote.objects.update_or_create(
        campaign=campaign,
        defaults={"pending_calls": None, "pending_state": "RUNNING",
                  "pending_fetched_at": timezone.now()},
    )  # fmt: skip
    html = supervisor_client.get(reverse("sync:campaign-panel", args=[campaign.pk])).content
    html = html.decode()
    assert "The dialer gives no pending count." in html
    assert "<strong data-dialer-position>RUNNING</strong>" in html
    assert "— pending calls" not in html
