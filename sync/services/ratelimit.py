"""Vendor rate limits shared by every worker of a vendor account.

Each ``RateLimit`` an adapter declares becomes one bucket: a sliding-window log of the
account's requests, in Redis in production (``SYNC_RATE_LIMIT_REDIS_URL``), otherwise in
a SQLite file that every worker process on the machine shares (the embedded mode runs one
machine). A transport wrapped around the vendor's real one holds a slot for each request,
so every operation of every job counts, including the login calls an auth flow makes.

A vendor counts a request when it *arrives*, which lags the moment the console sent it by
a latency that varies (a loaded machine, a 500-row body, the network). So a slot is
taken before the request is sent, holds its place while the request is in flight, and
is stamped with the time its reply came back: an upper bound of when the vendor counted
it. A request over the limit waits a whole window from that stamp, so it can never reach
the vendor inside the vendor's window, whatever the latency of either request. The cost
is about one round trip per window, where a fixed slack had to guess the worst latency.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import httpx
from django.conf import settings

from sync.services.slot_stores import SlotStore, slot_store
from vendors.adapters.errors import VendorTemporaryError
from vendors.adapters.types import RateLimit

# The longest a request waits for its turn inside a worker; beyond it the job is put back
# with a not-before time instead of holding the worker.
MAX_WAIT_SECONDS = 90.0
# How long a slot taken for a request that never reports back (its worker was killed
# mid-request) keeps its place before the window starts running on it: far longer than
# any request the client lets run (VENDOR_HTTP_TIMEOUT_SECONDS per phase).
IN_FLIGHT_LEASE_SECONDS = 120.0


class RateLimitWait(VendorTemporaryError):
    """The console's own limiter had no room: nothing was sent to the vendor."""


@dataclass(frozen=True)
class Bucket:
    key: str
    limit: RateLimit

    def applies_to(self, operation: str) -> bool:
        return not self.limit.operations or operation in self.limit.operations

    @property
    def window_seconds(self) -> float:
        return self.limit.per_seconds / (settings.SYNC_RATE_LIMIT_TIME_SCALE or 1.0)


def account_buckets(*, account, limits: tuple[RateLimit, ...]) -> list[Bucket]:
    """One bucket per declared limit, named after the account (its id and creation time,
    so a recreated database never inherits an old account's window)."""
    database = str(settings.DATABASES["default"]["NAME"])
    stamp = int(account.created_at.timestamp()) if account.created_at else 0
    return [
        Bucket(key=f"dc:slots:{database}:{account.pk}:{stamp}:{index}", limit=limit)
        for index, limit in enumerate(limits)
    ]


def _micros(seconds: float) -> int:
    return max(1, round(seconds * 1_000_000))


def _slot_take(store: SlotStore, bucket: Bucket, *, label: str, deadline: float) -> str:
    """Wait for a slot in ``bucket`` and return its token, or raise RateLimitWait when
    the wait would pass ``deadline``."""
    token = uuid.uuid4().hex
    while True:
        wait_us = store.take(
            bucket.key,
            token=token,
            limit=bucket.limit.requests,
            window_us=_micros(bucket.window_seconds),
            lease_us=_micros(IN_FLIGHT_LEASE_SECONDS),
        )
        if not wait_us:
            return token
        # Exact when the slot in the way has its reply; while that request is still in
        # flight, a lower bound (its reply can only come later), so sleeping it never
        # oversleeps and the next look sees the reply's stamp.
        wait = wait_us / 1_000_000
        if time.monotonic() + wait > deadline:
            raise RateLimitWait(
                f"{label} allows {bucket.limit.requests} requests per "
                f"{bucket.limit.per_seconds:g} s; waiting for the next window.",
                retry_after=wait,
            )
        time.sleep(wait)


@contextmanager
def rate_limit_hold(*, buckets: list[Bucket], operation: str, label: str) -> Iterator[None]:
    """Hold a slot in every bucket that covers ``operation`` while the block sends one
    request, waiting for room first; each slot is stamped when the block ends (the reply
    is in). Raises RateLimitWait, holding nothing, when room is further off than
    MAX_WAIT_SECONDS."""
    store = slot_store()
    deadline = time.monotonic() + MAX_WAIT_SECONDS
    held: list[tuple[Bucket, str]] = []
    try:
        for bucket in buckets:
            if bucket.applies_to(operation):
                held.append((bucket, _slot_take(store, bucket, label=label, deadline=deadline)))
    except BaseException:
        for bucket, token in held:  # nothing was sent: give the slots back
            store.cancel(bucket.key, token=token)
        raise
    try:
        yield
    finally:
        # Also after an error: the request may have reached the vendor all the same.
        for bucket, token in held:
            store.stamp(
                bucket.key,
                token=token,
                ttl_us=_micros(bucket.window_seconds + IN_FLIGHT_LEASE_SECONDS),
            )


class RateLimitedTransport(httpx.BaseTransport):
    """Holds a slot in the account's buckets around each request, until its reply."""

    def __init__(self, inner: httpx.BaseTransport, *, buckets: list[Bucket], label: str):
        self._inner = inner
        self._buckets = buckets
        self._label = label

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        operation = str(request.extensions.get("vendor_operation", ""))
        with rate_limit_hold(buckets=self._buckets, operation=operation, label=self._label):
            # The reply's status and headers are in when this returns, so the vendor has
            # counted the request; the body may still be streaming.
            return self._inner.handle_request(request)

    def close(self) -> None:
        self._inner.close()
