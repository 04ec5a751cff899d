"""The run's takeover check: heartbeats at most once a second, and a swept job stops."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from sync.models import JobState, Operation, SyncJob
from sync.services import runner, sync_job_claim, sync_job_enqueue, sync_jobs_sweep
from tests.campaigns.factories import VendorAccountFactory
from tests.sync.factories import campaign_on


@pytest.fixture
def claim(db):
    campaign = campaign_on(VendorAccountFactory(kind="webitel"))
    job = sync_job_enqueue(
        account=campaign.vendor_account,
        operation=Operation.CAMPAIGN_SYNC,
        campaign=campaign,
        dedupe_key=f"campaign_sync:{campaign.pk}",
    )
    return sync_job_claim(job_id=job.pk, worker_id="a")


class FakeMonotonic:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_the_check_beats_at_most_once_a_second(claim, monkeypatch):
    clock = FakeMonotonic()
    monkeypatch.setattr(runner.time, "monotonic", clock)
    still_mine = runner.still_mine_check(claim)
    assert still_mine()
    first_beat = SyncJob.objects.get().heartbeat_at
    clock.now += 0.5
    assert still_mine()
    assert SyncJob.objects.get().heartbeat_at == first_beat  # no write within the second
    clock.now += runner.HEARTBEAT_EVERY_SECONDS
    assert still_mine()
    assert SyncJob.objects.get().heartbeat_at > first_beat


def test_a_job_swept_as_stale_is_no_longer_the_runs(claim, monkeypatch, settings):
    clock = FakeMonotonic()
    monkeypatch.setattr(runner.time, "monotonic", clock)
    still_mine = runner.still_mine_check(claim)
    assert still_mine()
    # The run stalls past the stale limit; the sweep takes the job back.
    settings.SYNC_STALE_AFTER_SECONDS = 60
    SyncJob.objects.update(heartbeat_at=timezone.now() - timedelta(minutes=5))
    assert sync_jobs_sweep(check_accounts=False).unstuck == 1
    clock.now += settings.SYNC_STALE_AFTER_SECONDS
    assert not still_mine()
    assert SyncJob.objects.get().state == JobState.PENDING
