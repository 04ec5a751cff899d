"""The do-not-call list from a file: numbers in a CSV or xlsx file, read by the lead
importer's own reader (encoding, delimiter, header), added in one scope with a report
per line (added, listed again, already listed, repeated in the file, refused and why).

Small files are read in the request; bigger ones by a Celery task (``dnc_file_run``),
whose progress the page polls. Each chunk of lines is one transaction: its entries, its
lines of the report and the job's counts move together.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from itertools import islice

import phonenumbers
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.context import audit_acting
from dialer_console.errors import ApplicationError
from leads.importing.reader import (
    RawRow,
    ReadOptions,
    estimate_data_rows,
    iter_records,
    open_stored_file,
    preview_file,
    unique_header,
)
from leads.importing.sniff import inspect_head, read_head
from leads.importing.suggest import column_content, phone_not_found_error, suggest_mapping
from leads.models import DncFileJob, DncFileLine, DncFileState, DncLineOutcome
from leads.services.dnc import (
    DncTarget,
    dnc_entries_add,
    dnc_numbers_read,
    dnc_target_check,
)
from leads.services.imports import upload_limit_message

DNC_FILE_MAX_ROWS = 1_000_000
DNC_FILE_INLINE_ROWS = 2_000  # up to this many lines are read in the request
DNC_FILE_CHUNK_LINES = 2_000
DNC_FILE_STALE_AFTER = timedelta(minutes=5)
DNC_FILE_MAX_ATTEMPTS = 3
_TEXT_MAX = 64


def _read_options(job: DncFileJob) -> ReadOptions:
    return ReadOptions(job.file_format, job.encoding, job.delimiter, settings.LEAD_FIELD_MAX_CHARS)


def dnc_file_create(
    *,
    upload: UploadedFile,
    country: str,
    target: DncTarget,
    acting_user,
    reason: str = "",
    expires_at: datetime | None = None,
    encoding: str = "",
    delimiter: str = "",
) -> DncFileJob:
    """Store a file of numbers as a queued job, after checking everything that can be
    checked before reading it: the scope and the user's right to it, the size, the kind
    of file, its encoding, whether its first line is a header, and which column holds
    the numbers. ``encoding`` and ``delimiter`` override what was detected."""
    dnc_target_check(target=target, acting_user=acting_user)
    if upload.size > settings.LEAD_UPLOAD_MAX_BYTES:
        raise ApplicationError(upload_limit_message(), {"code": "too_large", "field": "file"})
    country = country.upper()
    if country not in phonenumbers.SUPPORTED_REGIONS:
        raise ApplicationError(
            _("Unknown country code “%(country)s”.") % {"country": country}, {"field": "country"}
        )
    if expires_at is not None and expires_at <= timezone.now():
        raise ApplicationError(_("The expiry must be in the future."), {"field": "expires_at"})
    inspection = inspect_head(read_head(upload), upload.name or "")
    job = DncFileJob(
        original_name=(upload.name or "numbers.csv")[:255],
        size_bytes=upload.size,
        file_format=inspection.file_format,
        encoding=(encoding or inspection.encoding) if inspection.file_format == "csv" else "",
        delimiter=(delimiter or inspection.delimiter) if inspection.file_format == "csv" else "",
        country=country,
        scope=target.scope,
        campaign_id=target.campaign_id,
        lead_list=target.lead_list,
        reason=reason[:200],
        expires_at=expires_at,
        created_by=acting_user,
    )
    _find_phone_column(job, upload)
    job.rows_total = estimate_data_rows(upload, job.file_format, job.has_header)
    if job.rows_total > DNC_FILE_MAX_ROWS:
        raise ApplicationError(
            _(
                "The file has about %(rows_total)s lines; at most %(dnc_file_max_rows)s "
                "numbers can be listed from one file. Split it and upload the parts."
            )
            % {
                "rows_total": format(job.rows_total, ","),
                "dnc_file_max_rows": format(DNC_FILE_MAX_ROWS, ","),
            },
            {"code": "too_many_rows", "field": "file"},
        )
    job.file.save(upload.name or "numbers.csv", upload, save=False)
    job.save()
    return job


def _find_phone_column(job: DncFileJob, upload: UploadedFile) -> None:
    """The first line is a header when none of its cells is a valid number (a file of
    bare numbers has none). The numbers' column is the one the lead import would map to
    Phone: by its header name, else by its content."""
    if job.file_format == "csv" and not job.encoding:
        raise ApplicationError(
            _("The text encoding of this file could not be detected. Choose it from the list."),
            {"code": "encoding", "field": "encoding"},
        )
    rows = preview_file(upload, _read_options(job), has_header=False).rows
    first = rows[0]
    job.has_header = not any(
        column_content([first], index, job.country).phones for index in range(len(first.fields))
    )
    if job.has_header:
        header, rows = unique_header(first.fields)[0], rows[1:]
        if not rows:
            raise ApplicationError(
                _("The file has a header line but no numbers."), {"code": "header_only"}
            )
    else:
        width = max(len(row.fields) for row in rows)
        header = [f"Column {index}" for index in range(1, width + 1)]
    mapping = suggest_mapping(header, rows=rows, country=job.country)
    if not job.has_header and len(header) == 1:
        mapping = ["phone"]  # one column and no header: the numbers, valid or not
    if "phone" not in mapping:
        raise phone_not_found_error(header=header, rows=rows, country=job.country)
    job.phone_column = mapping.index("phone")
    job.phone_column_name = header[job.phone_column][:200]


def dnc_file_start(*, job: DncFileJob) -> DncFileJob:
    """Read a small file now; queue a bigger one for a worker (sent once this transaction
    commits)."""
    from leads.tasks import dnc_file_run as run_task

    if job.rows_total <= DNC_FILE_INLINE_ROWS:
        dnc_file_run(job_id=job.pk)
        job.refresh_from_db()
    else:
        run_task.delay_on_commit(job.pk)
    return job


def dnc_file_run(*, job_id: int) -> None:
    """Read a queued job's file and list its numbers, a chunk of lines per transaction.
    A job already claimed by another worker is left alone; a resumed one (see
    ``dnc_file_sweep_stale``) skips the lines its committed chunks have read."""
    now = timezone.now()
    claimed = DncFileJob.objects.filter(pk=job_id, state=DncFileState.QUEUED).update(
        state=DncFileState.RUNNING,
        started_at=Coalesce("started_at", now),
        heartbeat_at=now,
        attempts=F("attempts") + 1,
    )
    if not claimed:
        return
    job = DncFileJob.objects.select_related("lead_list", "created_by").get(pk=job_id)
    with audit_acting(job.created_by):
        _run_claimed(job)


def _run_claimed(job: DncFileJob) -> None:
    try:
        with open_stored_file(job.file) as fileobj:
            records = _data_records(job, fileobj)
            try:
                for chunk in _chunks(islice(records, job.rows_read, None)):
                    _list_chunk(job, chunk)
            finally:
                records.close()  # while its file is still open
    except ApplicationError as error:
        _finish(job, DncFileState.FAILED, error.message)
    else:
        _finish(job, DncFileState.DONE)


def dnc_file_sweep_stale(*, now: datetime | None = None) -> int:
    """Jobs whose worker stopped writing heartbeats: queue them to resume after their last
    committed chunk, or fail them after DNC_FILE_MAX_ATTEMPTS. Run by Celery beat."""
    from leads.tasks import dnc_file_run as run_task

    now = now or timezone.now()
    stale = DncFileJob.objects.filter(
        state=DncFileState.RUNNING, heartbeat_at__lt=now - DNC_FILE_STALE_AFTER
    )
    swept = 0
    for job in stale:
        if job.attempts >= DNC_FILE_MAX_ATTEMPTS:
            message = (
                f"The worker stopped {job.attempts} times; the lines read before were "
                "listed (see the report). Upload the rest of the file again."
            )
            _finish(job, DncFileState.FAILED, message)
        else:
            with transaction.atomic():
                DncFileJob.objects.filter(pk=job.pk, state=DncFileState.RUNNING).update(
                    state=DncFileState.QUEUED
                )
                run_task.delay_on_commit(job.pk)
        swept += 1
    return swept


def _finish(job: DncFileJob, state: str, message: str = "") -> None:
    DncFileJob.objects.filter(pk=job.pk).update(
        state=state, error_message=message, finished_at=timezone.now()
    )


def _data_records(job: DncFileJob, fileobj) -> Iterator[RawRow]:
    records = iter_records(fileobj, _read_options(job))
    if job.has_header:
        next(records, None)
    yield from records


def _chunks(records: Iterator[RawRow]) -> Iterator[list[RawRow]]:
    chunk: list[RawRow] = []
    for record in records:
        chunk.append(record)
        if len(chunk) >= DNC_FILE_CHUNK_LINES:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _list_chunk(job: DncFileJob, records: list[RawRow]) -> None:
    lines, numbers, blank = [], [], 0
    for record in records:
        text = _phone_text(record, job.phone_column)
        if record.problem:
            lines.append(_line(job, record.number, text, DncLineOutcome.REFUSED, record.problem))
        elif not any(value.strip() for value in record.fields):
            blank += 1
        elif not text:
            detail = f"The column “{job.phone_column_name}” is empty on this line."
            lines.append(_line(job, record.number, "", DncLineOutcome.REFUSED, detail))
        else:
            numbers.append((record.number, text))
    with transaction.atomic():
        lines += _number_lines(job, numbers)
        DncFileLine.objects.bulk_create(lines)
        _count(job, lines, rows_read=len(records), blank=blank)


def _phone_text(record: RawRow, column: int) -> str:
    if column >= len(record.fields):
        return ""
    # The apostrophe is the one our own reports put before a cell that starts with "+".
    return record.fields[column].strip().removeprefix("'")[:_TEXT_MAX]


def _number_lines(job: DncFileJob, numbers: list[tuple[int, str]]) -> list[DncFileLine]:
    if not numbers:
        return []
    read = dnc_numbers_read(numbers=numbers, country=job.country)
    phones = {number.e164 for number in read if number.e164}
    first_row = dict(
        DncFileLine.objects.filter(job=job, phone__in=phones)
        .order_by("-row_number")
        .values_list("phone", "row_number")
    )
    lines, firsts = [], []
    for number in read:
        if not number.e164:
            lines.append(_line(job, number.line, number.text, "refused", number.message))
        elif number.e164 in first_row:
            detail = f"The same number as line {first_row[number.e164]:,}."
            lines.append(_line(job, number.line, number.text, "repeated", detail, number.e164))
        else:
            first_row[number.e164] = number.line
            firsts.append(number)
    if firsts:
        lines += _added_lines(job, firsts)
    return lines


def _added_lines(job: DncFileJob, firsts) -> list[DncFileLine]:
    result = dnc_entries_add(
        numbers=[(number.line, number.e164) for number in firsts],
        country=job.country,
        target=DncTarget(job.scope, job.campaign_id, job.lead_list),
        acting_user=job.created_by,
        reason=job.reason,
        source=f"file {job.original_name}"[:100],
        expires_at=job.expires_at,
    )
    job.leads_marked_count += len(result.leads_marked)
    return [
        _line(job, number.line, number.text, result.outcomes[number.e164], "", number.e164)
        for number in firsts
    ]


def _line(job, row_number, text, outcome, detail="", phone="") -> DncFileLine:
    return DncFileLine(
        job=job,
        row_number=row_number,
        text=text[:_TEXT_MAX],
        phone=phone,
        outcome=outcome,
        detail=detail[:300],
    )


def _count(job: DncFileJob, lines: list[DncFileLine], *, rows_read: int, blank: int) -> None:
    outcomes = [line.outcome for line in lines]
    DncFileJob.objects.filter(pk=job.pk).update(
        rows_read=F("rows_read") + rows_read,
        blank_count=F("blank_count") + blank,
        added_count=F("added_count") + outcomes.count(DncLineOutcome.ADDED),
        renewed_count=F("renewed_count") + outcomes.count(DncLineOutcome.RENEWED),
        already_listed_count=F("already_listed_count")
        + outcomes.count(DncLineOutcome.ALREADY_LISTED),
        repeated_count=F("repeated_count") + outcomes.count(DncLineOutcome.REPEATED),
        refused_count=F("refused_count") + outcomes.count(DncLineOutcome.REFUSED),
        leads_marked_count=job.leads_marked_count,
        heartbeat_at=timezone.now(),
    )
