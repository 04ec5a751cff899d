"""Sending one delivery: run by the sync runner for a ``WEBHOOK_DELIVERY`` job.

The answer decides, as the vendor error ladder does for dialer jobs: 2xx → delivered;
5xx, 408, 425, 429, a timeout or a failed connection → the job's backoff (honouring
Retry-After) until its attempts are used up; any other answer (4xx, a redirect), a URL
the egress rules refuse, or a secret that cannot be read → failed at once (fix it, then
Replay). The egress rules are checked before sending and again at connect time by the
guarded transport the vendor accounts use.
"""

from __future__ import annotations

import logging
import time
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit

import httpcore
import httpx
from django.conf import settings
from django.utils import timezone

from dialer_console.errors import ApplicationError
from sync.services.jobs import Claim, sync_job_done, sync_job_fail, sync_job_retry_later
from vendors.adapters.http import USER_AGENT
from vendors.adapters.http.egress import EgressPolicy, EgressRefused, GuardedTransport
from vendors.adapters.http.redaction import Redactor
from webhooks.models import DeliveryState, WebhookDelivery
from webhooks.services.endpoints import endpoint_url_refusal, webhook_endpoint_secret
from webhooks.services.events import event_body
from webhooks.signing import (
    DELIVERY_ID_HEADER,
    EVENT_ID_HEADER,
    EVENT_TYPE_HEADER,
    SIGNATURE_HEADER,
    signature_header,
)

logger = logging.getLogger(__name__)

EXCERPT_CHARS = 500
RETRIED_STATUSES = frozenset({408, 425, 429})


class _Temporary(Exception):
    def __init__(self, message: str, retry_after: float | None = None):
        super().__init__(message)
        self.message, self.retry_after = message, retry_after


class _Permanent(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("retry-after", "").strip()
    if not value:
        return None
    if value.isdigit():
        return float(value)
    try:
        return max(0.0, (parsedate_to_datetime(value) - timezone.now()).total_seconds())
    except (TypeError, ValueError):
        return None


def _check_egress(url: str) -> None:
    refusal = endpoint_url_refusal(url)
    if refusal:
        raise _Permanent(refusal)
    parts = urlsplit(url)
    try:
        EgressPolicy.from_settings().checked_addresses(parts.hostname or "", parts.port or 443)
    except EgressRefused as exc:
        raise _Permanent(str(exc).replace("vendor calls to it", "deliveries to it")) from None
    except httpcore.ConnectError:
        raise _Temporary(f"Could not resolve {parts.hostname}.") from None


def _send(delivery: WebhookDelivery, secret: str) -> tuple[httpx.Response, int, Redactor]:
    body = event_body(delivery.event)
    signed = signature_header(secret, int(time.time()), body)
    headers = {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        SIGNATURE_HEADER: signed,
        EVENT_ID_HEADER: delivery.event.event_id,
        EVENT_TYPE_HEADER: delivery.event.type,
        DELIVERY_ID_HEADER: str(delivery.pk),
    }
    redactor = Redactor([secret, signed, signed.rsplit("v1=", 1)[-1]])
    timeout = settings.WEBHOOK_TIMEOUT_SECONDS
    started = time.monotonic()
    transport = GuardedTransport(EgressPolicy.from_settings())
    try:
        with httpx.Client(transport=transport, timeout=timeout, follow_redirects=False) as client:
            response = client.post(delivery.endpoint.url, content=body, headers=headers)
    except EgressRefused as exc:
        raise _Permanent(str(exc).replace("vendor calls to it", "deliveries to it")) from None
    except httpx.TimeoutException:
        raise _Temporary(f"No answer within {timeout:g} s.") from None
    except httpx.TransportError as exc:
        raise _Temporary(redactor(str(exc)) or "Could not connect.") from None
    finally:
        delivery.duration_ms = int((time.monotonic() - started) * 1000)
    return response, delivery.duration_ms, redactor


def _attempt(delivery: WebhookDelivery) -> None:
    """One request; raises _Temporary or _Permanent unless the endpoint took it."""
    _check_egress(delivery.endpoint.url)
    try:
        secret = webhook_endpoint_secret(endpoint=delivery.endpoint)
    except ApplicationError as exc:
        raise _Permanent(exc.message) from None
    delivery.attempts += 1
    delivery.last_attempt_at = timezone.now()
    delivery.status_code = None
    delivery.response_excerpt = ""
    response, _, redactor = _send(delivery, secret)
    delivery.status_code = response.status_code
    content_type = response.headers.get("content-type", "")
    delivery.response_excerpt = redactor.body(response.content, content_type)[:EXCERPT_CHARS]
    status = response.status_code
    if 200 <= status < 300:
        return
    if status >= 500 or status in RETRIED_STATUSES:
        raise _Temporary(f"The endpoint answered HTTP {status}.", _retry_after(response))
    if 300 <= status < 400:
        raise _Permanent(
            f"The endpoint answered HTTP {status} (a redirect, not followed): give the "
            "final address as the endpoint's URL."
        )
    raise _Permanent(
        f"The endpoint refused the delivery with HTTP {status}; not retried. Fix the "
        "receiver, then replay."
    )


_FIELDS = [
    "state",
    "attempts",
    "status_code",
    "duration_ms",
    "response_excerpt",
    "error",
    "last_attempt_at",
    "delivered_at",
]


def webhook_delivery_run(*, claim: Claim) -> str:
    job = claim.job
    delivery = (
        WebhookDelivery.objects.select_related("endpoint", "event")
        .filter(pk=job.payload.get("delivery_id"))
        .first()
    )
    if delivery is None:
        sync_job_done(claim=claim, note="The delivery was deleted with its endpoint.")
        return "done"
    if not delivery.endpoint.active:
        delivery.state = DeliveryState.SKIPPED
        delivery.error = "The endpoint was switched off before this delivery was sent."
        delivery.save(update_fields=_FIELDS)
        sync_job_done(claim=claim, note=delivery.error)
        return "done"
    try:
        _attempt(delivery)
    except _Temporary as exc:
        job = sync_job_retry_later(claim=claim, message=exc.message, retry_after=exc.retry_after)
        failed = job.state == "failed"
        delivery.state = DeliveryState.FAILED if failed else DeliveryState.RETRYING
        delivery.error = job.last_error[:500]
        delivery.save(update_fields=_FIELDS)
        _log(delivery)
        return "failed" if failed else "retrying"
    except _Permanent as exc:
        delivery.state = DeliveryState.FAILED
        delivery.error = exc.message[:500]
        delivery.save(update_fields=_FIELDS)
        sync_job_fail(claim=claim, message=exc.message)
        _log(delivery)
        return "failed"
    delivery.state = DeliveryState.DELIVERED
    delivery.error = ""
    delivery.delivered_at = timezone.now()
    delivery.save(update_fields=_FIELDS)
    sync_job_done(claim=claim)
    _log(delivery)
    return "done"


def _log(delivery: WebhookDelivery) -> None:
    # Never the body, the secret or the signature: the numbers and the state only.
    logger.info(
        "Webhook delivery %s (endpoint %s, attempt %s): %s, HTTP %s, %s ms",
        delivery.pk,
        delivery.endpoint_id,
        delivery.attempts,
        delivery.state,
        delivery.status_code,
        delivery.duration_ms,
    )
