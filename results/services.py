"""Receiving what a dialer pushes: one endpoint per vendor account, its own secret, every
delivery kept raw (``InboundEvent``), a repeated delivery recognised by the vendor's event
id (or the body's hash) and filed once."""

from __future__ import annotations

import hashlib
import hmac
import logging
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone

from results.models import InboundEvent, ResultSource
from sync.models import CampaignRemote
from sync.services.results import results_store
from vendors.models import VendorAccount
from vendors.services import vendor_account_receiving_secret, vendor_adapter_class

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Receipt:
    status: int
    message: str


def _keep(account, body: bytes, remote_address: str | None, error: str, event_id: str = ""):
    return InboundEvent.objects.create(
        vendor_account=account,
        event_id=event_id[:200],
        remote_address=remote_address or None,
        # PostgreSQL text holds no NUL: one in a body must not turn a receipt into a 500.
        body=body.decode("utf-8", errors="replace").replace("\x00", "\ufffd"),
        accepted=not error,
        error=error[:500],
    )


def _no_nul(text: str) -> str:
    return text.replace("\x00", "")


def _campaign_of(account: VendorAccount, remote_id: str):
    remote = (
        CampaignRemote.objects.filter(campaign__vendor_account=account)
        .filter(remote_ref__remote_id=remote_id)
        .select_related("campaign")
        .first()
    )
    return remote.campaign if remote else None


def results_receive(
    *, account: VendorAccount, secret: str, body: bytes, remote_address: str | None = None
) -> Receipt:
    """File one delivery to ``account``'s receiving endpoint. A wrong secret is refused
    (403) and kept as a refused event; an unreadable body is a 400 saying why; a delivery
    already filed is acknowledged (200) and changes nothing."""
    expected = vendor_account_receiving_secret(account=account)
    if not expected or not hmac.compare_digest(secret.encode(), expected.encode()):
        logger.warning("Refused a delivery to %s's receiving endpoint: bad secret", account.pk)
        _keep(account, body, remote_address, "Refused: wrong or missing secret.")
        return Receipt(403, "Wrong or missing secret.")
    adapter = vendor_adapter_class(account.kind)
    try:
        event_id, campaign_remote_id, results = adapter.results_from_callback(body)
    except NotImplementedError:
        _keep(account, body, remote_address, "This vendor sends nothing to the console.")
        return Receipt(400, f"{adapter.label} documents no results it sends.")
    except ValueError as exc:
        _keep(account, body, remote_address, f"Unreadable: {exc}")
        return Receipt(400, f"The body is not a {adapter.label} results delivery: {exc}")
    event_id = _no_nul(event_id) or "sha256:" + hashlib.sha256(body).hexdigest()
    campaign_remote_id = _no_nul(campaign_remote_id)
    campaign = _campaign_of(account, campaign_remote_id)
    try:
        with transaction.atomic():
            event = _keep(account, body, remote_address, "", event_id=event_id)
            if campaign is not None:
                results_store(campaign=campaign, results=results, source=ResultSource.CALLBACK)
            InboundEvent.objects.filter(pk=event.pk).update(processed_at=timezone.now())
    except IntegrityError:
        return Receipt(200, "Already received.")
    if campaign is None:
        return Receipt(200, f"Kept; no campaign of this account is {campaign_remote_id!r}.")
    return Receipt(200, f"Filed {len(results)} result(s).")
