"""Undoing an import whose leads a dialer already holds: the leads leave the dialer."""

from __future__ import annotations

import pytest
from django.urls import reverse

from leads import services as lead_services
from leads.models import ImportState, Lead
from sync.models import JobState, LeadSync, LeadSyncState, Operation, SyncJob
from sync.services.hooks import campaign_sync_enqueue
from sync.services.push import REMOVED_IN_CONSOLE
from tests.leads.factories import ImportJobFactory
from tests.sync.conftest import run_jobs
from tests.sync.factories import campaign_on, lead_list_with_leads
from tests.sync.remote import phones_on_dialer
from vendors.adapters.acefone.adapter import AcefoneAdapter
from vendors.adapters.emulation import Fault
from vendors.adapters.errors import VendorPermanentError

KINDS = ["webitel", "acefone", "voicenter", "jtel"]


def _imported(lead_list, count: int, *, prefix: str):
    """A finished import of ``count`` leads into ``lead_list``."""
    job = ImportJobFactory(lead_list=lead_list, state=ImportState.DONE, imported_count=count)
    Lead.objects.bulk_create(
        [
            Lead(lead_list=lead_list, phone=f"{prefix}{n:04d}", import_job=job, source_row=n + 2)
            for n in range(count)
        ]
    )
    return job


def _pushed_campaign(kind, emulated_account, *, imported: int):
    account, emulator = emulated_account(kind)
    lead_list = lead_list_with_leads(5)  # leads that were there before the import
    job = _imported(lead_list, imported, prefix="+919876600")
    campaign = campaign_on(account, lead_list=lead_list)
    campaign_sync_enqueue(campaign=campaign, reason="test")
    run_jobs()
    assert sum(phones_on_dialer(kind, emulator, campaign).values()) == 5 + imported
    return campaign, emulator, job


@pytest.mark.parametrize("kind", KINDS)
def test_undo_takes_the_pushed_leads_off_the_dialer_and_deletes_the_rest(kind, emulated_account):
    campaign, emulator, job = _pushed_campaign(kind, emulated_account, imported=12)
    # Three more rows of the same import arrive after the push: never sent anywhere.
    late = [Lead.objects.create(lead_list=campaign.lead_lists.get(), phone=f"+91987650{n:04d}",
                                import_job=job) for n in range(3)]  # fmt: skip

    undone = lead_services.import_undo(job=job)

    assert undone == (15, 12)
    assert not Lead.objects.filter(pk__in=[lead.pk for lead in late]).exists()
    kept = Lead.objects.filter(import_job=job)
    assert kept.count() == 12 and set(kept.values_list("status", flat=True)) == {"removed"}
    waiting = SyncJob.objects.get(state=JobState.PENDING)
    assert waiting.operation == Operation.CAMPAIGN_SYNC and "undone" in waiting.reason
    job.lead_list.refresh_from_db()
    assert job.lead_list.total_count == 5

    run_jobs()

    held = phones_on_dialer(kind, emulator, campaign)
    assert len(held) == 5 and set(held.values()) == {1}
    assert not any(phone.startswith("+919876600") for phone in held)
    rows = LeadSync.objects.filter(campaign=campaign, lead__import_job=job)
    assert set(rows.values_list("state", "reason")) == {(LeadSyncState.REMOVED, REMOVED_IN_CONSOLE)}
    assert LeadSync.objects.filter(campaign=campaign, state=LeadSyncState.PUSHED).count() == 5


def test_a_dialer_failing_mid_removal_resumes_without_asking_twice(emulated_account):
    campaign, emulator, job = _pushed_campaign("webitel", emulated_account, imported=30)
    lead_services.import_undo(job=job)
    emulator.inject(Fault.SERVER_ERROR, remaining=2, operation="/members/")
    emulator.requests.clear()

    run_jobs()

    deletes = [log for log in emulator.requests if log.method == "DELETE"]
    assert len(deletes) == 30 + 2  # every lead once, plus the two refused attempts
    assert sum(phones_on_dialer("webitel", emulator, campaign).values()) == 5
    assert SyncJob.objects.filter(state=JobState.DONE).count() == 2


def test_a_vendor_refusal_fails_the_job_naming_the_lead(emulated_account, monkeypatch):
    campaign, _, job = _pushed_campaign("acefone", emulated_account, imported=4)
    lead_services.import_undo(job=job)

    def refuse(self, ref, *, remote_lead_id, phone):
        raise VendorPermanentError("Acefone refused: the lead is locked.", status_code=400)

    monkeypatch.setattr(AcefoneAdapter, "lead_remove", refuse)

    run_jobs()

    failed = SyncJob.objects.get(state=JobState.FAILED)
    assert failed.last_error.startswith("Removing +919876600")
    assert failed.last_error.endswith("from Acefone: Acefone refused: the lead is locked.")
    # Nothing is marked removed that the dialer still holds.
    assert LeadSync.objects.filter(campaign=campaign, state=LeadSyncState.PUSHED).count() == 9


def test_undo_of_leads_no_dialer_has_queues_nothing(emulated_account):
    account, _ = emulated_account("webitel")
    lead_list = lead_list_with_leads(2)
    campaign_on(account, lead_list=lead_list)
    job = _imported(lead_list, 4, prefix="+919876600")

    assert lead_services.import_undo(job=job) == (4, 0)
    assert not Lead.objects.filter(import_job=job).exists()
    assert not SyncJob.objects.exists()


def test_the_undo_page_says_which_leads_leave_a_dialer(emulated_account, supervisor_client):
    _, _, job = _pushed_campaign("webitel", emulated_account, imported=3)
    response = supervisor_client.post(reverse("leads:import-undo", args=[job.pk]), follow=True)
    assert (
        "Import undone: 3 leads it created were removed. 3 of them were already on a dialer; "
        "the sync takes them off it" in response.content.decode()
    )
