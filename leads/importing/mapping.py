"""Columns to lead fields: suggestions from header names, and checking a mapping. Turning
one row into a staged lead or a rejection is in ``rows.py`` (re-exported here).

A mapping is a list with one target per column, in column order. Targets are plain
strings so they fit a form's select and a JSON field: ``phone``, ``alt:mobile``,
``first_name``, ``custom`` (a custom field named after the column), ``ignore``...
"""

from __future__ import annotations

import re
from functools import cache

from dialer_console.errors import ApplicationError
from leads.importing.rows import Rejection, RowMapper, StagedLead  # noqa: F401 - re-exported

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

# Header names seen in real lead files, normalised by _header_key. English, German,
# Hebrew and Indian-English spellings; a phone-like header becomes the main phone if it
# is the first one, otherwise an alternate of its kind.
_PHONE_HEADERS = {
    "other": (
        "phone",
        "phone number",
        "phone no",
        "phone nr",
        "telephone",
        "telephone number",
        "tel",
        "tel no",
        "contact",
        "contact no",
        "contact number",
        "landline",
        "landline no",
        "number",
        "msisdn",
        "telefon",
        "telefonnummer",
        "rufnummer",
        "tel nr",
        "טלפון",
        "מספר טלפון",
        "מס טלפון",
        "מספר",
    ),
    "mobile": (
        "mobile",
        "mobile no",
        "mobile number",
        "mob no",
        "mob",
        "cell",
        "cell phone",
        "cellphone",
        "cell no",
        "whatsapp",
        "whatsapp no",
        "handy",
        "handynummer",
        "mobil",
        "mobilnummer",
        "mobiltelefon",
        "נייד",
        "טלפון נייד",
        "סלולרי",
        "alt mobile no",
        "alternate mobile",
        "alternate mobile no",
    ),
    "home": ("home phone", "home", "home no", "festnetz", "privat", "טלפון בבית", "בית"),
    "work": (
        "work phone",
        "office phone",
        "business phone",
        "office no",
        "work",
        "büro",
        "geschäftlich",
        "dienstlich",
        "טלפון בעבודה",
        "עבודה",
    ),
}
_ALTERNATE_ONLY = (
    "alternate",
    "alternate no",
    "alternate number",
    "alt no",
    "alt phone",
    "other phone",
    "phone 2",
    "second phone",
    "zweitnummer",
    "טלפון נוסף",
)
_FIELD_HEADERS = {
    "first_name": ("first name", "firstname", "first", "given name", "fname", "name",
                   "customer name", "full name", "vorname", "name vorname", "שם פרטי", "שם"),
    "last_name": ("last name", "lastname", "last", "surname", "family name", "lname",
                  "nachname", "familienname", "שם משפחה"),
    "email": ("email", "e mail", "email address", "e mail address", "mail", "email id",
              "e mail adresse", "emailadresse", "דואל", "דוא ל", "אימייל", "מייל", "דואר אלקטרוני"),
    "timezone": ("timezone", "time zone", "tz", "zeitzone", "אזור זמן"),
    "priority": ("priority", "prio", "priorität", "עדיפות"),
    "expires_on": ("expiry", "expires", "expiry date", "expires on", "expiration",
                   "expiration date", "valid until", "ablaufdatum", "gültig bis", "תוקף"),
}  # fmt: skip


def _header_key(name: str) -> str:
    return " ".join(re.sub(r"[\W_]+", " ", name.casefold()).split())


@cache
def _header_index() -> dict[str, str]:
    index: dict[str, str] = {}
    for field, names in _FIELD_HEADERS.items():
        index.update((_header_key(name), field) for name in names)
    for kind, names in _PHONE_HEADERS.items():
        index.update((_header_key(name), f"phone-like:{kind}") for name in names)
    index.update((_header_key(name), "alt:other") for name in _ALTERNATE_ONLY)
    return index


def is_known_header(name: str) -> bool:
    return _header_key(name) in _header_index()


def suggest_mapping(header: list[str], template: dict[str, str] | None = None) -> list[str]:
    """A target per column: the template's choice for a header it knows, else a guess from
    the header name, else a custom field."""
    index = _header_index()
    mapping, taken = [], set()
    for name in header:
        target = (template or {}).get(name.casefold()) or index.get(_header_key(name), "custom")
        if target.startswith("phone-like:"):
            kind = target.split(":", 1)[1]
            target = "phone" if "phone" not in taken else f"alt:{kind}"
        if target in SINGLE_TARGETS and target in taken:
            target = "custom"
        taken.add(target)
        mapping.append(target)
    return mapping


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
