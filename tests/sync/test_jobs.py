"""The outbox engine: enqueue, claim, retry, fail, hold, release, sweep."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.utils import timezone

from dialer_console.errors import ApplicationError
from sync.models import CampaignRemote, CampaignSyncState, JobState, Operation, SyncJob
from sync.services import (
    sync_job_claim,
    sync_job_enqueue,
    sync_job_retry,
    sync_jobs_release_for_account,
    sync_jobs_sweep,
)
from sync.services.jobs import retry_delay_seconds, sync_job_hold_account, sync_job_retry_later
from tests.campaigns.factories import VendorAccountFactory
from tests.sync.factories import campaign_on


@pytest.fixture
def account(db):
    return VendorAccountFactory(kind="webitel")


@pytest.fixture
def campaign(account):
    return campaign_on(account)


def _enqueue(campaign, **kwargs):
    defaults = {
        "account": campaign.vendor_account,
        "operation": Operation.CAMPAIGN_SYNC,
        "campaign": campaign,
        "dedupe_key": f"campaign_sync:{campaign.pk}",
    }
    return sync_job_enqueue(**{**defaults, **kwargs})


@pytest.mark.django_db(transaction=True)
def test_enqueue_hands_the_id_to_celery_only_after_commit(campaign, published):
    with transaction.atomic():
        job = _enqueue(campaign)
        assert published == []
    assert published == [(job.pk, 0)]


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_change_leaves_no_job_and_publishes_nothing(campaign, published):
    with pytest.raises(RuntimeError), transaction.atomic():
        _enqueue(campaign)
        raise RuntimeError
    assert not SyncJob.objects.exists()
    assert published == []


def test_the_same_waiting_work_is_queued_once(campaign):
    first = _enqueue(campaign, reason="Campaign saved")
    second = _enqueue(campaign, reason="Lead list attached")
    assert first.pk == second.pk
    assert SyncJob.objects.count() == 1
    assert SyncJob.objects.get().reason == "Campaign saved; Lead list attached"


def test_a_job_is_claimed_once(campaign):
    job = _enqueue(campaign)
    claim = sync_job_claim(job_id=job.pk, worker_id="a")
    assert claim is not None and claim.job.state == JobState.RUNNING
    assert sync_job_claim(job_id=job.pk, worker_id="b") is None


def test_a_job_is_not_claimed_before_its_time(campaign):
    job = _enqueue(campaign)
    SyncJob.objects.filter(pk=job.pk).update(not_before=timezone.now() + timedelta(minutes=1))
    assert sync_job_claim(job_id=job.pk, worker_id="a") is None


def test_one_campaign_job_runs_at_a_time_per_campaign(campaign):
    running = _enqueue(campaign)
    assert sync_job_claim(job_id=running.pk, worker_id="a")
    waiting = _enqueue(campaign)  # the first is running, so a new one may wait
    assert waiting.pk != running.pk
    assert sync_job_claim(job_id=waiting.pk, worker_id="b") is None


@pytest.mark.django_db(transaction=True)
def test_two_claimers_racing_never_get_the_same_job(account, require_postgres):
    campaign = campaign_on(account)
    job = _enqueue(campaign)
    barrier = threading.Barrier(8)
    won = []

    def claim(worker):
        barrier.wait()
        try:
            if sync_job_claim(job_id=job.pk, worker_id=worker):
                won.append(worker)
        finally:
            connection.close()

    threads = [threading.Thread(target=claim, args=(f"w{n}",)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(won) == 1


def test_backoff_grows_exponentially_with_jitter(settings):
    settings.SYNC_RETRY_BASE_SECONDS = 10
    settings.SYNC_RETRY_MAX_SECONDS = 1000
    for attempts, ceiling in ((1, 10), (2, 20), (3, 40), (4, 80)):
        delays = {retry_delay_seconds(attempts=attempts) for _ in range(50)}
        assert all(ceiling / 2 <= delay <= ceiling for delay in delays)
        assert len(delays) > 1  # jittered, not fixed


def test_backoff_is_capped_and_honours_retry_after(settings):
    settings.SYNC_RETRY_BASE_SECONDS = 10
    settings.SYNC_RETRY_MAX_SECONDS = 60
    assert retry_delay_seconds(attempts=20) <= 60
    assert retry_delay_seconds(attempts=1, retry_after=300) == 300


def test_a_temporary_failure_backs_off_then_gives_up(campaign, published, settings):
    settings.SYNC_RETRY_BASE_SECONDS = 100
    settings.SYNC_RETRY_MAX_SECONDS = 100
    job = _enqueue(campaign)
    SyncJob.objects.filter(pk=job.pk).update(max_attempts=2)
    claim = sync_job_claim(job_id=job.pk, worker_id="a")
    retried = sync_job_retry_later(
        claim=claim, message="Webitel had a server error (503)", retry_after=None
    )
    assert retried.state == JobState.PENDING
    assert retried.attempts == 1
    assert retried.not_before > timezone.now() + timedelta(seconds=40)
    assert "attempt 1 of 2" in retried.last_error
    SyncJob.objects.filter(pk=job.pk).update(not_before=timezone.now())
    claim = sync_job_claim(job_id=job.pk, worker_id="a")
    failed = sync_job_retry_later(
        claim=claim, message="Webitel had a server error (503)", retry_after=None
    )
    assert failed.state == JobState.FAILED
    assert failed.needs_attention
    assert failed.last_error.startswith("Gave up after 2 attempts")


def test_protocol_errors_get_few_retries(campaign):
    job = _enqueue(campaign)
    for _ in range(2):
        claim = sync_job_claim(job_id=job.pk, worker_id="a")
        assert (
            sync_job_retry_later(
                claim=claim, message="bad shape", retry_after=None, protocol=True
            ).state
            == JobState.PENDING
        )
        SyncJob.objects.filter(pk=job.pk).update(not_before=timezone.now())
    claim = sync_job_claim(job_id=job.pk, worker_id="a")
    assert (
        sync_job_retry_later(
            claim=claim, message="bad shape", retry_after=None, protocol=True
        ).state
        == JobState.FAILED
    )


def test_a_configuration_failure_holds_every_job_of_the_account(campaign, account):
    other = campaign_on(account)
    running = _enqueue(campaign)
    waiting = _enqueue(other)
    claim = sync_job_claim(job_id=running.pk, worker_id="a")
    held = sync_job_hold_account(
        claim=claim, account=account, message="Webitel refused the credentials (401): Invalid token"
    )
    assert held == 2
    account.refresh_from_db()
    assert account.health_ok is False
    for job in (running, waiting):
        job.refresh_from_db()
        assert job.state == JobState.HELD
        assert "Invalid token" in job.last_error
    # New work for a failing account waits too.
    later = _enqueue(campaign_on(account))
    assert later.state == JobState.HELD


def test_release_puts_held_jobs_back(
    campaign, account, published, django_capture_on_commit_callbacks
):
    claim = sync_job_claim(job_id=_enqueue(campaign).pk, worker_id="a")
    sync_job_hold_account(claim=claim, account=account, message="401")
    published.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert sync_jobs_release_for_account(account=account) == 1
    job = SyncJob.objects.get()
    assert job.state == JobState.PENDING and not job.needs_attention
    assert [job_id for job_id, _ in published] == [job.pk]


def test_the_sweeper_releases_jobs_once_the_account_is_no_longer_failing(campaign, account):
    claim = sync_job_claim(job_id=_enqueue(campaign).pk, worker_id="a")
    sync_job_hold_account(claim=claim, account=account, message="401")
    assert sync_jobs_sweep(check_accounts=False).released == 0
    account.health_ok = None  # what saving new credentials does
    account.save()
    assert sync_jobs_sweep(check_accounts=False).released == 1
    assert SyncJob.objects.get().state == JobState.PENDING


def test_the_sweeper_unsticks_jobs_of_a_dead_worker(campaign, settings, published):
    settings.SYNC_STALE_AFTER_SECONDS = 60
    job = _enqueue(campaign)
    sync_job_claim(job_id=job.pk, worker_id="dead")
    SyncJob.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now() - timedelta(minutes=5))
    published.clear()
    result = sync_jobs_sweep(check_accounts=False)
    assert result.unstuck == 1
    job.refresh_from_db()
    assert job.state == JobState.PENDING and job.worker_id == ""
    assert [job_id for job_id, _ in published] == [job.pk]


def test_the_sweeper_leaves_live_jobs_and_recently_queued_ones(campaign, published):
    job = _enqueue(campaign)
    published.clear()
    assert sync_jobs_sweep(check_accounts=False).published == 0  # just handed to Celery
    SyncJob.objects.filter(pk=job.pk).update(enqueued_at=timezone.now() - timedelta(minutes=5))
    assert sync_jobs_sweep(check_accounts=False).published == 1
    sync_job_claim(job_id=job.pk, worker_id="alive")
    assert sync_jobs_sweep(check_accounts=False).unstuck == 0


def test_retry_button_requeues_a_failed_job(campaign):
    job = _enqueue(campaign)
    SyncJob.objects.filter(pk=job.pk).update(
        state=JobState.FAILED, needs_attention=True, dedupe_key=""
    )
    CampaignRemote.objects.create(campaign=campaign, state=CampaignSyncState.FAILED)
    job.refresh_from_db()
    retried = sync_job_retry(job=job)
    assert retried.state == JobState.PENDING and retried.attempts == 0
    assert CampaignRemote.objects.get(campaign=campaign).state == CampaignSyncState.SYNCING


def test_retry_refuses_a_job_that_is_not_failed(campaign):
    with pytest.raises(ApplicationError, match="Only a failed or held job"):
        sync_job_retry(job=_enqueue(campaign))


def test_retry_refuses_when_the_same_work_is_already_queued(campaign):
    failed = _enqueue(campaign)
    SyncJob.objects.filter(pk=failed.pk).update(state=JobState.FAILED, dedupe_key="")
    _enqueue(campaign)
    failed.refresh_from_db()
    with pytest.raises(ApplicationError, match="already queued"):
        sync_job_retry(job=failed)
