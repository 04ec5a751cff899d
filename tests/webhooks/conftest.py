from __future__ import annotations

import pytest

from tests.accounts.factories import TeamFactory, UserFactory
from tests.sync.conftest import published  # noqa: F401 (fixture)
from vendors.adapters.http import egress

CRM = "https://crm.example.com/hooks/console"
PUBLIC_ADDRESS = "93.184.216.34"


@pytest.fixture(autouse=True)
def _egress(settings, monkeypatch):
    """No sandbox allowance and no exceptions; crm.example.com resolves to a public
    address (the suite blocks real DNS), other names as ``dns`` says."""
    settings.VENDOR_SANDBOX = False
    settings.VENDOR_ALLOWED_PRIVATE_HOSTS = []
    table = {"crm.example.com": [PUBLIC_ADDRESS], "other.example.com": [PUBLIC_ADDRESS]}
    real = egress.resolve
    monkeypatch.setattr(
        egress, "resolve", lambda host, port: table[host] if host in table else real(host, port)
    )
    return table


@pytest.fixture
def dns(_egress):
    return _egress


@pytest.fixture
def team(db):
    return TeamFactory(name="Team A")


@pytest.fixture
def other_team(db):
    return TeamFactory(name="Team B")


@pytest.fixture
def lead_of_team(team):
    return UserFactory(role="Team lead", team=team)
