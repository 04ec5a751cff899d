"""The adapter a sync job talks through: the vendors app's one factory, with the
account's shared rate limits put in front of its transport."""

from __future__ import annotations

from sync.services.ratelimit import RateLimitedTransport, account_buckets
from vendors import services as vendor_services
from vendors.adapters.base import BaseAdapter
from vendors.adapters.http import network_transport


def sync_adapter(*, account) -> BaseAdapter:
    adapter_class = vendor_services.vendor_adapter_class(account.kind)
    # The vendors app's own choice of transport (the network, or an emulator in tests).
    inner = vendor_services._default_transport(account) or network_transport()
    if not adapter_class.rate_limits:
        return vendor_services.vendor_adapter(account=account, transport=inner)
    transport = RateLimitedTransport(
        inner,
        buckets=account_buckets(account=account, limits=adapter_class.rate_limits),
        label=adapter_class.label,
    )
    return vendor_services.vendor_adapter(account=account, transport=transport)
