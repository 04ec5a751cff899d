"""What a dialer says reaches job errors, campaign errors and lead reasons only with the
account's credentials masked; an address the egress policy refuses holds the account's
jobs instead of retrying them."""

from __future__ import annotations

import json

import httpx
import pytest

from sync.models import CampaignRemote, JobState, SyncJob
from sync.services.hooks import campaign_sync_enqueue
from tests.sync.conftest import run_jobs
from tests.sync.factories import campaign_on, lead_list_with_leads
from vendors import services
from vendors.models import VendorAccount

SECRET = 'tok"en\\with/odd%chars+ABC123'


def _forms(secret: str) -> list[str]:
    return [secret, json.dumps(secret)[1:-1], json.dumps(secret, ensure_ascii=False)[1:-1]]


def test_a_dialer_echoing_the_token_leaves_no_trace_in_the_job_or_campaign(
    emulated_account, monkeypatch
):
    account, _ = emulated_account("webitel", account_credentials={"token": SECRET})

    def echo(request: httpx.Request) -> httpx.Response:
        return httpx.Response(400, json={"detail": f"token {SECRET} may not do this"})

    previous = services._default_transport
    monkeypatch.setattr(
        services,
        "_default_transport",
        lambda for_account: (
            httpx.MockTransport(echo) if for_account.pk == account.pk else previous(for_account)
        ),
    )
    campaign = campaign_on(account, lead_list=lead_list_with_leads(3))
    campaign_sync_enqueue(campaign=campaign, reason="test")
    run_jobs()
    job = SyncJob.objects.get(campaign=campaign)
    assert job.state == JobState.FAILED
    assert "may not do this" in job.last_error
    remote = CampaignRemote.objects.get(campaign=campaign)
    for text in (job.last_error, remote.last_error):
        for form in _forms(SECRET):
            assert form not in text


@pytest.mark.parametrize("base_url", ["http://10.1.2.3", "http://169.254.169.254"])
def test_a_refused_address_holds_the_accounts_jobs_instead_of_retrying(
    emulated_account, monkeypatch, base_url
):
    account, _ = emulated_account("webitel")
    monkeypatch.setattr(services, "_default_transport", lambda for_account: None)
    # Saved before the policy existed: the form and the service refuse it today.
    VendorAccount.objects.filter(pk=account.pk).update(base_url=base_url)
    campaign = campaign_on(account, lead_list=lead_list_with_leads(2))
    campaign_sync_enqueue(campaign=campaign, reason="test")
    run_jobs()
    job = SyncJob.objects.get(campaign=campaign)
    assert job.state == JobState.HELD
    assert job.attempts <= 1
    assert "refused by policy" in job.last_error
    assert "VENDOR_ALLOWED_PRIVATE_HOSTS" in job.last_error
