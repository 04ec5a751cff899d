from __future__ import annotations

import functools

import pytest

from tests.vendors.fixtures import emulated_account as _emulated_account


@pytest.fixture
def emulated_account(db, monkeypatch):
    """``emulated_account("acefone") -> (account, emulator)``; see tests/vendors/fixtures.py."""
    return functools.partial(_emulated_account, monkeypatch=monkeypatch)
