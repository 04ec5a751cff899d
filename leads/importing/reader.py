"""Stream the records of a stored lead file in constant memory.

A record the reader cannot read (a field over the size limit, bytes that are not valid in
the chosen encoding, NUL bytes) is still yielded, with ``problem`` set, so that it is
reported as a malformed row instead of vanishing.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import IO, NamedTuple

from django.conf import settings
from django.utils.translation import gettext as _

from dialer_console.errors import ApplicationError
from leads.importing.sniff import DELIMITER_CHOICES, detect_delimiter
from leads.importing.xlsx import (
    SharedString,
    shared_strings_lookup,
    too_many_rows_message,
    workbook_rows,
    xlsx_check,
)

# Lone surrogates come from errors="surrogateescape": bytes the encoding could not decode.
_UNREADABLE = re.compile("[\udc80-\udcff\x00]")
PREVIEW_ROWS = 20


class RawRow(NamedTuple):
    number: int  # 1-based record number in the file; the header row is 1
    fields: list[str]
    problem: str  # why the row could not be read, or ""


@dataclass(frozen=True)
class ReadOptions:
    file_format: str
    encoding: str
    delimiter: str
    field_limit: int


@contextmanager
def open_stored_file(stored) -> Iterator[IO[bytes]]:
    """Open an import's stored file (a FieldFile) for reading. A job without one (an API
    bulk add) or whose file is gone from storage raises ApplicationError, not a 500."""
    if not stored:
        raise ApplicationError(
            _("This import has no stored file to read: upload the file again."),
            {"code": "no_file"},
        )
    try:
        fileobj = stored.open("rb")
    except FileNotFoundError as error:
        raise ApplicationError(
            _("This import's stored file is missing: upload the file again."),
            {"code": "no_file"},
        ) from error
    try:
        yield fileobj
    finally:
        fileobj.close()


def iter_records(
    fileobj: IO[bytes], options: ReadOptions, *, defer_shared_strings: bool = False
) -> Iterator[RawRow]:
    """``defer_shared_strings`` (workbooks): cells that refer to the shared-strings table
    come as SharedString references, for ``preview_file`` to look up."""
    fileobj.seek(0)
    if options.file_format == "xlsx":
        yield from _iter_xlsx(fileobj, options, defer_shared_strings)
    else:
        yield from _iter_csv(fileobj, options)


def _iter_csv(fileobj: IO[bytes], options: ReadOptions) -> Iterator[RawRow]:
    if not options.encoding:
        raise ApplicationError(
            _("The text encoding of this file could not be detected. Choose it from the list."),
            {"code": "encoding"},
        )
    # The limit is process-wide in the csv module; every read sets it for itself.
    csv.field_size_limit(options.field_limit)
    text = io.TextIOWrapper(
        fileobj, encoding=options.encoding, errors="surrogateescape", newline=""
    )
    try:
        reader = csv.reader(text, delimiter=options.delimiter or ",")
        number = 0
        while True:
            number += 1
            try:
                fields = next(reader)
            except StopIteration:
                return
            except csv.Error as error:
                yield RawRow(number, [], _csv_problem(error, options.field_limit))
                continue
            except UnicodeDecodeError as error:
                raise ApplicationError(
                    _(
                        "Row %(number)s cannot be decoded as %(encoding)s: %(reason)s. Choose "
                        "another encoding."
                    )
                    % {"number": number, "encoding": options.encoding, "reason": error.reason},
                    {"code": "encoding", "row": number},
                ) from error
            problem = ""
            if _UNREADABLE.search("".join(fields)):
                problem = _unreadable_problem("".join(fields), options.encoding)
            yield RawRow(number, fields, problem)
    finally:
        text.detach()  # leave the underlying file open for its owner


def _csv_problem(error: csv.Error, limit: int) -> str:
    if "field larger than field limit" in str(error):
        return f"A field is longer than the limit of {limit:,} characters."
    return f"The row could not be read as CSV: {error}."


def _unreadable_problem(value: str, encoding: str) -> str:
    if "\x00" in value:
        return "The row contains NUL bytes."
    return f"The row has bytes that are not valid {encoding}; choose another encoding."


def _iter_xlsx(
    fileobj: IO[bytes], options: ReadOptions, defer_shared_strings: bool
) -> Iterator[RawRow]:
    xlsx_check(fileobj)
    max_rows = settings.LEAD_XLSX_MAX_ROWS
    rows = workbook_rows(fileobj, defer_shared_strings=defer_shared_strings)
    for number, values in enumerate(rows, start=1):
        if number > max_rows:  # the sheet stated a smaller size than it has
            rows.close()
            raise ApplicationError(too_many_rows_message(number), {"code": "too_many_rows"})
        fields = [_cell_text(value) for value in values]
        while fields and fields[-1] == "":
            fields.pop()
        problem = ""
        if any(len(value) > options.field_limit for value in fields):
            problem = f"A field is longer than the limit of {options.field_limit:,} characters."
        yield RawRow(number, fields, problem)


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value  # a SharedString reference stays one
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # phone numbers stored as numbers
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else str(value)
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def estimate_data_rows(fileobj: IO[bytes], file_format: str, has_header: bool) -> int:
    """Rows to expect, for the progress bar: line breaks for text (exact unless fields hold
    line breaks), the sheet's stated size for a workbook (0 when it states none)."""
    fileobj.seek(0)
    if file_format == "xlsx":
        total = xlsx_check(fileobj) or 0
    else:
        total, last = 0, b""
        while chunk := fileobj.read(1024 * 1024):
            total += chunk.count(b"\n")
            last = chunk
        if last and not last.rstrip(b"\x00").endswith(b"\n"):
            total += 1
    fileobj.seek(0)
    return max(total - (1 if has_header else 0), 0)


def unique_header(names: list[str]) -> tuple[list[str], list[str]]:
    """Header names made unique and non-empty, and a warning for each one changed."""
    first_column: dict[str, int] = {}
    repeats: dict[str, int] = {}
    result, warnings = [], []
    for index, raw in enumerate(names, start=1):
        # A header name becomes a custom field's key: no NUL or undecodable bytes in it.
        name = _UNREADABLE.sub("\ufffd", raw.strip().lstrip("\ufeff")) or f"Column {index}"
        key = name.casefold()
        if key in first_column:
            repeats[key] = repeats.get(key, 1) + 1
            renamed = f"{name} ({repeats[key]})"
            warnings.append(
                f'Columns {first_column[key]} and {index} are both named "{name}"; '
                f'column {index} is called "{renamed}" here.'
            )
            name = renamed
        else:
            first_column[key] = index
        result.append(name)
    return result, warnings


@dataclass
class Preview:
    header: list[str]
    rows: list[RawRow]
    warnings: list[str] = field(default_factory=list)


def preview_file(fileobj: IO[bytes], options: ReadOptions, has_header: bool) -> Preview:
    """The header and the first rows, with warnings about what looks wrong. Raises
    ApplicationError when there is nothing to import."""
    records = iter_records(fileobj, options, defer_shared_strings=True)
    first_rows: list[RawRow] = []
    for record in records:
        if not any(value.strip() for value in record.fields) and not record.problem:
            continue
        first_rows.append(record)
        if len(first_rows) > PREVIEW_ROWS:
            break
    records.close()
    first_rows = _with_shared_strings(fileobj, first_rows)
    if not first_rows:
        raise ApplicationError(_("The file is empty: it has no rows."), {"code": "empty"})
    if has_header:
        header_row, data_rows = first_rows[0], first_rows[1:]
        if not data_rows:
            raise ApplicationError(
                _("The file has a header row but no data rows."), {"code": "header_only"}
            )
        header, warnings = unique_header(header_row.fields)
    else:
        data_rows = first_rows
        width = max(len(row.fields) for row in data_rows)
        header, warnings = [f"Column {index}" for index in range(1, width + 1)], []
    warnings += _shape_warnings(header, data_rows, options)
    return Preview(header=header, rows=data_rows[:PREVIEW_ROWS], warnings=warnings)


def _with_shared_strings(fileobj: IO[bytes], rows: list[RawRow]) -> list[RawRow]:
    """Rows with their SharedString references looked up (a blank row, as a row of
    empty strings, is not dropped here: it was before)."""
    wanted = {
        value.index for row in rows for value in row.fields if isinstance(value, SharedString)
    }
    if not wanted:
        return rows
    strings = shared_strings_lookup(fileobj, wanted)

    def text(value: str) -> str:
        return strings.get(value.index, "") if isinstance(value, SharedString) else value

    return [row._replace(fields=[text(value) for value in row.fields]) for row in rows]


def _shape_warnings(header: list[str], rows: list[RawRow], options: ReadOptions) -> list[str]:
    warnings = []
    if options.file_format == "csv" and len(header) == 1:
        sample = "\n".join(header + [row.fields[0] if row.fields else "" for row in rows])
        guess = detect_delimiter(sample)
        names = dict(DELIMITER_CHOICES)
        if guess != options.delimiter and len(header[0].split(guess)) > 1:
            warnings.append(
                f"Every row is one single column with the delimiter "
                f"{names.get(options.delimiter, options.delimiter)!s}; the file looks "
                f"separated by {names[guess]}. Choose that delimiter."
            )
        else:
            warnings.append("The file has only one column.")
    ragged = [row.number for row in rows if row.fields and len(row.fields) != len(header)]
    if ragged:
        shown = ", ".join(str(number) for number in ragged[:5])
        warnings.append(
            f"Rows {shown} do not have {len(header)} fields like the header; rows like "
            "these are reported as malformed, not imported."
        )
    return warnings
