"""What kind of file was uploaded: spreadsheet or text, which encoding, which delimiter.

Only the head of the file is looked at (``SAMPLE_BYTES``). Anything that is not a lead
file (gzip, zip, PDF, images, other binary data) is refused with a message that says
what it looks like, before a row is read.
"""

from __future__ import annotations

import codecs
import csv
import io
from dataclasses import dataclass

from charset_normalizer import from_bytes
from django.utils.translation import gettext, gettext_lazy

from dialer_console.errors import ApplicationError

SAMPLE_BYTES = 1024 * 1024

ENCODING_CHOICES = (
    ("utf-8", "UTF-8"),
    ("utf-8-sig", "UTF-8 with BOM"),
    ("utf-16", "UTF-16 (with BOM)"),
    ("utf-16-le", "UTF-16 little-endian"),
    ("utf-16-be", "UTF-16 big-endian"),
    ("cp1252", "Windows-1252 (Western European)"),
    ("cp1250", "Windows-1250 (Central European)"),
    ("cp1251", "Windows-1251 (Cyrillic)"),
    ("cp1255", "Windows-1255 (Hebrew)"),
    ("cp1256", "Windows-1256 (Arabic)"),
    ("iso-8859-1", "ISO-8859-1 (Latin-1)"),
    ("iso-8859-8", "ISO-8859-8 (Hebrew)"),
    ("iso-8859-15", "ISO-8859-15 (Latin-9)"),
    ("mac_roman", "Mac Roman"),
    ("shift_jis", "Shift JIS"),
    ("gb18030", "GB18030 (Chinese)"),
)
DELIMITER_CHOICES = ((",", "Comma ,"), (";", "Semicolon ;"), ("\t", "Tab"), ("|", "Pipe |"))

_BINARY_SIGNATURES = (
    (b"\x1f\x8b", gettext_lazy("a gzip archive")),
    (b"BZh", gettext_lazy("a bzip2 archive")),
    (b"\xfd7zXZ\x00", gettext_lazy("an xz archive")),
    (b"7z\xbc\xaf\x27\x1c", gettext_lazy("a 7-Zip archive")),
    (b"%PDF", gettext_lazy("a PDF document")),
    (b"\x89PNG", gettext_lazy("a PNG image")),
    (b"\xff\xd8\xff", gettext_lazy("a JPEG image")),
    (b"GIF8", gettext_lazy("a GIF image")),
    (
        b"\xd0\xcf\x11\xe0",
        gettext_lazy("an old Excel (.xls) or Office file; save it as .xlsx or CSV"),
    ),
    (b"SQLite format 3", gettext_lazy("an SQLite database")),
)
_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


@dataclass(frozen=True)
class Inspection:
    file_format: str  # "csv" or "xlsx"
    encoding: str  # "" when it could not be detected: the user must choose
    delimiter: str


def inspect_head(head: bytes, name: str) -> Inspection:
    """Classify a file from its first bytes; raise ApplicationError for what cannot be a
    lead file."""
    if not head.strip():
        raise ApplicationError(gettext("The file is empty."), {"code": "empty"})
    if head.startswith(b"PK\x03\x04"):
        if name.lower().endswith((".xlsx", ".xlsm")):
            return Inspection(file_format="xlsx", encoding="", delimiter="")
        raise ApplicationError(
            gettext(
                "This is a zip archive, not a CSV file. Unpack it and upload the CSV, or upload "
                "an .xlsx workbook with an .xlsx name."
            ),
            {"code": "binary"},
        )
    for signature, description in _BINARY_SIGNATURES:
        if head.startswith(signature):
            raise ApplicationError(
                gettext("This looks like %(description)s, not a CSV file.")
                % {"description": description},
                {"code": "binary"},
            )
    encoding = detect_encoding(head)
    delimiter = ","
    if encoding:
        delimiter = detect_delimiter(decode_sample(head, encoding))
    return Inspection(file_format="csv", encoding=encoding, delimiter=delimiter)


def detect_encoding(sample: bytes) -> str:
    """BOM first, then strict UTF-8, then charset-normalizer; "" when nothing fits."""
    for bom, encoding in _BOMS:
        if sample.startswith(bom):
            return encoding
    if sample.count(0) > len(sample) // 100:
        return _utf16_without_bom(sample)
    # A stray NUL in a text file spoils only its row, which is reported as malformed.
    sample = sample.replace(b"\x00", b"")
    if _is_utf8(sample):
        return "utf-8"
    # Only the legacy encodings lead files come in: left to itself, charset-normalizer
    # calls a short cp1252 file cp775 or cp1250.
    matches = from_bytes(sample, cp_isolation=_LEGACY_ENCODINGS)
    if not matches:
        return ""
    detected = (
        _by_header_names(sample, [m.encoding for m in matches])
        or codecs.lookup(matches.best().encoding).name
    )
    if detected != "cp1252" and _decodes_alike(sample, detected, "cp1252"):
        return "cp1252"  # the same text either way: say the common one
    return detected


_LEGACY_ENCODINGS = [
    name for name, _ in ENCODING_CHOICES if not name.startswith(("utf-8", "utf-16"))
]


def _by_header_names(sample: bytes, detected: list[str]) -> str:
    """On a short file charset-normalizer cannot tell cp1255 from cp1251; the header row
    can: the encoding that turns it into known column names ("טלפון", "Телефон") wins."""
    from leads.importing.header_synonyms import is_known_header

    first_line = sample.split(b"\n", 1)[0]
    if first_line.isascii():
        return ""
    for encoding in dict.fromkeys([*detected, *_LEGACY_ENCODINGS]):
        try:
            text = first_line.decode(encoding)
        except UnicodeDecodeError:
            continue
        cells = [cell for part in text.split(",") for cell in part.split(";")]
        if any(not cell.isascii() and is_known_header(cell) for cell in cells):
            return codecs.lookup(encoding).name
    return ""


def _decodes_alike(sample: bytes, one: str, other: str) -> bool:
    try:
        return sample.decode(one) == sample.decode(other)
    except UnicodeDecodeError:
        return False


def decode_sample(sample: bytes, encoding: str) -> str:
    # The sample may end in the middle of a character or a line: decode what is whole.
    text = codecs.getincrementaldecoder(encoding)(errors="replace").decode(sample, final=False)
    if len(sample) >= SAMPLE_BYTES and "\n" in text:
        text = text[: text.rindex("\n") + 1]
    return text


def detect_delimiter(text: str) -> str:
    """The candidate that splits the first lines into the most consistent number (> 1) of
    columns; a comma when none does (a one-column file)."""
    lines = text.splitlines()[:50]
    best, best_score = ",", (0, 0)
    for delimiter, _ in DELIMITER_CHOICES:
        try:
            counts = [len(row) for row in csv.reader(lines, delimiter=delimiter) if row]
        except csv.Error:
            continue
        if not counts:
            continue
        mode = max(set(counts), key=counts.count)
        if mode < 2:
            continue
        score = (counts.count(mode), mode)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _is_utf8(sample: bytes) -> bool:
    try:
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=False)
    except UnicodeDecodeError:
        return False
    return True


def _utf16_without_bom(sample: bytes) -> str:
    # Text in UTF-16 has a NUL in every other byte for ASCII letters; anything else with
    # NUL bytes is binary, and the csv reader would return nonsense for it.
    even = sample[0::2].count(0)
    odd = sample[1::2].count(0)
    half = max(len(sample) // 2, 1)
    if odd / half > 0.3 and even / half < 0.05:
        return "utf-16-le"
    if even / half > 0.3 and odd / half < 0.05:
        return "utf-16-be"
    raise ApplicationError(
        gettext("The file contains NUL bytes: it is binary data, not a CSV text file."),
        {"code": "binary"},
    )


def read_head(fileobj: io.BufferedIOBase) -> bytes:
    fileobj.seek(0)
    head = fileobj.read(SAMPLE_BYTES)
    fileobj.seek(0)
    return head
