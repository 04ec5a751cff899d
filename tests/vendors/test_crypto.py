from __future__ import annotations

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured

from vendors.crypto import (
    CredentialsUnreadable,
    credentials_decrypt,
    credentials_encrypt,
    credentials_reencrypt,
)


def test_round_trip_and_ciphertext_hides_values(settings):
    settings.VENDOR_CREDENTIALS_KEYS = [Fernet.generate_key().decode()]
    token = credentials_encrypt({"token": "very-secret-value"})
    assert "very-secret-value" not in token
    assert credentials_decrypt(token) == {"token": "very-secret-value"}


def test_empty_credentials_store_nothing():
    assert credentials_encrypt({}) == ""
    assert credentials_decrypt("") == {}


def test_old_key_still_decrypts_and_rotation_moves_to_the_new_key(settings):
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.VENDOR_CREDENTIALS_KEYS = [old]
    token = credentials_encrypt({"token": "abc123"})
    settings.VENDOR_CREDENTIALS_KEYS = [new, old]
    assert credentials_decrypt(token) == {"token": "abc123"}
    rotated = credentials_reencrypt(token)
    settings.VENDOR_CREDENTIALS_KEYS = [new]
    assert credentials_decrypt(rotated) == {"token": "abc123"}
    with pytest.raises(CredentialsUnreadable):
        credentials_decrypt(token)


def test_a_malformed_key_is_a_configuration_error(settings):
    settings.VENDOR_CREDENTIALS_KEYS = ["not-a-fernet-key"]
    with pytest.raises(ImproperlyConfigured):
        credentials_encrypt({"token": "x"})
