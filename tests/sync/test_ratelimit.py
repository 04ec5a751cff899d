"""Vendor rate limits shared through the limiter's store (a SQLite file here; Redis in
production), applied per operation around each request: a slot is held from before the
request is sent until its reply is in, and the window runs from the reply."""

from __future__ import annotations

import os
import random
import threading
import time
from collections.abc import Callable

import httpx
import pytest

from sync.models import LeadSync, LeadSyncState
from sync.services import slot_stores
from sync.services.hooks import campaign_sync_enqueue
from sync.services.ratelimit import Bucket, RateLimitWait, rate_limit_hold
from tests.sync.conftest import run_jobs
from tests.sync.factories import campaign_on, lead_list_with_leads
from tests.vendors.fixtures import emulator_for
from vendors import services
from vendors.adapters.emulation import SlidingWindow
from vendors.adapters.ozonetel import codes
from vendors.adapters.ozonetel.adapter import OzonetelAdapter
from vendors.adapters.types import RateLimit
from vendors.models import VendorCall

# The shared Redis of a CI run (REDIS_URL), read before the fixture below empties the
# setting for the SQLite tests.
REDIS_URL = os.environ.get("REDIS_URL", "")


@pytest.fixture(autouse=True)
def fast_windows(settings, tmp_path):
    settings.SYNC_RATE_LIMIT_TIME_SCALE = 60  # a minute lasts a second
    settings.SYNC_RATE_LIMIT_REDIS_URL = ""
    settings.SYNC_RATE_LIMIT_FILE = tmp_path / "limits.sqlite3"


@pytest.fixture(params=["sqlite", "redis"])
def backend(request, settings):
    """Each test that takes this runs on both stores; Redis when REDIS_URL is set (CI)."""
    if request.param == "redis":
        if not REDIS_URL:
            if os.environ.get("CI") == "true":
                pytest.fail("REDIS_URL is not set")
            pytest.skip("REDIS_URL is not set")
        settings.SYNC_RATE_LIMIT_REDIS_URL = REDIS_URL
    return request.param


def _bucket(requests: int, operations=()) -> Bucket:
    return Bucket(key=f"test:{time.time_ns()}", limit=RateLimit(requests, 60, operations))


def _hold(buckets, operation="lead_push_bulk"):
    return rate_limit_hold(buckets=buckets, operation=operation, label="Ozonetel")


# --- the store, on a clock of the test's own ------------------------------------------

SECOND = 1_000_000  # the stores count in microseconds
WINDOW = 1 * SECOND
LEASE = 2 * SECOND


@pytest.fixture
def store(backend):
    """The configured store and a fresh bucket key in it; times are given, not read."""
    key = f"test:store:{time.time_ns()}"
    yield slot_stores.slot_store(), key
    if backend == "redis":
        slot_stores.slot_store()._client.delete(key)


def _take(store, now: float, token: str = "", limit: int = 1) -> int:
    bucket_store, key = store
    return bucket_store.take(
        key,
        token=token or f"t{now}",
        limit=limit,
        window_us=WINDOW,
        lease_us=LEASE,
        now_us=round(now * SECOND),
    )


def _stamp(store, now: float, token: str) -> None:
    bucket_store, key = store
    bucket_store.stamp(key, token=token, ttl_us=WINDOW + LEASE, now_us=round(now * SECOND))


def test_a_slot_counts_from_when_its_reply_came_back(store):
    assert _take(store, 0.0, "first") == 0
    _stamp(store, 0.4, "first")  # the reply came 0.4 s after the request was sent
    # A window after the request was sent is not enough: it may have arrived at 0.4.
    assert _take(store, 1.1) == round(0.3 * SECOND)
    assert _take(store, 1.4) == 0


def test_a_request_in_flight_holds_its_slot_however_long_it_takes(store):
    assert _take(store, 0.0, "slow") == 0
    # Still no reply after 1.5 windows: the wait is at least a window from now.
    assert _take(store, 1.5) == WINDOW
    _stamp(store, 1.6, "slow")
    assert _take(store, 2.5) == round(0.1 * SECOND)
    assert _take(store, 2.6) == 0


def test_the_wait_is_for_the_oldest_reply_in_the_window(store):
    for token, sent, replied in (("a", 0.0, 0.1), ("b", 0.1, 0.2), ("c", 0.2, 0.3)):
        assert _take(store, sent, token, limit=3) == 0
        _stamp(store, replied, token)
    assert _take(store, 0.5, limit=3) == round(0.6 * SECOND)
    assert _take(store, 1.1, "d", limit=3) == 0
    assert _take(store, 1.1, limit=3) == round(0.1 * SECOND)  # now b is the oldest


def test_a_slot_given_back_unsent_frees_its_place(store):
    bucket_store, key = store
    assert _take(store, 0.0, "unsent") == 0
    bucket_store.cancel(key, token="unsent")
    assert _take(store, 0.1) == 0


def test_a_killed_workers_slot_runs_out_after_its_lease(store):
    assert _take(store, 0.0, "killed") == 0  # never stamped: its worker died
    assert _take(store, 1.5) == WINDOW  # as in flight as any
    # The end of its lease (2 s) stands for its reply: a window later it is gone.
    assert _take(store, 2.5) == round(0.5 * SECOND)
    assert _take(store, 3.0) == 0


# --- the limiter, in real time --------------------------------------------------------


def test_requests_over_the_limit_wait_for_the_next_window():
    buckets = [_bucket(5)]
    started = time.monotonic()
    times = []
    for _ in range(7):
        with _hold(buckets):
            times.append(time.monotonic() - started)
    assert times[4] < 0.5  # five at once
    assert times[5] >= 1.0  # the sixth waits out the (scaled) minute


def test_limits_apply_only_to_their_operations():
    buckets = [_bucket(1, ("lead_push_bulk",))]
    started = time.monotonic()
    for _ in range(20):
        with _hold(buckets, "pending_count"):
            pass
    assert time.monotonic() - started < 0.5


def test_a_wait_longer_than_allowed_is_handed_back_to_the_job(monkeypatch):
    from sync.services import ratelimit

    monkeypatch.setattr(ratelimit, "MAX_WAIT_SECONDS", 0.1)
    buckets = [_bucket(1)]
    with _hold(buckets, "x"):
        pass
    with pytest.raises(RateLimitWait) as caught, _hold(buckets, "x"):
        pass
    assert 0.5 < caught.value.retry_after <= 1.0  # until the first reply is a window old
    assert "Ozonetel allows 1 requests per 60 s" in str(caught.value)


def test_a_request_refused_by_one_bucket_gives_back_the_slots_of_the_others(monkeypatch):
    from sync.services import ratelimit

    monkeypatch.setattr(ratelimit, "MAX_WAIT_SECONDS", 0.1)
    roomy, full = _bucket(5), _bucket(1)
    with _hold([full]):
        pass
    for _ in range(10):
        with pytest.raises(RateLimitWait), _hold([roomy, full]):
            pass
    started = time.monotonic()
    for _ in range(5):
        with _hold([roomy]):
            pass
    assert time.monotonic() - started < 0.5  # the refused requests took none of roomy's


def test_workers_sharing_a_bucket_never_reach_the_vendor_inside_its_window(backend, settings):
    """Four workers (threads, each with its own connection to the store) share one
    bucket; each request reaches the vendor after a random latency and its reply comes
    back after another. The vendor's own sliding window refuses none of them."""
    settings.SYNC_RATE_LIMIT_TIME_SCALE = 120  # windows of half a second
    buckets = [_bucket(5)]
    vendor = SlidingWindow(5, 0.5, time.monotonic)
    refused, crashed, sent, lock = [], [], [], threading.Lock()

    def worker(seed: int) -> None:
        latency = random.Random(seed)
        try:
            for _ in range(5):
                with _hold(buckets):
                    time.sleep(latency.uniform(0, 0.15))  # on its way to the vendor
                    with lock:
                        sent.append(seed)
                        if not vendor.allow():
                            refused.append(time.monotonic())
                    time.sleep(latency.uniform(0, 0.05))  # the reply on its way back
        except Exception as error:  # a worker that dies sends less: that must fail too
            crashed.append(repr(error))

    threads = [threading.Thread(target=worker, args=(seed,)) for seed in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert crashed == []
    assert len(sent) == 20
    assert refused == []


# --- through the sync engine ----------------------------------------------------------


def test_ozonetel_bulk_pushes_never_get_a_429(emulated_account, settings):
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


class LatencyTransport(httpx.BaseTransport):
    """The network between the console and the vendor: holds some requests back before
    they reach the vendor, as a loaded machine or a slow link does."""

    def __init__(self, inner: httpx.BaseTransport, delay_for: Callable[[int], float]):
        self._inner = inner
        self._delay_for = delay_for
        self._sent = 0

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        delay = self._delay_for(self._sent)
        self._sent += 1
        time.sleep(delay)
        return self._inner.handle_request(request)


def _late_arrivals(monkeypatch, *, per_window: int, late: float):
    """Push ``n`` (counting from 1, after the campaign's creation) reaches the vendor
    ``late`` seconds after it was sent when it is the first of an even-numbered window
    (0, 2, ...); every other request at once. A late arrival followed by a prompt one
    is what a fixed slack cannot absorb."""

    def delay_for(sent: int) -> float:
        window, place = divmod(sent - 1, per_window)
        return late if sent >= 1 and place == 0 and window % 2 == 0 else 0.0

    real_transport = services._default_transport
    monkeypatch.setattr(
        services,
        "_default_transport",
        lambda account: LatencyTransport(real_transport(account), delay_for),
    )


@pytest.mark.parametrize(
    ("batch_size", "leads", "operation", "per_window"),
    [(2, 14, "lead_push_bulk", 5), (1, 130, "lead_push", 100)],
    ids=["bulk", "single"],
)
def test_no_refusal_when_the_first_request_of_a_window_arrives_late(
    emulated_account, settings, monkeypatch, batch_size, leads, operation, per_window
):
    """The vendor counts a request when it arrives. The first request of a window held
    back longer than any fixed slack must still count from its arrival, or the first one
    of the next window (sent at once) lands inside the vendor's window and is refused."""
    scale = settings.SYNC_RATE_LIMIT_TIME_SCALE
    origin = time.monotonic()
    emulator = emulator_for("ozonetel", clock=lambda: origin + (time.monotonic() - origin) * scale)
    account, _ = emulated_account("ozonetel", emulator=emulator)
    _late_arrivals(monkeypatch, per_window=per_window, late=0.4 * 60 / scale)
    monkeypatch.setattr(OzonetelAdapter, "max_batch_size", batch_size)
    campaign = campaign_on(account, lead_list=lead_list_with_leads(leads))
    campaign_sync_enqueue(campaign=campaign, reason="test")
    run_jobs()
    calls = VendorCall.objects.filter(account=account, operation=operation)
    # Single add refuses with a 429; V4 with a 200 and its "already one process is
    # running" body.
    refused = calls.filter(status_code=429) | calls.filter(
        response_excerpt__contains=codes.BULK_BUSY
    )
    assert not refused.exists()
    assert calls.count() == leads // batch_size
    pushed = LeadSync.objects.filter(campaign=campaign, state=LeadSyncState.PUSHED)
    assert pushed.count() == leads
