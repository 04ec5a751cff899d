"""What the pages say about a campaign's dialer and its account (issue #15, "Status the
page must get right")."""

from __future__ import annotations

import re
from datetime import timedelta
from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone

from sync.models import CampaignRemote, JobState, Operation, SyncJob
from sync.selectors import sync_dashboard_tiles
from sync.services.hooks import campaign_sync_enqueue
from tests.campaigns.factories import CampaignFactory
from tests.sync.conftest import run_jobs
from tests.sync.factories import campaign_on, lead_list_with_leads
from vendors.adapters.emulation import Fault
from vendors.models import VendorAccount


def _failed_then_synced(emulated_account):
    """A campaign whose first sync failed for good, then a later sync succeeded."""
    account, emulator = emulated_account("webitel")
    campaign = campaign_on(account, lead_list=lead_list_with_leads(3), parameters={"limit": 5})
    emulator.inject(Fault.MALFORMED_JSON, remaining=None)
    campaign_sync_enqueue(campaign=campaign, reason="first try")
    run_jobs()
    failed = SyncJob.objects.get(campaign=campaign, operation=Operation.CAMPAIGN_SYNC)
    assert failed.state == JobState.FAILED and failed.needs_attention
    return campaign, emulator, failed


def test_a_later_success_clears_the_earlier_failures_call_to_action(
    supervisor, supervisor_client, emulated_account
):
    campaign, emulator, failed = _failed_then_synced(emulated_account)
    panel_url = reverse("sync:campaign-panel", args=[campaign.pk])
    assert f"Retry job #{failed.pk}" in supervisor_client.get(panel_url).content.decode()
    [tile] = sync_dashboard_tiles(user=supervisor)
    assert tile.note == "1 needs attention"

    emulator.faults.clear()
    campaign_sync_enqueue(campaign=campaign, reason="second try")
    run_jobs()

    assert CampaignRemote.objects.get(campaign=campaign).state == "in_sync"
    html = supervisor_client.get(panel_url).content.decode()
    assert "Retry job #" not in html
    assert sync_dashboard_tiles(user=supervisor)[0].note == "0 need attention"
    home = unescape(supervisor_client.get(reverse("home")).content.decode())
    assert "0 need attention" in home
    failed.refresh_from_db()
    assert failed.state == JobState.FAILED and not failed.needs_attention
    assert "Superseded: job #" in failed.last_error  # the history stays readable


def test_a_success_clears_only_earlier_failures_of_the_same_work(emulated_account):
    account, _ = emulated_account("webitel")
    campaign = campaign_on(account, lead_list=lead_list_with_leads(2), parameters={"limit": 5})
    other = campaign_on(account, lead_list=lead_list_with_leads(2, phone_prefix="+9198769"))
    now = timezone.now()
    unrelated = [
        SyncJob.objects.create(
            account=account, campaign=target, operation=operation, state=JobState.FAILED,
            needs_attention=True, not_before=now, last_error="boom",
        )
        for target, operation in [
            (other, Operation.CAMPAIGN_SYNC), (campaign, Operation.PENDING_REFRESH)
        ]
    ]  # fmt: skip
    campaign_sync_enqueue(campaign=campaign, reason="test")
    SyncJob.objects.filter(operation=Operation.PENDING_REFRESH).exclude(
        pk__in=[job.pk for job in unrelated]
    ).delete()
    run_jobs()
    for job in unrelated:
        job.refresh_from_db()
        assert job.needs_attention and job.last_error == "boom"


@pytest.mark.django_db
def test_the_header_shows_the_console_state_and_the_dialers(supervisor_client):
    account = VendorAccount.objects.create(name="jtel", kind="jtel", base_url="http://x.test")
    campaign = CampaignFactory(vendor_account=account, status="active")
    CampaignRemote.objects.create(campaign=campaign, state="failed", last_error="refused")
    html = supervisor_client.get(reverse("campaigns:detail", args=[campaign.pk])).content.decode()
    # The page header: the title, then the console's state and the dialer's, side by side.
    header = html.split('<header class="page-header">')[1].split("</header>")[0]
    header = " ".join(unescape(re.sub(r"<[^>]+>", "", header)).split())
    assert header.startswith(f"{campaign.name} Active · dialer: failed, never synced")


@pytest.mark.django_db
def test_the_panels_poll_keeps_the_header_current(supervisor_client):
    campaign = CampaignFactory(status="active")
    CampaignRemote.objects.create(campaign=campaign, state="in_sync", last_synced_at=timezone.now())
    url = reverse("sync:campaign-panel", args=[campaign.pk]) + "?poll=1"
    fragment = supervisor_client.get(url, HTTP_HX_REQUEST="true").content.decode()
    oob = fragment.split('id="dialer-state"')[1].split("</small>")[0]
    assert 'hx-swap-oob="true"' in oob and 'data-dialer-state="in_sync"' in oob
    assert "last synced <time" in oob


def test_a_successful_sync_call_is_a_health_signal(supervisor_client, emulated_account):
    account, _ = emulated_account("webitel")
    assert account.health_ok is None
    campaign = campaign_on(account, lead_list=lead_list_with_leads(2), parameters={"limit": 5})
    campaign_sync_enqueue(campaign=campaign, reason="test")
    run_jobs()
    account.refresh_from_db()
    assert account.health_ok is True and account.health_checked_at is not None
    assert "called the dialer successfully" in account.health_message
    page = supervisor_client.get(reverse("vendors:account-list")).content.decode()
    assert "Not checked" not in page and "Healthy" in page


def test_a_failing_account_is_not_made_healthy_by_a_sync(emulated_account):
    account, _ = emulated_account("webitel")
    campaign = campaign_on(account, lead_list=lead_list_with_leads(2), parameters={"limit": 5})
    campaign_sync_enqueue(campaign=campaign, reason="test")
    run_jobs()
    VendorAccount.objects.filter(pk=account.pk).update(health_ok=False, health_message="401")
    SyncJob.objects.create(
        account=account, campaign=campaign, operation=Operation.PENDING_REFRESH,
        not_before=timezone.now(),
    )  # fmt: skip
    run_jobs()
    account.refresh_from_db()
    assert account.health_ok is False and account.health_message == "401"


def test_a_job_without_a_successful_call_is_no_health_signal(emulated_account):
    account, emulator = emulated_account("webitel")
    campaign = campaign_on(account, lead_list=lead_list_with_leads(2), parameters={"limit": 5})
    emulator.inject(Fault.MALFORMED_JSON, remaining=None)
    campaign_sync_enqueue(campaign=campaign, reason="test")
    run_jobs()
    account.refresh_from_db()
    assert account.health_ok is None


@pytest.mark.django_db
def test_in_sync_never_sits_beside_not_synced(supervisor_client):
    campaign = CampaignFactory(status="active")
    synced_at = timezone.now() - timedelta(seconds=1)
    remote = CampaignRemote.objects.create(
        campaign=campaign, state="in_sync", last_synced_at=synced_at
    )
    detail = reverse("campaigns:detail", args=[campaign.pk])
    html = supervisor_client.get(detail).content.decode()
    assert "not synced yet" not in html and "never synced" not in html
    # A relative time the page's script rewrites from the exact one (not frozen).
    assert f'datetime="{timezone.localtime(synced_at).isoformat()}" data-ago' in html
    remote.last_synced_at = None
    remote.save()
    html = supervisor_client.get(detail).content.decode()
    assert "never synced" not in html and "time of the last sync unknown" in html


@pytest.mark.django_db
def test_the_home_tile_counts_open_and_flagged_jobs_without_grouping_the_history(supervisor):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    campaign = CampaignFactory(status="active")
    account = VendorAccount.objects.create(name="w", kind="webitel", base_url="http://x.test")
    now = timezone.now()
    for state, attention in [("done", False)] * 5 + [("pending", False), ("failed", True)]:
        SyncJob.objects.create(
            account=account, campaign=campaign, operation=Operation.CAMPAIGN_SYNC,
            state=state, needs_attention=attention, not_before=now,
        )  # fmt: skip
    with CaptureQueriesContext(connection) as queries:
        [tile] = sync_dashboard_tiles(user=supervisor)
    assert (tile.value, tile.note) == (1, "1 needs attention")
    sql = [query["sql"].upper() for query in queries.captured_queries]
    jobs = [text for text in sql if "SYNC_SYNCJOB" in text]
    assert len(jobs) == 2 and not [text for text in jobs if "GROUP BY" in text]
