from __future__ import annotations

import pytest

from tests.vendors.jtel.harness import CREDENTIALS
from vendors.adapters.http import build_client
from vendors.adapters.jtel.adapter import JtelAdapter
from vendors.adapters.jtel.emulator import JtelEmulator
from vendors.adapters.types import AccountConfig

BASE = "http://jtel.test:8080/"


@pytest.fixture
def emulator() -> JtelEmulator:
    # These tests were written for the guessed extras (ID in campaign records); tests of
    # the documented replies build their own emulator.
    return JtelEmulator(credentials=CREDENTIALS, guessed_extras=True)


@pytest.fixture
def exchanges() -> list:
    return []


def make_adapter(emulator, credentials=CREDENTIALS, recorder=None) -> JtelAdapter:
    client = build_client(
        base_url=BASE,
        secrets=JtelAdapter.secret_values(credentials),
        headers=JtelAdapter.auth_headers(credentials),
        transport=emulator.transport(),
        recorder=recorder,
        timeout=2.0,
    )
    account = AccountConfig(account_id=2, kind="jtel", base_url=BASE, credentials=credentials)
    return JtelAdapter(account=account, client=client)


@pytest.fixture
def adapter(emulator, exchanges) -> JtelAdapter:
    return make_adapter(emulator, recorder=exchanges.append)
