"""A team's webhook endpoints: saved with the vendor accounts' egress rules, each with a
secret encrypted at rest (``vendors.crypto``) and shown once, when made or rotated."""

from __future__ import annotations

import secrets
from urllib.parse import urlsplit

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dialer_console.errors import ApplicationError
from vendors.adapters.http.egress import base_url_refusal
from vendors.crypto import CredentialsUnreadable, credentials_decrypt, credentials_encrypt
from webhooks.models import EventType, WebhookEndpoint

SECRET_PREFIX = "whsec_"  # noqa: S105 (a prefix that marks what the value is, not a secret)


def endpoint_url_refusal(url: str) -> str:
    """Why deliveries to ``url`` would be refused, or "": HTTPS only, no credentials in
    the URL, and the vendor accounts' rule on private and local addresses (the
    ``VENDOR_ALLOWED_PRIVATE_HOSTS`` setting allows exceptions for both)."""
    parts = urlsplit(url)
    if parts.scheme.lower() != "https":
        return _(
            "The URL must start with https://: deliveries carry lead data and are sent over "
            "TLS only."
        )
    if not parts.hostname:
        return _("The URL has no host name.")
    if parts.username or parts.password:
        return _(
            "Put no user name or password in the URL: the endpoint proves a delivery "
            "by its signature."
        )
    refusal = base_url_refusal(url)
    if refusal:
        return refusal.replace("vendor calls to it", "deliveries to it")
    return ""


def _clean_events(events) -> list[str]:
    known = set(EventType.values)
    chosen = [event for event in dict.fromkeys(events or []) if event in known]
    unknown = [event for event in events or [] if event not in known]
    if unknown:
        raise ApplicationError(
            _("Unknown event type(s): %(unknown)s. Choose from %(known)s.")
            % {"unknown": ", ".join(map(str, unknown)), "known": ", ".join(EventType.values)}
        )
    if not chosen:
        raise ApplicationError(_("Choose at least one event to send."))
    return chosen


def _check_url(url: str) -> str:
    url = (url or "").strip()
    if not url:
        raise ApplicationError(_("Give the endpoint's URL."))
    refusal = endpoint_url_refusal(url)
    if refusal:
        raise ApplicationError(refusal, extra={"field": "url"})
    return url


def _new_secret() -> tuple[str, str]:
    secret = SECRET_PREFIX + secrets.token_urlsafe(32)
    return secret, credentials_encrypt({"secret": secret})


@transaction.atomic
def webhook_endpoint_create(
    *, team, url: str, events, active: bool = True, description: str = "", acting_user=None
) -> tuple[WebhookEndpoint, str]:
    """Make an endpoint; returns it and its secret, which is never shown again."""
    if team is None:
        raise ApplicationError(_("Choose the team whose events the endpoint receives."))
    secret, encrypted = _new_secret()
    endpoint = WebhookEndpoint.objects.create(
        team=team,
        url=_check_url(url),
        events=_clean_events(events),
        active=active,
        description=(description or "").strip()[:200],
        secret_encrypted=encrypted,
        created_by=acting_user,
    )
    return endpoint, secret


@transaction.atomic
def webhook_endpoint_update(
    *, endpoint: WebhookEndpoint, url=None, events=None, active=None, description=None
) -> WebhookEndpoint:
    """Change what is given; the URL is checked again. The secret is kept."""
    if url is not None:
        endpoint.url = _check_url(url)
    if events is not None:
        endpoint.events = _clean_events(events)
    if active is not None:
        endpoint.active = bool(active)
    if description is not None:
        endpoint.description = description.strip()[:200]
    endpoint.save()
    return endpoint


def webhook_endpoint_rotate_secret(*, endpoint: WebhookEndpoint) -> str:
    """A new secret, returned this once; deliveries sent from now on are signed with it."""
    secret, encrypted = _new_secret()
    endpoint.secret_encrypted = encrypted
    endpoint.secret_rotated_at = timezone.now()
    endpoint.save(update_fields=["secret_encrypted", "secret_rotated_at", "updated_at"])
    return secret


def webhook_endpoint_secret(*, endpoint: WebhookEndpoint) -> str:
    """The secret deliveries are signed with; raises ApplicationError when the configured
    keys cannot read it (rotate the secret then)."""
    try:
        return credentials_decrypt(endpoint.secret_encrypted).get("secret", "")
    except CredentialsUnreadable as exc:
        raise ApplicationError(
            _(
                "The endpoint's secret cannot be decrypted with the configured keys: make a "
                "new secret for it."
            )
        ) from exc


def webhook_endpoint_delete(*, endpoint: WebhookEndpoint) -> None:
    endpoint.delete()
