"""Lists of vendor-side ids read from a dialer for a settings select (Voicenter
campaigns, jtel template campaigns, Acefone lead lists), cached per vendor account.

Only ids and names are cached, never credentials; the key carries a digest of the
account's address and encrypted credentials, so changing either reads the list again. A
failed read is cached briefly too, so a dialer that does not answer does not cost a
timeout on every inline validation; the select's Refresh button forgets both at once.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import cache

from dialer_console.errors import ApplicationError
from vendors.adapters.errors import VendorError
from vendors.adapters.registry import settings_form_class
from vendors.adapters.types import HealthResult, RemoteItem
from vendors.models import VendorAccount
from vendors.services import (
    vendor_account_test_connection,
    vendor_adapter,
    vendor_adapter_class,
)

# A dialer that could not be reached is asked again after this long at most.
FAILURE_CACHE_SECONDS = 60


@dataclass(frozen=True)
class RemoteItems:
    """The listed items, or ``None`` with ``note`` saying why the dialer gave none."""

    items: tuple[RemoteItem, ...] | None
    note: str = ""
    noun: str = ""


def _cache_key(account: VendorAccount, source: str) -> str:
    where = f"{account.base_url}\0{account.credentials_encrypted}".encode()
    return f"vendor-remote-items:{account.pk}:{hashlib.sha256(where).hexdigest()[:16]}:{source}"


def vendor_remote_items(*, account: VendorAccount, source: str) -> RemoteItems:
    """The items of the account's list ``source`` (a key of its adapter's
    ``remote_item_lists``), from the cache or the dialer."""
    try:
        noun = vendor_adapter_class(account.kind).remote_item_lists.get(source, "item")
    except ApplicationError as exc:
        return RemoteItems(None, exc.message)
    key = _cache_key(account, source)
    cached = cache.get(key)
    if cached is not None:
        items, note = cached
        return RemoteItems(_items(items), note, noun)
    try:
        adapter = vendor_adapter(account=account)
    except ApplicationError as exc:
        return _remember_failure(key, exc.message, noun)
    try:
        listed = adapter.remote_items(source)
    except VendorError as exc:
        return _remember_failure(key, adapter.redact(exc.message), noun)
    except NotImplementedError:
        return RemoteItems(None, f"{adapter.label} documents no call that lists them.", noun)
    finally:
        adapter.client.close()
    pairs = [(item.remote_id, item.name) for item in listed]
    cache.set(key, (pairs, ""), settings.VENDOR_CHOICES_CACHE_SECONDS)
    return RemoteItems(_items(pairs), "", noun)


def vendor_remote_items_forget(*, account: VendorAccount, source: str) -> None:
    """Drop the cached list, so the next read asks the dialer (the Refresh button)."""
    cache.delete(_cache_key(account, source))


def _items(pairs: list[tuple[str, str]] | None) -> tuple[RemoteItem, ...] | None:
    if pairs is None:
        return None
    return tuple(RemoteItem(remote_id=remote_id, name=name) for remote_id, name in pairs)


def _remember_failure(key: str, reason: str, noun: str) -> RemoteItems:
    note = f"The dialer could not be asked for its list ({reason.rstrip('.')})."
    ttl = min(FAILURE_CACHE_SECONDS, settings.VENDOR_CHOICES_CACHE_SECONDS)
    cache.set(key, (None, note), ttl)
    return RemoteItems(None, note, noun)


def vendor_settings_test_connection(
    *, account: VendorAccount, settings: dict[str, Any]
) -> HealthResult:
    """Test the account's connection (its health is stored), then name each vendor-side
    id ``settings`` choose from a dialer's list: found, with its name and id, or not
    listed. Each list is read afresh. Not ok when the connection failed or an id is not
    listed."""
    result = vendor_account_test_connection(account=account)
    if not result.ok:
        return result
    messages, all_found = [result.message], True
    read: set[str] = set()
    for widget, value in settings_form_class(account.kind).remote_values(settings):
        if widget.source not in read:
            vendor_remote_items_forget(account=account, source=widget.source)
            read.add(widget.source)
        listed = vendor_remote_items(account=account, source=widget.source)
        message, found = _named(widget, value, listed)
        messages.append(message)
        all_found = all_found and found
    return HealthResult(ok=all_found, message=" ".join(messages))


def _named(widget, value: str, listed: RemoteItems) -> tuple[str, bool]:
    noun = listed.noun or "item"
    if listed.items is None:
        return f"The {noun} “{value}” could not be checked: {listed.note}", False
    item = next((item for item in listed.items if widget.value_of(item) == value), None)
    if item is None:
        return f"The {noun} “{value}” is not listed by the dialer.", False
    named = [f"“{item.name}”"] if item.name else []
    if item.remote_id:
        named.append(f"(id {item.remote_id})")
    return f"The {noun} {' '.join(named)} was found.", True
