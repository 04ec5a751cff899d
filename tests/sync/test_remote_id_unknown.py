"""A dialer that creates a campaign without telling its id (the documented Acefone and jtel
replies): the console records "created on the dialer, id unknown", never creates it twice,
and the campaign page asks the supervisor to link it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from dialer_console.errors import ApplicationError
from sync.models import CampaignRemote, CampaignSyncState, JobState, LeadSync, SyncJob
from sync.services import sync_campaign_link, sync_pending_refresh_enqueue
from sync.services.hooks import campaign_sync_enqueue
from sync.services.jobs import sync_job_retry
from tests.sync.conftest import run_jobs
from tests.sync.factories import campaign_on, lead_list_with_leads
from tests.vendors.fixtures import emulator_for


@pytest.fixture(params=["acefone", "jtel"])
def unnamed(request, emulated_account):
    """A campaign synced once to a dialer answering the documented create reply only."""
    kind = request.param
    account, emulator = emulated_account(kind, emulator=emulator_for(kind))
    campaign = campaign_on(account, lead_list=lead_list_with_leads(3))
    campaign_sync_enqueue(campaign=campaign, reason="test")
    run_jobs()
    return campaign, emulator


def _campaign_ids(emulator) -> list:
    return list(emulator.campaigns)


def test_a_create_without_an_id_is_recorded_and_never_repeated(unnamed):
    campaign, emulator = unnamed
    held = _campaign_ids(emulator)
    remote = CampaignRemote.objects.get(campaign=campaign)
    assert remote.remote_ref["id_unknown"] is True
    assert remote.state == CampaignSyncState.FAILED
    assert "id unknown" in remote.last_error
    job = SyncJob.objects.get(campaign=campaign)
    assert job.state == JobState.FAILED and job.needs_attention
    # Retrying the job, or saving the campaign again, creates nothing on the dialer.
    sync_job_retry(job=job)
    campaign_sync_enqueue(campaign=campaign, reason="saved again")
    run_jobs()
    assert _campaign_ids(emulator) == held
    assert not LeadSync.objects.filter(campaign=campaign, state="pushed").exists()


def test_linking_the_id_syncs_the_campaign_and_pushes_its_leads(unnamed):
    campaign, emulator = unnamed
    new_id = _campaign_ids(emulator)[-1]  # after the jtel template, the one created
    sync_campaign_link(campaign=campaign, remote_id=f" {new_id} ")
    run_jobs()
    remote = CampaignRemote.objects.get(campaign=campaign)
    assert remote.remote_ref["remote_id"] == str(new_id)
    assert "id_unknown" not in remote.remote_ref
    assert remote.state == CampaignSyncState.IN_SYNC
    assert LeadSync.objects.filter(campaign=campaign, state="pushed").count() == 3
    # The failed create no longer asks for attention: the link answered it.
    assert not SyncJob.objects.filter(campaign=campaign, needs_attention=True).exists()
    if "list_id" in remote.remote_ref["extra"]:  # Acefone: the lead list is kept
        assert remote.remote_ref["extra"]["list_id"] == "101"
    with pytest.raises(ApplicationError, match="already known"):
        sync_campaign_link(campaign=campaign, remote_id="42")


@pytest.mark.parametrize("bad", ["", "   ", "12 34", "x" * 121])
def test_a_bad_id_is_refused_with_a_message(unnamed, bad):
    campaign, _ = unnamed
    with pytest.raises(ApplicationError):
        sync_campaign_link(campaign=campaign, remote_id=bad)
    assert CampaignRemote.objects.get(campaign=campaign).remote_ref["id_unknown"] is True


def test_no_pending_refresh_before_the_link(unnamed):
    campaign, _ = unnamed
    with pytest.raises(ApplicationError, match="Link the campaign"):
        sync_pending_refresh_enqueue(campaign=campaign)


def test_the_panel_asks_the_supervisor_to_link_it(supervisor_client, unnamed):
    campaign, emulator = unnamed
    panel = supervisor_client.get(reverse("sync:campaign-panel", args=[campaign.pk]))
    html = panel.content.decode()
    assert "Created on the dialer, id unknown" in html
    assert reverse("sync:campaign-link", args=[campaign.pk]) in html
    refused = supervisor_client.post(
        reverse("sync:campaign-link", args=[campaign.pk]),
        {"remote_id": ""},
        HTTP_HX_REQUEST="true",
    )
    assert refused.status_code == 200
    assert "Enter the campaign" in refused.content.decode()
    new_id = str(_campaign_ids(emulator)[-1])
    linked = supervisor_client.post(
        reverse("sync:campaign-link", args=[campaign.pk]), {"remote_id": new_id}
    )
    assert linked.status_code == 302
    assert CampaignRemote.objects.get(campaign=campaign).remote_ref["remote_id"] == new_id


def test_team_leads_cannot_link(team_lead_client, unnamed):
    campaign, _ = unnamed
    response = team_lead_client.post(
        reverse("sync:campaign-link", args=[campaign.pk]), {"remote_id": "5001"}
    )
    assert response.status_code == 403


def test_the_panel_offers_no_retry_or_refresh_before_the_link(supervisor_client, unnamed):
    campaign, _ = unnamed
    html = supervisor_client.get(reverse("sync:campaign-panel", args=[campaign.pk])).content
    html = html.decode()
    assert "Retry job" not in html  # retrying cannot help: the id is what is missing
    refresh = html[html.index(reverse("sync:campaign-refresh", args=[campaign.pk])) :]
    assert "disabled>Refresh" in refresh.replace("\n", "").replace("  ", "")
