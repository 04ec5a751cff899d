"""Columns to lead fields: the targets, and checking a mapping. The suggestions are in
``leads.importing.suggest``; turning one row into a staged lead or a rejection is in
``rows.py`` (re-exported here).

A mapping is a list with one target per column, in column order. Targets are plain
strings so they fit a form's select and a JSON field: ``phone``, ``alt:mobile``,
``first_name``, ``custom`` (a custom field named after the column), ``ignore``...
"""

from __future__ import annotations

from django.utils.translation import gettext

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


def validate_mapping(mapping: list[str], header: list[str]) -> list[str]:
    if len(mapping) != len(header):
        raise ApplicationError(gettext("The mapping does not have one entry per column."))
    unknown = [target for target in mapping if target not in TARGETS]
    if unknown:
        raise ApplicationError(
            gettext("Unknown mapping targets: %(value)s.") % {"value": ", ".join(unknown)}
        )
    if "phone" not in mapping:
        raise ApplicationError(
            gettext("No column is mapped to Phone. Map the column that holds the phone number."),
            {"code": "no_phone"},
        )
    for target in SINGLE_TARGETS:
        columns = [header[i] for i, value in enumerate(mapping) if value == target]
        if len(columns) > 1:
            raise ApplicationError(
                gettext("Only one column can be mapped to %(value)s; %(value2)s are.")
                % {"value": target.replace("_", " "), "value2": ", ".join(columns)}
            )
    return mapping
