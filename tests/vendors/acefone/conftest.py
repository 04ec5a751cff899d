from __future__ import annotations

import pytest

from tests.vendors.acefone.harness import SETTINGS  # noqa: F401 - shared by the tests
from vendors.adapters.acefone import adapter as adapter_module
from vendors.adapters.acefone.adapter import AcefoneAdapter
from vendors.adapters.acefone.emulator import SANDBOX_CREDENTIALS, AcefoneEmulator
from vendors.adapters.http import build_client
from vendors.adapters.types import AccountConfig

BASE = "https://api.acefone.in"
TOKEN_ONLY = {"token": SANDBOX_CREDENTIALS["token"]}
LOGIN_ONLY = {
    "login_id": SANDBOX_CREDENTIALS["login_id"],
    "password": SANDBOX_CREDENTIALS["password"],
}


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture(autouse=True)
def forget_login_tokens():
    adapter_module._token_cache.clear()
    yield
    adapter_module._token_cache.clear()


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def emulator(clock) -> AcefoneEmulator:
    # These tests were written for the guessed extras (a campaign id in the create reply);
    # tests of the documented replies build their own emulator.
    return AcefoneEmulator(credentials=SANDBOX_CREDENTIALS, clock=clock, guessed_extras=True)


def make_adapter(credentials=TOKEN_ONLY, *, transport=None, recorder=None) -> AcefoneAdapter:
    account = AccountConfig(account_id=1, kind="acefone", base_url=BASE, credentials=credentials)
    client = build_client(
        base_url=BASE,
        secrets=AcefoneAdapter.secret_values(credentials),
        headers=AcefoneAdapter.auth_headers(credentials),
        auth=AcefoneAdapter.client_auth(account),
        transport=transport,
        recorder=recorder,
        timeout=2.0,
    )
    return AcefoneAdapter(account=account, client=client)


@pytest.fixture
def exchanges() -> list:
    return []


@pytest.fixture
def adapter(emulator, exchanges) -> AcefoneAdapter:
    return make_adapter(transport=emulator.transport(), recorder=exchanges.append)
