"""Columns to lead fields: the targets, and turning one row into either a staged lead or a
rejection (the suggestions are in ``leads.importing.suggest``).

A mapping is a list with one target per column, in column order. Targets are plain
strings so they fit a form's select and a JSON field: ``phone``, ``alt:mobile``,
``first_name``, ``custom`` (a custom field named after the column), ``ignore``...
"""

from __future__ import annotations

import json
from datetime import date, datetime
from functools import cache
from typing import NamedTuple
from zoneinfo import available_timezones

from dialer_console.errors import ApplicationError
from leads.importing.reader import RawRow
from leads.models import RejectReason
from leads.phones import phone_normalise

ALTERNATE_KINDS = ("mobile", "home", "work", "other")
TARGET_CHOICES = (
    ("ignore", "Ignore this column"),
    ("phone", "Phone"),
    *((f"alt:{kind}", f"Alternate phone ({kind})") for kind in ALTERNATE_KINDS),
    ("first_name", "First name"),
    ("last_name", "Last name"),
    ("email", "E-mail"),
    ("timezone", "Time zone"),
    ("priority", "Priority"),
    ("expires_on", "Expiry date"),
    ("custom", "Custom field (named after the column)"),
)
TARGETS = frozenset(value for value, _ in TARGET_CHOICES)
SINGLE_TARGETS = ("phone", "first_name", "last_name", "email", "timezone", "priority", "expires_on")


def validate_mapping(mapping: list[str], header: list[str]) -> list[str]:
    if len(mapping) != len(header):
        raise ApplicationError("The mapping does not have one entry per column.")
    unknown = [target for target in mapping if target not in TARGETS]
    if unknown:
        raise ApplicationError(f"Unknown mapping targets: {', '.join(unknown)}.")
    if "phone" not in mapping:
        raise ApplicationError(
            "No column is mapped to Phone. Map the column that holds the phone number.",
            {"code": "no_phone"},
        )
    for target in SINGLE_TARGETS:
        columns = [header[i] for i, value in enumerate(mapping) if value == target]
        if len(columns) > 1:
            raise ApplicationError(
                f"Only one column can be mapped to {target.replace('_', ' ')}; "
                f"{', '.join(columns)} are."
            )
    return mapping


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
_NAME_LIMIT, _EMAIL_LIMIT = 200, 254


def _text(value: str, limit: int) -> str:
    value = value.strip()
    if len(value) > limit:
        raise ValueError(f"A value is longer than {limit} characters: {value[:30]!r}…")
    return value


@cache
def _time_zones() -> frozenset[str]:
    return frozenset(available_timezones())


class RowMapper:
    """Turns a RawRow into a StagedLead or a Rejection. Built once per import: the column
    positions of each target are worked out here, not per row."""

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
        position = {target: i for i, target in enumerate(mapping) if target in SINGLE_TARGETS}
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
            time_zone = _text(fields[self.timezone], 64)
            if time_zone and time_zone not in _time_zones():
                raise ValueError(f"Unknown time zone {time_zone!r}.")
        index = self.first_name
        first_name = "" if index is None else _text(fields[index], _NAME_LIMIT)
        index = self.last_name
        last_name = "" if index is None else _text(fields[index], _NAME_LIMIT)
        index = self.email
        email = "" if index is None else _text(fields[index], _EMAIL_LIMIT)
        return StagedLead(
            number,
            phone[0],
            f"[{','.join(alternates)}]" if alternates else _EMPTY_LIST,
            first_name,
            last_name,
            email,
            time_zone or phone[1] or self.default_timezone,
            "{" + ",".join([key + _json_string(value) for key, value in custom]) + "}"
            if custom
            else _EMPTY_DICT,
            self._priority(fields) if self.priority is not None else 0,
            self._expiry(fields) if self.expires_on is not None else None,
        )

    @staticmethod
    def _text(fields: list[str], index: int | None, limit: int) -> str:
        if index is None:
            return ""
        return _text(fields[index], limit)

    def _priority(self, fields: list[str]) -> int:
        value = self._text(fields, self.priority, 20)
        if not value:
            return 0
        try:
            return int(value)
        except ValueError:
            raise ValueError(f"Priority {value!r} is not a whole number.") from None

    def _expiry(self, fields: list[str]) -> date | None:
        value = self._text(fields, self.expires_on, 40)
        if not value:
            return None
        for date_format in _DATE_FORMATS:
            try:
                return datetime.strptime(value, date_format).date()
            except ValueError:
                continue
        raise ValueError(f"Expiry date {value!r} is not a date like 2026-12-31.")
