from __future__ import annotations

import pytest

from tests.vendors.ozonetel.harness import CAMPAIGN_NAME, CREDENTIALS
from vendors.adapters.http import build_client
from vendors.adapters.ozonetel import auth
from vendors.adapters.ozonetel.adapter import OzonetelAdapter
from vendors.adapters.ozonetel.emulator import OzonetelEmulator
from vendors.adapters.types import AccountConfig

BASE_URL = "http://ozonetel.test/"


class Clock:
    """A clock the test moves: the emulator's per-minute windows read it."""

    def __init__(self) -> None:
        self.now = 1_000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture(autouse=True)
def _fresh_token_cache():
    auth._cache.clear()
    yield
    auth._cache.clear()


@pytest.fixture
def clock() -> Clock:
    return Clock()


def make_emulator(clock, credentials=CREDENTIALS) -> OzonetelEmulator:
    return OzonetelEmulator(credentials=credentials, clock=clock, campaigns=(CAMPAIGN_NAME,))


@pytest.fixture
def emulator(clock) -> OzonetelEmulator:
    return make_emulator(clock)


@pytest.fixture
def exchanges() -> list:
    return []


def make_adapter(emulator, credentials=CREDENTIALS, recorder=None, base_url=BASE_URL):
    account = AccountConfig(
        account_id=1, kind="ozonetel", base_url=base_url, credentials=credentials
    )
    client = build_client(
        base_url=base_url,
        secrets=OzonetelAdapter.secret_values(credentials),
        headers=OzonetelAdapter.auth_headers(credentials),
        auth=OzonetelAdapter.client_auth(account),
        transport=emulator.transport(),
        recorder=recorder,
        timeout=2.0,
    )
    return OzonetelAdapter(account=account, client=client)


@pytest.fixture
def adapter(emulator, exchanges) -> OzonetelAdapter:
    return make_adapter(emulator, recorder=exchanges.append)
