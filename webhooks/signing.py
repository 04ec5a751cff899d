"""How a delivery is signed, Stripe-style, and how a receiver checks it.

Every delivery carries::

    X-Console-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, f"{t}.{body}")>
    X-Console-Event-Id: evt_…        (the same on every retry and replay: dedupe on it)
    X-Console-Event-Type: outcome.recorded | disposition.recorded | import.finished
    X-Console-Delivery-Id: <the delivery's number in the console's log>

The receiver recomputes the HMAC over the timestamp, a full stop and the raw body bytes
with the endpoint's secret, compares in constant time, and refuses a timestamp older
than its tolerance (five minutes is usual) so that a captured request cannot be played
again later. ``signature_verify`` is that check; README.md shows it standalone.
"""

from __future__ import annotations

import hashlib
import hmac
import time

SIGNATURE_HEADER = "X-Console-Signature"
EVENT_ID_HEADER = "X-Console-Event-Id"
EVENT_TYPE_HEADER = "X-Console-Event-Type"
DELIVERY_ID_HEADER = "X-Console-Delivery-Id"
DEFAULT_TOLERANCE_SECONDS = 300


def signature(secret: str, timestamp: int, body: bytes) -> str:
    signed = str(timestamp).encode() + b"." + body
    return hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()


def signature_header(secret: str, timestamp: int, body: bytes) -> str:
    return f"t={timestamp},v1={signature(secret, timestamp, body)}"


def signature_verify(
    *,
    secret: str,
    header: str,
    body: bytes,
    tolerance: int = DEFAULT_TOLERANCE_SECONDS,
    now: float | None = None,
) -> bool:
    """True when ``header`` signs ``body`` with ``secret`` within ``tolerance`` seconds."""
    parts = dict(item.split("=", 1) for item in header.split(",") if "=" in item)
    try:
        timestamp = int(parts.get("t", ""))
    except ValueError:
        return False
    if abs((now if now is not None else time.time()) - timestamp) > tolerance:
        return False
    expected = signature(secret, timestamp, body)
    return hmac.compare_digest(expected, parts.get("v1", ""))
