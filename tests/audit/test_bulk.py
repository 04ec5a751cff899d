"""Bulk changes cannot escape the trail: one entry per action with its counts and ids or
filter, and each lead's own row in its history (re-import updates, bulk moves, DNC)."""

import pytest
from django.urls import reverse

from audit.context import Door, audit_door
from audit.models import LeadChange, LeadChangeKind
from leads import services
from leads.models import DncEntry, DncScope, Lead, LeadStatus
from leads.selectors_bulk import lead_selection_for_list
from leads.services.dnc import DncTarget
from tests.audit.conftest import entries_of
from tests.leads.factories import LeadFactory, LeadListFactory
from tests.leads.helpers import run_import

pytestmark = pytest.mark.django_db


def _leads(lead_list, count):
    return [LeadFactory(lead_list=lead_list, phone=f"+1212555{n:04d}") for n in range(count)]


def test_a_bulk_move_is_one_entry_and_a_row_in_each_leads_history(supervisor, supervisor_client):
    source, target = LeadListFactory(name="Source"), LeadListFactory(name="Target")
    leads = _leads(source, 3)
    selection = lead_selection_for_list(user=supervisor, lead_list=source)
    with audit_door(Door.PAGE, actor=supervisor):
        services.leads_bulk_act(
            leads=selection.leads, action="move", acting_user=supervisor, target_list=target
        )
    entries = list(entries_of(Lead))
    assert len(entries) == 1
    bulk = entries[0].additional_data["bulk"]
    assert bulk["action"] == "move" and bulk["count"] == 3
    assert bulk["filters"] == {
        "lead_lists": sorted([source.pk, target.pk]),
        "target_list": target.pk,
    }
    assert entries[0].actor == supervisor and entries[0].additional_data["door"] == Door.PAGE
    changes = LeadChange.objects.filter(kind=LeadChangeKind.BULK_MOVE)
    assert sorted(changes.values_list("lead_id", flat=True)) == sorted(lead.pk for lead in leads)
    change = changes.get(lead_id=leads[0].pk)
    assert change.changes == {"lead_list_id": (source.pk, target.pk)}
    assert change.actor == supervisor and change.door == Door.PAGE
    html = supervisor_client.get(reverse("leads:lead", args=[leads[0].pk])).content.decode()
    assert "Moved to another list by" in html and f"{source.pk} → {target.pk}" in html


def test_a_reimport_update_shows_old_and_new_values_in_the_leads_history(
    supervisor, supervisor_client
):
    lead_list = LeadListFactory()
    run_import(lead_list, supervisor, "phone,first_name\n2125550100,Ann\n")
    lead = Lead.objects.get()
    job = run_import(
        lead_list, supervisor, "phone,first_name\n2125550100,Anna\n", duplicate_policy="update"
    )
    assert job.updated_count == 1
    change = LeadChange.objects.get(lead_id=lead.pk)
    assert change.kind == LeadChangeKind.IMPORT_UPDATE and change.import_job_id == job.pk
    assert change.changes == {"first_name": ("Ann", "Anna")}
    assert change.actor == supervisor
    html = supervisor_client.get(reverse("leads:lead", args=[lead.pk])).content.decode()
    assert "Updated by a re-import by" in html and "first_name: Ann → Anna" in html
    assert reverse("leads:import-detail", args=[job.pk]) in html


def test_an_import_without_repeats_writes_no_history_rows(supervisor):
    run_import(LeadListFactory(), supervisor, "phone\n2125550100\n2125550101\n")
    assert not LeadChange.objects.exists()


def test_an_undo_is_one_entry_with_its_count(supervisor):
    lead_list = LeadListFactory()
    job = run_import(lead_list, supervisor, "phone\n2125550100\n2125550101\n")
    with audit_door(Door.PAGE, actor=supervisor):
        services.import_undo(job=job)
    entry = entries_of(Lead).get()
    assert entry.additional_data["bulk"] == {
        "action": "import undo",
        "count": 2,
        "ids": [],
        "filters": {"import_job": job.pk},
    }
    job_entry = entries_of(type(job), job.pk).last()
    assert job_entry.changes["state"] == ["done", "undone"] and job_entry.actor == supervisor


def test_listing_numbers_is_one_entry_and_marks_the_leads_history(supervisor):
    lead_list = LeadListFactory()
    lead = LeadFactory(lead_list=lead_list, phone="+12125550100")
    with audit_door(Door.API, actor=supervisor):
        services.dnc_entries_add(
            numbers=services.dnc_numbers_split("2125550100\n2125550101"),
            country="US",
            target=DncTarget(DncScope.EVERYWHERE),
            acting_user=supervisor,
            reason="Complaint",
        )
    entry = entries_of(DncEntry).get()
    assert entry.additional_data["bulk"]["count"] == 2
    assert sorted(entry.additional_data["bulk"]["ids"]) == sorted(
        DncEntry.objects.values_list("pk", flat=True)
    )
    assert entry.changes["reason"] == [None, "Complaint"]
    assert "1 lead(s) marked do-not-call" in entry.object_repr
    change = LeadChange.objects.get(lead_id=lead.pk)
    assert change.kind == LeadChangeKind.DNC_LISTED
    assert change.changes == {"status": (LeadStatus.NEW, LeadStatus.DNC)}


def test_removing_several_dnc_entries_is_one_entry(supervisor):
    entries = [DncEntry.objects.create(phone=f"+1212555010{n}") for n in range(3)]
    before = entries_of(DncEntry).count()
    services.dnc_entries_bulk_delete(entry_ids=[e.pk for e in entries], acting_user=supervisor)
    added = list(entries_of(DncEntry)[before:])
    assert len(added) == 1
    assert added[0].additional_data["bulk"]["count"] == 3
    assert added[0].changes["phone"][0] == sorted(e.phone for e in entries)


def test_a_dnc_file_listed_by_a_job_names_its_uploader(supervisor):
    from leads.services import dnc_files
    from tests.leads.factories import csv_upload

    job = dnc_files.dnc_file_create(
        upload=csv_upload("phone\n030 1234567\n0170 1234567\n", "numbers.csv"),
        country="DE",
        target=DncTarget(DncScope.EVERYWHERE),
        acting_user=supervisor,
    )
    with audit_door(Door.WORKER):  # as a worker runs it: no request, no user
        dnc_files.dnc_file_run(job_id=job.pk)
    entry = entries_of(DncEntry).get()
    assert entry.actor == supervisor and entry.additional_data["bulk"]["count"] == 2
    assert entry.additional_data["door"] == Door.WORKER


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_reimport_loaded_beside_its_reader_keeps_the_acting_user(supervisor, require_postgres):
    # On PostgreSQL outside a transaction a second thread loads the leads: the acting
    # user and the door must reach that thread too.
    lead_list = LeadListFactory()
    run_import(lead_list, supervisor, "phone,first_name\n2125550100,Ann\n")
    with audit_door(Door.WORKER):
        run_import(
            lead_list, supervisor, "phone,first_name\n2125550100,Anna\n", duplicate_policy="update"
        )
    change = LeadChange.objects.get()
    assert (change.actor, change.door) == (supervisor, Door.WORKER)
    assert change.changes == {"first_name": ("Ann", "Anna")}


def test_a_reimport_that_changes_nothing_writes_no_history(supervisor):
    lead_list = LeadListFactory()
    text = 'phone,first_name,city\n2125550100,Ann,"Köln"\n'
    run_import(lead_list, supervisor, text)
    job = run_import(lead_list, supervisor, text, duplicate_policy="update")
    assert job.updated_count == 1
    assert not LeadChange.objects.exists()
