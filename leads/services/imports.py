"""Lead file imports, up to the start: upload, preview, the mapping and its policy.
The run, its finish, undo and the sweep are in ``import_run``."""

from __future__ import annotations

import logging

import phonenumbers
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from dialer_console.errors import ApplicationError
from leads.importing.mapping import validate_mapping
from leads.importing.reader import (
    Preview,
    ReadOptions,
    estimate_data_rows,
    open_stored_file,
    preview_file,
)
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
    ImportState,
    LeadList,
)
from leads.services.duplicate_scope import duplicate_scope_check

logger = logging.getLogger(__name__)


def _read_options(job: ImportJob) -> ReadOptions:
    return ReadOptions(
        file_format=job.file_format,
        encoding=job.encoding,
        delimiter=job.delimiter,
        field_limit=settings.LEAD_FIELD_MAX_CHARS,
    )


def upload_limit_message() -> str:
    limit = filesizeformat(settings.LEAD_UPLOAD_MAX_BYTES).replace("\xa0", " ")
    return _("The file is larger than the upload limit of %(limit)s.") % {"limit": limit}


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
        raise ApplicationError(
            _("Unknown country code %(default_country)s.")
            % {"default_country": repr(default_country)},
            {"code": "country"},
        )
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
            raise ApplicationError(
                _("Unknown encoding %(encoding)s.") % {"encoding": repr(encoding)}
            )
        if delimiter not in dict(DELIMITER_CHOICES):
            raise ApplicationError(
                _("Unknown delimiter %(delimiter)s.") % {"delimiter": repr(delimiter)}
            )
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
        raise ApplicationError(_("Choose the file's encoding first: no columns could be read."))
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
            _("This import is %(value)s; that cannot be done now.")
            % {"value": job.get_state_display().lower()}
        )
