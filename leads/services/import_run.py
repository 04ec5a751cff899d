"""Lead file imports from the start on: the run, the finish, failure, undo and the sweep.

The run reads the stored file in chunks; each chunk's staged rows, rejections and the
checkpoint (``last_row_number``) commit together, so a worker that dies mid-file leaves a
job that resumes after its last committed row. Leads are written in one transaction: a job
is either fully imported or not at all. On PostgreSQL that transaction is the loader's
(``import_loader``), on a second connection while the file is still read; elsewhere it is
``import_finish``, after the last chunk.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import timedelta
from typing import NamedTuple

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext

from audit.context import audit_acting
from audit.models import LeadChangeKind
from audit.services import audit_bulk, lead_changes_record
from dialer_console.errors import ApplicationError
from leads.importing.load import (
    LoadPlan,
    LoadResult,
    Span,
    staged_rows_close,
    staged_span_classify,
    staged_span_load,
    staging_analyze,
    staging_discard,
    staging_last_id,
    staging_write,
)
from leads.importing.reader import (
    iter_records,
    open_stored_file,
)
from leads.importing.rows import Rejection, RowMapper
from leads.models import (
    ImportJob,
    ImportRejection,
    ImportState,
    Lead,
    LeadStatus,
)
from leads.selectors import lead_list_campaign_ids
from leads.services.duplicate_scope import duplicate_scope_list_ids
from leads.services.import_loader import ConcurrentLoader, JobNotRunning
from leads.services.imports import _read_options, _require_state
from leads.services.lead_lists import lead_list_counts_refresh
from sync.models import LeadSync
from sync.push_counts import push_counts_lock
from sync.selectors import lead_on_a_dialer
from sync.services.hooks import sync_on_import_finished, sync_on_import_undone
from webhooks.services.events import webhooks_on_import_finished

logger = logging.getLogger(__name__)

CHUNK_ROWS = 20_000
STALE_AFTER = timedelta(minutes=5)
MAX_ATTEMPTS = 3


def lead_import_run(
    *, job_id: int, on_progress: Callable[[ImportJob], None] | None = None
) -> ImportJob | None:
    """Run (or resume) an import. Returns None when another worker holds the job or it is
    already over. Expected problems end the job as failed with their message."""
    job = _claim(job_id)
    if job is None:
        return None
    with audit_acting(job.acting_user or job.created_by):
        return _run_claimed(job, on_progress)


def _run_claimed(job: ImportJob, on_progress) -> ImportJob:
    try:
        if job.phase != "finishing" and _can_load_while_reading():
            _read_and_load(job, on_progress)
        else:
            if job.phase != "finishing":
                _read_into_staging(job, on_progress)
            staging_analyze()
            import_finish(job=job)
    except ApplicationError as error:
        import_fail(job=job, message=error.message)
    except Exception as error:
        logger.exception("Lead import %s failed", job.pk)
        import_fail(
            job=job, message=gettext("The import failed unexpectedly: %(error)s") % {"error": error}
        )
    job.refresh_from_db()
    if on_progress:
        on_progress(job)
    return job


def _claim(job_id: int) -> ImportJob | None:
    now = timezone.now()
    claimed = ImportJob.objects.filter(
        pk=job_id, state__in=(ImportState.QUEUED, ImportState.INTERRUPTED)
    ).update(
        state=ImportState.RUNNING,
        attempts=F("attempts") + 1,
        heartbeat_at=now,
        started_at=Coalesce("started_at", now),
    )
    if not claimed:
        return None
    return ImportJob.objects.select_related("lead_list", "acting_user", "created_by").get(pk=job_id)


def _can_load_while_reading() -> bool:
    """A second connection writes the leads while this one reads: PostgreSQL only (SQLite
    has one writer at a time), and only when the caller holds no open transaction, whose
    rows the second connection could not see."""
    return connection.vendor == "postgresql" and not connection.in_atomic_block


def _read_and_load(job: ImportJob, on_progress) -> None:
    """Each chunk is classified (DNC, repeats, existing leads) on this connection, in the
    transaction that stages it, so the classification is part of the checkpoint; the
    loader's connection only writes the leads (and applies the updates, which must stay
    in the job's one transaction)."""
    loader = ConcurrentLoader(job_id=job.pk, plan_for=_load_plan, close=_close_loaded_job)
    classifier = _ChunkClassifier(_load_plan(job))
    chunks = 0

    def chunk_committed() -> None:
        nonlocal chunks
        chunks += 1
        if chunks & (chunks - 1) == 0:
            # Statistics of this job's rows (at 1, 2, 4, 8… chunks), outside any
            # transaction: planned with the previous job's, the first chunks' DNC scrub
            # took a nested loop per row.
            staging_analyze()
        loader.chunk_committed()

    loader.start()
    try:
        _read_into_staging(
            job, on_progress, chunk_committed=chunk_committed, classify=classifier.classify
        )
    except BaseException:
        loader.abandon()
        raise
    loader.finish()


class _ChunkClassifier:
    def __init__(self, plan: LoadPlan):
        self.plan = plan
        # Rows staged before a crash were classified with their chunks.
        self.classified_up_to = staging_last_id(job_id=plan.job_id, after_id=0) or 0

    def classify(self) -> None:
        """Classify the rows staged since the last call, in the caller's transaction."""
        last_id = staging_last_id(job_id=self.plan.job_id, after_id=self.classified_up_to)
        if last_id is not None:
            staged_span_classify(self.plan, Span(self.plan.job_id, self.classified_up_to, last_id))
            self.classified_up_to = last_id


def _read_into_staging(job: ImportJob, on_progress, chunk_committed=None, classify=None) -> None:
    mapper = RowMapper(
        header=job.header,
        mapping=job.mapping,
        country=job.default_country,
        default_timezone=job.lead_list.default_timezone,
        pad_short_rows=job.file_format == "xlsx",
    )
    chunk = _Chunk(classify)
    header_pending = job.has_header and job.last_row_number == 0
    with open_stored_file(job.file) as fileobj:
        for record in iter_records(fileobj, _read_options(job)):
            if record.number <= job.last_row_number:
                continue  # committed before a crash
            if not record.problem and not any(map(str.strip, record.fields)):
                chunk.blank += 1
            elif header_pending:
                header_pending = False
            else:
                chunk.add(mapper.map(record))
                _check_rejections(job, chunk)
            chunk.last_row_number = record.number
            if chunk.size >= CHUNK_ROWS:
                _commit_chunk(job, chunk)
                chunk = _Chunk(classify)
                if chunk_committed:
                    chunk_committed()
                if on_progress:
                    on_progress(job)
    _commit_chunk(job, chunk, finished=True)


class _Chunk:
    def __init__(self, classify=None):
        self.staged, self.rejected, self.blank = [], [], 0
        self.classify = classify  # called after the rows are staged, before the commit
        self.invalid_phone = self.malformed = 0
        self.last_row_number = 0

    def add(self, result) -> None:
        if isinstance(result, Rejection):
            self.rejected.append(result)
            if result.reason == "invalid_phone":
                self.invalid_phone += 1
            else:
                self.malformed += 1
        else:
            self.staged.append(result)

    @property
    def size(self) -> int:
        return len(self.staged) + len(self.rejected) + self.blank


def _check_rejections(job: ImportJob, chunk: _Chunk) -> None:
    """Stop a file whose rows are mostly rejected (most likely not a lead file, or mapped
    wrongly) before it writes a rejection for each of millions of rows, and any file past
    the cap on stored rejections."""
    invalid_phone = job.invalid_phone_count + chunk.invalid_phone
    malformed = job.malformed_count + chunk.malformed
    rejected = invalid_phone + malformed
    rows = job.rows_read - job.blank_count + len(chunk.staged) + len(chunk.rejected)
    reasons = gettext("%(invalid)s invalid phone numbers, %(malformed)s malformed rows") % {
        "invalid": f"{invalid_phone:,}",
        "malformed": f"{malformed:,}",
    }
    sample = settings.LEAD_IMPORT_REJECT_SAMPLE_ROWS
    if rows == sample and rejected * 100 > sample * settings.LEAD_IMPORT_MAX_REJECT_PERCENT:
        raise ApplicationError(
            gettext(
                "This does not look like a lead file: %(rejected)s of the first %(rows)s "
                "rows were rejected (%(reasons)s). Check the file and the column mapping; "
                "nothing was imported."
            )
            % {"rejected": format(rejected, ","), "rows": format(rows, ","), "reasons": reasons},
            {"code": "mostly_rejected"},
        )
    if rejected > settings.LEAD_IMPORT_MAX_REJECTED_ROWS:
        raise ApplicationError(
            gettext(
                "The import stopped after %(rejected)s rejected rows (%(reasons)s), more "
                "than the limit of %(lead_import_max_rejected_rows)s; nothing was imported. "
                "Correct the file and upload it again."
            )
            % {
                "rejected": format(rejected, ","),
                "reasons": reasons,
                "lead_import_max_rejected_rows": format(
                    settings.LEAD_IMPORT_MAX_REJECTED_ROWS, ","
                ),
            },
            {"code": "too_many_rejected"},
        )


def _commit_chunk(job: ImportJob, chunk: _Chunk, finished: bool = False) -> None:
    with transaction.atomic():
        staging_write(job_id=job.pk, rows=chunk.staged)
        if chunk.classify:
            chunk.classify()
        ImportRejection.objects.bulk_create(
            [
                ImportRejection(
                    job=job, row_number=r.row_number, reason=r.reason, detail=r.detail[:500]
                )
                for r in chunk.rejected
            ],
            batch_size=2000,
        )
        job.rows_read += chunk.size
        job.last_row_number = max(job.last_row_number, chunk.last_row_number)
        job.invalid_phone_count += chunk.invalid_phone
        job.malformed_count += chunk.malformed
        job.blank_count += chunk.blank
        job.heartbeat_at = timezone.now()
        job.phase = "finishing" if finished else "reading"
        job.save(
            update_fields=[
                "rows_read",
                "last_row_number",
                "invalid_phone_count",
                "malformed_count",
                "blank_count",
                "heartbeat_at",
                "phase",
            ]
        )


def _load_plan(job: ImportJob) -> LoadPlan:
    scope = duplicate_scope_list_ids(job=job)
    campaign_ids = set(lead_list_campaign_ids(lead_list_id=job.lead_list_id))
    if job.scope_campaign_id:
        campaign_ids.add(job.scope_campaign_id)
    return LoadPlan(
        job_id=job.pk,
        lead_list_id=job.lead_list_id,
        policy=job.duplicate_policy,
        scope_list_ids=scope,
        dnc_scrub=job.dnc_scrub,
        dnc_campaign_ids=sorted(campaign_ids),
        now=timezone.now(),
    )


@transaction.atomic
def import_finish(*, job: ImportJob, collect_outcomes: bool = False) -> LoadResult | None:
    """Dedupe and DNC-scrub the staged rows, write the leads and the rejections, close the
    job and recount the list, all in one transaction; None if the job is no longer running
    (another worker finished it). The hook for work that must happen
    when new leads arrive (the sync pushes them): extend it in ``_close_loaded_job``, inside
    the transaction, and enqueue with ``transaction.on_commit``."""
    if not _lock_running(job):
        return None
    plan = _load_plan(job)
    imported = staged_span_load(plan, Span(job.pk))
    return _close_loaded_job(
        job=job, plan=plan, imported=imported, collect_outcomes=collect_outcomes
    )


def _lock_running(job: ImportJob) -> bool:
    # The job row stays locked until commit: a sweeper or a second worker that wants the
    # job waits here, then finds it done instead of finishing it a second time.
    state = ImportJob.objects.select_for_update().values_list("state", flat=True).get(pk=job.pk)
    return state == ImportState.RUNNING


def _close_loaded_job(
    *, job: ImportJob, plan: LoadPlan, imported: int, collect_outcomes: bool = False
) -> LoadResult:
    """Inside the transaction that wrote the job's leads: count the outcomes, close the job,
    recount the list, hand the new leads to the sync. Raises JobNotRunning (to roll the
    leads back) when the job ended meanwhile."""
    if not _lock_running(job):
        raise JobNotRunning
    result = staged_rows_close(plan, imported=imported, collect_outcomes=collect_outcomes)
    now = timezone.now()
    job.imported_count = result.imported
    job.updated_count = result.updated
    job.duplicate_count = result.duplicates
    job.dnc_count = result.dnc
    job.state = ImportState.DONE
    job.phase = ""
    job.finished_at = now
    job.heartbeat_at = now
    job.error_message = ""
    job.save()
    lead_list_counts_refresh(lead_list=job.lead_list)
    sync_on_import_finished(import_job=job)
    webhooks_on_import_finished(import_job=job)
    return result


@transaction.atomic
def import_fail(*, job: ImportJob, message: str) -> ImportJob:
    """End a job cleanly: nothing of it stays behind but its message."""
    staging_discard(job_id=job.pk)
    job.rejections.all().delete()
    job.state = ImportState.FAILED
    job.phase = ""
    job.error_message = message
    job.finished_at = timezone.now()
    job.save()
    return job


class UndoResult(NamedTuple):
    removed: int  # every lead the import created
    leaving_dialers: int  # of which dialers hold: kept as REMOVED until they drop them


@transaction.atomic
def import_undo(*, job: ImportJob) -> UndoResult:
    """Remove exactly the leads this import created. Leads it updated keep their new
    values: the old ones were not kept. A lead that a dialer already holds cannot simply
    vanish (the dialer would go on calling it, and the console would forget where it
    went): it stays as REMOVED, and its campaigns' sync jobs take it off their dialers.
    The rest are deleted."""
    job = ImportJob.objects.select_for_update().select_related("lead_list").get(pk=job.pk)
    _require_state(job, ImportState.DONE)
    leads = job.leads.all()
    # Lock the leads' push rows first: a push that would claim one waits for this commit,
    # then finds the row gone (deleted lead) or its lead removed (never sent).
    # Their campaigns' kept push counts are locked before them, in the order every
    # counted write of push rows takes (``sync.push_counts``).
    rows = LeadSync.objects.filter(lead__in=leads)
    push_counts_lock(campaign_ids=rows.values_list("campaign_id", flat=True).distinct())
    _lock_rows(rows.select_for_update().values("pk"))
    on_dialer = lead_on_a_dialer()
    staying = list(leads.filter(on_dialer).values_list("pk", flat=True))
    lead_changes_record(
        ids=staying,
        kind=LeadChangeKind.IMPORT_UNDO,
        after={"status": LeadStatus.REMOVED},
        import_job_id=job.pk,
    )
    leaving = Lead.objects.filter(pk__in=staying).update(
        status=LeadStatus.REMOVED, updated_at=timezone.now()
    )
    _, per_model = leads.exclude(pk__in=staying).delete()
    audit_bulk(
        model=Lead,
        action="import undo",
        count=per_model.get("leads.Lead", 0) + leaving,
        filters={"import_job": job.pk},
        summary=f"Undo of the import of “{job.original_name}”: {per_model.get('leads.Lead', 0):,} "
        f"lead(s) deleted, {leaving:,} kept as removed until their dialers drop them",
    )
    job.state = ImportState.UNDONE
    job.undone_at = timezone.now()
    job.save(update_fields=["state", "undone_at"])
    lead_list_counts_refresh(lead_list=job.lead_list)
    if leaving:
        sync_on_import_undone(import_job=job)
    return UndoResult(removed=per_model.get("leads.Lead", 0) + leaving, leaving_dialers=leaving)


def _lock_rows(rows) -> None:
    """Take the row locks of a SELECT … FOR UPDATE without fetching its rows (a million
    ids would cost a second and tens of megabytes). SQLite has no row locks: its one
    writer at a time already keeps the push out."""
    sql, params = rows.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM ({sql}) AS locked", params)  # noqa: S608


def import_sweep_stale(*, now=None) -> int:
    """Jobs whose worker stopped sending heartbeats: resume them, or fail them after
    MAX_ATTEMPTS. Run by Celery beat."""
    from leads.tasks import lead_import_run as run_task

    now = now or timezone.now()
    swept = 0
    stale = ImportJob.objects.filter(state=ImportState.RUNNING, heartbeat_at__lt=now - STALE_AFTER)
    for job in stale:
        with transaction.atomic():
            if job.attempts >= MAX_ATTEMPTS:
                import_fail(
                    job=job,
                    message=gettext(
                        "The import stopped %(attempts)s times without finishing; nothing was "
                        "imported. Check the worker logs and upload it again."
                    )
                    % {"attempts": job.attempts},
                )
            else:
                ImportJob.objects.filter(pk=job.pk, state=ImportState.RUNNING).update(
                    state=ImportState.INTERRUPTED,
                    error_message=f"The worker stopped after row {job.last_row_number:,}; "
                    "the import resumes from there.",
                )
                run_task.delay_on_commit(job.pk)
        swept += 1
    return swept
