"""Put an in-process vendor emulator on the wire of one vendor account.

``emulated_account(kind, monkeypatch=...)`` creates a VendorAccount with the emulator's
``SANDBOX_CREDENTIALS`` (or the ones given) and makes ``vendors.services.vendor_adapter``
talk to that emulator for that account, through the real client builder, so the call log
and redaction run as in production. Other accounts keep whatever transport they had.
In tests under ``tests/vendors`` the ``emulated_account`` fixture does the monkeypatching.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable

import pytest
from django.utils.module_loading import import_string

from vendors import services
from vendors.adapters.emulation import BaseEmulator
from vendors.adapters.registry import adapter_class
from vendors.models import VendorAccount


def emulator_for(
    kind: str,
    *,
    credentials=None,
    clock: Callable[[], float] = time.monotonic,
    guessed_extras: bool = False,
):
    """A fresh emulator of ``kind`` accepting ``credentials`` (default: its sandbox ones),
    answering in the documented shape only unless ``guessed_extras``."""
    emulator_class = import_string(adapter_class(kind).emulator)
    if credentials is None:
        credentials = sys.modules[emulator_class.__module__].SANDBOX_CREDENTIALS
    return emulator_class(credentials=credentials, clock=clock, guessed_extras=guessed_extras)


def emulated_account(
    kind: str,
    *,
    monkeypatch: pytest.MonkeyPatch,
    name: str = "",
    emulator: BaseEmulator | None = None,
    account_credentials: dict[str, str] | None = None,
    base_url: str = "",
) -> tuple[VendorAccount, BaseEmulator]:
    """Create a VendorAccount of ``kind`` served by ``emulator`` (a fresh one by default).
    ``account_credentials`` are what the account stores (default: what the emulator
    accepts); pass a wrong set to test refusals."""
    emulator = emulator or emulator_for(kind)
    account = services.vendor_account_save(
        account=None,
        name=name or f"{kind} emulated {VendorAccount.objects.count() + 1}",
        kind=kind,
        # Self-hosted vendors (jtel) document no host: any will do in-process.
        base_url=base_url
        or adapter_class(kind).default_base_url
        or f"https://{kind}.emulated.test",
        credentials=dict(account_credentials or emulator.credentials),
    )
    previous = services._default_transport

    def transport(for_account: VendorAccount):
        if for_account.pk == account.pk:
            return emulator.transport()
        return previous(for_account)

    monkeypatch.setattr(services, "_default_transport", transport)
    return account, emulator
