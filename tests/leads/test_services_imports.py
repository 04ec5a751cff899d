"""The import pipeline, run through its services. The same tests run on SQLite and, with
DATABASE_URL set, on PostgreSQL (COPY into the staging table)."""

import pytest
from django.utils import timezone

from leads import services
from leads.models import DncEntry, ImportState, Lead, RejectReason
from leads.services import import_run as import_services
from tests.leads.factories import DncEntryFactory, LeadFactory, LeadListFactory
from tests.leads.helpers import run_import, upload

pytestmark = pytest.mark.django_db

HEADER = "Phone,First Name,Last Name,Email,City\n"


def test_a_clean_file_imports_every_row_with_e164_and_time_zone(team_lead):
    lead_list = LeadListFactory(team=team_lead.team)
    job = run_import(
        lead_list,
        team_lead,
        HEADER + "(212) 555-0100,Ada,Lovelace,ada@example.test,New York\n"
        "+44 20 7946 0958,Alan,Turing,,London\n",
    )
    assert job.state == ImportState.DONE
    assert job.imported_count == 2
    leads = list(Lead.objects.filter(lead_list=lead_list).order_by("source_row"))
    assert [lead.phone for lead in leads] == ["+12125550100", "+442079460958"]
    assert [lead.timezone for lead in leads] == ["America/New_York", "Europe/London"]
    assert leads[0].custom_fields == {"City": "New York"}
    assert leads[0].source_row == 2 and leads[0].import_job == job
    lead_list.refresh_from_db()
    assert (lead_list.total_count, lead_list.valid_count) == (2, 2)


def test_a_toll_free_number_gets_the_lists_default_time_zone(team_lead):
    lead_list = LeadListFactory(team=team_lead.team, default_timezone="America/Chicago")
    run_import(lead_list, team_lead, HEADER + "+1 800 555 0100,Toll,Free,,\n")
    assert Lead.objects.get().timezone == "America/Chicago"


def test_invalid_and_malformed_rows_are_reported_not_imported(team_lead, settings):
    settings.LEAD_FIELD_MAX_CHARS = 50
    lead_list = LeadListFactory(team=team_lead.team)
    job = run_import(
        lead_list,
        team_lead,
        HEADER
        + "(212) 555-0100,Ada,Lovelace,,\n"
        + "12345,Bad,Number,,\n"
        + ",No,Number,,\n"
        + "(212) 555-0101,Too,Many,,,extra\n"
        + "(212) 555-0102,Too few\n"
        + "(212) 555-0103,Long,"
        + "x" * 60
        + ",,\n"
        + "\n"
        + "(212) 555-0104,Grace,Hopper,,\n",
    )
    assert job.imported_count == 2
    assert job.invalid_phone_count == 2
    assert job.malformed_count == 3
    assert job.blank_count == 1
    rejections = {r.row_number: (r.reason, r.detail) for r in job.rejections.all()}
    assert rejections[3][0] == RejectReason.INVALID_PHONE
    assert rejections[4] == (RejectReason.INVALID_PHONE, "The phone number is empty.")
    assert rejections[5] == (RejectReason.MALFORMED, "The row has 6 fields; the header has 5.")
    assert rejections[6] == (RejectReason.MALFORMED, "The row has 2 fields; the header has 5.")
    assert "longer than the limit of 50" in rejections[7][1]
    # every data row is accounted for
    assert job.rows_read == 8
    assert job.imported_count + job.rejected_count + job.blank_count == job.rows_read


def test_repeats_in_the_file_and_existing_leads_are_skipped(team_lead):
    lead_list = LeadListFactory(team=team_lead.team)
    LeadFactory(lead_list=lead_list, phone="+12125550100")
    job = run_import(
        lead_list,
        team_lead,
        HEADER + "212-555-0100,Old,,,\n212-555-0101,New,,,\n(212) 555-0101,Again,,,\n",
    )
    assert (job.imported_count, job.duplicate_count) == (1, 2)
    details = [r.detail for r in job.rejections.all()]
    assert details == [
        "The number is already a lead in the chosen scope.",
        "The number repeats an earlier row of this file.",
    ]


def test_update_policy_updates_the_existing_lead(team_lead):
    lead_list = LeadListFactory(team=team_lead.team)
    lead = LeadFactory(
        lead_list=lead_list, phone="+12125550100", first_name="Old", custom_fields={"a": "1"}
    )
    job = run_import(
        lead_list, team_lead, HEADER + "212-555-0100,New,,,Paris\n", duplicate_policy="update"
    )
    assert (job.imported_count, job.updated_count) == (0, 1)
    lead.refresh_from_db()
    assert lead.first_name == "New"
    assert lead.custom_fields == {"a": "1", "City": "Paris"}


def test_keep_both_keeps_both(team_lead):
    lead_list = LeadListFactory(team=team_lead.team)
    LeadFactory(lead_list=lead_list, phone="+12125550100")
    job = run_import(
        lead_list,
        team_lead,
        HEADER + "212-555-0100,A,,,\n212-555-0100,B,,,\n",
        duplicate_policy="keep_both",
    )
    assert job.imported_count == 2
    assert Lead.objects.filter(phone="+12125550100").count() == 3


def test_scope_everywhere_sees_other_lists_and_scope_list_does_not(team_lead):
    other = LeadListFactory(team=team_lead.team)
    LeadFactory(lead_list=other, phone="+12125550100")
    lead_list = LeadListFactory(team=team_lead.team)
    job = run_import(lead_list, team_lead, HEADER + "212-555-0100,A,,,\n")
    assert job.imported_count == 1
    second = LeadListFactory(team=team_lead.team)
    job = run_import(
        second, team_lead, HEADER + "212-555-0100,A,,,\n", duplicate_scope="everywhere"
    )
    assert (job.imported_count, job.duplicate_count) == (0, 1)


def test_dnc_scrub_honours_scope_and_expiry(team_lead):
    lead_list = LeadListFactory(team=team_lead.team)
    other_list = LeadListFactory(team=team_lead.team)
    DncEntryFactory(phone="+12125550100")
    DncEntryFactory(phone="+12125550101", scope="list", lead_list=lead_list)
    DncEntryFactory(phone="+12125550102", scope="list", lead_list=other_list)
    DncEntryFactory(phone="+12125550103", expires_at=timezone.now() - timezone.timedelta(days=1))
    rows = "".join(f"212-555-010{i},N{i},,,\n" for i in range(4))
    job = run_import(lead_list, team_lead, HEADER + rows)
    assert (job.imported_count, job.dnc_count) == (2, 2)
    assert set(Lead.objects.values_list("phone", flat=True)) == {"+12125550102", "+12125550103"}


def test_dnc_scrub_off_imports_dnc_numbers(team_lead):
    lead_list = LeadListFactory(team=team_lead.team)
    DncEntryFactory(phone="+12125550100")
    job = run_import(lead_list, team_lead, HEADER + "212-555-0100,A,,,\n", dnc_scrub=False)
    assert job.imported_count == 1
    assert DncEntry.objects.count() == 1


def test_undo_removes_exactly_the_leads_the_import_created(team_lead):
    lead_list = LeadListFactory(team=team_lead.team)
    kept = LeadFactory(lead_list=lead_list, phone="+12125550100", first_name="Before")
    job = run_import(
        lead_list,
        team_lead,
        HEADER + "212-555-0100,Changed,,,\n212-555-0101,New,,,\n",
        duplicate_policy="update",
    )
    assert services.import_undo(job=job) == (1, 0)
    assert list(Lead.objects.values_list("id", flat=True)) == [kept.id]
    job.refresh_from_db()
    assert job.state == ImportState.UNDONE
    lead_list.refresh_from_db()
    assert lead_list.total_count == 1


class WorkerDied(BaseException):
    """Stands in for a killed process: not an Exception, so nothing catches it."""


def test_a_crashed_run_resumes_after_the_last_committed_row(team_lead, monkeypatch):
    monkeypatch.setattr(import_services, "CHUNK_ROWS", 3)
    lead_list = LeadListFactory(team=team_lead.team)
    rows = "".join(f"212-555-{i:04d},N{i},,,\n" for i in range(100, 110))
    job = upload(lead_list, team_lead, HEADER + rows + "bad,x,,,\n")
    services.import_job_configure(
        job=job, mapping=job.mapping, default_country="US", acting_user=None
    )
    services.import_job_start(job=job)

    real_commit = import_services._commit_chunk
    calls = []

    def dying_commit(job, chunk, finished=False):
        calls.append(chunk.size)
        if len(calls) == 3:
            raise WorkerDied
        real_commit(job, chunk, finished)

    monkeypatch.setattr(import_services, "_commit_chunk", dying_commit)
    with pytest.raises(WorkerDied):
        services.lead_import_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.state == ImportState.RUNNING
    assert (job.rows_read, job.last_row_number) == (6, 7)
    assert not Lead.objects.exists()  # nothing half-imported

    monkeypatch.setattr(import_services, "_commit_chunk", real_commit)
    later = timezone.now() + import_services.STALE_AFTER * 2
    assert services.import_sweep_stale(now=later) == 1
    job.refresh_from_db()
    assert job.state == ImportState.INTERRUPTED
    assert "after row 7" in job.error_message
    services.lead_import_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.state == ImportState.DONE
    assert (job.imported_count, job.invalid_phone_count, job.rows_read) == (10, 1, 11)
    assert Lead.objects.count() == 10
    assert sorted(Lead.objects.values_list("source_row", flat=True)) == list(range(2, 12))


def test_a_job_that_keeps_dying_fails_cleanly(team_lead):
    lead_list = LeadListFactory(team=team_lead.team)
    job = upload(lead_list, team_lead, HEADER + "212-555-0100,A,,,\n")
    job.state, job.attempts, job.heartbeat_at = ImportState.RUNNING, 3, timezone.now()
    job.save()
    services.import_sweep_stale(now=timezone.now() + import_services.STALE_AFTER * 2)
    job.refresh_from_db()
    assert job.state == ImportState.FAILED
    assert "stopped 3 times" in job.error_message


def test_a_second_worker_does_not_run_a_claimed_job(team_lead):
    lead_list = LeadListFactory(team=team_lead.team)
    job = run_import(lead_list, team_lead, HEADER + "212-555-0100,A,,,\n")
    assert services.lead_import_run(job_id=job.pk) is None
    assert Lead.objects.count() == 1


def test_a_job_is_never_finished_twice(team_lead):
    lead_list = LeadListFactory(team=team_lead.team)
    job = run_import(lead_list, team_lead, HEADER + "212-555-0100,A,,,\n")
    assert services.import_finish(job=job) is None
    job.refresh_from_db()
    assert (job.state, job.imported_count) == (ImportState.DONE, 1)
