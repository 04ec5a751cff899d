"""Reads of the vendors app."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet
from django.urls import reverse

from dialer_console.errors import ApplicationError
from vendors.adapters.registry import ADAPTERS
from vendors.adapters.types import Capability, RemoteCampaign
from vendors.models import VendorAccount, VendorCall
from vendors.services import vendor_adapter, vendor_adapter_class

CAPABILITY_LABELS: dict[Capability, str] = {
    Capability.CAMPAIGN_CREATE: "Create a campaign on the dialer",
    Capability.CAMPAIGN_UPDATE: "Update the campaign",
    Capability.CAMPAIGN_LINK: "Link a campaign that already exists",
    Capability.CAMPAIGN_DELETE: "Delete the campaign",
    Capability.CAMPAIGN_START_STOP: "Start and stop",
    Capability.LEAD_PUSH: "Push one lead",
    Capability.LEAD_PUSH_BULK: "Push leads in bulk",
    Capability.LEAD_REMOVE: "Remove a lead",
    Capability.LEAD_UPDATE: "Update a lead",
    Capability.PENDING_COUNT: "Pending-call count",
    Capability.AGENTS: "Agents in a campaign",
    Capability.CALL_RESULT: "Report a call result back",
    Capability.LEAD_TERMINATE: "Stop dialling a lead for good",
}


@dataclass(frozen=True)
class CapabilityRow:
    capability: Capability
    label: str
    supported: bool
    reason: str


def vendor_account_list() -> QuerySet[VendorAccount]:
    return VendorAccount.objects.all()


def vendor_installed_kinds() -> list[tuple[str, str]]:
    """(kind, label) of every vendor whose adapter is present in this build."""
    kinds = []
    for kind in ADAPTERS:
        try:
            kinds.append((kind, vendor_adapter_class(kind).label))
        except ApplicationError:  # a vendor package missing from this build is left out
            continue
    return kinds


def vendor_capability_rows(*, kind: str) -> list[CapabilityRow]:
    """Each operation the console uses: supported, or the vendor's reason why not."""
    adapter = vendor_adapter_class(kind)
    rows = []
    for capability in Capability:
        supported = adapter.supports(capability)
        notes = adapter.capability_notes if supported else adapter.unsupported_reasons
        reason = notes.get(capability, "")
        rows.append(CapabilityRow(capability, CAPABILITY_LABELS[capability], supported, reason))
    return rows


def vendor_calls_for_account(
    *, account: VendorAccount, operation: str = "", outcome: str = ""
) -> QuerySet[VendorCall]:
    """The account's call log, newest first. ``outcome`` is "ok" or "failed"."""
    calls = VendorCall.objects.filter(account=account)
    if operation:
        calls = calls.filter(operation=operation)
    if outcome == "ok":
        calls = calls.filter(status_code__lt=400, error="")
    elif outcome == "failed":
        calls = calls.exclude(status_code__lt=400, error="")
    return calls


def vendor_call_operations(*, account: VendorAccount) -> list[str]:
    return list(
        VendorCall.objects.filter(account=account)
        .exclude(operation="")
        .order_by("operation")
        .values_list("operation", flat=True)
        .distinct()
    )


def vendor_remote_campaigns(*, account: VendorAccount) -> list[RemoteCampaign]:
    """Campaigns that exist on the dialer and can be linked (Voicenter's link picker).
    Raises VendorError when the account cannot be reached."""
    adapter = vendor_adapter(account=account)
    try:
        return adapter.campaign_link_choices()
    finally:
        adapter.client.close()


def vendor_dashboard_tiles(*, user) -> list:
    from dialer_console.dashboard import Tile

    if not user.has_perm("vendors.view_vendoraccount"):
        return []
    accounts = VendorAccount.objects.all()
    failing = accounts.filter(health_ok=False).count()
    note = f"{failing} failing the last check" if failing else "none failing the last check"
    return [
        Tile(
            label="Vendor accounts",
            value=accounts.count(),
            url=reverse("vendors:account-list"),
            note=note,
        )
    ]
