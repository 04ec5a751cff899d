"""Reads of the vendors app."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dialer_console.errors import ApplicationError
from dialer_console.keyset import Column, Sorting
from vendors.adapters.registry import ADAPTERS, UnknownVendor, adapter_class
from vendors.adapters.types import Capability
from vendors.models import VendorAccount, VendorCall
from vendors.services import vendor_adapter_class

CAPABILITY_LABELS: dict[Capability, str] = {
    Capability.CAMPAIGN_CREATE: gettext_lazy("Create a campaign on the dialer"),
    Capability.CAMPAIGN_UPDATE: gettext_lazy("Update the campaign"),
    Capability.CAMPAIGN_LINK: gettext_lazy("Link a campaign that already exists"),
    Capability.CAMPAIGN_DELETE: gettext_lazy("Delete the campaign"),
    Capability.CAMPAIGN_START_STOP: gettext_lazy("Start and stop"),
    Capability.LEAD_PUSH: gettext_lazy("Push one lead"),
    Capability.LEAD_PUSH_BULK: gettext_lazy("Push leads in bulk"),
    Capability.LEAD_REMOVE: gettext_lazy("Remove a lead"),
    Capability.LEAD_UPDATE: gettext_lazy("Update a lead"),
    Capability.PENDING_COUNT: gettext_lazy("Pending-call count"),
    Capability.AGENTS: gettext_lazy("Agents in a campaign"),
    Capability.CALL_RESULT: gettext_lazy("Report a call result back"),
    Capability.LEAD_TERMINATE: gettext_lazy("Stop dialling a lead for good"),
    Capability.RECONCILE_LEADS: gettext_lazy("Compare the leads with the dialer"),
    Capability.RECONCILE_SETTINGS: gettext_lazy("Compare the settings with the dialer"),
    Capability.RECONCILE_COUNT: gettext_lazy("Compare lead counts before listing"),
    Capability.RESULTS_PULL: gettext_lazy("Read what the dialer did with each lead"),
    Capability.SCHEDULE_CALL: gettext_lazy("Schedule a callback on the dialer"),
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


# The accounts page and the call log's orders, each served by an index with the id.
VENDOR_ACCOUNT_SORTING = Sorting(
    columns=(Column("name", gettext_lazy("Account"), "name"),), default="name"
)
CALL_SORTING = Sorting(
    columns=(Column("when", gettext_lazy("When"), "at", descending_first=True),), default="-when"
)


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


def vendor_call_operations(*, account: VendorAccount) -> list[tuple[str, str]]:
    """The operations the account's adapter performs, (code, "Name · code"): a fixed set
    from the adapter class, not a scan of the call log."""
    try:
        return adapter_class(account.kind).operation_choices()
    except UnknownVendor:
        return []


def vendor_dashboard_tiles(*, user) -> list:
    from dialer_console.dashboard import Tile

    if not user.has_perm("vendors.view_vendoraccount"):
        return []
    health = dict(
        VendorAccount.objects.order_by()
        .values_list("health_ok")
        .annotate(accounts=Count("pk"))
        .values_list("health_ok", "accounts")
    )
    return [
        Tile(
            label=_("Vendor accounts"),
            value=sum(health.values()),
            url=reverse("vendors:account-list"),
            note=vendor_health_note(
                healthy=health.get(True, 0),
                failing=health.get(False, 0),
                unchecked=health.get(None, 0),
            ),
        )
    ]


def vendor_health_note(*, healthy: int, failing: int, unchecked: int) -> str:
    """What the accounts' health says, never more: an account without any check or
    successful sync call is "not checked", not "not failing"."""
    if not healthy + failing + unchecked:
        return _("none yet")
    parts = []
    if failing:
        parts.append(_("%(count)s failing") % {"count": failing})
    if healthy:
        parts.append(_("%(count)s healthy") % {"count": healthy})
    if unchecked:
        parts.append(_("%(count)s not checked yet") % {"count": unchecked})
    return " · ".join(parts)
