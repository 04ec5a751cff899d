"""The hooks other apps' services call, and the import-finishing wiring."""

from __future__ import annotations

import pytest
from django.db import transaction

from leads.models import ImportJob, ImportState
from leads.services.import_run import import_finish
from sync.models import JobState, Operation, SyncJob
from sync.services import (
    sync_on_campaign_saved,
    sync_on_campaign_status_changed,
    sync_on_lead_dispositioned,
    sync_on_lead_list_attached,
    sync_on_lead_removed,
)
from tests.sync.conftest import run_jobs
from tests.sync.factories import campaign_on, lead_list_with_leads
from tests.sync.remote import phones_on_dialer


def test_saving_attaching_and_starting_queue_one_campaign_job(emulated_account):
    account, _ = emulated_account("webitel")
    lead_list = lead_list_with_leads(3)
    campaign = campaign_on(account, lead_list=lead_list)
    sync_on_campaign_saved(campaign=campaign)
    sync_on_lead_list_attached(campaign=campaign, lead_list=lead_list)
    sync_on_campaign_status_changed(campaign=campaign)
    job = SyncJob.objects.get()
    assert job.operation == Operation.CAMPAIGN_SYNC
    assert job.reason.startswith("Campaign saved; Lead list")


@pytest.mark.django_db(transaction=True)
def test_a_finished_import_pushes_its_new_leads(emulated_account, published):
    account, emulator = emulated_account("webitel")
    lead_list = lead_list_with_leads(2)
    campaign = campaign_on(account, lead_list=lead_list)
    job = ImportJob.objects.create(
        lead_list=lead_list, original_name="more.csv", state=ImportState.RUNNING
    )
    with transaction.atomic():
        import_finish(job=job)
    sync_job = SyncJob.objects.get()
    assert sync_job.reason == "Import of more.csv finished"
    assert [job_id for job_id, _ in published] == [sync_job.pk]
    run_jobs()
    assert len(phones_on_dialer("webitel", emulator, campaign)) == 2


def test_a_removed_lead_is_taken_off_the_dialer(emulated_account):
    account, emulator = emulated_account("webitel")
    lead_list = lead_list_with_leads(3)
    campaign = campaign_on(account, lead_list=lead_list)
    sync_on_campaign_saved(campaign=campaign)
    run_jobs()
    lead = lead_list.leads.first()
    sync_on_lead_removed(lead=lead)
    run_jobs()
    assert lead.phone not in phones_on_dialer("webitel", emulator, campaign)
    assert len(phones_on_dialer("webitel", emulator, campaign)) == 2


def test_a_disposition_is_sent_only_when_the_dialer_waits_for_it(emulated_account):
    account, emulator = emulated_account("webitel")
    lead_list = lead_list_with_leads(2)
    waiting = campaign_on(account, lead_list=lead_list)  # the harness waits for results
    sync_on_campaign_saved(campaign=waiting)
    run_jobs()
    emulator.simulate_dialling(1)
    lead = lead_list.leads.order_by("pk").first()
    job = sync_on_lead_dispositioned(lead=lead, campaign=waiting, disposition="SALE", success=True)
    run_jobs()
    job.refresh_from_db()
    assert job.state == JobState.DONE, job.last_error
    not_waiting = campaign_on(account, parameters={"waitingForResultStatus": False})
    assert sync_on_lead_dispositioned(lead=lead, campaign=not_waiting, disposition="SALE") is None
