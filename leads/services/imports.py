"""Lead file imports: upload, preview, mapping and policy, the run, the finish, undo.

The run reads the stored file in chunks; each chunk's staged rows, rejections and the
checkpoint (``last_row_number``) commit together, so a worker that dies mid-file leaves a
job that resumes after its last committed row. Leads are written only by
``import_finish``, in one transaction: a job is either fully imported or not at all.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import timedelta
from typing import NamedTuple

import phonenumbers
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import connection, transaction
from django.db.models import F
from django.db.models.functions import Coalesce
from django.template.defaultfilters import filesizeformat
from django.utils import timezone

from dialer_console.errors import ApplicationError
from leads.importing.load import (
    LoadPlan,
    LoadResult,
    staged_rows_load,
    staging_analyze,
    staging_discard,
    staging_write,
)
from leads.importing.mapping import validate_mapping
from leads.importing.reader import (
    Preview,
    ReadOptions,
    estimate_data_rows,
    iter_records,
    open_stored_file,
    preview_file,
)
from leads.importing.rows import Rejection, RowMapper
from leads.importing.sniff import DELIMITER_CHOICES, ENCODING_CHOICES, inspect_head, read_head
from leads.importing.suggest import (
    ColumnSuggestion,
    phone_not_found_error,
    suggest_columns,
    suggest_mapping,
)
from leads.models import (
    DuplicatePolicy,
    DuplicateScope,
    ImportJob,
    ImportRejection,
    ImportState,
    LeadList,
    LeadStatus,
)
from leads.selectors import lead_list_campaign_ids
from leads.services.duplicate_scope import duplicate_scope_check, duplicate_scope_list_ids
from leads.services.lead_lists import lead_list_counts_refresh
from sync.models import LeadSync
from sync.selectors import lead_on_a_dialer
from sync.services.hooks import sync_on_import_finished, sync_on_import_undone

logger = logging.getLogger(__name__)

CHUNK_ROWS = 20_000
STALE_AFTER = timedelta(minutes=5)
MAX_ATTEMPTS = 3


def _read_options(job: ImportJob) -> ReadOptions:
    return ReadOptions(
        file_format=job.file_format,
        encoding=job.encoding,
        delimiter=job.delimiter,
        field_limit=settings.LEAD_FIELD_MAX_CHARS,
    )


def upload_limit_message() -> str:
    limit = filesizeformat(settings.LEAD_UPLOAD_MAX_BYTES).replace("\xa0", " ")
    return f"The file is larger than the upload limit of {limit}."


def import_job_create(
    *, lead_list: LeadList, upload: UploadedFile, acting_user, default_country: str = ""
) -> ImportJob:
    """Store an uploaded file as a new import waiting for its mapping. Nothing is imported.
    Files that cannot hold leads (empty, header only, binary, over the limit) are refused
    here, before anything is stored. ``default_country`` (else the list's) is the country
    the columns' content is read with for the suggested mapping."""
    if upload.size > settings.LEAD_UPLOAD_MAX_BYTES:
        raise ApplicationError(upload_limit_message(), {"code": "too_large"})
    default_country = (default_country or lead_list.default_country).upper()
    if default_country not in phonenumbers.SUPPORTED_REGIONS:
        raise ApplicationError(f"Unknown country code {default_country!r}.", {"code": "country"})
    inspection = inspect_head(read_head(upload), upload.name or "")
    job = ImportJob(
        lead_list=lead_list,
        original_name=(upload.name or "upload")[:255],
        size_bytes=upload.size,
        file_format=inspection.file_format,
        detected_encoding=inspection.encoding,
        encoding=inspection.encoding,
        detected_delimiter=inspection.delimiter,
        delimiter=inspection.delimiter,
        default_country=default_country,
        created_by=acting_user,
    )
    if job.file_format == "xlsx" or job.encoding:
        _apply_preview(job, preview_file(upload, _read_options(job), job.has_header))
    job.rows_total = estimate_data_rows(upload, job.file_format, job.has_header)
    job.file.save(upload.name or "upload.csv", upload, save=False)
    job.save()
    return job


def import_preview(*, job: ImportJob) -> Preview:
    with open_stored_file(job.file) as fileobj:
        return preview_file(fileobj, _read_options(job), job.has_header)


def _apply_preview(job: ImportJob, preview: Preview) -> None:
    job.header = preview.header
    job.mapping = suggest_mapping(preview.header, rows=preview.rows, country=job.default_country)


def _sample_rows(job: ImportJob) -> list:
    """The preview's rows that suggestions are judged on; none when the file cannot be
    read as it is set up (the preview itself says why)."""
    try:
        return import_preview(job=job).rows
    except ApplicationError:
        return []


def import_mapping_suggestions(
    *, job: ImportJob, rows: list | None = None
) -> list[ColumnSuggestion]:
    """Where each column's current target came from: the suggestion, with its source and
    note, where the job's mapping still follows it; a bare entry where someone chose."""
    if rows is None:
        rows = _sample_rows(job)
    suggestions = suggest_columns(header=job.header, rows=rows, country=job.default_country)
    return [
        suggestion
        if suggestion.target == target
        else ColumnSuggestion(suggestion.column, target, "", "")
        for suggestion, target in zip(suggestions, job.mapping, strict=False)
    ]


def import_job_reread(
    *, job: ImportJob, encoding: str, delimiter: str, has_header: bool
) -> Preview:
    """Read the file again with another encoding, delimiter or header choice."""
    _require_state(job, ImportState.UPLOADED)
    if job.file_format == "csv":
        if encoding not in dict(ENCODING_CHOICES):
            raise ApplicationError(f"Unknown encoding {encoding!r}.")
        if delimiter not in dict(DELIMITER_CHOICES):
            raise ApplicationError(f"Unknown delimiter {delimiter!r}.")
        job.encoding, job.delimiter = encoding, delimiter
    job.has_header = has_header
    preview = import_preview(job=job)
    _apply_preview(job, preview)
    with open_stored_file(job.file) as fileobj:
        job.rows_total = estimate_data_rows(fileobj, job.file_format, job.has_header)
    job.save()
    return preview


def import_job_apply_template(*, job: ImportJob, template) -> ImportJob:
    _require_state(job, ImportState.UPLOADED)
    job.mapping = suggest_mapping(
        job.header, template.columns, rows=_sample_rows(job), country=job.default_country
    )
    job.save(update_fields=["mapping"])
    return job


def import_job_configure(
    *,
    job: ImportJob,
    mapping: list[str],
    default_country: str,
    acting_user,
    duplicate_policy: str = DuplicatePolicy.SKIP,
    duplicate_scope: str = DuplicateScope.LIST,
    scope_campaign_id: int | None = None,
    dnc_scrub: bool = True,
) -> ImportJob:
    """Set the mapping and the policy. ``acting_user`` is recorded on the job: duplicate
    detection and update never reach past the lead lists that user may see (None: the
    operator, i.e. the command line without ``--user``, unbounded)."""
    _require_state(job, ImportState.UPLOADED)
    if not job.header:
        raise ApplicationError("Choose the file's encoding first: no columns could be read.")
    if "phone" not in mapping:
        raise phone_not_found_error(
            header=job.header, rows=_sample_rows(job), country=default_country.upper()
        )
    job.mapping = validate_mapping(list(mapping), job.header)
    duplicate_scope_check(
        duplicate_scope=duplicate_scope,
        scope_campaign_id=scope_campaign_id,
        acting_user=acting_user,
    )
    job.acting_user = acting_user
    job.default_country = default_country.upper()
    job.duplicate_policy = duplicate_policy
    job.duplicate_scope = duplicate_scope
    job.scope_campaign_id = (
        scope_campaign_id if duplicate_scope == DuplicateScope.CAMPAIGN else None
    )
    job.dnc_scrub = dnc_scrub
    job.full_clean(exclude=["file", "created_by", "acting_user"])
    job.save()
    return job


def import_job_start(*, job: ImportJob, enqueue: bool = True) -> ImportJob:
    """Queue the run; the task is sent only once this transaction commits. ``enqueue=False``
    is for a caller that runs ``lead_import_run`` itself (the management command)."""
    from leads.tasks import lead_import_run as run_task

    _require_state(job, ImportState.UPLOADED)
    validate_mapping(job.mapping, job.header)
    job.state = ImportState.QUEUED
    job.save(update_fields=["state"])
    if enqueue:
        run_task.delay_on_commit(job.pk)
    return job


def _require_state(job: ImportJob, *states: str) -> None:
    if job.state not in states:
        raise ApplicationError(
            f"This import is {job.get_state_display().lower()}; that cannot be done now."
        )


# --- the run --------------------------------------------------------------------------


def lead_import_run(
    *, job_id: int, on_progress: Callable[[ImportJob], None] | None = None
) -> ImportJob | None:
    """Run (or resume) an import. Returns None when another worker holds the job or it is
    already over. Expected problems end the job as failed with their message."""
    job = _claim(job_id)
    if job is None:
        return None
    try:
        if job.phase != "finishing":
            _read_into_staging(job, on_progress)
        staging_analyze()
        import_finish(job=job)
    except ApplicationError as error:
        import_fail(job=job, message=error.message)
    except Exception as error:
        logger.exception("Lead import %s failed", job.pk)
        import_fail(job=job, message=f"The import failed unexpectedly: {error}")
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


def _read_into_staging(job: ImportJob, on_progress) -> None:
    mapper = RowMapper(
        header=job.header,
        mapping=job.mapping,
        country=job.default_country,
        default_timezone=job.lead_list.default_timezone,
        pad_short_rows=job.file_format == "xlsx",
    )
    chunk = _Chunk()
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
                chunk = _Chunk()
                if on_progress:
                    on_progress(job)
    _commit_chunk(job, chunk, finished=True)


class _Chunk:
    def __init__(self):
        self.staged, self.rejected, self.blank = [], [], 0
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
    reasons = f"{invalid_phone:,} invalid phone numbers, {malformed:,} malformed rows"
    sample = settings.LEAD_IMPORT_REJECT_SAMPLE_ROWS
    if rows == sample and rejected * 100 > sample * settings.LEAD_IMPORT_MAX_REJECT_PERCENT:
        raise ApplicationError(
            f"This does not look like a lead file: {rejected:,} of the first {rows:,} rows "
            f"were rejected ({reasons}). Check the file and the column mapping; nothing was "
            "imported.",
            {"code": "mostly_rejected"},
        )
    if rejected > settings.LEAD_IMPORT_MAX_REJECTED_ROWS:
        raise ApplicationError(
            f"The import stopped after {rejected:,} rejected rows ({reasons}), more than the "
            f"limit of {settings.LEAD_IMPORT_MAX_REJECTED_ROWS:,}; nothing was imported. "
            "Correct the file and upload it again.",
            {"code": "too_many_rejected"},
        )


def _commit_chunk(job: ImportJob, chunk: _Chunk, finished: bool = False) -> None:
    with transaction.atomic():
        staging_write(job_id=job.pk, rows=chunk.staged)
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
    when new leads arrive (the sync pushes them): extend it here, inside the transaction,
    and enqueue with ``transaction.on_commit``."""
    # The job row stays locked until commit: a sweeper or a second worker that wants the
    # job waits here, then finds it done instead of finishing it a second time.
    state = ImportJob.objects.select_for_update().values_list("state", flat=True).get(pk=job.pk)
    if state != ImportState.RUNNING:
        return None
    result = staged_rows_load(_load_plan(job), collect_outcomes=collect_outcomes)
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
    _lock_rows(LeadSync.objects.select_for_update().filter(lead__in=leads).values("pk"))
    on_dialer = lead_on_a_dialer()
    leaving = leads.filter(on_dialer).update(status=LeadStatus.REMOVED, updated_at=timezone.now())
    _, per_model = leads.exclude(on_dialer).delete()
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
                    message=f"The import stopped {job.attempts} times without finishing; "
                    "nothing was imported. Check the worker logs and upload it again.",
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
