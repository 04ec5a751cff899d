"""Vendor rate limits shared through the limiter's store (SQLite file here; Redis in
production), applied per operation before each request."""

from __future__ import annotations

import time

import pytest

from sync.services.ratelimit import Bucket, RateLimitWait, rate_limit_wait
from vendors.adapters.types import RateLimit


@pytest.fixture(autouse=True)
def fast_windows(settings, tmp_path):
    settings.SYNC_RATE_LIMIT_TIME_SCALE = 60  # a minute lasts a second
    settings.SYNC_RATE_LIMIT_REDIS_URL = ""
    settings.SYNC_RATE_LIMIT_FILE = tmp_path / "limits.sqlite3"


def _bucket(requests: int, operations=()) -> Bucket:
    return Bucket(key=f"test:{time.time_ns()}", limit=RateLimit(requests, 60, operations))


def test_requests_over_the_limit_wait_for_the_next_window():
    buckets = [_bucket(5)]
    started = time.monotonic()
    times = []
    for _ in range(7):
        rate_limit_wait(buckets=buckets, operation="lead_push_bulk", label="Ozonetel")
        times.append(time.monotonic() - started)
    assert times[4] < 0.5  # five at once
    assert times[5] >= 1.0  # the sixth waits out the (scaled) minute


def test_limits_apply_only_to_their_operations():
    buckets = [_bucket(1, ("lead_push_bulk",))]
    started = time.monotonic()
    for _ in range(20):
        rate_limit_wait(buckets=buckets, operation="pending_count", label="Ozonetel")
    assert time.monotonic() - started < 0.5


def test_a_wait_longer_than_allowed_is_handed_back_to_the_job(monkeypatch):
    from sync.services import ratelimit

    monkeypatch.setattr(ratelimit, "MAX_WAIT_SECONDS", 0.1)
    buckets = [_bucket(1)]
    rate_limit_wait(buckets=buckets, operation="x", label="Ozonetel")
    with pytest.raises(RateLimitWait) as caught:
        rate_limit_wait(buckets=buckets, operation="x", label="Ozonetel")
    assert caught.value.retry_after == pytest.approx(1.0)
    assert "Ozonetel allows 1 requests per 60 s" in str(caught.value)


def test_ozonetel_bulk_pushes_never_get_a_429(emulated_account, settings):
    from sync.services.hooks import campaign_sync_enqueue
    from tests.sync.conftest import run_jobs
    from tests.sync.factories import campaign_on, lead_list_with_leads

    settings.SYNC_RATE_LIMIT_TIME_SCALE = 1
    account, emulator = emulated_account("ozonetel")
    campaign = campaign_on(account, lead_list=lead_list_with_leads(2000))
    campaign_sync_enqueue(campaign=campaign, reason="test")
    run_jobs()
    # Four 500-row batches fit in Ozonetel's five a minute: no refusals, all queued.
    assert not [log for log in emulator.requests if log.status == 429]
    emulator.process_queue(force=True)
    name = campaign.sync_remote.remote_ref["remote_id"]
    assert len(set(emulator.pending_phones(name))) == 2000
