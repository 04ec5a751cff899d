"""The shared machinery of the five vendor emulators.

An emulator is a stateful fake of one vendor's API that enforces its documented contract.
It answers ``httpx.Request`` objects, so it runs in-process as an httpx transport
(``emulator.transport()``) under tests, and over HTTP through the sandbox views in the
demo. Faults are injected on demand: server errors, 429 with Retry-After, timeouts,
malformed JSON and slow replies, either for the next N requests or at random with a
probability (seeded, so a test run can be replayed).
"""

from __future__ import annotations

import enum
import io
import json
import pickle
import random
import re
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, ClassVar

import httpx


class Fault(enum.StrEnum):
    SERVER_ERROR = "server_error"
    RATE_LIMITED = "rate_limited"
    TIMEOUT = "timeout"
    MALFORMED_JSON = "malformed_json"
    SLOW = "slow"


@dataclass
class FaultPlan:
    fault: Fault
    remaining: int | None = 1  # None: until cleared
    probability: float = 1.0
    operation: str = ""  # a path fragment the fault is limited to; empty: any request
    retry_after: int = 2
    delay_seconds: float = 0.5


class EmulatedTimeout(Exception):
    """Raised by ``handle`` for a timeout fault; in-process it becomes httpx.ReadTimeout,
    over HTTP the sandbox holds the connection instead."""


def route(method: str, pattern: str) -> Callable:
    """Mark an emulator method as the handler of ``method`` requests whose path (relative
    to the emulator's mount point) matches ``pattern``; named groups become arguments."""

    def decorator(handler: Callable) -> Callable:
        handler.route = (method.upper(), re.compile(pattern + r"\Z"))
        return handler

    return decorator


class SlidingWindow:
    """At most ``limit`` events in any ``per_seconds`` window: how the vendors document
    their per-minute limits."""

    def __init__(self, limit: int, per_seconds: float, clock: Callable[[], float]):
        self.limit = limit
        self.per_seconds = per_seconds
        self._clock = clock
        self._events: deque[float] = deque()

    def allow(self) -> bool:
        now = self._clock()
        while self._events and now - self._events[0] >= self.per_seconds:
            self._events.popleft()
        if len(self._events) >= self.limit:
            return False
        self._events.append(now)
        return True

    def retry_after(self) -> int:
        if not self._events:
            return 0
        return max(1, int(self.per_seconds - (self._clock() - self._events[0]) + 0.999))


class IdCounter:
    """``itertools.count`` for ids, picklable (the sandbox saves emulator state; pickling
    ``itertools.count`` is deprecated since Python 3.12)."""

    def __init__(self, start: int = 0):
        self.next_value = start

    def __iter__(self) -> IdCounter:
        return self

    def __next__(self) -> int:
        value = self.next_value
        self.next_value += 1
        return value


@dataclass
class RequestLog:
    method: str
    path: str
    status: int
    at: float = field(default_factory=time.monotonic)


# Attributes of an emulator instance that are not the emulated dialer's state.
_INSTANCE_ONLY = frozenset({"credentials", "clock", "lock", "_routes", "requests"})
_CLOCK_REFERENCE = "clock"


class _StatePickler(pickle.Pickler):
    def __init__(self, file: io.BytesIO, *, clock: Callable[[], float]):
        super().__init__(file, protocol=pickle.HIGHEST_PROTOCOL)
        self._clock = clock

    def persistent_id(self, obj: Any) -> str | None:
        # Sliding windows hold the emulator's clock, which may be a closure (a sped-up
        # benchmark clock) that pickle cannot write.
        return _CLOCK_REFERENCE if obj is self._clock else None


class _StateUnpickler(pickle.Unpickler):
    def __init__(self, file: io.BytesIO, *, clock: Callable[[], float]):
        super().__init__(file)
        self._clock = clock

    def persistent_load(self, pid: Any) -> Any:
        if pid != _CLOCK_REFERENCE:
            raise pickle.UnpicklingError(f"unknown reference {pid!r}")
        return self._clock


class BaseEmulator:
    """Subclasses set ``kind`` and define ``@route`` handlers returning ``httpx.Response``
    (use ``self.reply``), and override ``not_found``/``fault_reply`` for the vendor's own
    error shapes. ``credentials`` are the values this fake account accepts."""

    kind: ClassVar[str]
    # Where the real vendor's paths start, stripped before matching (e.g. "/rest/v1.0").
    path_prefix: ClassVar[str] = ""
    # Every behaviour the vendor's documents do not show but an adapter may guess at (an id
    # in a reply, per-item results), by name, with its source tag ([T]/[I] as in
    # api-facts.md). The one place per emulator: handlers ask ``self.guessed(name)``. Off by
    # default, so the emulator answers in the documented shape; ``guessed_extras=True``
    # switches them all on.
    GUESSED_EXTRAS: ClassVar[dict[str, str]] = {}

    def __init__(
        self,
        *,
        credentials: dict[str, str],
        clock: Callable[[], float] = time.monotonic,
        seed: int = 0,
        guessed_extras: bool = False,
    ):
        self.guessed_extras = guessed_extras
        self.credentials = dict(credentials)
        self.clock = clock
        self.random = random.Random(seed)
        self.lock = threading.RLock()
        self.faults: list[FaultPlan] = []
        self.requests: list[RequestLog] = []
        self._routes = [
            (member.route, member)
            for name in dir(type(self))
            if callable(member := getattr(self, name, None)) and hasattr(member, "route")
        ]

    def guessed(self, name: str) -> bool:
        """Whether the guessed extra ``name`` (a key of ``GUESSED_EXTRAS``) is on."""
        if name not in self.GUESSED_EXTRAS:
            raise KeyError(f"{type(self).__name__} declares no guessed extra {name!r}")
        return self.guessed_extras

    # --- faults ------------------------------------------------------------------------

    def inject(self, fault: Fault | str, **plan: Any) -> FaultPlan:
        entry = FaultPlan(fault=Fault(fault), **plan)
        with self.lock:
            self.faults.append(entry)
        return entry

    def clear_faults(self) -> None:
        with self.lock:
            self.faults.clear()

    def _draw_fault(self, path: str) -> FaultPlan | None:
        for plan in self.faults:
            if plan.operation and plan.operation not in path:
                continue
            if plan.remaining is not None and plan.remaining <= 0:
                continue
            if self.random.random() >= plan.probability:
                continue
            if plan.remaining is not None:
                plan.remaining -= 1
            return plan
        return None

    # --- serving -----------------------------------------------------------------------

    def handle(self, request: httpx.Request, *, mount: str = "") -> httpx.Response:
        """Answer one request. ``mount`` is the URL path the emulator is served under."""
        response, delay_seconds = self.answer(request, mount=mount)
        if delay_seconds:
            time.sleep(delay_seconds)
        return response

    def answer(self, request: httpx.Request, *, mount: str = "") -> tuple[httpx.Response, float]:
        """``handle`` without the wait: the reply, and how long a slow fault holds it. The
        sandbox waits only after it has saved the shared state, so a slow reply does not
        hold the state's lock."""
        path = request.url.path
        if mount and path.startswith(mount):
            path = path[len(mount) :]
        path = "/" + path.lstrip("/")
        if self.path_prefix and path.startswith(self.path_prefix):
            path = path[len(self.path_prefix) :] or "/"
        with self.lock:
            plan = self._draw_fault(path)
            if plan is not None and plan.fault != Fault.SLOW:
                response = self.fault_reply(plan, request)
            else:
                response = self._dispatch(request, path)
            self.requests.append(RequestLog(request.method, path, response.status_code))
        if plan is not None and plan.fault == Fault.SLOW:
            return response, plan.delay_seconds
        return response, 0.0

    def _dispatch(self, request: httpx.Request, path: str) -> httpx.Response:
        allowed = False
        for (method, pattern), handler in self._routes:
            match = pattern.match(path)
            if not match:
                continue
            allowed = True
            if method == request.method:
                return handler(request, **match.groupdict())
        if allowed:
            return self.reply({"message": "Method not allowed"}, status=405)
        return self.not_found(request, path)

    def transport(self, mount: str = "") -> httpx.MockTransport:
        def handler(request: httpx.Request) -> httpx.Response:
            try:
                return self.handle(request, mount=mount)
            except EmulatedTimeout as exc:
                raise httpx.ReadTimeout("emulated timeout", request=request) from exc

        return httpx.MockTransport(handler)

    # --- shared state (the sandbox) --------------------------------------------------------

    def state_dump(self) -> bytes:
        """The emulated dialer's state (campaigns, leads, faults, limits, counters) as bytes,
        without what belongs to this process's instance: credentials, clock, lock, routes
        and request log. The clock is written as a reference and ``state_load`` binds the
        loading instance's own clock in its place."""
        state = {name: value for name, value in vars(self).items() if name not in _INSTANCE_ONLY}
        buffer = io.BytesIO()
        _StatePickler(buffer, clock=self.clock).dump(state)
        return buffer.getvalue()

    def state_load(self, data: bytes) -> None:
        """Replace this instance's state with one from ``state_dump`` (of any instance of the
        same class). Pickle, because the states hold sets, dataclasses, random generators
        and sliding windows; only the sandbox writes these bytes, to its own table."""
        state = _StateUnpickler(io.BytesIO(data), clock=self.clock).load()
        with self.lock:
            vars(self).update(state)

    # --- the dialer's side ----------------------------------------------------------------

    def simulate_dialling(self, count: int, *, campaign: str = "") -> int:
        """Act as the dialer: take up to ``count`` pending leads (of ``campaign``, the
        vendor's campaign id or name, or of any campaign) off the pending list as dialled.
        Return how many were taken. Used by tests and by the sandbox's ``_dial`` control."""
        raise NotImplementedError

    def take_deliveries(self) -> list[tuple[str, bytes]]:
        """What the dialer now sends on its own to a callback URL it was given, as (url,
        body), each taken once. The sandbox POSTs them; none by default."""
        return []

    # --- replies -----------------------------------------------------------------------

    @staticmethod
    def reply(data: Any, status: int = 200, headers: dict[str, str] | None = None):
        return httpx.Response(
            status,
            content=json.dumps(data).encode(),
            headers={"Content-Type": "application/json", **(headers or {})},
        )

    def not_found(self, request: httpx.Request, path: str) -> httpx.Response:
        return self.reply({"message": f"Not found: {path}"}, status=404)

    def fault_reply(self, plan: FaultPlan, request: httpx.Request) -> httpx.Response:
        if plan.fault == Fault.TIMEOUT:
            raise EmulatedTimeout
        if plan.fault == Fault.RATE_LIMITED:
            return self.reply(
                {"message": "Too many requests"},
                status=429,
                headers={"Retry-After": str(plan.retry_after)},
            )
        if plan.fault == Fault.MALFORMED_JSON:
            return httpx.Response(
                200,
                content=b'{"status": "OK", "data": [tru',
                headers={"Content-Type": "application/json"},
            )
        return self.reply({"message": "Internal server error"}, status=503)

    # --- helpers for handlers ----------------------------------------------------------

    @staticmethod
    def json_body(request: httpx.Request) -> Any:
        """The request's JSON body, or None when it is missing or not JSON."""
        if not request.content:
            return None
        try:
            return json.loads(request.content)
        except ValueError:
            return None

    @staticmethod
    def form_or_query(request: httpx.Request) -> dict[str, str]:
        """Parameters sent as a query string or a urlencoded form (GET/POST styles)."""
        params = dict(request.url.params)
        content_type = request.headers.get("content-type", "")
        if request.content and "application/x-www-form-urlencoded" in content_type:
            params.update(httpx.QueryParams(request.content.decode()).items())
        return params
