"""The one place that builds the HTTP client every adapter uses.

It sets the base URL, auth headers, timeouts and user agent, and wraps the transport so
that every exchange, including failed ones, reaches the call-log recorder with every
credential value redacted. Adapters never build their own client and never retry.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from urllib.parse import quote

import httpx

USER_AGENT = "DialerConsole/0.1 (+https://github.com/dialer-console)"
REDACTED = "[redacted]"
EXCERPT_CHARS = 2000
# Headers whose values are secrets whatever they hold.
SECRET_HEADERS = frozenset(
    {
        "authorization",
        "apikey",
        "api-key",
        "x-api-key",
        "x-access-token",
        "x-webitel-access",
        "cookie",
        "set-cookie",
    }
)

# Keys whose values are secrets whatever they hold, in JSON bodies and in query strings or
# forms: tokens a vendor hands out at run time (a login reply's access_token, Webitel's
# key) are not known to the redactor in advance.
SECRET_KEYS = ("access_token", "refresh_token", "token", "password", "apiKey", "api_key", "x_key")
_KEYS_PATTERN = "|".join(SECRET_KEYS)
_SECRET_JSON = re.compile(rf'("(?:{_KEYS_PATTERN}|key)"\s*:\s*)"(?:[^"\\]|\\.)*"')
_SECRET_PARAM = re.compile(rf"(\b(?:{_KEYS_PATTERN})=)[^&\s\"']+")


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


class Redactor:
    """Replaces every known secret value (and its URL-encoded form) with a marker."""

    def __init__(self, secrets: Iterable[str]):
        values = {value for value in secrets if value and len(value) >= 4}
        values |= {quote(value, safe="") for value in values}
        # Longest first, so a secret containing another is replaced whole.
        self._values = sorted(values, key=len, reverse=True)

    def __call__(self, text: str) -> str:
        for value in self._values:
            text = text.replace(value, REDACTED)
        text = _SECRET_JSON.sub(rf'\1"{REDACTED}"', text)
        return _SECRET_PARAM.sub(rf"\1{REDACTED}", text)

    def headers(self, headers: httpx.Headers) -> dict[str, str]:
        return {
            name: REDACTED if name.lower() in SECRET_HEADERS else self(value)
            for name, value in headers.items()
        }


def _excerpt(content: bytes, redact: Redactor) -> str:
    text = content[: EXCERPT_CHARS * 2].decode("utf-8", errors="replace")
    return redact(text)[:EXCERPT_CHARS]


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
        request_text += _excerpt(request.content, self._redact)
        self._recorder(
            Exchange(
                operation=str(request.extensions.get("vendor_operation", "")),
                method=request.method,
                url=self._redact(str(request.url)),
                status_code=response.status_code if response is not None else None,
                duration_ms=int((time.perf_counter() - started) * 1000),
                request_excerpt=request_text[:EXCERPT_CHARS],
                response_excerpt=_excerpt(response.content, self._redact) if response else "",
                error=self._redact(error),
            )
        )


def build_client(
    *,
    base_url: str,
    secrets: Iterable[str],
    headers: dict[str, str] | None = None,
    auth: httpx.Auth | None = None,
    timeout: float = 15.0,
    transport: httpx.BaseTransport | None = None,
    recorder: Recorder | None = None,
) -> httpx.Client:
    """The adapter's client. ``secrets`` are every credential value, redacted wherever they
    appear in the call log; ``transport`` is the real network by default, or a vendor
    emulator's in-process transport."""
    inner = transport or httpx.HTTPTransport(retries=0)
    return httpx.Client(
        base_url=base_url.rstrip("/") + "/",
        headers={"User-Agent": USER_AGENT, "Accept": "application/json", **(headers or {})},
        auth=auth,
        timeout=httpx.Timeout(timeout, connect=min(timeout, 5.0)),
        transport=RecordingTransport(inner, recorder, Redactor(secrets)),
        follow_redirects=False,
    )
