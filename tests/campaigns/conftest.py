import pytest
from django.core.cache import cache

from tests.campaigns.factories import VendorAccountFactory
from vendors.adapters.registry import adapter_class
from vendors.adapters.types import RemoteCampaign, RemoteItem
from vendors.remote_items import RemoteItems

UNREACHABLE = "The dialer could not be asked for its list (Connection refused)."


class RemoteCampaigns:
    """Stands in for ``vendors.remote_items.vendor_remote_items``: unreachable unless a
    test gives it campaigns (tests/campaigns/test_remote_choices.py asks the emulators)."""

    def __init__(self):
        self.campaigns: list[RemoteCampaign] | None = None

    def __call__(self, *, account, source):
        noun = adapter_class(account.kind).remote_item_lists.get(source, "item")
        if self.campaigns is None:
            return RemoteItems(None, UNREACHABLE, noun)
        items = tuple(RemoteItem(c.remote_id, c.name) for c in self.campaigns)
        return RemoteItems(items, "", noun)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Every test here logs users in; the real hasher costs about a second a user on 2 cores.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def remote_campaigns(monkeypatch):
    fake = RemoteCampaigns()
    monkeypatch.setattr("vendors.remote_items.vendor_remote_items", fake)
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
