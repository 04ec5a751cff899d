"""The rejected-rows report: every row that was not imported, with its reason and the
row's own fields read back from the stored file, streamed in constant memory.

Cells are escaped against formula injection (OWASP ASVS 5.0 1.2.10): a cell that starts
with = + - @ tab, CR or | gets a leading apostrophe. Phone cells here are the raw, rejected
input, never verified E.164, so they are escaped too; the importer strips that apostrophe
when a corrected report is uploaded again.

Reports start with a UTF-8 BOM and are separated by the upload's own delimiter when it is
a comma or a semicolon (a cp1252 file with ";" comes from a German Excel, which opens a
comma-separated file as one column), else by a comma; the user may choose either.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator

from django.conf import settings
from django.http import StreamingHttpResponse

from leads.importing.reader import ReadOptions, iter_records, open_stored_file
from leads.models import ImportJob

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "|", "%")
REPORT_DELIMITERS = {",": "comma", ";": "semicolon"}
BOM = "\ufeff"


def escape_cell(value: str) -> str:
    if value and value.startswith(_FORMULA_START):
        return "'" + value
    return value


class _Echo:
    def write(self, value: str) -> str:
        return value


def report_delimiter(requested: str, *, default: str = ",") -> str:
    """The delimiter a report is written with: the one asked for when it is a comma or a
    semicolon, else ``default`` when that is one, else a comma."""
    if requested in REPORT_DELIMITERS:
        return requested
    return default if default in REPORT_DELIMITERS else ","


def csv_report_writer(delimiter: str):
    """A csv writer whose ``writerow`` returns the line, for a StreamingHttpResponse."""
    return csv.writer(_Echo(), delimiter=report_delimiter(delimiter))


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
    response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
