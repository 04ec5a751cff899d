"""Reconciliation counts first (#15): where a vendor documents a count of what the dialer
holds (Webitel's members count, Voicenter's pending count), a check whose count agrees
with the console's lists nothing; a count that differs makes it list and show the drift.
Vendors without a count list every time and say so in their capability matrix."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.roles import Role
from sync.models import CampaignRemote
from sync.services.reconcile import reconcile_check_enqueue
from tests.accounts.factories import UserFactory
from tests.sync.conftest import run_jobs
from tests.sync.test_reconcile import _add_stranger, _drop, _synced
from vendors.adapters.types import Capability
from vendors.models import VendorCall
from vendors.selectors import vendor_capability_rows

# kind: (the count's operation, the listing's operation)
COUNTED = {
    "webitel": ("leads_count", "members_list"),
    "voicenter": ("pending_count", "pending_calls"),
}
LISTED_ONLY = {"acefone": "leads_list", "jtel": "contacts_list"}


def _check(campaign) -> set[str]:
    """Run one check; the operations it logged."""
    last = VendorCall.objects.order_by("-id").values_list("id", flat=True).first() or 0
    reconcile_check_enqueue(campaign=campaign, reason="test")
    run_jobs()
    return set(VendorCall.objects.filter(id__gt=last).values_list("operation", flat=True))


@pytest.fixture
def no_auto_repair(settings):
    settings.SYNC_RECONCILE_AUTO_REPAIR = False


@pytest.mark.parametrize("kind", COUNTED)
def test_agreeing_counts_list_nothing(kind, emulated_account, no_auto_repair):
    count_op, listing_op = COUNTED[kind]
    _, _, campaign, _, _ = _synced(kind, emulated_account)
    first = _check(campaign)
    assert listing_op in first  # the first comparison lists: nothing is known yet
    note = CampaignRemote.objects.get(campaign=campaign).drift_note
    assert "the leads were listed, as the last comparison found drift or none had run" in note

    second = _check(campaign)

    assert count_op in second
    assert listing_op not in second
    remote = CampaignRemote.objects.get(campaign=campaign)
    assert (remote.drift_held_after_removal, remote.drift_unknown) == (0, 0)
    waiting = "" if kind == "webitel" else " waiting"
    assert f"counts 5{waiting}, the console pushed 5: the leads were not listed." in (
        remote.drift_note
    )


@pytest.mark.parametrize("kind", COUNTED)
def test_a_count_that_differs_lists_and_shows_the_drift(
    kind, emulated_account, no_auto_repair, client
):
    _, listing_op = COUNTED[kind]
    _, emulator, campaign, remote_id, rows = _synced(kind, emulated_account)
    _check(campaign)
    _add_stranger(kind, emulator, remote_id)

    operations = _check(campaign)

    assert listing_op in operations
    remote = CampaignRemote.objects.get(campaign=campaign)
    assert remote.drift_unknown == 1
    assert "counts 6" in remote.drift_note and "the leads were listed." in remote.drift_note
    client.force_login(UserFactory(role=Role.SUPERVISOR, with_team=True))
    html = client.get(reverse("sync:campaign-panel", args=[campaign.pk])).content.decode()
    assert "the dialer holds 1 lead the console never pushed" in html.lower()


def test_a_drift_found_is_listed_again_until_it_is_gone(emulated_account, no_auto_repair):
    """Equal counts do not hide a drift already found: one lead missing and one unknown."""
    _, emulator, campaign, remote_id, rows = _synced("webitel", emulated_account)
    _check(campaign)
    _drop("webitel", emulator, rows[0].remote_id, remote_id)
    stranger = _add_stranger("webitel", emulator, remote_id)
    # 5 on the dialer, 5 pushed: the count alone cannot see it, the first listing did not run
    assert "members_list" not in _check(campaign)
    member = emulator.members[remote_id].pop(stranger)
    assert "members_list" in _check(campaign)  # 4 against 5
    remote = CampaignRemote.objects.get(campaign=campaign)
    assert remote.drift_missing == 1
    emulator.members[remote_id][stranger] = member
    assert "members_list" in _check(campaign)  # counts agree again, the drift is known


def test_no_waiting_call_on_voicenter_needs_no_listing(emulated_account, no_auto_repair):
    _, emulator, campaign, remote_id, _ = _synced("voicenter", emulated_account)
    _check(campaign)
    emulator.campaigns[remote_id].calls.clear()  # all dialled (or lost: cannot be told)

    operations = _check(campaign)

    assert "pending_calls" not in operations
    remote = CampaignRemote.objects.get(campaign=campaign)
    assert (remote.drift_held_after_removal, remote.drift_missing, remote.drift_unknown) == (
        0,
        None,
        0,
    )


@pytest.mark.parametrize("kind", LISTED_ONLY)
def test_vendors_without_a_count_list_every_time_and_say_so(kind, emulated_account, no_auto_repair):
    _, _, campaign, _, _ = _synced(kind, emulated_account)
    _check(campaign)
    assert LISTED_ONLY[kind] in _check(campaign)
    rows = {row.capability: row for row in vendor_capability_rows(kind=kind)}
    assert not rows[Capability.RECONCILE_COUNT].supported
    assert "each comparison" in rows[Capability.RECONCILE_COUNT].reason


@pytest.mark.parametrize(
    ("kind", "supported"), [(k, True) for k in COUNTED] + [("ozonetel", False)]
)
def test_the_matrix_names_the_count(kind, supported):
    row = {r.capability: r for r in vendor_capability_rows(kind=kind)}[Capability.RECONCILE_COUNT]
    assert row.supported is supported
    assert row.reason
