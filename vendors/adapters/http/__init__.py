"""The one place that builds the HTTP client every adapter uses.

It sets the base URL, auth headers, timeouts and user agent, puts the network behind the
egress guard (``egress.py``: no private or local addresses), and wraps the transport so
that every exchange, including failed ones, reaches the call-log recorder with every
credential redacted (``redaction.py``). Adapters never build their own client and never
retry.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import httpx

from vendors.adapters.http.egress import EgressPolicy, EgressRefused, GuardedTransport
from vendors.adapters.http.redaction import REDACTED, Redactor

__all__ = [
    "REDACTED",
    "EgressPolicy",
    "EgressRefused",
    "Exchange",
    "Recorder",
    "RecordingTransport",
    "Redactor",
    "build_client",
]

USER_AGENT = "DialerConsole/0.1 (+https://github.com/dialer-console)"
EXCERPT_CHARS = 2000


@dataclass(frozen=True)
class Exchange:
    """One request and its outcome, already redacted."""

    operation: str
    method: str
    url: str
    status_code: int | None
    duration_ms: int
    request_excerpt: str
    response_excerpt: str
    error: str = ""


Recorder = Callable[[Exchange], None]


def _excerpt(message: httpx.Request | httpx.Response, redact: Redactor) -> str:
    content_type = message.headers.get("content-type", "")
    return redact.body(message.content, content_type)[:EXCERPT_CHARS]


class RecordingTransport(httpx.BaseTransport):
    """Times each exchange and hands a redacted ``Exchange`` to the recorder."""

    def __init__(self, inner: httpx.BaseTransport, recorder: Recorder | None, redact: Redactor):
        self._inner = inner
        self._recorder = recorder
        self._redact = redact

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        started = time.perf_counter()
        try:
            response = self._inner.handle_request(request)
            response.read()
        except httpx.HTTPError as exc:
            self._record(request, None, started, error=f"{type(exc).__name__}: {exc}")
            raise
        self._record(request, response, started)
        return response

    def close(self) -> None:
        self._inner.close()

    def _record(self, request, response, started, error: str = "") -> None:
        if self._recorder is None:
            return
        request_text = json.dumps(self._redact.headers(request.headers)) + "\n"
        request_text += _excerpt(request, self._redact)
        self._recorder(
            Exchange(
                operation=str(request.extensions.get("vendor_operation", "")),
                method=request.method,
                url=self._redact.url(request.url),
                status_code=response.status_code if response is not None else None,
                duration_ms=int((time.perf_counter() - started) * 1000),
                request_excerpt=request_text[:EXCERPT_CHARS],
                response_excerpt=_excerpt(response, self._redact) if response else "",
                error=self._redact(error),
            )
        )


def network_transport(egress: EgressPolicy | None = None) -> httpx.BaseTransport:
    """The real network, behind the ``egress`` policy (by default the settings'). Every
    transport that reaches a vendor starts here, the rate-limited sync one included."""
    return GuardedTransport(egress or EgressPolicy.from_settings())


def build_client(
    *,
    base_url: str,
    secrets: Iterable[str],
    headers: dict[str, str] | None = None,
    auth: httpx.Auth | None = None,
    timeout: float = 15.0,
    transport: httpx.BaseTransport | None = None,
    recorder: Recorder | None = None,
    egress: EgressPolicy | None = None,
) -> httpx.Client:
    """The adapter's client. ``secrets`` are every credential value, redacted wherever they
    appear in the call log; ``transport`` is the real network by default (behind the
    ``egress`` policy, by default the settings'), or a vendor emulator's in-process
    transport."""
    inner = transport or network_transport(egress)
    return httpx.Client(
        base_url=base_url.rstrip("/") + "/",
        headers={"User-Agent": USER_AGENT, "Accept": "application/json", **(headers or {})},
        auth=auth,
        timeout=httpx.Timeout(timeout, connect=min(timeout, 5.0)),
        transport=RecordingTransport(inner, recorder, Redactor(secrets)),
        # A redirect could lead anywhere: adapters see the 3xx instead.
        follow_redirects=False,
        # Proxies from the environment would bypass the egress guard and the call log.
        trust_env=False,
    )
