"""The rejected-rows report: every row that was not imported, with its reason and the
row's own fields read back from the stored file, streamed in constant memory.

Cells are escaped against formula injection by the console's one export writer
(``dialer_console.exports``). Phone cells here are the raw, rejected
input, never verified E.164, so they are escaped too; the importer strips that apostrophe
when a corrected report is uploaded again.

Reports start with a UTF-8 BOM and are separated by the upload's own delimiter when it is
a comma or a semicolon (a cp1252 file with ";" comes from a German Excel, which opens a
comma-separated file as one column), else by a comma; the user may choose either.
"""

from __future__ import annotations

from collections.abc import Iterator

from django.conf import settings
from django.http import StreamingHttpResponse

from dialer_console.exports import (  # noqa: F401 (the leads app's names for them)
    BOM,
    FORMATS,
    csv_report_writer,
    download,
    escape_cell,
    report_delimiter,
)
from leads.importing.reader import ReadOptions, iter_records, open_stored_file
from leads.models import ImportJob


def rejected_rows_csv(*, job: ImportJob, delimiter: str = "") -> Iterator[str]:
    """``delimiter``: "," or ";"; anything else means the upload's own (or a comma)."""
    writer = csv_report_writer(report_delimiter(delimiter, default=job.delimiter))
    yield BOM  # so that spreadsheet programs read the report as UTF-8
    yield writer.writerow(["row", "reason", "detail", *map(escape_cell, job.header)])
    rejections = job.rejections.order_by("row_number").iterator(chunk_size=2000)
    for rejection, fields in _with_fields(job, rejections):
        yield writer.writerow(
            [
                rejection.row_number,
                rejection.get_reason_display(),
                escape_cell(rejection.detail),
                *map(escape_cell, fields),
            ]
        )


def _with_fields(job: ImportJob, rejections) -> Iterator[tuple]:
    """Each rejection with its row's fields from the stored file; none without a file (an
    API bulk add, or a file gone from storage)."""
    if not job.file or not job.file.storage.exists(job.file.name):
        for rejection in rejections:
            yield rejection, []
        return
    options = ReadOptions(
        job.file_format, job.encoding, job.delimiter, settings.LEAD_FIELD_MAX_CHARS
    )
    with open_stored_file(job.file) as fileobj:
        records = iter_records(fileobj, options)
        record = None
        for rejection in rejections:
            while record is None or record.number < rejection.row_number:
                record = next(records, None)
                if record is None:
                    break
            fields = record.fields if record and record.number == rejection.row_number else []
            yield rejection, fields
        records.close()


def csv_download(lines: Iterator[str], filename: str) -> StreamingHttpResponse:
    """A streamed CSV attachment (constant memory: one line at a time)."""
    return download(lines, filename, FORMATS["csv"])
