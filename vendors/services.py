"""Writes of the vendors app, and the one factory that turns a vendor account into a
working adapter."""

from __future__ import annotations

import dataclasses
import secrets
from datetime import datetime, timedelta

import httpx
from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from dialer_console.errors import ApplicationError
from vendors.adapters.base import BaseAdapter
from vendors.adapters.errors import VendorError
from vendors.adapters.http import Exchange, Recorder, Redactor, build_client
from vendors.adapters.http.egress import base_url_refusal
from vendors.adapters.registry import UnknownVendor, adapter_class
from vendors.adapters.types import AccountConfig, HealthResult
from vendors.crypto import (
    CredentialsUnreadable,
    credentials_decrypt,
    credentials_encrypt,
    credentials_reencrypt,
)
from vendors.models import VendorAccount, VendorCall

# --- accounts ------------------------------------------------------------------------


def vendor_adapter_class(kind: str) -> type[BaseAdapter]:
    """The adapter class of ``kind``, or an ApplicationError a page can show."""
    try:
        return adapter_class(kind)
    except UnknownVendor:
        raise ApplicationError(
            gettext("Unknown vendor kind %(kind)s.") % {"kind": repr(kind)}
        ) from None
    except ImportError:
        raise ApplicationError(
            gettext("The %(kind)s adapter is not installed in this build.") % {"kind": kind}
        ) from None


def vendor_account_credentials(*, account: VendorAccount) -> dict[str, str]:
    """Every credential value of the account by field name: the non-secret options and the
    decrypted secrets. Only the adapter factory and the sandbox demo need this."""
    values = {key: str(value) for key, value in (account.options or {}).items()}
    values.update(credentials_decrypt(account.credentials_encrypted))
    return values


def vendor_account_save(
    *,
    account: VendorAccount | None,
    name: str,
    kind: str,
    base_url: str,
    credentials: dict[str, str],
) -> VendorAccount:
    """Create (``account=None``) or update a vendor account.

    ``credentials`` maps the adapter's ``credential_fields`` names to values. A blank
    secret on an existing account keeps the saved one, so a form never has to show a
    secret back; a blank option clears it. Raises ApplicationError listing what is
    missing."""
    if account is not None and account.kind != kind:
        raise ApplicationError(
            gettext("The vendor of an account cannot be changed; add a new account.")
        )
    adapter = vendor_adapter_class(kind)
    saved = vendor_account_credentials(account=account) if account is not None else {}
    merged: dict[str, str] = {}
    for field in adapter.credential_fields:
        value = (credentials.get(field.name) or "").strip()
        if field.secret and not value:
            value = saved.get(field.name, "")
        if value:
            merged[field.name] = value
    _check_credentials(adapter, merged)
    account = account or VendorAccount(kind=kind)
    account.name = name.strip()
    account.base_url = (base_url or "").strip().rstrip("/") or adapter.default_base_url
    if not account.base_url:
        # Self-hosted vendors (jtel) have no documented host to default to.
        raise ApplicationError(
            gettext("%(label)s is self-hosted: enter the base URL of your installation.")
            % {"label": adapter.label},
            {"field": "base_url"},
        )
    vendor_base_url_check(base_url=account.base_url)
    secret_names = {field.name for field in adapter.credential_fields if field.secret}
    account.options = {key: value for key, value in merged.items() if key not in secret_names}
    account.credentials_encrypted = credentials_encrypt(
        {key: value for key, value in merged.items() if key in secret_names}
    )
    if VendorAccount.objects.filter(name=account.name).exclude(pk=account.pk).exists():
        raise ApplicationError(
            gettext("Another vendor account already has that name."), {"field": "name"}
        )
    # New credentials make the last health check meaningless.
    account.health_ok = None
    account.health_checked_at = None
    account.health_message = ""
    account.save()
    return account


def vendor_base_url_check(*, base_url: str) -> None:
    """Refuse a base URL whose host is a private or local address no setting allows.
    Only a courtesy at save time: the client's egress guard checks again at connect."""
    problem = base_url_refusal(base_url)
    if problem:
        raise ApplicationError(problem, {"field": "base_url"})


def _check_credentials(adapter: type[BaseAdapter], values: dict[str, str]) -> None:
    fields = adapter.credential_fields
    missing = [field.label for field in fields if field.required and not values.get(field.name)]
    if missing:
        raise ApplicationError(
            gettext("%(label)s needs: %(value)s.")
            % {"label": adapter.label, "value": ", ".join(missing)},
            {"missing": missing},
        )
    problem = adapter.credentials_error(values)
    if problem:
        raise ApplicationError(problem)


def vendor_account_receiving_rotate(*, account: VendorAccount) -> str:
    """Make (or replace) the account's receiving endpoint: a new token for its URL and a
    new secret, stored encrypted; return the secret, which is shown this once."""
    secret = secrets.token_urlsafe(32)
    account.receiving_token = secrets.token_urlsafe(18)
    account.receiving_secret_encrypted = credentials_encrypt({"secret": secret})
    account.save(update_fields=["receiving_token", "receiving_secret_encrypted", "updated_at"])
    return secret


def vendor_account_receiving_secret(*, account: VendorAccount) -> str:
    """The receiving secret, "" when none was made (or it cannot be read)."""
    if not account.receiving_secret_encrypted:
        return ""
    try:
        return credentials_decrypt(account.receiving_secret_encrypted).get("secret", "")
    except CredentialsUnreadable:
        return ""


def vendor_account_receiving_url(*, account: VendorAccount, with_secret: bool = False) -> str:
    """The receiving endpoint's address ("" when none was made); ``with_secret`` adds the
    secret as the query a dialer that cannot send headers (a callback URL) presents."""
    if not account.receiving_token:
        return ""
    url = settings.SITE_URL + reverse("results_inbound:receive", args=[account.receiving_token])
    if with_secret:
        url += "?secret=" + vendor_account_receiving_secret(account=account)
    return url


def vendor_account_config(*, account: VendorAccount) -> AccountConfig:
    try:
        credentials = vendor_account_credentials(account=account)
    except CredentialsUnreadable as exc:
        raise ApplicationError(
            gettext("%(name)s: %(exc)s Enter the credentials again.")
            % {"name": account.name, "exc": exc}
        ) from exc
    return AccountConfig(
        account_id=account.pk,
        kind=account.kind,
        base_url=account.base_url,
        credentials=credentials,
        options=dict(account.options or {}),
    )


# --- the adapter factory -------------------------------------------------------------


def _default_transport(account: VendorAccount) -> httpx.BaseTransport | None:
    """The real network. Tests replace this to put an in-process emulator on the wire
    (``tests/vendors/fixtures.py``)."""
    return None


def vendor_call_recorder(*, account: VendorAccount) -> Recorder:
    """Writes each (already redacted) exchange as a VendorCall row."""

    def record(exchange: Exchange) -> None:
        VendorCall.objects.create(
            account_id=account.pk,
            vendor_kind=account.kind,
            operation=exchange.operation[:60],
            method=exchange.method[:10],
            url=exchange.url[:2000],
            status_code=exchange.status_code,
            duration_ms=exchange.duration_ms,
            request_excerpt=exchange.request_excerpt,
            response_excerpt=exchange.response_excerpt,
            error=exchange.error[:500],
        )

    return record


def vendor_adapter(
    *, account: VendorAccount, transport: httpx.BaseTransport | None = None
) -> BaseAdapter:
    """The adapter for ``account``: credentials decrypted, client built by the one client
    builder with auth, timeouts, redaction and the call log. ``transport`` replaces the
    network (an emulator's ``transport()`` in tests)."""
    adapter = vendor_adapter_class(account.kind)
    config = vendor_account_config(account=account)
    # The receiving secret travels in callback URLs the console hands the dialer.
    receiving = [vendor_account_receiving_secret(account=account)]
    client = build_client(
        base_url=config.base_url,
        secrets=[*adapter.secret_values(config.credentials), *filter(None, receiving)],
        headers=adapter.auth_headers(config.credentials),
        auth=adapter.client_auth(config),
        timeout=settings.VENDOR_HTTP_TIMEOUT_SECONDS,
        transport=transport or _default_transport(account),
        recorder=vendor_call_recorder(account=account),
    )
    return adapter(account=config, client=client)


def vendor_account_test_connection(
    *, account: VendorAccount, transport: httpx.BaseTransport | None = None
) -> HealthResult:
    """Run the adapter's harmless read call, store the account's health and return it.
    Vendor errors become a failed result carrying the vendor's own words."""
    try:
        adapter = vendor_adapter(account=account, transport=transport)
    except ApplicationError as exc:
        result = HealthResult(ok=False, message=exc.message)
    else:
        try:
            result = adapter.test_connection()
        except VendorError as exc:
            result = HealthResult(ok=False, message=str(exc))
        finally:
            adapter.client.close()
        # The vendor's words may echo a credential back.
        redact = Redactor(adapter.secret_values(adapter.account.credentials))
        result = dataclasses.replace(result, message=redact(result.message))
    account.health_ok = result.ok
    account.health_message = result.message[:500]
    account.health_checked_at = timezone.now()
    account.save(update_fields=["health_ok", "health_message", "health_checked_at", "updated_at"])
    return result


def vendor_account_health_from_calls(
    *, account: VendorAccount, since: datetime, job_id: int
) -> bool:
    """A sync job that ended well and made a successful call to the dialer since
    ``since`` is a health signal: the account is marked healthy with that time. An
    account marked failing stays so (its held jobs wait for a test or a retry). Returns
    whether the health was written."""
    called = VendorCall.objects.filter(
        account=account, at__gte=since, status_code__lt=400, error=""
    ).exists()
    if not called:
        return False
    now = timezone.now()
    return bool(
        VendorAccount.objects.filter(pk=account.pk)
        .exclude(health_ok=False)
        # Many jobs a second would each write the same signal: one a few seconds is enough.
        .exclude(health_ok=True, health_checked_at__gt=now - timedelta(seconds=5))
        .update(
            health_ok=True,
            health_checked_at=now,
            health_message=f"Sync job #{job_id} called the dialer successfully.",
        )
    )


# --- maintenance ---------------------------------------------------------------------


def vendor_call_prune(*, now: datetime | None = None) -> int:
    """Delete call-log rows older than ``VENDOR_CALL_RETENTION_DAYS``; return how many."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.VENDOR_CALL_RETENTION_DAYS)
    deleted, _ = VendorCall.objects.filter(at__lt=cutoff).delete()
    return deleted


def vendor_credentials_rotate() -> int:
    """Re-encrypt every account's credentials with the first configured key; return how
    many accounts were rewritten. Fails (and changes nothing) if any cannot be read."""
    with transaction.atomic():
        accounts = list(VendorAccount.objects.select_for_update().exclude(credentials_encrypted=""))
        for account in accounts:
            try:
                account.credentials_encrypted = credentials_reencrypt(account.credentials_encrypted)
            except CredentialsUnreadable as exc:
                raise ApplicationError(
                    gettext("%(name)s: %(exc)s") % {"name": account.name, "exc": exc}
                ) from exc
        VendorAccount.objects.bulk_update(accounts, ["credentials_encrypted"])
    return len(accounts)
