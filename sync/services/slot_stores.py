"""Where the rate limiter keeps its slots: one mechanism, two stores.

A bucket is a log of slots, each a token and a stamp in microseconds. ``take`` drops the
slots that left the window, and if fewer than ``limit`` are left adds one stamped
``now + lease`` (in flight: it holds its place until its reply stamps it, or its lease
runs out); otherwise it answers how long until the slot in the way leaves the window.
``stamp`` sets a slot's stamp to now (and puts it back if its lease had run out);
``cancel`` removes it. Redis runs each step as one Lua script on the server's clock, so
workers on every machine agree; SQLite runs it as one ``BEGIN IMMEDIATE`` transaction,
which every process on the machine waits its turn for.

``now_us`` replaces the store's clock in tests.
"""

from __future__ import annotations

import os
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import Protocol

from django.conf import settings


class SlotStore(Protocol):
    def take(
        self,
        key: str,
        *,
        token: str,
        limit: int,
        window_us: int,
        lease_us: int,
        now_us: int | None = None,
    ) -> int:
        """Add slot ``token`` and return 0, or return the microseconds to wait."""

    def stamp(self, key: str, *, token: str, ttl_us: int, now_us: int | None = None) -> None:
        """Stamp slot ``token`` with the time now: its request's reply came back."""

    def cancel(self, key: str, *, token: str) -> None:
        """Remove slot ``token``: its request was never sent."""


def _wait_us(stamps: list[int], *, limit: int, window_us: int, now_us: int) -> int:
    """Until the slot ``limit`` places from the newest leaves the window. A slot still in
    flight (stamped in the future) counts as stamped now: its reply can only come later,
    so this is a lower bound of the wait, never more."""
    blocking = stamps[len(stamps) - limit]
    return max(1, min(blocking, now_us) + window_us - now_us)


# --- Redis ---------------------------------------------------------------------------

# KEYS[1]: the bucket (a sorted set: member the token, score the stamp).
# ARGV: token, limit, window_us, lease_us, now_us ("" for the server's clock).
_TAKE = """
local now = tonumber(ARGV[5])
if not now then
  local t = redis.call('TIME')
  now = tonumber(t[1]) * 1000000 + tonumber(t[2])
end
local limit, window, lease = tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
-- a stamp beyond any lease comes from a clock that went back: drop it
redis.call('ZREMRANGEBYSCORE', KEYS[1], now + lease + 1, '+inf')
local held = redis.call('ZCARD', KEYS[1])
if held < limit then
  redis.call('ZADD', KEYS[1], now + lease, ARGV[1])
  redis.call('PEXPIRE', KEYS[1], math.ceil((window + lease) / 1000))
  return 0
end
local oldest = held - limit
local blocking = tonumber(redis.call('ZRANGE', KEYS[1], oldest, oldest, 'WITHSCORES')[2])
return math.max(1, math.min(blocking, now) + window - now)
"""
# ARGV: token, ttl_us, now_us ("" for the server's clock).
_STAMP = """
local now = tonumber(ARGV[3])
if not now then
  local t = redis.call('TIME')
  now = tonumber(t[1]) * 1000000 + tonumber(t[2])
end
redis.call('ZADD', KEYS[1], now, ARGV[1])
redis.call('PEXPIRE', KEYS[1], math.ceil(tonumber(ARGV[2]) / 1000))
return 0
"""


class RedisSlotStore:
    def __init__(self, url: str):
        import redis

        self._client = redis.Redis.from_url(url)
        self._take = self._client.register_script(_TAKE)
        self._stamp = self._client.register_script(_STAMP)

    def take(
        self,
        key: str,
        *,
        token: str,
        limit: int,
        window_us: int,
        lease_us: int,
        now_us: int | None = None,
    ) -> int:
        arguments = [token, limit, window_us, lease_us, "" if now_us is None else now_us]
        return int(self._take(keys=[key], args=arguments))

    def stamp(self, key: str, *, token: str, ttl_us: int, now_us: int | None = None) -> None:
        self._stamp(keys=[key], args=[token, ttl_us, "" if now_us is None else now_us])

    def cancel(self, key: str, *, token: str) -> None:
        self._client.zrem(key, token)


# --- SQLite --------------------------------------------------------------------------

_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS rate_limit_slot (bucket TEXT NOT NULL, token TEXT NOT NULL,"
    " stamp_us INTEGER NOT NULL, PRIMARY KEY (bucket, token)) WITHOUT ROWID",
    "CREATE INDEX IF NOT EXISTS rate_limit_slot_stamp ON rate_limit_slot (bucket, stamp_us)",
)


_WAL_ATTEMPTS = 50


def _wal_mode_set(connection: sqlite3.Connection) -> None:
    """Put the file in WAL mode (it stays so). Switching needs the file to itself, and
    SQLite answers "database is locked" at once, without its busy timeout, when another
    connection switches or opens it at the same moment: seen with four workers starting
    together on a new file. Once the file is in WAL mode, reading the mode is enough."""
    for attempt in range(_WAL_ATTEMPTS):
        try:
            mode = connection.execute("PRAGMA journal_mode").fetchone()[0]
            if mode.lower() != "wal":
                connection.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) or attempt == _WAL_ATTEMPTS - 1:
                raise
            time.sleep(0.01 * (attempt + 1))


class SQLiteSlotStore:
    def __init__(self, path: Path):
        self._path = str(path)
        self._local = threading.local()

    def _connection(self) -> sqlite3.Connection:
        # One connection per thread, and a new one in a forked worker process.
        connection = getattr(self._local, "connection", None)
        if connection is None or self._local.pid != os.getpid():
            connection = sqlite3.connect(self._path, timeout=60, isolation_level=None)
            _wal_mode_set(connection)
            # The slots are worth nothing after a crash of the machine: no fsync.
            connection.execute("PRAGMA synchronous=OFF")
            for statement in _SCHEMA:
                connection.execute(statement)
            self._local.connection, self._local.pid = connection, os.getpid()
        return connection

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        """A write transaction from its first statement: every other process and thread
        waits for it, so counting and adding a slot is one step."""
        connection = self._connection()
        connection.execute("BEGIN IMMEDIATE")
        try:
            yield connection
        except BaseException:
            connection.execute("ROLLBACK")
            raise
        connection.execute("COMMIT")

    def take(
        self,
        key: str,
        *,
        token: str,
        limit: int,
        window_us: int,
        lease_us: int,
        now_us: int | None = None,
    ) -> int:
        with self._transaction() as connection:
            now_us = _now_us() if now_us is None else now_us
            connection.execute(
                "DELETE FROM rate_limit_slot WHERE bucket = ? AND (stamp_us <= ? OR stamp_us > ?)",
                (key, now_us - window_us, now_us + lease_us),
            )
            stamps = [
                stamp
                for (stamp,) in connection.execute(
                    "SELECT stamp_us FROM rate_limit_slot WHERE bucket = ? ORDER BY stamp_us",
                    (key,),
                )
            ]
            if len(stamps) >= limit:
                return _wait_us(stamps, limit=limit, window_us=window_us, now_us=now_us)
            connection.execute(
                "INSERT INTO rate_limit_slot (bucket, token, stamp_us) VALUES (?, ?, ?)",
                (key, token, now_us + lease_us),
            )
            return 0

    def stamp(self, key: str, *, token: str, ttl_us: int, now_us: int | None = None) -> None:
        with self._transaction() as connection:
            connection.execute(
                "INSERT INTO rate_limit_slot (bucket, token, stamp_us) VALUES (?, ?, ?)"
                " ON CONFLICT (bucket, token) DO UPDATE SET stamp_us = excluded.stamp_us",
                (key, token, _now_us() if now_us is None else now_us),
            )

    def cancel(self, key: str, *, token: str) -> None:
        self._connection().execute(
            "DELETE FROM rate_limit_slot WHERE bucket = ? AND token = ?", (key, token)
        )


def _now_us() -> int:
    return time.time_ns() // 1000


@cache
def _redis_store(url: str) -> RedisSlotStore:
    return RedisSlotStore(url)


@cache
def _sqlite_store(path: str) -> SQLiteSlotStore:
    return SQLiteSlotStore(Path(path))


def slot_store() -> SlotStore:
    """Redis when ``SYNC_RATE_LIMIT_REDIS_URL`` is set, otherwise the SQLite file."""
    if settings.SYNC_RATE_LIMIT_REDIS_URL:
        return _redis_store(settings.SYNC_RATE_LIMIT_REDIS_URL)
    return _sqlite_store(str(settings.SYNC_RATE_LIMIT_FILE))
