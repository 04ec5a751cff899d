"""Our values to the jtel Portal REST API's JSON and back, as pure functions.

Sources: ``shared/vendors/jtel-dialler-campaigns.txt`` (the excerpt, primary) and
api-facts §4 ([D] wiki.jtel.de). jtel's own field names live only here and in
``forms.py``. The campaign settings are the jtel form's cleaned data, which is the clone
body itself: ``source``, ``destination``, ``userData``, ``dtFrom``, ``dtTo``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any
from urllib.parse import quote

from vendors.adapters.jtel.field_map import FIELD_MAP
from vendors.adapters.types import (
    CampaignSpec,
    DialOutcome,
    DialResult,
    LeadRecord,
    RemoteCampaign,
)

API_PREFIX = "/rest/v1.0"
# "Datetime format: YYYY-MM-DD HH:mm:SS" ([D] api-facts §4.4, the import scheme).
DATETIME_FORMAT = "%Y-%m-%d %H:%M:%S"
LANGUAGES = {1: "English", 2: "German"}  # result codes' languagesID (excerpt)
PHONE_FIELDS = tuple(f"PhoneNumber{n}" for n in range(1, 7))
# Text lengths of the import scheme ([D] api-facts §4.4, the newer scheme).
FIELD_LENGTHS = {
    "UserData": 64,
    "Name": 64,
    "FirstName": 64,
    "Email": 256,
    "PostalCode": 10,
    "Salutation": 16,
    "Title": 16,
    **dict.fromkeys(PHONE_FIELDS, 32),
}
# Import keys of the documented example ([D] api-facts §4.4): a console custom field of
# that name goes to its own column; any other goes into Comment, which has no limit.
IMPORT_KEYS = frozenset(
    {
        "Client",
        "Service",
        "ReferenceNumber",
        "Salutation",
        "Title",
        "Company",
        "Address",
        "PostalCode",
        "City",
        "Country",
        "AccountOwner",
        "AccountBank",
        "AccountNationalBankCode",
        "AccountBIC",
        "AccountNumber",
        "AccountIBAN",
        "Amount",
    }
)


def api_path(clients_id: str, path: str) -> str:
    """``/rest/v1.0/{ClientsID}`` starts every path ([D] api-facts §4.1)."""
    return f"{API_PREFIX}/{quote(clients_id, safe='')}{path}"


def format_datetime(value: Any) -> str:
    if isinstance(value, datetime):
        return value.strftime(DATETIME_FORMAT)
    if isinstance(value, date):
        return datetime.combine(value, datetime.min.time()).strftime(DATETIME_FORMAT)
    return str(value)


# --- campaigns ------------------------------------------------------------------------


def clone_body(spec: CampaignSpec) -> dict[str, str]:
    """Clone the template ``source`` as ``destination`` (the console campaign's name, by
    the field map). Optional keys are left out rather than sent empty."""
    settings = FIELD_MAP.vendor_settings(spec)
    body = {
        "source": str(settings.get("source", "")),
        "destination": str(settings["destination"]),
    }
    if settings.get("userData"):
        body["userData"] = str(settings["userData"])
    for key in ("dtFrom", "dtTo"):  # from release 3.39
        if settings.get(key):
            body[key] = format_datetime(settings[key])
    return body


def records(reply: Any) -> list[dict[str, Any]]:
    """The ``records`` of jtel's envelope (lists, single items and clone alike)."""
    found = reply.get("records") if isinstance(reply, dict) else None
    if not isinstance(found, list):
        raise ValueError("no records array in the reply")
    return [record for record in found if isinstance(record, dict)]


def record_id(record: dict[str, Any]) -> str:
    """The record's id, "" when it has none. The excerpt's campaign records are shortened
    and show no id; ``ID`` is the key every other jtel record it shows uses (result codes:
    "ID": 2695) [I]."""
    value = record.get("ID")
    return "" if value in (None, "") else str(value)


def campaign_named(records_found: list[dict[str, Any]], name: str) -> dict[str, Any] | None:
    """The record whose Name is exactly ``name``: "by name" matches partially (excerpt)."""
    exact = [record for record in records_found if str(record.get("Name", "")) == name]
    return exact[0] if len(exact) == 1 else None


def campaign_choice(record: dict[str, Any]) -> RemoteCampaign:
    """A listed campaign; ``remote_id`` is "" when the record shows no id."""
    return RemoteCampaign(
        remote_id=record_id(record),
        name=str(record.get("Name", "")),
        detail={key: record[key] for key in ("dtFrom", "dtTo", "UserData") if key in record},
    )


@dataclass(frozen=True)
class ResultCode:
    """One result code of a dialler campaign: what an agent may record for a call."""

    remote_id: str
    export_key: str
    label: str
    kind: str
    done: bool
    aborted: bool
    delay: bool
    appointment: bool

    @property
    def final(self) -> bool:
        """The contact will not be dialled again."""
        return self.done or self.aborted


def result_codes(reply: Any) -> list[ResultCode]:
    return [
        ResultCode(
            remote_id=record_id(record),
            export_key=str(record.get("ExportKey") or ""),
            label=str(record.get("Content") or ""),
            kind=str(record.get("DiallerResultCodesTypesContent") or ""),
            done=bool(record.get("bDone")),
            aborted=bool(record.get("bAborted")),
            delay=bool(record.get("bDelay")),
            appointment=bool(record.get("bAppointment")),
        )
        for record in records(reply)
    ]


RESULT_KEY = "ResultCodesExportKey"
# The one fact a jtel pending count rests on, shown beside it.
PENDING_FACT = (
    "counted from each contact's ResultCodesExportKey, a column of jtel's import/export "
    "scheme [D] that the documented contact records do not list [I]"
)
NO_PENDING_FACT = (
    "jtel's documented contact records carry no result, so which contacts are finished is unknown"
)


def count_pending(contacts: list[dict[str, Any]], codes: list[ResultCode]) -> int | None:
    """Contacts whose last result, if any, is not a final one, or None when no contact
    record carries a last result (``ResultCodesExportKey``, not among the documented
    contact keys): then the count would be a guess."""
    if contacts and not any(RESULT_KEY in contact for contact in contacts):
        return None
    final_keys = {code.export_key for code in codes if code.final}
    return sum(1 for contact in contacts if contact.get(RESULT_KEY) not in final_keys)


# --- contacts -------------------------------------------------------------------------


def contact_user_data(campaign_id: str, lead_id: int) -> str:
    """The contact's key in jtel (``UserData``, "the foreign-system key"): unique per
    campaign and lead, so ``overwriteDuplicates`` makes a re-push an update and delete
    by UserData finds the right contact."""
    return f"dc-{campaign_id}-{lead_id}"


def contact_body(lead: LeadRecord, *, campaign_id: str) -> dict[str, Any]:
    """One contact for ``POST /dialler/contacts/import``: Name, the campaign and at least
    one phone number are required ([D] api-facts §4.4)."""
    body: dict[str, Any] = {
        "DiallerCampaignsID": int(campaign_id),
        "UserData": contact_user_data(campaign_id, lead.lead_id),
        # jtel requires a Name; a lead with none is named by its number.
        "Name": lead.last_name or lead.first_name or lead.phone,
        "PhoneNumber1": lead.phone,
    }
    if lead.last_name and lead.first_name:
        body["FirstName"] = lead.first_name
    if lead.email:
        body["Email"] = lead.email
    for field, alternate in zip(PHONE_FIELDS[1:], lead.alternate_phones, strict=False):
        body[field] = alternate.phone
    comment = []
    for key, value in lead.custom_fields.items():
        if key in IMPORT_KEYS:
            body[key] = value
        elif value not in (None, ""):
            comment.append(f"{key}: {value}")
    if comment:
        body["Comment"] = "\n".join(comment)
    return body


def too_long(body: dict[str, Any]) -> str:
    """The first field longer than the import scheme allows, as a message, or ""."""
    for field, limit in FIELD_LENGTHS.items():
        if len(str(body.get(field) or "")) > limit:
            return f"{field} is longer than {limit} characters"
    return ""


# --- results ----------------------------------------------------------------------------

# The values of nPhoneNumber{n}LastCause are not documented (api-facts §4.4 gives the key
# only); these telephony causes are the emulator's and a best guess [I].
LAST_CAUSE_OUTCOMES: dict[str, DialOutcome] = {
    "NORMAL_CLEARING": DialOutcome.ANSWERED,
    "USER_BUSY": DialOutcome.BUSY,
    "NO_ANSWER": DialOutcome.NO_ANSWER,
    "NO_USER_RESPONSE": DialOutcome.NO_ANSWER,
    "CALL_REJECTED": DialOutcome.FAILED,
    "UNALLOCATED_NUMBER": DialOutcome.FAILED,
}


def code_outcome(code: ResultCode) -> DialOutcome:
    """A campaign result code ([REF] resultCodes: bAppointment, bAborted, bDone) as the
    console's code: an appointment is a callback, an abort abandoned, a done answered."""
    if code.appointment:
        return DialOutcome.CALLBACK
    if code.aborted:
        return DialOutcome.ABANDONED
    if code.done:
        return DialOutcome.ANSWERED
    return DialOutcome.NO_ANSWER


def _tries(contact: dict[str, Any]) -> int | None:
    counts = [contact.get(f"nTries{field}") for field in PHONE_FIELDS]
    numbers = [n for n in counts if isinstance(n, int) and not isinstance(n, bool)]
    return sum(numbers) if numbers else None


def _jtel_datetime(value: Any) -> datetime | None:
    """jtel's "YYYY-MM-DD HH:mm:SS" [D], read as UTC: the documents name no zone [I]."""
    try:
        parsed = datetime.strptime(str(value).replace("T", " ")[:19], DATETIME_FORMAT)
    except ValueError:
        return None
    return parsed.replace(tzinfo=UTC)


def contact_result(contact: dict[str, Any], codes: dict[str, ResultCode]) -> DialResult:
    """A contact's documented keys ([D] api-facts §4.4): tries per number, the last cause
    of the last number tried, ``dtNextTry``; and, where the record carries it, its result
    code (``ResultCodesExportKey``) by the campaign's codes, which says whether the
    contact is finished. Without one, whether it is done is unknown."""
    tried = [n for n in range(1, 7) if (contact.get(f"nTriesPhoneNumber{n}") or 0) > 0]
    cause = str(contact.get(f"nPhoneNumber{tried[-1]}LastCause") or "") if tried else ""
    code = codes.get(str(contact.get(RESULT_KEY) or ""))
    if code is not None:
        raw, outcome, done = code.export_key, code_outcome(code), code.final
    else:
        raw, outcome, done = cause, LAST_CAUSE_OUTCOMES.get(cause, ""), None
    return DialResult(
        remote_id=str(contact.get("UserData") or ""),
        phone=str(contact.get("PhoneNumber1") or ""),
        attempts=_tries(contact),
        result_raw=raw,
        outcome=outcome,
        next_attempt_at=_jtel_datetime(contact.get("dtNextTry"))
        if contact.get("dtNextTry")
        else None,
        done=done,
    )
