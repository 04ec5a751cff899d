"""Reconciliation: the drift between what the console pushed or removed and what the
dialer holds, made by changing the emulator behind the console's back; its check job, its
repair job, the automatic repair, the beat and the panel's words."""

from __future__ import annotations

import copy
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from accounts.roles import Role
from campaigns.models import CampaignStatus
from sync.models import (
    CampaignRemote,
    CampaignSyncState,
    JobState,
    LeadSync,
    LeadSyncState,
    Operation,
    SyncJob,
)
from sync.push_counts import push_counts_get
from sync.services import reconcile
from sync.services.adapters import sync_adapter
from sync.services.hooks import campaign_sync_enqueue
from sync.services.reconcile import (
    MISSING_REPUSHED,
    LeadDrift,
    campaign_lead_drift,
    reconcile_check_enqueue,
    reconcile_repair_enqueue,
)
from tests.accounts.factories import UserFactory
from tests.sync.conftest import run_jobs
from tests.sync.factories import campaign_on, lead_list_with_leads
from tests.sync.push_counts_check import push_counts_mismatches
from vendors.adapters.acefone.adapter import AcefoneAdapter
from vendors.adapters.types import Capability
from vendors.models import VendorCall

LISTING_KINDS = ["webitel", "jtel", "voicenter", "acefone"]


def _held(kind: str, emulator, remote_id: str) -> set[str]:
    """What the emulator holds for the campaign, by the id the console's rows carry."""
    if kind == "webitel":
        return set(emulator.members[remote_id])
    if kind == "jtel":
        return {
            str(c["UserData"])
            for c in emulator.contacts.values()
            if str(c.get("DiallerCampaignsID")) == remote_id and c.get("UserData")
        }
    if kind == "acefone":
        return {str(lead["id"]) for lead in emulator.lists[int(remote_id)]["leads"]}
    return set(emulator.campaigns[remote_id].calls)


def _drop(kind: str, emulator, remote_id: str, campaign_id: str) -> None:
    if kind == "webitel":
        del emulator.members[campaign_id][remote_id]
    elif kind == "jtel":
        [contact] = [c for c in emulator.contacts.values() if c.get("UserData") == remote_id]
        emulator._drop_contact(contact["ID"])
    elif kind == "acefone":
        leads = emulator.lists[int(campaign_id)]["leads"]
        [lead] = [lead for lead in leads if str(lead["id"]) == remote_id]
        leads.remove(lead)
        emulator._leads_by_phone[int(campaign_id)].pop(lead["field_0"])
    else:
        del emulator.campaigns[campaign_id].calls[remote_id]


def _add_stranger(kind: str, emulator, campaign_id: str) -> str:
    if kind == "webitel":
        member = copy.deepcopy(next(iter(emulator.members[campaign_id].values())))
        member["_id"] = "f" * 24
        emulator.members[campaign_id][member["_id"]] = member
        return member["_id"]
    if kind == "jtel":
        emulator._add_contact(
            {"Name": "Stranger", "PhoneNumber1": "+4930999", "UserData": "not-ours",
             "DiallerCampaignsID": int(campaign_id)}
        )  # fmt: skip
        return "not-ours"
    if kind == "acefone":
        lead_list = emulator.lists[int(campaign_id)]
        _, lead = emulator._add_lead(lead_list, {"field_0": "919999999999"}, "add")
        return str(lead["id"])
    calls = emulator.campaigns[campaign_id].calls
    stranger = copy.deepcopy(next(iter(calls.values())))
    stranger.target = "972500000999"
    calls[stranger.target] = stranger
    return stranger.target


def _synced(kind: str, emulated_account, count: int = 5):
    account, emulator = emulated_account(kind)
    campaign = campaign_on(account, lead_list=lead_list_with_leads(count))
    campaign_sync_enqueue(campaign=campaign, reason="test")
    run_jobs()
    remote_ref = CampaignRemote.objects.get(campaign=campaign).remote_ref
    # Where the dialer keeps the campaign's leads: Acefone in the campaign's lead list.
    remote_id = remote_ref["extra"]["list_id"] if kind == "acefone" else remote_ref["remote_id"]
    rows = list(LeadSync.objects.filter(campaign=campaign).order_by("lead_id"))
    assert all(row.state == LeadSyncState.PUSHED for row in rows)
    return account, emulator, campaign, remote_id, rows


def _drift_made(kind, emulator, remote_id, rows) -> str:
    """One lead deleted on the dialer, one the console removed still held, one stranger."""
    _drop(kind, emulator, rows[0].remote_id, remote_id)
    LeadSync.objects.filter(pk=rows[1].pk).update(state=LeadSyncState.REMOVED)
    rows[1].lead.status = "removed"
    rows[1].lead.save(update_fields=["status"])
    return _add_stranger(kind, emulator, remote_id)


@pytest.mark.parametrize("kind", LISTING_KINDS)
def test_drift_is_detected_both_ways(kind, emulated_account):
    account, emulator, campaign, remote_id, rows = _synced(kind, emulated_account)
    adapter = sync_adapter(account=account)
    lists_all = kind != "voicenter"
    assert campaign_lead_drift(adapter=adapter, campaign=campaign) == LeadDrift(
        0, 0 if lists_all else None, 0
    )
    _drift_made(kind, emulator, remote_id, rows)

    drift = campaign_lead_drift(adapter=adapter, campaign=campaign)
    # Voicenter lists only waiting calls: a call gone may have been dialled.
    assert drift == LeadDrift(held_after_removal=1, missing=1 if lists_all else None, unknown=1)
    assert drift.any


@pytest.mark.parametrize("kind", LISTING_KINDS)
def test_the_check_job_stores_the_drift_and_logs_its_calls(kind, emulated_account, settings):
    settings.SYNC_RECONCILE_AUTO_REPAIR = False
    account, emulator, campaign, remote_id, rows = _synced(kind, emulated_account)
    _drift_made(kind, emulator, remote_id, rows)
    calls_before = VendorCall.objects.count()

    reconcile_check_enqueue(campaign=campaign, reason="test")
    run_jobs()

    remote = CampaignRemote.objects.get(campaign=campaign)
    assert remote.drift_checked_at is not None
    assert remote.drift_held_after_removal == 1
    assert remote.drift_missing == (None if kind == "voicenter" else 1)
    assert remote.drift_unknown == 1
    assert VendorCall.objects.count() > calls_before
    assert remote.state == CampaignSyncState.OUT_OF_SYNC
    assert not SyncJob.objects.filter(operation=Operation.RECONCILE_REPAIR).exists()
    if kind == "voicenter":
        assert "missing leads cannot be told from dialled ones" in remote.drift_note


@pytest.mark.parametrize("kind", LISTING_KINDS)
def test_repair_removes_what_the_console_removed_and_pushes_the_missing(kind, emulated_account):
    account, emulator, campaign, remote_id, rows = _synced(kind, emulated_account)
    stranger = _drift_made(kind, emulator, remote_id, rows)
    if kind == "voicenter":
        # The lead Voicenter dropped is pushed again only once it is known missing.
        _drop_known = rows[0].remote_id
    held_before = _held(kind, emulator, remote_id)
    assert rows[1].remote_id in held_before

    CampaignRemote.objects.filter(campaign=campaign).update(pending_calls=None)
    reconcile_repair_enqueue(campaign=campaign, reason="test")
    outcomes = run_jobs()

    assert "failed" not in outcomes
    held = _held(kind, emulator, remote_id)
    assert rows[1].remote_id not in held  # the console removed it: gone from the dialer
    assert stranger in held  # never the console's: reported, not deleted
    remote = CampaignRemote.objects.get(campaign=campaign)
    assert remote.drift_held_after_removal == 0
    assert remote.drift_unknown == 1
    # The stranger is not the console's to remove: it does not keep the campaign out of sync.
    assert remote.state == CampaignSyncState.IN_SYNC
    assert remote.pending_calls is not None  # counted again after the repair
    repair = SyncJob.objects.get(operation=Operation.RECONCILE_REPAIR)
    assert repair.state == JobState.DONE
    assert VendorCall.objects.filter(operation="lead_remove").exists()
    if kind == "voicenter":
        assert _drop_known not in held
        assert remote.drift_missing is None
    else:
        assert remote.drift_missing == 0
        pushed_again = LeadSync.objects.get(pk=rows[0].pk)
        assert pushed_again.state == LeadSyncState.PUSHED
        assert pushed_again.remote_id in held
        assert len(held) == len(rows) - 1 + 1  # four of the console's and the stranger


def test_webitel_settings_changed_on_the_dialer_are_found_and_sent_again(
    emulated_account, settings
):
    settings.SYNC_RECONCILE_AUTO_REPAIR = False
    account, emulator, campaign, remote_id, _ = _synced("webitel", emulated_account, count=2)
    wanted_priority = emulator.dialers[remote_id]["priority"]
    wanted_tries = emulator.dialers[remote_id]["parameters"]["maxTryCount"]
    emulator.dialers[remote_id]["priority"] = wanted_priority + 7
    emulator.dialers[remote_id]["parameters"]["maxTryCount"] = 99

    reconcile_check_enqueue(campaign=campaign, reason="test")
    run_jobs()
    remote = CampaignRemote.objects.get(campaign=campaign)
    assert remote.drift_settings == (
        f"priority: the dialer has {wanted_priority + 7}, the console {wanted_priority}; "
        f"parameters.maxTryCount: the dialer has 99, the console {wanted_tries}"
    )
    assert remote.drift_missing == 0

    reconcile_repair_enqueue(campaign=campaign, reason="test")
    run_jobs()
    assert emulator.dialers[remote_id]["priority"] == wanted_priority
    assert emulator.dialers[remote_id]["parameters"]["maxTryCount"] != 99
    assert CampaignRemote.objects.get(campaign=campaign).drift_settings == ""
    assert VendorCall.objects.filter(operation="campaign_update").exists()


def test_a_failed_check_says_so_and_leaves_the_sync_state(client, emulated_account, settings):
    from vendors.adapters.emulation import Fault

    settings.SYNC_MAX_ATTEMPTS = 2
    _, emulator, campaign, _, _ = _synced("webitel", emulated_account, count=1)
    emulator.inject(Fault.SERVER_ERROR, remaining=None, operation="/members")
    job = reconcile_check_enqueue(campaign=campaign, reason="test")
    run_jobs()

    job.refresh_from_db()
    remote = CampaignRemote.objects.get(campaign=campaign)
    assert job.state == JobState.FAILED
    assert remote.drift_note.startswith("The last comparison with the dialer failed: ")
    assert remote.drift_checked_at is None
    assert remote.state == CampaignSyncState.IN_SYNC
    assert remote.last_error == ""
    supervisor = UserFactory(role=Role.SUPERVISOR, with_team=True)
    client.force_login(supervisor)
    html = client.get(reverse("sync:campaign-panel", args=[campaign.pk])).content.decode()
    assert "The last comparison with the dialer failed: " in html


def test_vendors_without_a_get_call_say_so(emulated_account, settings, client):
    settings.SYNC_RECONCILE_AUTO_REPAIR = False
    _, _, campaign, _, _ = _synced("acefone", emulated_account, count=1)
    reconcile_check_enqueue(campaign=campaign, reason="test")
    # A worker stores the vendor's words in English, whatever language is active.
    with translation.override("he"):
        run_jobs()
    note = CampaignRemote.objects.get(campaign=campaign).drift_note
    assert note == AcefoneAdapter.unsupported_reasons[Capability.RECONCILE_SETTINGS]
    assert note.startswith("Settings cannot be read back from Acefone")
    client.force_login(UserFactory(role=Role.SUPERVISOR, with_team=True))
    html = client.get(reverse("sync:campaign-panel", args=[campaign.pk])).content.decode()
    assert "Settings cannot be read back from Acefone" in html


def test_a_vendor_without_a_listing_reports_no_drift(emulated_account):
    account, _ = emulated_account("ozonetel")
    campaign = campaign_on(account)
    CampaignRemote.objects.update_or_create(
        campaign=campaign, defaults={"remote_ref": {"remote_id": "Sandbox_Outbound"}}
    )
    assert campaign_lead_drift(adapter=sync_adapter(account=account), campaign=campaign) is None


# --- automatic repair ------------------------------------------------------------------------


def test_missing_leads_are_pushed_again_automatically(emulated_account):
    _, emulator, campaign, remote_id, rows = _synced("webitel", emulated_account)
    _drop("webitel", emulator, rows[0].remote_id, remote_id)

    reconcile_check_enqueue(campaign=campaign, reason="test")
    run_jobs()

    repair = SyncJob.objects.get(operation=Operation.RECONCILE_REPAIR)
    assert repair.state == JobState.DONE
    assert repair.payload == {"remove": False}
    assert len(emulator.members[remote_id]) == len(rows)
    assert CampaignRemote.objects.get(campaign=campaign).drift_missing == 0


def test_removals_wait_for_a_person_unless_enabled(emulated_account, settings):
    _, emulator, campaign, remote_id, rows = _synced("webitel", emulated_account)
    LeadSync.objects.filter(pk=rows[1].pk).update(state=LeadSyncState.REMOVED)

    reconcile_check_enqueue(campaign=campaign, reason="test")
    run_jobs()
    assert not SyncJob.objects.filter(operation=Operation.RECONCILE_REPAIR).exists()
    assert rows[1].remote_id in emulator.members[remote_id]

    settings.SYNC_RECONCILE_AUTO_REMOVE = True
    reconcile_check_enqueue(campaign=campaign, reason="test again")
    run_jobs()
    assert SyncJob.objects.get(operation=Operation.RECONCILE_REPAIR).payload == {"remove": True}
    assert rows[1].remote_id not in emulator.members[remote_id]


def test_the_repair_keeps_the_push_counts_true(emulated_account, monkeypatch, settings):
    """The missing rows are reset through the counted manager: the kept counts move with
    them to pending (the push that follows is held back here to see it)."""
    settings.SYNC_RECONCILE_AUTO_REPAIR = False
    _, emulator, campaign, remote_id, rows = _synced("webitel", emulated_account, count=3)
    _drop("webitel", emulator, rows[0].remote_id, remote_id)
    job = reconcile_repair_enqueue(campaign=campaign, reason="test")
    monkeypatch.setattr(reconcile, "campaign_sync_run", lambda **kwargs: (True, ""))

    reconcile.reconcile_repair_run(
        adapter=sync_adapter(account=campaign.vendor_account), job=job, still_mine=lambda: True
    )

    assert push_counts_mismatches() == {}
    assert push_counts_get(campaign_id=campaign.pk) == {"pending": 1, "pushed": 2}
    assert LeadSync.objects.get(pk=rows[0].pk).reason == MISSING_REPUSHED
    assert CampaignRemote.objects.get(campaign=campaign).spec_digest == ""


# --- the beat ----------------------------------------------------------------------------------


def test_the_beat_checks_running_campaigns_once_an_interval(emulated_account, settings):
    settings.SYNC_RECONCILE_INTERVAL_MINUTES = 30
    account, _, campaign, _, _ = _synced("webitel", emulated_account, count=1)
    draft = campaign_on(account, status=CampaignStatus.DRAFT)
    CampaignRemote.objects.create(campaign=draft)
    stopped = campaign_on(account, status=CampaignStatus.STOPPED)
    CampaignRemote.objects.create(campaign=stopped, remote_ref={"remote_id": "a" * 24})

    assert reconcile.sync_reconcile_all() == 1
    job = SyncJob.objects.get(operation=Operation.RECONCILE_CHECK)
    assert job.campaign == campaign
    run_jobs()

    assert reconcile.sync_reconcile_all() == 0  # checked just now
    CampaignRemote.objects.filter(campaign=campaign).update(
        drift_checked_at=timezone.now() - timedelta(minutes=31)
    )
    assert reconcile.sync_reconcile_all() == 1


def test_the_beat_skips_failing_and_held_accounts(emulated_account):
    account, _, campaign, _, _ = _synced("webitel", emulated_account, count=1)
    account.health_ok = False
    account.save(update_fields=["health_ok"])
    assert reconcile.sync_reconcile_all() == 0

    account.health_ok = True
    account.save(update_fields=["health_ok"])
    SyncJob.objects.filter(campaign=campaign).update(state=JobState.HELD)
    assert reconcile.sync_reconcile_all() == 0


def test_the_beat_waits_for_a_campaign_still_being_sent(emulated_account):
    _, _, campaign, _, _ = _synced("webitel", emulated_account, count=1)
    job = campaign_sync_enqueue(campaign=campaign, reason="saved again")
    assert reconcile.sync_reconcile_all() == 0
    SyncJob.objects.filter(pk=job.pk).update(state=JobState.DONE)
    assert reconcile.sync_reconcile_all() == 1


def test_the_beat_task_is_scheduled(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["sync-reconcile"]
    assert entry["task"] == "sync.tasks.sync_reconcile_all"
