from __future__ import annotations

import pytest

from tests.vendors.webitel.harness import CREDENTIALS
from vendors.adapters.http import build_client
from vendors.adapters.types import AccountConfig
from vendors.adapters.webitel.adapter import WebitelAdapter
from vendors.adapters.webitel.emulator import WebitelEmulator


class Clock:
    def __init__(self) -> None:
        self.now = 1_700_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def emulator() -> WebitelEmulator:
    return WebitelEmulator(credentials=CREDENTIALS, clock=Clock())


@pytest.fixture
def exchanges() -> list:
    return []


def make_adapter(emulator, credentials=CREDENTIALS, recorder=None) -> WebitelAdapter:
    client = build_client(
        base_url="http://webitel.test/",
        secrets=WebitelAdapter.secret_values(credentials),
        headers=WebitelAdapter.auth_headers(credentials),
        transport=emulator.transport(),
        recorder=recorder,
        timeout=2.0,
    )
    account = AccountConfig(
        account_id=1, kind="webitel", base_url="http://webitel.test/", credentials=credentials
    )
    return WebitelAdapter(account=account, client=client)


@pytest.fixture
def adapter(emulator, exchanges) -> WebitelAdapter:
    return make_adapter(emulator, recorder=exchanges.append)
