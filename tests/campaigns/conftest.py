import pytest
from django.core.cache import cache

from tests.campaigns.factories import VendorAccountFactory
from vendors.adapters.errors import VendorTemporaryError
from vendors.adapters.types import RemoteCampaign


class RemoteCampaigns:
    """Stands in for ``vendors.selectors.vendor_remote_campaigns``: unreachable unless a
    test gives it campaigns."""

    def __init__(self):
        self.campaigns: list[RemoteCampaign] | None = None

    def __call__(self, *, account):
        if self.campaigns is None:
            raise VendorTemporaryError("Connection refused")
        return self.campaigns


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Every test here logs users in; the real hasher costs about a second a user on 2 cores.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def remote_campaigns(monkeypatch):
    fake = RemoteCampaigns()
    monkeypatch.setattr("vendors.selectors.vendor_remote_campaigns", fake)
    cache.clear()
    yield fake
    cache.clear()


@pytest.fixture
def accounts(db):
    return {
        kind: VendorAccountFactory(kind=kind)
        for kind in ("acefone", "voicenter", "webitel", "jtel", "ozonetel")
    }


# The sync app's fixtures, for tests that run a campaign's sync jobs against an emulator.
from tests.sync.conftest import emulated_account, published  # noqa: E402, F401
