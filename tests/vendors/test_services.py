from __future__ import annotations

from datetime import timedelta

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from dialer_console.errors import ApplicationError
from tests.vendors.factories import VendorAccountFactory, VendorCallFactory
from vendors.adapters.acefone.emulator import SANDBOX_CREDENTIALS
from vendors.adapters.emulation import Fault
from vendors.crypto import credentials_decrypt
from vendors.models import VendorAccount, VendorCall
from vendors.services import (
    vendor_account_credentials,
    vendor_account_save,
    vendor_account_test_connection,
    vendor_adapter,
    vendor_call_prune,
)

pytestmark = pytest.mark.django_db


def _save(account=None, **changes):
    values = {
        "name": "Acefone India",
        "kind": "acefone",
        "base_url": "",
        "credentials": {"token": "tok-123456"},
    }
    values.update(changes)
    return vendor_account_save(account=account, **values)


def test_secrets_are_encrypted_and_options_kept_plain():
    account = _save(credentials={"login_id": "ops@example.test", "password": "pw-secret-1"})
    assert "pw-secret-1" not in account.credentials_encrypted
    assert account.options == {"login_id": "ops@example.test"}
    assert credentials_decrypt(account.credentials_encrypted) == {"password": "pw-secret-1"}


def test_blank_base_url_takes_the_vendors_documented_host():
    assert _save().base_url == "https://api.acefone.in"
    assert _save(name="UK", base_url="https://api.acefone.co.uk/").base_url == (
        "https://api.acefone.co.uk"
    )


def test_blank_secret_on_update_keeps_the_saved_one():
    account = _save()
    _save(account, name="Renamed", credentials={"token": ""})
    account.refresh_from_db()
    assert account.name == "Renamed"
    assert vendor_account_credentials(account=account) == {"token": "tok-123456"}


def test_a_new_secret_replaces_the_saved_one_and_resets_health():
    account = _save()
    account.health_ok = True
    account.save()
    _save(account, credentials={"token": "tok-new-999"})
    account.refresh_from_db()
    assert vendor_account_credentials(account=account) == {"token": "tok-new-999"}
    assert account.health_ok is None


def test_incomplete_credentials_are_refused_with_the_vendors_rule():
    with pytest.raises(ApplicationError, match="API token, or a login and a password"):
        _save(credentials={"login_id": "only-login"})
    assert not VendorAccount.objects.exists()


def test_duplicate_name_is_refused():
    _save()
    with pytest.raises(ApplicationError, match="already has that name"):
        _save(credentials={"token": "other-token"})


def test_kind_cannot_change_and_unknown_kind_is_refused():
    account = _save()
    with pytest.raises(ApplicationError, match="cannot be changed"):
        _save(account, kind="voicenter")
    with pytest.raises(ApplicationError, match="Unknown vendor kind"):
        _save(name="X", kind="nope")


def test_adapter_factory_records_redacted_calls(emulated_account):
    account, emulator = emulated_account("acefone")
    adapter = vendor_adapter(account=account)
    assert adapter.test_connection().ok
    call = VendorCall.objects.get()
    assert call.account == account
    assert (call.operation, call.method, call.status_code) == ("lead_lists", "GET", 200)
    assert call.url == "https://api.acefone.in/v1/broadcast/lists"
    assert SANDBOX_CREDENTIALS["token"] not in call.request_excerpt
    assert "[redacted]" in call.request_excerpt


def test_test_connection_stores_health(emulated_account):
    account, _ = emulated_account("acefone")
    result = vendor_account_test_connection(account=account)
    account.refresh_from_db()
    assert result.ok and account.health_ok is True
    assert account.health_checked_at is not None
    assert "lead list" in account.health_message


def test_test_connection_with_a_wrong_secret_reports_the_vendors_words(emulated_account):
    account, _ = emulated_account("acefone", account_credentials={"token": "wrong-token-000"})
    result = vendor_account_test_connection(account=account)
    account.refresh_from_db()
    assert not result.ok and account.health_ok is False
    assert "invalid or expired token" in result.message


def test_test_connection_reports_a_vendor_outage(emulated_account):
    account, emulator = emulated_account("acefone")
    emulator.inject(Fault.SERVER_ERROR)
    result = vendor_account_test_connection(account=account)
    assert not result.ok
    assert "server error (503)" in result.message


def test_test_connection_with_unreadable_credentials_says_so(settings):
    account = _save()
    settings.VENDOR_CREDENTIALS_KEYS = [Fernet.generate_key().decode()]
    result = vendor_account_test_connection(account=account)
    assert not result.ok
    assert "cannot be decrypted" in result.message


def test_prune_keeps_recent_calls(settings):
    settings.VENDOR_CALL_RETENTION_DAYS = 30
    old = VendorCallFactory(at=timezone.now() - timedelta(days=31))
    recent = VendorCallFactory(at=timezone.now() - timedelta(days=29))
    assert vendor_call_prune() == 1
    assert list(VendorCall.objects.values_list("pk", flat=True)) == [recent.pk]
    assert not VendorCall.objects.filter(pk=old.pk).exists()


def test_prune_task_runs_the_service(settings):
    from vendors.tasks import vendor_call_prune as task

    VendorCallFactory(at=timezone.now() - timedelta(days=settings.VENDOR_CALL_RETENTION_DAYS + 1))
    assert task() == 1


def test_rotate_command_reencrypts_with_the_first_key(settings):
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.VENDOR_CREDENTIALS_KEYS = [old]
    account = VendorAccountFactory()
    before = account.credentials_encrypted
    settings.VENDOR_CREDENTIALS_KEYS = [new, old]
    call_command("rotate_vendor_credentials")
    account.refresh_from_db()
    assert account.credentials_encrypted != before
    settings.VENDOR_CREDENTIALS_KEYS = [new]
    assert vendor_account_credentials(account=account)["token"] == SANDBOX_CREDENTIALS["token"]


def test_rotate_command_fails_whole_when_a_key_is_missing(settings):
    settings.VENDOR_CREDENTIALS_KEYS = [Fernet.generate_key().decode()]
    account = VendorAccountFactory()
    before = account.credentials_encrypted
    settings.VENDOR_CREDENTIALS_KEYS = [Fernet.generate_key().decode()]
    with pytest.raises(CommandError, match="cannot be decrypted"):
        call_command("rotate_vendor_credentials")
    account.refresh_from_db()
    assert account.credentials_encrypted == before
