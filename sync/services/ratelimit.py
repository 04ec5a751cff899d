"""Vendor rate limits shared by every worker of a vendor account.

Each ``RateLimit`` an adapter declares becomes one sliding-window bucket of
pyrate-limiter: in Redis in production (``SYNC_RATE_LIMIT_REDIS_URL``), otherwise in a
SQLite file guarded by a file lock, which every worker process on the machine shares
(the embedded mode runs one machine). The limit is taken before each HTTP request by a
transport wrapped around the vendor's real one, so every operation of every job counts,
including the login calls an auth flow makes.
"""

from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass

import httpx
from django.conf import settings
from pyrate_limiter import Limiter, Rate, RedisBucket, SQLiteBucket

from vendors.adapters.errors import VendorTemporaryError
from vendors.adapters.types import RateLimit

# The longest a request waits for its turn inside a worker; beyond it the job is put back
# with a not-before time instead of holding the worker.
MAX_WAIT_SECONDS = 90.0
# Slack added to every wait: the vendor's window counts from when each request arrives,
# which lags the permit by the request's own latency (connection, a 500-row body); 50 ms
# was measured too little on localhost, 150 ms is 0.25 % of a one-minute window.
BUFFER_MS = 150

_limiters: dict[str, Limiter] = {}


class RateLimitWait(VendorTemporaryError):
    """The console's own limiter had no room: nothing was sent to the vendor."""


_lock = threading.Lock()


@dataclass(frozen=True)
class Bucket:
    key: str
    limit: RateLimit

    def applies_to(self, operation: str) -> bool:
        return not self.limit.operations or operation in self.limit.operations


def account_buckets(*, account, limits: tuple[RateLimit, ...]) -> list[Bucket]:
    """One bucket per declared limit, named after the account (its id and creation time,
    so a recreated database never inherits an old account's window)."""
    database = str(settings.DATABASES["default"]["NAME"])
    stamp = int(account.created_at.timestamp()) if account.created_at else 0
    return [
        Bucket(key=f"dc:rl:{database}:{account.pk}:{stamp}:{index}", limit=limit)
        for index, limit in enumerate(limits)
    ]


def _rate(limit: RateLimit) -> Rate:
    scale = settings.SYNC_RATE_LIMIT_TIME_SCALE or 1.0
    return Rate(limit.requests, max(1, int(limit.per_seconds * 1000 / scale)))


def _limiter(bucket: Bucket) -> Limiter:
    with _lock:
        limiter = _limiters.get(bucket.key)
        if limiter is None:
            limiter = Limiter(_make_bucket(bucket), buffer_ms=BUFFER_MS)
            _limiters[bucket.key] = limiter
        return limiter


def _make_bucket(bucket: Bucket):
    rates = [_rate(bucket.limit)]
    if settings.SYNC_RATE_LIMIT_REDIS_URL:
        import redis

        client = redis.Redis.from_url(settings.SYNC_RATE_LIMIT_REDIS_URL)
        return RedisBucket.init(rates, client, bucket.key)
    table = "rl_" + hashlib.sha256(bucket.key.encode()).hexdigest()[:20]
    return SQLiteBucket.init_from_file(
        rates, table=table, db_path=str(settings.SYNC_RATE_LIMIT_FILE), use_file_lock=True
    )


def rate_limit_wait(*, buckets: list[Bucket], operation: str, label: str) -> None:
    """Block until every bucket that covers ``operation`` has room, or raise a temporary
    error carrying how long to wait when that would take longer than MAX_WAIT_SECONDS."""
    for bucket in buckets:
        if not bucket.applies_to(operation):
            continue
        if not _limiter(bucket).try_acquire(bucket.key, blocking=True, timeout=MAX_WAIT_SECONDS):
            window = bucket.limit.per_seconds / (settings.SYNC_RATE_LIMIT_TIME_SCALE or 1.0)
            raise RateLimitWait(
                f"{label} allows {bucket.limit.requests} requests per "
                f"{bucket.limit.per_seconds:g} s; waiting for the next window.",
                retry_after=window,
            )


class RateLimitedTransport(httpx.BaseTransport):
    """Takes a permit from the account's buckets before each request."""

    def __init__(self, inner: httpx.BaseTransport, *, buckets: list[Bucket], label: str):
        self._inner = inner
        self._buckets = buckets
        self._label = label

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        operation = str(request.extensions.get("vendor_operation", ""))
        rate_limit_wait(buckets=self._buckets, operation=operation, label=self._label)
        return self._inner.handle_request(request)

    def close(self) -> None:
        self._inner.close()
