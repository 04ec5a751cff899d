"""Workbooks, read without trusting their size.

An .xlsx file is a zip archive: a small upload can unpack to gigabytes (an 840 KB
workbook held 216 MB of shared strings) or hold millions of rows. ``xlsx_check`` refuses
such a file from its zip directory and the sheet's stated dimension, before anything is
unpacked. The preview, which runs in the web process, never loads the shared-strings
table: it reads the first rows with string references left unresolved
(``defer_shared_strings``), then streams the table once for just those strings.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from typing import IO

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext
from openpyxl.reader.excel import ExcelReader
from openpyxl.worksheet._reader import WorkSheetParser
from openpyxl.xml.constants import SHARED_STRINGS, SHEET_MAIN_NS
from openpyxl.xml.functions import iterparse  # defusedxml's when installed, as openpyxl

from dialer_console.errors import ApplicationError

# Workbook parts that openpyxl reads whole on opening (workbook, styles, theme,
# properties, relationships) are small in any real workbook.
_MAX_METADATA_PART_BYTES = 16 * 1024 * 1024
_STRING_TAG = f"{{{SHEET_MAIN_NS}}}si"


def _size(value: int) -> str:
    return filesizeformat(value).replace("\xa0", " ")


def xlsx_check(fileobj: IO[bytes]) -> int | None:
    """Refuse a workbook that unpacks too large, compresses suspiciously well or states
    more rows than allowed; return the first sheet's stated row count (None if it states
    none). Reads only the zip directory and the head of the sheet."""
    fileobj.seek(0)
    try:
        with zipfile.ZipFile(fileobj) as archive:
            _check_archive(archive.infolist())
            rows = _stated_rows(fileobj)
    except zipfile.BadZipFile as error:
        raise ApplicationError(
            gettext("The workbook could not be opened: %(error)s.") % {"error": error},
            {"code": "binary"},
        ) from error
    finally:
        fileobj.seek(0)
    if rows is not None and rows > settings.LEAD_XLSX_MAX_ROWS:
        raise ApplicationError(too_many_rows_message(rows), {"code": "too_many_rows"})
    return rows


def too_many_rows_message(rows: int) -> str:
    return (
        f"The workbook has {rows:,} rows or more; at most {settings.LEAD_XLSX_MAX_ROWS:,} "
        "can be imported from one workbook. Split it, or save it as CSV."
    )


def _check_archive(members: list[zipfile.ZipInfo]) -> None:
    unpacked = sum(member.file_size for member in members)
    packed = max(sum(member.compress_size for member in members), 1)
    limit = settings.LEAD_XLSX_MAX_UNCOMPRESSED_BYTES
    if unpacked > limit:
        raise ApplicationError(
            gettext(
                "The workbook unpacks to %(value)s, more than the limit of %(value2)s. Split "
                "it, or save it as CSV."
            )
            % {"value": _size(unpacked), "value2": _size(limit)},
            {"code": "too_large_unpacked"},
        )
    ratio = settings.LEAD_XLSX_MAX_COMPRESSION_RATIO
    if unpacked > 1024 * 1024 and unpacked / packed > ratio:
        raise ApplicationError(
            gettext(
                "The workbook unpacks to %(value)s times its size (at most %(ratio)s is "
                "accepted): it does not look like a lead file. Save it as CSV."
            )
            % {"value": format(unpacked // packed, ","), "ratio": ratio},
            {"code": "compression_ratio"},
        )
    for member in members:
        is_data = member.filename.startswith("xl/worksheets/") or member.filename.endswith(
            "sharedStrings.xml"
        )
        if not is_data and member.file_size > _MAX_METADATA_PART_BYTES:
            raise ApplicationError(
                gettext(
                    "The workbook's part %(value)s is %(value2)s: it does not look like a lead "
                    "file."
                )
                % {"value": member.filename[:80], "value2": _size(member.file_size)},
                {"code": "too_large_unpacked"},
            )


class SharedString(str):
    """A cell that refers to the shared-strings table, not yet looked up (the preview)."""

    index: int

    def __new__(cls, index: int) -> SharedString:
        text = super().__new__(cls, f"#{index}")
        text.index = index
        return text


class _DeferredStrings:
    def __getitem__(self, index: int) -> SharedString:
        return SharedString(index)


class _Reader(ExcelReader):
    """openpyxl's reader, read-only and values only; with ``defer_shared_strings`` it
    leaves the shared-strings table unread and hands out SharedString references."""

    def __init__(self, fileobj: IO[bytes], *, defer_shared_strings: bool):
        super().__init__(fileobj, read_only=True, data_only=True)
        self.defer_shared_strings = defer_shared_strings

    def read_strings(self) -> None:
        if self.defer_shared_strings:
            self.shared_strings = _DeferredStrings()
        else:
            super().read_strings()


def _open(fileobj: IO[bytes], *, defer_shared_strings: bool):
    reader = _Reader(fileobj, defer_shared_strings=defer_shared_strings)
    try:
        reader.read()
    except Exception as error:  # openpyxl raises many types for a broken workbook
        raise ApplicationError(
            gettext("The workbook could not be opened: %(error)s.") % {"error": error},
            {"code": "binary"},
        ) from error
    return reader.wb


def workbook_rows(fileobj: IO[bytes], *, defer_shared_strings: bool = False) -> Iterator[tuple]:
    """The first sheet's rows as tuples of cell values, streamed. Check the file with
    ``xlsx_check`` first."""
    fileobj.seek(0)
    workbook = _open(fileobj, defer_shared_strings=defer_shared_strings)
    try:
        yield from workbook.worksheets[0].iter_rows(values_only=True)
    finally:
        workbook.close()


def shared_strings_lookup(fileobj: IO[bytes], indices: set[int]) -> dict[int, str]:
    """The shared strings at ``indices``, read in one streaming pass that keeps only
    those and stops after the last one."""
    if not indices:
        return {}
    found: dict[int, str] = {}
    last = max(indices)
    fileobj.seek(0)
    with zipfile.ZipFile(fileobj) as archive:
        path = _shared_strings_path(archive)
        if path is None:
            return {}
        with archive.open(path) as source:
            index = -1
            for _, element in iterparse(source):
                if element.tag != _STRING_TAG:
                    continue
                index += 1
                if index in indices:
                    found[index] = read_string_table_entry(element)
                element.clear()
                if index >= last:
                    break
    fileobj.seek(0)
    return found


def read_string_table_entry(element) -> str:
    """One <si> element's text, as openpyxl's own table reader gives it."""
    from openpyxl.cell.text import Text

    return Text.from_tree(element).content.replace("x005F_", "")


def _shared_strings_path(archive: zipfile.ZipFile) -> str | None:
    from openpyxl.packaging.manifest import Manifest
    from openpyxl.xml.functions import fromstring

    manifest = Manifest.from_tree(fromstring(archive.read("[Content_Types].xml")))
    part = manifest.find(SHARED_STRINGS)
    return part.PartName[1:] if part is not None else None


def _stated_rows(fileobj: IO[bytes]) -> int | None:
    """The last row of the first sheet's <dimension>, read from the sheet's head only."""
    fileobj.seek(0)
    workbook = _open(fileobj, defer_shared_strings=True)
    try:
        sheet = workbook.worksheets[0]
        with sheet._get_source() as source:  # the sheet's XML stream inside the archive
            dimensions = WorkSheetParser(source, []).parse_dimensions()
    finally:
        workbook.close()
    return dimensions[3] if dimensions else None
