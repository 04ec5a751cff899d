"""Mapping suggestions: a target per column, from a saved template, the header name, or
the column's content, each with a note saying where it came from so the user can check.

Content is judged on the rows the preview already read (``PREVIEW_ROWS``, the first 20
data rows): a column whose non-empty values are at least 80 % valid phone numbers for
the import's country, read by the same code the import uses (``leads.phones``), is a
phone column; one whose values look like e-mail addresses is the e-mail.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from django.utils.translation import gettext as _

from dialer_console.errors import ApplicationError
from leads.importing.header_synonyms import header_role
from leads.importing.mapping import SINGLE_TARGETS
from leads.importing.reader import RawRow
from leads.phones import phone_normalise

CONTENT_SHARE = 0.8  # of the non-empty sampled values
SHOWN_SAMPLES, SHOWN_CHARS = 3, 24
SHOWN_COLUMNS = 12  # in the refusal's message; its ``extra`` has every column

# A phone as people write it: digits with spacing, dashes, dots, slashes, brackets and a
# leading + (or the ' a spreadsheet keeps it text with). Letters mean it is something else.
_PHONE_TEXT = re.compile(r"^'?\+?[\d\s().\-/]+$")
_MIN_DIGITS, _MAX_DIGITS = 7, 15  # fewer are postcodes, amounts, ids; more is no number
_DATE_TEXT = re.compile(r"^\d{1,4}[./-]\d{1,2}[./-]\d{1,4}$")
_AMOUNT_TEXT = re.compile(r"^\d+[.,]\d{1,2}$")
_EMAIL_TEXT = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]+$")


@dataclass(frozen=True)
class ColumnSuggestion:
    column: str
    target: str
    source: str  # "template", "header", "content", or "" when nothing was found
    note: str


@dataclass(frozen=True)
class ColumnContent:
    """What the sampled values of one column look like."""

    samples: tuple[str, ...]
    phones: int
    emails: int

    @property
    def is_phone(self) -> bool:
        return bool(self.samples) and self.phones >= CONTENT_SHARE * len(self.samples)

    @property
    def is_email(self) -> bool:
        return bool(self.samples) and self.emails >= CONTENT_SHARE * len(self.samples)

    def shown_samples(self) -> list[str]:
        return [_shorten(value) for value in self.samples[:SHOWN_SAMPLES]]


def column_content(rows: Sequence[RawRow], index: int, country: str) -> ColumnContent:
    samples = tuple(
        value
        for row in rows
        if not row.problem and index < len(row.fields)
        for value in [row.fields[index].strip()]
        if value
    )
    phones = 0 if _looks_like_ids(samples) else sum(_is_phone(v, country) for v in samples)
    emails = sum(bool(_EMAIL_TEXT.match(value)) for value in samples)
    return ColumnContent(samples, phones, emails)


def _is_phone(value: str, country: str) -> bool:
    if not _PHONE_TEXT.match(value) or _DATE_TEXT.match(value) or _AMOUNT_TEXT.match(value):
        return False
    digits = sum(char.isdigit() for char in value)
    if not _MIN_DIGITS <= digits <= _MAX_DIGITS or _is_compact_date(value):
        return False
    return phone_normalise(value.lstrip("'"), country) is not None


def _is_compact_date(value: str) -> bool:
    if len(value) != 8 or not value.isdigit():
        return False
    try:
        return 1900 <= datetime.strptime(value, "%Y%m%d").year <= 2100
    except ValueError:
        return False


def _looks_like_ids(samples: tuple[str, ...]) -> bool:
    """Order ids, invoice and customer numbers: bare digits of one length, close together
    (a running counter). Phone numbers in a lead file are spread over their whole range,
    so a country whose every 10-digit string is a valid number still rejects these."""
    if len(samples) < 3 or not all(value.isdigit() for value in samples):
        return False
    if len({len(value) for value in samples}) != 1:
        return False
    numbers = [int(value) for value in samples]
    return max(numbers) - min(numbers) <= 100 * len(numbers)


def _shorten(value: str) -> str:
    return value if len(value) <= SHOWN_CHARS else value[: SHOWN_CHARS - 1] + "…"


@dataclass(frozen=True)
class _Guess:
    role: str | None  # a target, "phone-like:<kind>", or None
    source: str
    content: ColumnContent


def suggest_columns(
    *,
    header: list[str],
    rows: Sequence[RawRow] = (),
    country: str = "",
    template: dict[str, str] | None = None,
) -> list[ColumnSuggestion]:
    """A target per column. A saved template's choice wins, then the header name, then the
    content. The main phone is the first header-named phone column whose values are valid
    numbers (content breaks the tie between several), else the first header-named one,
    else the first column found by content; other phone columns become alternates."""
    guesses = [
        _guess(name, column_content(rows, index, country), template or {})
        for index, name in enumerate(header)
    ]
    main_phone = _main_phone(guesses)
    taken: set[str] = set()
    suggestions = []
    for index, (name, guess) in enumerate(zip(header, guesses, strict=True)):
        target, source = guess.role or "custom", guess.source
        if target.startswith("phone-like:"):
            target = "phone" if index == main_phone else "alt:" + target.split(":", 1)[1]
        if target in SINGLE_TARGETS and target in taken:
            target, source = "custom", ""
        taken.add(target)
        suggestions.append(
            ColumnSuggestion(name, target, source, _note(source, target, guess.content, country))
        )
    return suggestions


def suggest_mapping(
    header: list[str],
    template: dict[str, str] | None = None,
    *,
    rows: Sequence[RawRow] = (),
    country: str = "",
) -> list[str]:
    return [
        suggestion.target
        for suggestion in suggest_columns(
            header=header, rows=rows, country=country, template=template
        )
    ]


def _guess(name: str, content: ColumnContent, template: dict[str, str]) -> _Guess:
    if chosen := template.get(name.casefold()):
        return _Guess(chosen, "template", content)
    if role := header_role(name):
        return _Guess(role, "header", content)
    if content.is_phone:
        return _Guess("phone-like:other", "content", content)
    if content.is_email:
        return _Guess("email", "content", content)
    return _Guess(None, "", content)


def _main_phone(guesses: list[_Guess]) -> int | None:
    if any(guess.role == "phone" for guess in guesses):
        return None  # a template named it
    phone_like = [
        (index, guess)
        for index, guess in enumerate(guesses)
        if guess.role and guess.role.startswith("phone-like:")
    ]
    for preferred in (
        lambda guess: guess.source == "header" and guess.content.is_phone,
        lambda guess: guess.source == "header",
        lambda guess: guess.source == "content",
    ):
        for index, guess in phone_like:
            if preferred(guess):
                return index
    return None


def _note(source: str, target: str, content: ColumnContent, country: str) -> str:
    sampled = len(content.samples)
    if source == "template":
        return "from the saved mapping"
    if source == "header":
        return "from the header name"
    if source == "content" and target == "email":
        return (
            f"found by content: {content.emails} of {sampled} sampled values are e-mail addresses"
        )
    if source == "content":
        return (
            f"found by content: {content.phones} of {sampled} sampled values are valid "
            f"{country} numbers"
        )
    return ""


def phone_not_found_error(
    *, header: list[str], rows: Sequence[RawRow], country: str
) -> ApplicationError:
    """The refusal of a mapping without a phone: which columns were looked at, a few of
    the values sampled from each, and how many of those are valid numbers."""
    columns = []
    for index, name in enumerate(header):
        content = column_content(rows, index, country)
        columns.append(
            {
                "column": name,
                "samples": content.shown_samples(),
                "sampled": len(content.samples),
                "valid_phones": content.phones,
            }
        )
    looked_at = "; ".join(
        f"{column['column']}: "
        + (", ".join(column["samples"]) or "empty")
        + f" ({column['valid_phones']} of {column['sampled']} valid)"
        for column in columns[:SHOWN_COLUMNS]
    )
    if len(columns) > SHOWN_COLUMNS:
        looked_at += f"; and {len(columns) - SHOWN_COLUMNS} more columns"
    return ApplicationError(
        _(
            "No column is mapped to Phone. Columns looked at, with the values sampled "
            "and how many of them are valid %(country)s numbers: %(looked_at)s. Map the "
            "column that holds the phone number, or check the default country."
        )
        % {"country": country, "looked_at": looked_at},
        {"code": "no_phone", "country": country, "columns": columns},
    )
