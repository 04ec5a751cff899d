"""Vendor credentials at rest: a JSON object encrypted with MultiFernet.

``settings.VENDOR_CREDENTIALS_KEYS`` lists the keys; the first encrypts, all decrypt. To
rotate, put a new key first, run ``manage.py rotate_vendor_credentials``, then drop the
old key.
"""

from __future__ import annotations

import json
from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


class CredentialsUnreadable(Exception):
    """The stored credentials were encrypted with a key that is no longer configured."""


@cache
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    if not keys:
        raise ImproperlyConfigured("VENDOR_CREDENTIALS_KEYS is empty.")
    try:
        return MultiFernet([Fernet(key.encode()) for key in keys])
    except (ValueError, TypeError) as exc:
        raise ImproperlyConfigured(
            "Each VENDOR_CREDENTIALS_KEYS entry must be a Fernet key "
            "(32 url-safe base64-encoded bytes)."
        ) from exc


def _current() -> MultiFernet:
    return _fernet(tuple(settings.VENDOR_CREDENTIALS_KEYS))


def credentials_encrypt(values: dict[str, str]) -> str:
    if not values:
        return ""
    return _current().encrypt(json.dumps(values, sort_keys=True).encode()).decode()


def credentials_decrypt(token: str) -> dict[str, str]:
    if not token:
        return {}
    try:
        return json.loads(_current().decrypt(token.encode()))
    except InvalidToken as exc:
        raise CredentialsUnreadable(
            "The saved credentials cannot be decrypted with the configured keys."
        ) from exc


def credentials_reencrypt(token: str) -> str:
    """The same credentials under the first key (MultiFernet.rotate)."""
    if not token:
        return ""
    try:
        return _current().rotate(token.encode()).decode()
    except InvalidToken as exc:
        raise CredentialsUnreadable(
            "The saved credentials cannot be decrypted with the configured keys."
        ) from exc
