"""The campaign's own field checks, per vendor: the caller ID's format and the bounds of
ring timeout, wrap-up, retries and retry interval; and the console's checks of vendor
fields that carry the same values (Acefone's outbound caller ID and dial statuses).

One validator for three doors: ``CampaignForm.clean`` (the page and its HTMX inline
validation) and the API's ``CampaignInput.validate`` call ``campaign_field_errors``;
``vendor_settings.vendor_form`` adds ``vendor_field_checks`` to the vendor form that the
page, HTMX and the API all validate with. So each door gives the same words.

Where each bound comes from is the ``source`` of each row of ``FIELD_BOUNDS``: none of
the five vendor documents gives a range for these values, so each row names the vendor
fields that carry it and why the bound is what it is ([REF] the excerpt beside the
vendor contracts, [I] the console's own judgement).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Bound:
    low: int
    high: int
    unit: str
    source: str

    @property
    def words(self) -> str:
        return f"{self.low:,} to {self.high:,} {self.unit}"


FIELD_BOUNDS: dict[str, Bound] = {
    "ring_timeout_seconds": Bound(
        15,
        120,
        "seconds",
        "Acefone ring_timeout (string) [REF], Webitel originateTimeout (number, example 40) "
        "[REF]. 15 s: 47 CFR 64.1200(a)(6), an unanswered call rings at least 15 s (or four "
        "rings). 120 s: [I] a network gives up on an unanswered call well before.",
    ),
    "wrap_up_seconds": Bound(
        0,
        3600,
        "seconds",
        "Acefone auto_disposition_cancel_duration (string) [REF], Webitel wrapUpTime "
        "(number, examples 40 and 60) [REF]. [I] an hour of wrap-up after one call is a "
        "mistake, not a setting.",
    ),
    "retry_count": Bound(
        0,
        20,
        "retries",
        "Acefone number_of_retry (string) [REF], Webitel maxTryCount (number, example 0) "
        "[REF]. [I] more than 20 calls to one lead is harassment, not a retry rule.",
    ),
    "retry_interval_minutes": Bound(
        1,
        10080,
        "minutes",
        "Acefone retry_after_minutes (string) [REF], Webitel intervalTryCount (seconds, "
        "example 180) [REF]. [I] 0 would redial at once; a week is the longest wait a "
        "retry rule needs.",
    ),
}


@dataclass(frozen=True)
class CallerIdFormat:
    """How a vendor takes a caller ID: ``region`` reads a number without a country code
    (None: the country code is required), ``example`` is shown in the message."""

    region: str | None
    example: str
    source: str


CALLER_ID_FORMATS: dict[str, CallerIdFormat] = {
    # [REF] "outbound_caller_id*: Caller ID for the dialer campaign, string"; no format
    # given. The console asks for the number with its country code ("+" optional).
    "acefone": CallerIdFormat(None, "+918045678900", "[REF] string, format undocumented"),
    # [V] CallerID "must be a number on the account"; Target needs the international
    # prefix for non-Israeli numbers, so an Israeli number may be national ("072…").
    "voicenter": CallerIdFormat("IL", "+97235551234 or 035551234", "[V] AddCall CallerID"),
    # [REF] destination callerIdNumber: string ("000000000" in the example).
    "webitel": CallerIdFormat(None, "+4930123456", "[REF] callerIdNumber, format undocumented"),
    # [D] PhoneNumber1..6 are E.164; jtel documents no campaign caller ID format.
    "jtel": CallerIdFormat(None, "+4930123456", "[D] jtel numbers are E.164"),
    # [D] did*: digits with the country code, sent without "+" (payloads.phone_number).
    "ozonetel": CallerIdFormat(None, "+918040000000", "[D] did, digits with country code"),
}
# The campaign fields ``campaign_field_errors`` reads.
CHECKED_FIELDS = ("caller_id", *FIELD_BOUNDS)
ANY_VENDOR = CallerIdFormat(None, "+14155550123", "no vendor chosen yet")


def caller_id_error(value: str, vendor_kind: str) -> str:
    """Why ``value`` is not a caller ID ``vendor_kind`` takes ("" when it is one)."""
    text = (value or "").strip()
    if not text:
        return ""
    rule = CALLER_ID_FORMATS.get(vendor_kind, ANY_VENDOR)
    compact = text.replace(" ", "").replace("-", "")
    if rule.region is None and compact.isdigit():
        compact = f"+{compact}"  # digits with the country code, without the "+"
    try:
        number = phonenumbers.parse(compact, rule.region)
        valid = phonenumbers.is_valid_number(number)
    except phonenumbers.NumberParseException:
        valid = False
    if valid:
        return ""
    return _(
        "“%(value)s” is not a phone number the dialer can show as caller ID: enter it with "
        "its country code, for example %(example)s."
    ) % {"value": text, "example": rule.example}


def bound_error(name: str, value: Any) -> str:
    bound = FIELD_BOUNDS.get(name)
    if bound is None or value is None or bound.low <= value <= bound.high:
        return ""
    return f"Enter {bound.words}."


def campaign_field_errors(*, values: dict[str, Any], vendor_kind: str) -> dict[str, str]:
    """The campaign field errors of ``values`` (the cleaned campaign fields) on a
    ``vendor_kind`` account ("" when none is chosen), by field name."""
    errors = {name: bound_error(name, values.get(name)) for name in FIELD_BOUNDS}
    if "caller_id" in values:
        errors["caller_id"] = caller_id_error(values["caller_id"], vendor_kind)
    return {name: message for name, message in errors.items() if message}


def bound_widget_attrs(field, name: str) -> None:
    """Show the bounds in a number input (``min``/``max``); the check stays ours."""
    bound = FIELD_BOUNDS[name]
    field.widget.attrs.update({"min": bound.low, "max": bound.high})


# --- vendor fields that hold the same values -------------------------------------------


def _acefone_caller_id(value: str) -> None:
    error = caller_id_error(value, "acefone")
    if error:
        raise ValidationError(error)


# [I] A GUESS, the only one here. Acefone documents dial_status as "array of strings"
# and nothing more (api-facts open question 2). These are the per-lead statuses the
# console already assumes (payloads.PENDING_DIAL_STATUSES for "not dialled yet", the
# emulator's "answered") and the outcomes a redial rule targets; widen the set when
# Acefone's values are known.
ACEFONE_DIAL_STATUSES_GUESSED = frozenset(
    {
        "new",
        "pending",
        "not_dialed",
        "fresh",
        "answered",
        "not_answered",
        "busy",
        "failed",
        "callback",
    }
)


def _acefone_dial_statuses(values: list[str]) -> None:
    unknown = [
        value for value in values if value.strip().lower() not in ACEFONE_DIAL_STATUSES_GUESSED
    ]
    if unknown:
        known = ", ".join(sorted(status.upper() for status in ACEFONE_DIAL_STATUSES_GUESSED))
        raise ValidationError(
            _("Unknown dial status “%(value)s”: use one or more of %(known)s.")
            % {"value": unknown[0], "known": known}
        )


VENDOR_FIELD_CHECKS: dict[str, dict[str, Any]] = {
    "acefone": {
        "outbound_caller_id": _acefone_caller_id,
        "dial_status": _acefone_dial_statuses,
    },
}


def vendor_field_checks(form) -> None:
    """Add the console's checks of ``form``'s vendor to its fields (on this instance)."""
    kind = form.account.kind if form.account is not None else ""
    for name, check in VENDOR_FIELD_CHECKS.get(kind, {}).items():
        if name in form.fields:
            form.fields[name].validators.append(check)
