"""The contract every vendor adapter implements.

An adapter is built per vendor account with an ``httpx.Client`` from the one client
builder (``vendors.adapters.http``), which already carries the base URL, auth, timeouts
and the call log. Adapters never retry: they raise one of ``vendors.adapters.errors`` and
the sync job decides. An operation a vendor does not document is left out of
``capabilities`` and raises ``NotImplementedError`` here; the UI reads ``capabilities`` and
``unsupported_reasons`` to show a disabled control with the reason.
"""

from __future__ import annotations

from typing import ClassVar

import httpx

from vendors.adapters.types import (
    AccountConfig,
    CampaignSpec,
    Capability,
    HealthResult,
    LeadRecord,
    PendingCount,
    PushResult,
    RateLimit,
    RemoteCampaign,
    RemoteRef,
)


class BaseAdapter:
    kind: ClassVar[str]
    label: ClassVar[str]
    default_base_url: ClassVar[str]
    capabilities: ClassVar[frozenset[Capability]] = frozenset()
    # Why an operation is missing, in words a supervisor understands.
    unsupported_reasons: ClassVar[dict[Capability, str]] = {}
    # Most leads one bulk push may carry (1 where the vendor takes one lead a request).
    max_batch_size: ClassVar[int] = 1
    rate_limits: ClassVar[tuple[RateLimit, ...]] = ()

    def __init__(self, *, account: AccountConfig, client: httpx.Client):
        self.account = account
        self.client = client

    # --- description -------------------------------------------------------------------

    @classmethod
    def supports(cls, capability: Capability) -> bool:
        return capability in cls.capabilities

    # --- account -----------------------------------------------------------------------

    def test_connection(self) -> HealthResult:
        """Make one harmless read call and report what the vendor said."""
        raise NotImplementedError

    # --- campaigns ---------------------------------------------------------------------

    def campaign_create(self, spec: CampaignSpec) -> RemoteRef:
        raise NotImplementedError

    def campaign_update(self, ref: RemoteRef, spec: CampaignSpec) -> RemoteRef:
        """Bring the remote campaign in line with ``spec``; return the (possibly new) ref."""
        raise NotImplementedError

    def campaign_link_choices(self) -> list[RemoteCampaign]:
        """Campaigns that exist on the dialer and can be linked (Voicenter)."""
        raise NotImplementedError

    def campaign_delete(self, ref: RemoteRef) -> None:
        raise NotImplementedError

    def campaign_start(self, ref: RemoteRef) -> None:
        raise NotImplementedError

    def campaign_stop(self, ref: RemoteRef) -> None:
        raise NotImplementedError

    # --- leads -------------------------------------------------------------------------

    def leads_push(self, ref: RemoteRef, leads: list[LeadRecord]) -> PushResult:
        """Push at most ``max_batch_size`` leads; one result per lead, keyed by lead_id.

        A vendor-side duplicate is ``LeadOutcome.DUPLICATE`` (delivered), a per-lead refusal
        ``REJECTED`` or ``DNC``. A failure of the whole request raises instead."""
        raise NotImplementedError

    def lead_remove(self, ref: RemoteRef, *, remote_lead_id: str, phone: str) -> None:
        raise NotImplementedError

    def lead_update(self, ref: RemoteRef, *, remote_lead_id: str, lead: LeadRecord) -> None:
        raise NotImplementedError

    def lead_call_result(
        self, ref: RemoteRef, *, remote_lead_id: str, disposition: str, success: bool
    ) -> None:
        """Report a lead's call result back to the dialer (Webitel)."""
        raise NotImplementedError

    def lead_terminate(self, ref: RemoteRef, *, remote_lead_id: str) -> None:
        """Stop dialling a lead for good (Webitel)."""
        raise NotImplementedError

    def pending_count(self, ref: RemoteRef) -> PendingCount:
        raise NotImplementedError
