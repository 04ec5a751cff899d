"""Leads written while the file is still read: chunk by chunk (spans of staged rows), on a
second connection on PostgreSQL. The outcomes must be exactly those of one load of all the
rows, and a crash on either side must leave the job resumable or cleanly failed."""

import random

import pytest
from django.db import transaction
from django.utils import timezone

from leads import services
from leads.importing import load
from leads.models import ImportJob, ImportRejection, ImportStagingRow, ImportState, Lead
from leads.services import import_loader
from leads.services import import_run as import_services
from tests.leads.factories import DncEntryFactory, LeadFactory, LeadListFactory
from tests.leads.helpers import upload

HEADER = "Phone,First Name,Last Name,Email,City\n"
# Three data rows a chunk (CHUNK_ROWS = 3): rows 2-4, 5-7, 8-10, 11.
ROWS = (
    "212-555-0100,A,,,\n"  # 2  already a lead of the list
    "212-555-0101,B,,,\n"  # 3  new
    "212-555-0102,C,,,\n"  # 4  DNC
    "(212) 555-0101,D,,,\n"  # 5  repeats row 3, a chunk earlier
    "212-555-0100,E,,,\n"  # 6  repeats row 2 (a duplicate of a lead), a chunk earlier
    "212-555-0102,F,,,\n"  # 7  DNC again
    "212-555-0103,G,,,\n"  # 8  new
    "212-555-0103,H,,,\n"  # 9  repeats row 8 in the same chunk
    "bad,I,,,\n"  # 10 invalid
    "212-555-0104,J,,,\n"  # 11 new
)
REPEAT = "The number repeats an earlier row of this file."
EXISTING = "The number is already a lead in the chosen scope."
DNC = "The number is on the do-not-call list."


@pytest.fixture
def small_chunks(monkeypatch):
    monkeypatch.setattr(import_services, "CHUNK_ROWS", 3)


@pytest.fixture
def setting(team_lead):
    lead_list = LeadListFactory(team=team_lead.team)
    LeadFactory(lead_list=lead_list, phone="+12125550100", first_name="Before")
    DncEntryFactory(phone="+12125550102")
    return lead_list


def _started(lead_list, user, text=HEADER + ROWS, **policy) -> ImportJob:
    job = upload(lead_list, user, text)
    services.import_job_configure(
        job=job, mapping=job.mapping, default_country="US", acting_user=user, **policy
    )
    services.import_job_start(job=job)
    return job


def _outcome(job: ImportJob):
    job.refresh_from_db()
    rejections = {r.row_number: r.detail for r in job.rejections.exclude(reason="invalid_phone")}
    leads = list(job.leads.order_by("id").values_list("source_row", "phone"))
    counts = (job.imported_count, job.duplicate_count, job.dnc_count, job.invalid_phone_count)
    return job.state, counts, rejections, leads


EXPECTED_SKIP = (
    ImportState.DONE,
    (3, 4, 2, 1),
    {2: EXISTING, 4: DNC, 5: REPEAT, 6: REPEAT, 7: DNC, 9: REPEAT},
    [(3, "+12125550101"), (8, "+12125550103"), (11, "+12125550104")],
)


@pytest.mark.django_db
def test_chunks_loaded_one_by_one_end_as_one_load_of_all_rows(team_lead, setting, small_chunks):
    job = _started(setting, team_lead)
    assert import_services._claim(job.pk)
    import_services._read_into_staging(job, None)
    ids = list(ImportStagingRow.objects.filter(job_id=job.pk).order_by("id").values_list("id"))
    bounds = [0, ids[2][0], ids[5][0], ids[-1][0]]  # staged rows 2-4, 5-7 and 8-11
    with transaction.atomic():
        plan = import_services._load_plan(job)
        imported = sum(
            load.staged_span_load(plan, load.Span(job.pk, after, up_to))
            for after, up_to in zip(bounds, bounds[1:], strict=False)
        )
        import_services._close_loaded_job(job=job, plan=plan, imported=imported)
    assert _outcome(job) == EXPECTED_SKIP
    assert not ImportStagingRow.objects.filter(job_id=job.pk).exists()


@pytest.mark.django_db
def test_one_load_of_all_rows_gives_the_same_outcome(team_lead, setting, small_chunks):
    job = _started(setting, team_lead)
    services.lead_import_run(job_id=job.pk)  # SQLite, or inside the test's transaction
    assert _outcome(job) == EXPECTED_SKIP


@pytest.fixture
def loaders(monkeypatch):
    """The loaders the runs started (none means the rows were loaded in one go)."""
    started = []
    real = import_loader.ConcurrentLoader.start

    def start(self):
        started.append(self)
        real(self)

    monkeypatch.setattr(import_loader.ConcurrentLoader, "start", start)
    return started


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_on_postgresql_leads_are_written_while_the_file_is_read(
    team_lead, setting, small_chunks, loaders, require_postgres
):
    job = _started(setting, team_lead)
    services.lead_import_run(job_id=job.pk)
    assert len(loaders) == 1
    assert _outcome(job) == EXPECTED_SKIP
    setting.refresh_from_db()
    assert setting.total_count == 4


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_update_policy_while_reading_updates_from_the_first_row_only(
    team_lead, setting, small_chunks, loaders, require_postgres
):
    job = _started(setting, team_lead, duplicate_policy="update")
    services.lead_import_run(job_id=job.pk)
    assert len(loaders) == 1
    job.refresh_from_db()
    assert (job.imported_count, job.updated_count, job.duplicate_count) == (3, 1, 3)
    # Row 6 repeats row 2 in a later chunk: a repeat, not a second update.
    assert Lead.objects.get(phone="+12125550100").first_name == "A"


class WorkerDied(BaseException):
    """Stands in for a killed process: not an Exception, so nothing catches it."""


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_reader_that_dies_leaves_no_leads_and_the_job_resumes(
    team_lead, setting, small_chunks, loaders, monkeypatch, require_postgres
):
    job = _started(setting, team_lead)
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
    assert (job.state, job.last_row_number) == (ImportState.RUNNING, 7)
    # The loader had loaded the first chunks; its transaction rolled back with the reader.
    assert not job.leads.exists()
    assert not ImportRejection.objects.filter(job=job, reason="dnc").exists()
    assert ImportStagingRow.objects.filter(job_id=job.pk).count() == 6

    monkeypatch.setattr(import_services, "_commit_chunk", real_commit)
    services.import_sweep_stale(now=timezone.now() + import_services.STALE_AFTER * 2)
    services.lead_import_run(job_id=job.pk)
    assert len(loaders) == 2
    assert _outcome(job) == EXPECTED_SKIP


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_loader_that_fails_fails_the_job_cleanly(
    team_lead, setting, small_chunks, loaders, monkeypatch, require_postgres
):
    job = _started(setting, team_lead)

    def failing_load(plan, span, classified=False):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(import_loader, "staged_span_load", failing_load)
    services.lead_import_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.state == ImportState.FAILED
    assert "the database went away" in job.error_message
    assert not job.leads.exists()
    assert not job.rejections.exists()
    assert not ImportStagingRow.objects.filter(job_id=job.pk).exists()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_job_that_ended_meanwhile_keeps_none_of_the_loaders_leads(
    team_lead, setting, small_chunks, loaders, monkeypatch, require_postgres
):
    job = _started(setting, team_lead)
    real_commit = import_services._commit_chunk

    def last_commit_then_failed_by_the_sweep(job, chunk, finished=False):
        real_commit(job, chunk, finished)
        if finished:
            ImportJob.objects.filter(pk=job.pk).update(state=ImportState.FAILED)

    monkeypatch.setattr(import_services, "_commit_chunk", last_commit_then_failed_by_the_sweep)
    services.lead_import_run(job_id=job.pk)
    assert len(loaders) == 1
    job.refresh_from_db()
    assert job.state == ImportState.FAILED
    assert not job.leads.exists()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_loader_error_stops_the_reader_at_its_next_chunk(require_postgres):
    loader = import_loader.ConcurrentLoader(job_id=0, plan_for=None, close=None)
    loader.start()
    loader._thread.join()  # it died at once: there is no job 0
    with pytest.raises(ImportJob.DoesNotExist):
        loader.chunk_committed()


def _mixed_file(rows: int, seed: int) -> str:
    """Repeats near and far (across chunks), DNC numbers, leads already in the list, junk."""
    rng = random.Random(seed)
    lines = [HEADER]
    for n in range(rows):
        # 400 numbers for 600 rows: many repeats.
        phone = "not a number" if rng.random() < 0.05 else f"212-555-{rng.randint(0, 399):04d}"
        lines.append(f"{phone},N{n},,,\n")
    return "".join(lines)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("policy", ["skip", "update"])
def test_loading_while_reading_gives_the_rows_of_loading_after_reading(
    team_lead, monkeypatch, loaders, policy, require_postgres
):
    monkeypatch.setattr(import_services, "CHUNK_ROWS", 50)
    for number in range(0, 400, 37):
        DncEntryFactory(phone=f"+1212555{number:04d}")
    text = _mixed_file(600, seed=18)
    outcomes = []
    for load_while_reading in (False, True):
        monkeypatch.setattr(
            import_services, "_can_load_while_reading", lambda w=load_while_reading: w
        )
        lead_list = LeadListFactory(team=team_lead.team)
        for number in range(5, 400, 41):
            LeadFactory(lead_list=lead_list, phone=f"+1212555{number:04d}", first_name="Before")
        job = _started(lead_list, team_lead, text, duplicate_policy=policy)
        services.lead_import_run(job_id=job.pk)
        job.refresh_from_db()
        rejections = sorted(job.rejections.values_list("row_number", "reason", "detail"))
        leads = sorted(
            Lead.objects.filter(lead_list=lead_list).values_list(
                "phone", "first_name", "source_row"
            )
        )
        counts = (job.imported_count, job.updated_count, job.duplicate_count, job.dnc_count)
        outcomes.append((job.state, counts, rejections, leads))
    assert len(loaders) == 1
    assert outcomes[0][0] == ImportState.DONE
    assert outcomes[0][1][0] > 0 and outcomes[0][1][2] > 0 and outcomes[0][1][3] > 0
    assert outcomes[1] == outcomes[0]
