"""One row into either a staged lead or a rejection, for file imports and the API's bulk
add alike.

Every value is checked against the database column it is written to (its length, its
integer range, a real date and time zone, text PostgreSQL can store) here, per row: a value
the staging COPY or the INSERT would refuse would otherwise fail the whole import.
"""

from __future__ import annotations

import json
import re
from datetime import date, datetime
from functools import cache
from typing import NamedTuple
from zoneinfo import available_timezones

from django.db.backends.base.operations import BaseDatabaseOperations

from leads.importing.reader import RawRow
from leads.models import Lead, RejectReason
from leads.phones import phone_normalise


class StagedLead(NamedTuple):
    row_number: int
    phone: str
    alternate_phones: str  # JSON
    first_name: str
    last_name: str
    email: str
    timezone: str
    custom_fields: str  # JSON
    priority: int
    expires_on: date | None


class Rejection(NamedTuple):
    row_number: int
    reason: str
    detail: str


_EMPTY_LIST, _EMPTY_DICT = "[]", "{}"
_json_string = json.encoder.encode_basestring  # a str as a JSON string literal, in C
_DATE_FORMATS = ("%Y-%m-%d", "%d.%m.%Y", "%Y/%m/%d", "%d/%m/%Y")
# PostgreSQL text and jsonb refuse NUL; lone surrogates cannot be encoded as UTF-8.
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def _max_length(name: str) -> int:
    return Lead._meta.get_field(name).max_length


@cache
def integer_range(name: str) -> tuple[int, int]:
    # The portable ranges (PostgreSQL's), not the connection's: SQLite would take any
    # 64-bit value, and a file that imports in the embedded console must import anywhere.
    internal_type = Lead._meta.get_field(name).get_internal_type()
    return BaseDatabaseOperations.integer_field_ranges[internal_type]


def storable_text(value: str, what: str) -> str:
    """``value`` unchanged, or ValueError when the database cannot store it."""
    if _UNSTORABLE.search(value):
        raise ValueError(f"{what} contains a NUL byte or an invalid character.")
    return value


def _text(value: str, name: str, what: str) -> str:
    value = storable_text(value.strip(), what)
    limit = _max_length(name)
    if len(value) > limit:
        raise ValueError(f"{what} is longer than {limit} characters: {value[:30]!r}…")
    return value


def custom_fields_json(fields: dict) -> str:
    """A custom-fields dict as the JSON the database stores, or ValueError: jsonb has no
    NaN or Infinity and no NUL, and nothing stores a lone surrogate."""
    try:
        text = json.dumps(fields, ensure_ascii=False, allow_nan=False)
    except (TypeError, ValueError) as error:
        raise ValueError(f"The custom fields cannot be stored as JSON: {error}.") from None
    if "\\u0000" in text:
        raise ValueError("The custom fields contain a NUL byte.")
    return storable_text(text, "The custom fields")


@cache
def _time_zones() -> frozenset[str]:
    return frozenset(available_timezones())


class RowMapper:
    """Turns a RawRow into a StagedLead or a Rejection. Built once per import: the column
    positions of each target are worked out here, not per row. The mapping must have
    passed ``validate_mapping`` (one column per single target, a phone column)."""

    def __init__(
        self,
        *,
        header: list[str],
        mapping: list[str],
        country: str,
        default_timezone: str,
        pad_short_rows: bool = False,
    ):
        self.width = len(header)
        # A spreadsheet leaves out trailing empty cells; in a CSV a short row is ragged.
        self.pad_short_rows = pad_short_rows
        self.country = country
        self.default_timezone = default_timezone
        position = {target: i for i, target in enumerate(mapping)}
        self.phone = position["phone"]
        self.first_name = position.get("first_name")
        self.last_name = position.get("last_name")
        self.email = position.get("email")
        self.timezone = position.get("timezone")
        self.priority = position.get("priority")
        self.expires_on = position.get("expires_on")
        # Custom field names, JSON-encoded once with their colon: '"City":'.
        self.alternates = [
            (i, target.split(":", 1)[1], _json_string(header[i]) + ":")
            for i, target in enumerate(mapping)
            if target.startswith("alt:")
        ]
        self.custom_keys = [
            (i, _json_string(header[i]) + ":")
            for i, target in enumerate(mapping)
            if target == "custom"
        ]

    def map(self, row: RawRow) -> StagedLead | Rejection:
        number, fields, problem = row
        if problem:
            return Rejection(number, RejectReason.MALFORMED, problem)
        width = self.width
        if len(fields) != width:
            if len(fields) < width and self.pad_short_rows:
                fields = fields + [""] * (width - len(fields))
            if len(fields) < width or any(fields[width:]):
                return Rejection(
                    number,
                    RejectReason.MALFORMED,
                    f"The row has {len(fields)} fields; the header has {width}.",
                )
        raw_phone = fields[self.phone].strip().lstrip("'")
        if not raw_phone:
            return Rejection(number, RejectReason.INVALID_PHONE, "The phone number is empty.")
        phone = phone_normalise(raw_phone, self.country)
        if phone is None:
            return Rejection(
                number,
                RejectReason.INVALID_PHONE,
                f"{raw_phone[:40]!r} is not a valid phone number (read as {self.country}).",
            )
        try:
            return self._staged(number, fields, phone)
        except ValueError as error:
            return Rejection(number, RejectReason.MALFORMED, str(error))

    def _staged(self, number: int, fields: list[str], phone) -> StagedLead:
        # Hot path: runs once per row of a million-row file, so the JSON is put together
        # from pre-encoded keys instead of building dicts for json.dumps, and an unmapped
        # field costs one comparison.
        custom = [(key, fields[i]) for i, key in self.custom_keys if fields[i] != ""]
        alternates = []
        for i, kind, key in self.alternates:
            raw = fields[i].strip().lstrip("'")
            if not raw:
                continue
            alternate = phone_normalise(raw, self.country)
            if alternate is None:
                custom.append((key, fields[i]))  # kept where the user can see it
            else:
                alternates.append(
                    f'{{"phone":"{alternate[0]}","kind":"{kind}","priority":{len(alternates) + 1}}}'
                )
        time_zone = ""
        if self.timezone is not None:
            time_zone = _text(fields[self.timezone], "timezone", "The time zone")
            if time_zone and time_zone not in _time_zones():
                raise ValueError(f"Unknown time zone {time_zone!r}.")
        return StagedLead(
            number,
            phone[0],
            f"[{','.join(alternates)}]" if alternates else _EMPTY_LIST,
            self._field(fields, self.first_name, "first_name", "The first name"),
            self._field(fields, self.last_name, "last_name", "The last name"),
            self._field(fields, self.email, "email", "The e-mail address"),
            time_zone or phone[1] or self.default_timezone,
            self._custom_json(custom) if custom else _EMPTY_DICT,
            self._priority(fields) if self.priority is not None else 0,
            self._expiry(fields) if self.expires_on is not None else None,
        )

    @staticmethod
    def _field(fields: list[str], index: int | None, name: str, what: str) -> str:
        return "" if index is None else _text(fields[index], name, what)

    @staticmethod
    def _custom_json(custom: list[tuple[str, str]]) -> str:
        for _, value in custom:  # the keys, header names, were checked when read
            storable_text(value, "A custom field")
        return "{" + ",".join([key + _json_string(value) for key, value in custom]) + "}"

    def _priority(self, fields: list[str]) -> int:
        value = fields[self.priority].strip()
        if not value:
            return 0
        low, high = integer_range("priority")
        try:
            number = int(value) if len(value) <= 20 else None
        except ValueError:
            number = None
        if number is None:
            raise ValueError(f"Priority {value[:30]!r} is not a whole number.")
        if not low <= number <= high:
            raise ValueError(f"Priority {number} is outside {low:,} to {high:,}.")
        return number

    def _expiry(self, fields: list[str]) -> date | None:
        value = fields[self.expires_on].strip()
        if not value:
            return None
        if len(value) <= 40:
            for date_format in _DATE_FORMATS:
                try:
                    return datetime.strptime(value, date_format).date()
                except ValueError:
                    continue
        raise ValueError(f"Expiry date {value[:30]!r} is not a date like 2026-12-31.")
