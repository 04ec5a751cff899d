from __future__ import annotations

import pytest

from tests.vendors.voicenter.harness import CREDENTIALS
from vendors.adapters.http import build_client
from vendors.adapters.types import AccountConfig
from vendors.adapters.voicenter.adapter import VoicenterAdapter
from vendors.adapters.voicenter.emulator import VoicenterEmulator

BASE_URL = "http://voicenter.test/"


@pytest.fixture
def emulator() -> VoicenterEmulator:
    # These tests were written for the guessed extras (AddResult); tests of the documented
    # replies build their own emulator.
    return VoicenterEmulator(credentials=CREDENTIALS, guessed_extras=True)


@pytest.fixture
def exchanges() -> list:
    return []


def make_adapter(emulator, credentials=CREDENTIALS, recorder=None) -> VoicenterAdapter:
    client = build_client(
        base_url=BASE_URL,
        secrets=VoicenterAdapter.secret_values(credentials),
        headers=VoicenterAdapter.auth_headers(credentials),
        transport=emulator.transport(),
        recorder=recorder,
        timeout=2.0,
    )
    account = AccountConfig(
        account_id=1, kind="voicenter", base_url=BASE_URL, credentials=credentials
    )
    return VoicenterAdapter(account=account, client=client)


@pytest.fixture
def adapter(emulator, exchanges) -> VoicenterAdapter:
    return make_adapter(emulator, recorder=exchanges.append)
