"""Pushing leads through the campaign job, against the in-process vendor emulators."""

from __future__ import annotations

import httpx
import pytest

from campaigns.models import ListRemoteId
from sync.models import (
    CampaignRemote,
    CampaignSyncState,
    JobState,
    LeadSync,
    LeadSyncState,
    SyncJob,
)
from sync.services.hooks import campaign_sync_enqueue
from sync.services.push import CONFIRMED_AFTER_LOSS
from tests.sync.conftest import run_jobs
from tests.sync.factories import campaign_on, lead_list_with_leads
from tests.sync.remote import phones_on_dialer
from vendors.adapters.emulation import Fault
from vendors.services import vendor_account_save

KINDS = ["webitel", "acefone", "voicenter"]


def _states(campaign) -> dict[str, int]:
    counts: dict[str, int] = {}
    for state in LeadSync.objects.filter(campaign=campaign).values_list("state", flat=True):
        counts[state] = counts.get(state, 0) + 1
    return counts


@pytest.mark.parametrize("kind", KINDS)
def test_every_lead_reaches_the_dialer_exactly_once(kind, emulated_account):
    account, emulator = emulated_account(kind)
    leads = lead_list_with_leads(2500)
    campaign = campaign_on(account, lead_list=leads)
    campaign_sync_enqueue(campaign=campaign, reason="test")
    run_jobs()
    held = phones_on_dialer(kind, emulator, campaign)
    assert len(held) == 2500 and set(held.values()) == {1}
    assert _states(campaign) == {LeadSyncState.PUSHED: 2500}
    remote = CampaignRemote.objects.get(campaign=campaign)
    assert remote.state == CampaignSyncState.IN_SYNC and remote.last_synced_at
    assert SyncJob.objects.get().state == JobState.DONE


def test_a_second_sync_sends_only_new_leads(emulated_account):
    account, emulator = emulated_account("webitel")
    leads = lead_list_with_leads(30)
    campaign = campaign_on(account, lead_list=leads)
    campaign_sync_enqueue(campaign=campaign, reason="first")
    run_jobs()
    more = lead_list_with_leads(20, phone_prefix="+9198764")
    campaign.list_links.create(lead_list=more, position=1)
    campaign_sync_enqueue(campaign=campaign, reason="list attached")
    run_jobs()
    held = phones_on_dialer("webitel", emulator, campaign)
    assert len(held) == 50 and set(held.values()) == {1}
    assert len(emulator.dialers) == 1  # the campaign was not created twice


def test_random_faults_still_deliver_each_lead_once(emulated_account):
    account, emulator = emulated_account("webitel")
    campaign = campaign_on(account, lead_list=lead_list_with_leads(3000))
    for fault in (Fault.SERVER_ERROR, Fault.RATE_LIMITED, Fault.TIMEOUT):
        emulator.inject(fault, remaining=None, probability=0.07, retry_after=0)
    campaign_sync_enqueue(campaign=campaign, reason="test")
    run_jobs(limit=2000)
    held = phones_on_dialer("webitel", emulator, campaign)
    assert len(held) == 3000 and set(held.values()) == {1}
    assert _states(campaign) == {LeadSyncState.PUSHED: 3000}
    assert any(log.status >= 429 for log in emulator.requests)  # faults did happen


class AnswerLost(httpx.BaseTransport):
    """Lets the emulator take the request, then loses its answer (as when a worker dies
    between sending and recording), for the requests whose path contains ``fragment``."""

    def __init__(self, inner, fragment: str, times: int = 1, deliver: bool = True):
        self.inner, self.fragment, self.times, self.deliver = inner, fragment, times, deliver

    def handle_request(self, request):
        if self.times and self.fragment in request.url.path and request.method == "POST":
            self.times -= 1
            if self.deliver:
                self.inner.handle_request(request)
            raise httpx.ReadTimeout("answer lost", request=request)
        return self.inner.handle_request(request)


def _lose_answers(monkeypatch, account, emulator, **kwargs):
    from vendors import services

    lossy = AnswerLost(emulator.transport(), **kwargs)
    previous = services._default_transport
    monkeypatch.setattr(
        services,
        "_default_transport",
        lambda for_account: lossy if for_account.pk == account.pk else previous(for_account),
    )


@pytest.mark.parametrize("delivered", [True, False])
def test_a_lost_batch_on_a_vendor_without_guard_is_checked_not_resent(
    delivered, emulated_account, monkeypatch
):
    account, emulator = emulated_account("webitel")
    campaign = campaign_on(account, lead_list=lead_list_with_leads(2500))
    _lose_answers(monkeypatch, account, emulator, fragment="/members", deliver=delivered)
    campaign_sync_enqueue(campaign=campaign, reason="test")
    run_jobs()
    held = phones_on_dialer("webitel", emulator, campaign)
    assert len(held) == 2500 and set(held.values()) == {1}
    confirmed = LeadSync.objects.filter(campaign=campaign, reason=CONFIRMED_AFTER_LOSS).count()
    assert confirmed == (1000 if delivered else 0)


def test_a_lost_batch_on_a_vendor_with_a_duplicate_guard_is_sent_again(
    emulated_account, monkeypatch
):
    account, emulator = emulated_account("acefone")
    campaign = campaign_on(account, lead_list=lead_list_with_leads(1500))
    _lose_answers(monkeypatch, account, emulator, fragment="/broadcast/leads/", deliver=True)
    campaign_sync_enqueue(campaign=campaign, reason="test")
    run_jobs()
    held = phones_on_dialer("acefone", emulator, campaign)
    assert len(held) == 1500 and set(held.values()) == {1}


def test_an_unexplained_remote_total_fails_the_batch_instead_of_resending(
    emulated_account, monkeypatch, settings
):
    settings.SYNC_JOB_SLICE_SECONDS = 0  # one batch per run
    account, emulator = emulated_account("webitel")
    campaign = campaign_on(account, lead_list=lead_list_with_leads(1200))
    _lose_answers(monkeypatch, account, emulator, fragment="/members", deliver=True)
    campaign_sync_enqueue(campaign=campaign, reason="test")
    run_jobs(limit=1, drain=False)  # the first batch is sent, its answer lost
    dialer_id = CampaignRemote.objects.get(campaign=campaign).remote_ref["remote_id"]
    emulator.members[dialer_id].popitem()  # someone deleted a member on the dialer
    run_jobs()
    states = _states(campaign)
    assert states == {LeadSyncState.FAILED: 1000, LeadSyncState.PUSHED: 200}
    reason = LeadSync.objects.filter(state=LeadSyncState.FAILED).first().reason
    assert "not sent again so that nobody is called twice" in reason


def test_a_wrong_credential_holds_then_a_fix_finishes_without_resending(emulated_account, settings):
    settings.SYNC_JOB_SLICE_SECONDS = 0  # one batch per run
    account, emulator = emulated_account("webitel")
    campaign = campaign_on(account, lead_list=lead_list_with_leads(1500))
    campaign_sync_enqueue(campaign=campaign, reason="test")
    run_jobs(limit=1, drain=False)
    # 1,000 leads are on the dialer when the token is revoked there.
    emulator.credentials["token"] = "rotated-on-the-dialer"
    SyncJob.objects.filter(state=JobState.PENDING).update(attempts=0)
    run_jobs()
    job = SyncJob.objects.get()
    assert job.state == JobState.HELD
    assert "Webitel refused the credentials (401): Invalid token" in job.last_error
    assert CampaignRemote.objects.get(campaign=campaign).state == CampaignSyncState.OUT_OF_SYNC
    credentials = {"token": "rotated-on-the-dialer", "key": emulator.credentials["key"]}
    vendor_account_save(
        account=account, name=account.name, kind="webitel", base_url="", credentials=credentials
    )
    from sync.services import sync_jobs_sweep

    sync_jobs_sweep(check_accounts=False)
    run_jobs()
    held = phones_on_dialer("webitel", emulator, campaign)
    assert len(held) == 1500 and set(held.values()) == {1}
    assert CampaignRemote.objects.get(campaign=campaign).state == CampaignSyncState.IN_SYNC


def test_the_campaign_is_started_on_the_dialer(emulated_account):
    account, emulator = emulated_account("webitel")
    campaign = campaign_on(account, lead_list=lead_list_with_leads(3))
    campaign_sync_enqueue(campaign=campaign, reason="test")
    run_jobs()
    dialer_id = CampaignRemote.objects.get(campaign=campaign).remote_ref["remote_id"]
    assert emulator.dialers[dialer_id]["active"] is True
    campaign.status = "stopped"
    campaign.save()
    campaign_sync_enqueue(campaign=campaign, reason="stopped")
    run_jobs()
    assert emulator.dialers[dialer_id]["active"] is False


def test_drafts_are_not_synced(emulated_account):
    account, _ = emulated_account("webitel")
    campaign = campaign_on(account, lead_list=lead_list_with_leads(3), status="draft")
    assert campaign_sync_enqueue(campaign=campaign, reason="saved") is None
    assert not SyncJob.objects.exists()


def test_a_vendor_refusal_fails_the_job_with_its_words(emulated_account):
    account, _ = emulated_account("webitel")
    campaign = campaign_on(account, lead_list=lead_list_with_leads(3))
    # The calling window's Webitel calendar id names no calendar on the dialer.
    ListRemoteId.objects.filter(calling_window=campaign.calling_window).update(remote_id="nope")
    campaign_sync_enqueue(campaign=campaign, reason="test")
    run_jobs()
    job = SyncJob.objects.get()
    assert job.state == JobState.FAILED and job.needs_attention
    remote = CampaignRemote.objects.get(campaign=campaign)
    assert remote.state == CampaignSyncState.FAILED
    assert remote.last_error == job.last_error
    assert job.last_error.startswith("Webitel refused the data (400)")
