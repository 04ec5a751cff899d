"""The one way the console writes a download: a table (header and rows) as CSV or xlsx,
streamed in constant memory, every text cell escaped against formula injection.

- CSV starts with a UTF-8 BOM (so spreadsheet programs read it as UTF-8) and is separated
  by a comma or a semicolon, the user's choice (German Excel opens a comma-separated file
  as one column).
- xlsx is written by openpyxl in write-only mode: each row goes to a temporary file as it
  is appended, the workbook is zipped on disk and streamed from there.
- Cells are escaped against formula injection (OWASP ASVS 5.0 1.2.10): a text cell that
  starts with = + - @ tab, CR, | or % gets a leading apostrophe. A cell known to hold no
  formula (a verified E.164 phone) is marked ``Safe`` and kept as it is, since an
  apostrophe would show in the spreadsheet.
- Rows come from the database by keyset chunks (``keyset_chunks``): ``id > last`` with a
  ``LIMIT``, never an OFFSET, so the millionth row costs what the first does.
"""

from __future__ import annotations

import csv
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import QuerySet
from django.http import StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from dialer_console.errors import ApplicationError

BOM = "\ufeff"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "|", "%")
DELIMITERS = {",": "comma", ";": "semicolon"}
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMATS = {"csv": "text/csv; charset=utf-8", "xlsx": XLSX_TYPE}
CHUNK_ROWS = 2000
_STREAM_BYTES = 64 * 1024


class Safe(str):
    """A text cell that cannot hold a formula (checked where it was made): not escaped."""


def escape_cell(value: str) -> str:
    if value and not isinstance(value, Safe) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def report_delimiter(requested: str, *, default: str = ",") -> str:
    """The delimiter a file is written with: the one asked for when it is a comma or a
    semicolon, else ``default`` when that is one, else a comma."""
    if requested in DELIMITERS:
        return requested
    return default if default in DELIMITERS else ","


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_report_writer(delimiter: str):
    """A csv writer whose ``writerow`` returns the line, for a StreamingHttpResponse."""
    return csv.writer(_Echo(), delimiter=report_delimiter(delimiter))


def export_format(raw: str) -> str:
    """``csv`` (the default) or ``xlsx``; anything else is refused with a clear message."""
    value = (raw or "csv").strip().lower()
    if value not in FORMATS:
        raise ApplicationError(
            _("“%(value)s” is not a download format: use csv or xlsx.") % {"value": raw[:20]},
            {"field": "file_format"},
        )
    return value


@dataclass(frozen=True)
class Table:
    """What a download holds: ``rows`` is an iterable read once, lazily."""

    name: str  # the file name without its extension
    header: Sequence[str]
    rows: Iterable[Sequence]


def _text(value) -> str | int | float:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime):
        return (timezone.localtime(value) if timezone.is_aware(value) else value).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (int, float)):
        return value
    return escape_cell(value if isinstance(value, str) else str(value))


def csv_lines(table: Table, *, delimiter: str = ",") -> Iterator[str]:
    writer = csv_report_writer(delimiter)
    yield BOM
    yield writer.writerow([escape_cell(str(name)) for name in table.header])
    for row in table.rows:
        yield writer.writerow([_text(cell) for cell in row])


def _xlsx_cell(value):
    if isinstance(value, datetime):
        # Excel has no time zones: the console's local time, as the pages show it.
        return timezone.make_naive(value) if timezone.is_aware(value) else value
    if value is None or isinstance(value, (date, int, float)) and not isinstance(value, bool):
        return value
    return _text(value)


def xlsx_chunks(table: Table) -> Iterator[bytes]:
    """The workbook's bytes, streamed from a temporary file once every row is written."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=table.name[:31] or "Export")
    sheet.append([escape_cell(str(name)) for name in table.header])
    for row in table.rows:
        sheet.append([_xlsx_cell(cell) for cell in row])
    with tempfile.TemporaryFile() as fileobj:
        workbook.save(fileobj)
        fileobj.seek(0)
        while chunk := fileobj.read(_STREAM_BYTES):
            yield chunk


def export_response(
    table: Table, *, file_format: str, delimiter: str = ","
) -> StreamingHttpResponse:
    """The table as a streamed attachment named ``<table.name>.<format>``."""
    if file_format == "xlsx":
        body: Iterator = xlsx_chunks(table)
    else:
        body = csv_lines(table, delimiter=delimiter)
    return download(body, f"{table.name}.{file_format}", FORMATS[file_format])


def download(body: Iterator, filename: str, content_type: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def keyset_chunks(queryset: QuerySet, *, size: int = CHUNK_ROWS) -> Iterator[list]:
    """``queryset`` in primary-key order, ``size`` rows a query, each query starting after
    the last key read: constant memory and constant cost a chunk on any size of table."""
    after = None
    while True:
        rows = queryset.order_by("pk")
        if after is not None:
            rows = rows.filter(pk__gt=after)
        chunk = list(rows[:size])
        if not chunk:
            return
        yield chunk
        if len(chunk) < size:
            return
        after = chunk[-1].pk
