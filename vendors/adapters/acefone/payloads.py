"""Acefone's JSON, both ways, as pure functions. Acefone's field names live here and in
``forms.py`` only.

Sources: ``shared/vendors/acefone-add-dialer-campaign.txt`` (the campaign body, [REF]) and
``api-facts.md`` §1 (auth, lead lists and leads, from Smartflo's identical pages [D]/[T]).
"""

from __future__ import annotations

import re
import zoneinfo
from collections import Counter
from datetime import datetime
from typing import Any

from vendors.adapters.acefone.field_map import DIAL_METHODS, FIELD_MAP
from vendors.adapters.types import (
    CampaignSpec,
    DialOutcome,
    DialResult,
    LeadRecord,
    PendingCount,
    RemoteItem,
)

# --- campaign ------------------------------------------------------------------------

# Documented types of the campaign body (the excerpt's "Data Type" column).
STRING_FIELDS = frozenset(
    {
        "name", "description", "dial_method", "auto_dial_duration", "outbound_caller_id",
        "list_traversal_order", "agent_script", "disposition_list", "number_of_retry",
        "retry_after_minutes", "auto_disposition_cancel_duration", "time_group",
        "time_group_recording", "ring_timeout", "quick_transfer_list", "account_dnd_list",
        "after_call_work_duration", "webform_url", "music_on_hold", "ring_strategy",
        "dial_ratio", "break_list", "map_agent_caller_id", "map_agent_lead_list",
        "connect_agent_through", "dial_in_type", "agent_dial_in_number", "inbound_queue",
        "inbound_lead_list", "call_qualification_duration", "announcement_recording",
        "queue_timeout",
    }
)  # fmt: skip
INTEGER_FIELDS = frozenset(
    {
        "agent_wise_caller_id", "agent_wise_lead_list", "hide_lead_details",
        "update_lead_details", "automatic_schedule_call_enabled", "enable_hangup",
        "enable_external_transfer", "enable_web_form", "enable_transfer",
        "agent_only_callback", "enforce_agent_pause_code", "manual_dial_enabled",
        "enable_inbound", "enable_agent_opt_out", "enable_auto_answer",
    }
)  # fmt: skip
STRING_LIST_FIELDS = frozenset({"dial_status", "manual_lead_list"})
INTEGER_LIST_FIELDS = frozenset({"agent"})
OBJECT_LIST_FIELDS = frozenset({"lead_list_map"})
CAMPAIGN_FIELDS = (
    STRING_FIELDS | INTEGER_FIELDS | STRING_LIST_FIELDS | INTEGER_LIST_FIELDS | OBJECT_LIST_FIELDS
)
# The excerpt's "*" fields.
MANDATORY_FIELDS = (
    "name", "dial_method", "outbound_caller_id", "disposition_list", "number_of_retry",
    "retry_after_minutes", "auto_disposition_cancel_duration", "dial_status", "ring_timeout",
    "hide_lead_details", "update_lead_details", "connect_agent_through", "dial_in_type",
    "agent_only_callback", "agent",
)  # fmt: skip
DIAL_METHOD_PREVIEW = DIAL_METHODS["preview"]
DIAL_METHOD_RATIO = DIAL_METHODS["ratio"]


def _typed(name: str, value: Any) -> Any:
    if name in STRING_FIELDS:
        return str(value)
    if name in INTEGER_FIELDS:
        return int(value)
    if name in STRING_LIST_FIELDS:
        return [str(item) for item in value]
    if name in INTEGER_LIST_FIELDS:
        return [int(item) for item in value]
    if name in OBJECT_LIST_FIELDS:
        return [
            {"list_id": int(row["list_id"]), "list_status": int(row["list_status"])}
            for row in value
        ]
    return value


def campaign_body(spec: CampaignSpec) -> dict[str, Any]:
    """The body of POST /v1/dialer/campaign and PUT /v1/dialer/campaign/{id}: every
    documented field with its documented type; empty optional values left out. The
    fields of the field map are always the campaign's."""
    merged = FIELD_MAP.vendor_settings(spec)
    body = {}
    for name, value in merged.items():
        if name not in CAMPAIGN_FIELDS or value is None or value == "":
            continue
        body[name] = _typed(name, value)
    return body


def campaign_id_from_reply(data: Any) -> str:
    """The new campaign's id. The excerpt documents only {success, message}; the id's key
    is not documented, so the usual places are tried [I]. "" when there is none."""
    if not isinstance(data, dict):
        return ""
    nested = data.get("data") if isinstance(data.get("data"), dict) else {}
    for source in (data, nested):
        for key in ("campaign_id", "id"):
            if source.get(key) not in (None, ""):
                return str(source[key])
    return ""


def active_list_id(body: dict[str, Any]) -> str:
    """The lead list the console pushes this campaign's leads to: the first active list of
    its ``lead_list_map`` ("" when it has none)."""
    for row in body.get("lead_list_map") or ():
        if int(row.get("list_status", 0)) == 1:
            return str(row["list_id"])
    return ""


def reply_ok(data: Any) -> bool:
    """{success, message}; the docs capitalise the keys (Success/Message), on the wire
    they are presumably lower case [I], so both are read."""
    if not isinstance(data, dict):
        return False
    return bool(data.get("success", data.get("Success", False)))


def reply_message(data: Any) -> str:
    if not isinstance(data, dict):
        return ""
    return str(data.get("message", data.get("Message", "")) or "")


# --- auth ----------------------------------------------------------------------------

LOGIN_PATH = "/v1/auth/login"
REFRESH_PATH = "/v1/auth/refresh"  # same reply as the login [D UK docs]
SCHEDULE_CALL_PATH = "/v1/dialer/schedule_call/"  # [D]
# The zone of schedule_date_time's wall time: undocumented. [I] India's, Acefone's home
# (api-facts §1.1); an aware time is turned into it, a naive one is sent as it is.
SCHEDULE_CALL_ZONE = "Asia/Kolkata"


def schedule_call_body(
    *,
    customer_number: str,
    when: datetime,
    customer_name: str = "",
    agent_id: str = "",
    reminder_minutes: int | None = None,
    call_end_minutes: int | None = None,
    inbound_queue: int | None = None,
) -> dict[str, Any]:
    """POST /v1/dialer/schedule_call/ [D]: schedule_date_time as "YYYY-MM-DD HH:MM:SS";
    empty optional fields left out."""
    body: dict[str, Any] = {
        "customer_number": customer_number,
        "schedule_date_time": _schedule_wall(when).strftime("%Y-%m-%d %H:%M:%S"),
    }
    if customer_name:
        body["customer_name"] = customer_name
    if agent_id:
        body["assigned_to"] = str(agent_id)
    if reminder_minutes is not None:
        body["reminder_schedule_callbacks"] = True
        body["reminder_time"] = int(reminder_minutes)
    if call_end_minutes is not None:
        body["call_end_min"] = int(call_end_minutes)
    if inbound_queue is not None:
        body["inbound_queue"] = int(inbound_queue)
    return body


def _schedule_wall(when: datetime) -> datetime:
    if when.tzinfo is None:
        return when
    return when.astimezone(zoneinfo.ZoneInfo(SCHEDULE_CALL_ZONE))


def login_body(login_id: str, password: str) -> dict[str, str]:
    """UK docs [D]: {"login_id", "password"}. Third-party India code sends "email" instead
    [T]; the documented key is used (api-facts §1.2, open question 1)."""
    return {"login_id": login_id, "password": password}


def token_from_login_reply(data: Any) -> tuple[str, float]:
    """(access_token, lifetime in seconds) from {success, access_token, token_type,
    expires_in} [D]. The docs say a token lasts an hour."""
    if not isinstance(data, dict) or not data.get("access_token"):
        return "", 0.0
    try:
        lifetime = float(data.get("expires_in") or 3600)
    except (TypeError, ValueError):
        lifetime = 3600.0
    return str(data["access_token"]), lifetime


# --- leads ---------------------------------------------------------------------------

# Smartflo [D]: field_0 phone, field_1 name, field_2 email, field_3 address, field_4
# company, field_5..field_11 custom fields 1-7.
PHONE, NAME, EMAIL = "field_0", "field_1", "field_2"
CUSTOM_FIELD_SLOTS = tuple(f"field_{number}" for number in range(5, 12))
_NUMBERED_FIELD = re.compile(r"^field_\d+\Z")
DUPLICATE_OPTIONS = ("skip", "overwrite", "clone")
# "skip" makes a re-push after a crash harmless: the list keeps one lead per number.
DUPLICATE_OPTION = "skip"
PRIORITY_RANGE = (1, 30)  # "priority is an int from 1 to 30 (30 is highest)" [D Smartflo]


def lead_fields(lead: LeadRecord) -> dict[str, Any]:
    """One lead as Acefone's numbered fields. Custom fields already named ``field_N`` keep
    their slot; the others fill the free custom slots field_5..field_11 in order."""
    fields: dict[str, Any] = {PHONE: lead.phone}
    if lead.full_name:
        fields[NAME] = lead.full_name
    if lead.email:
        fields[EMAIL] = lead.email
    named = {k: v for k, v in lead.custom_fields.items() if _NUMBERED_FIELD.match(str(k))}
    fields.update({k: str(v) for k, v in named.items() if k != PHONE})
    free = iter(slot for slot in CUSTOM_FIELD_SLOTS if slot not in fields)
    for key, value in lead.custom_fields.items():
        if key in named or value in (None, ""):
            continue
        slot = next(free, None)
        if slot is None:
            break
        fields[slot] = str(value)
    if lead.priority:
        low, high = PRIORITY_RANGE
        fields["priority"] = max(low, min(high, int(lead.priority)))
    return fields


def lead_body(lead: LeadRecord) -> dict[str, Any]:
    """POST /v1/broadcast/lead/{list_id} [D Smartflo]."""
    return {**lead_fields(lead), "duplicate_option": DUPLICATE_OPTION}


def leads_bulk_body(leads: list[LeadRecord]) -> dict[str, Any]:
    """POST /v1/broadcast/leads/{list_id}: {"data": [...], "duplicate_option"} [D Smartflo]
    (the parameter table says duplicate_options, the example duplicate_option; the example
    is followed)."""
    return {"data": [lead_fields(lead) for lead in leads], "duplicate_option": DUPLICATE_OPTION}


def lead_id_from_reply(data: Any) -> str:
    """The added lead's id, when the reply carries one (not documented [I])."""
    if isinstance(data, dict):
        for key in ("lead_id", "id"):
            if data.get(key) not in (None, ""):
                return str(data[key])
    return ""


# How a single-lead reply says what became of the lead. Not documented; matched on the
# words, in one place so a real reply can correct it [I].
_DUPLICATE_WORDS = ("already exist", "duplicate")
_DND_WORDS = ("dnd", "do not disturb", "do-not-call")
_LEAD_REFUSAL_WORDS = ("phone", "number", "field_0", "priority", "invalid lead")


def is_duplicate_message(message: str) -> bool:
    return any(word in message.lower() for word in _DUPLICATE_WORDS)


def is_dnd_message(message: str) -> bool:
    return any(word in message.lower() for word in _DND_WORDS)


def is_lead_refusal_message(message: str) -> bool:
    """A 400 about the lead itself (its number, its fields), not about the list."""
    lowered = message.lower()
    return "list" not in lowered and any(word in lowered for word in _LEAD_REFUSAL_WORDS)


def leads_from_reply(data: Any) -> list[dict[str, Any]]:
    """GET /v1/broadcast/leads/{list_id} returns a bare JSON array of leads [D Smartflo];
    a {"data": [...]} envelope is accepted too."""
    if isinstance(data, dict):
        data = data.get("data")
    if not isinstance(data, list):
        return []
    return [row for row in data if isinstance(row, dict)]


# Which per-lead dial_status values mean "not dialled yet". The values are not documented
# (api-facts open question 2); these are the emulator's and a best guess [I].
PENDING_DIAL_STATUSES = frozenset({"", "new", "pending", "not_dialed", "fresh"})


def pending_from_leads(rows: list[dict[str, Any]]) -> PendingCount:
    by_status = Counter(str(row.get("dial_status") or "").lower() for row in rows)
    pending = sum(count for status, count in by_status.items() if status in PENDING_DIAL_STATUSES)
    return PendingCount(
        pending=pending,
        total=len(rows),
        detail={"by_dial_status": {status or "(none)": n for status, n in by_status.items()}},
    )


DND_PATH = "/v1/broadcast/dnd/leads"  # [D Smartflo, Servetel]
DND_PAGE_LIMIT = 100  # "limit=1..100"
# At most this many DND pages are read to explain leads a bulk add left out.
DND_MAX_PAGES = 50
SENT_UNCONFIRMED = "Sent, not yet confirmed: Acefone's bulk reply has no per-lead outcome."
NOT_ADDED = "Acefone did not add this lead: it is not on the lead list after the bulk add."
DND_REFUSED = "Acefone's DND list holds this number."


def dnd_page(data: Any) -> tuple[list[str], bool, str]:
    """One page of GET /v1/broadcast/dnd/leads: {hasMore, count, limit, data: [{id,
    number, type, ...}]} [D]: the numbers, whether more follow, and the last id seen."""
    if not isinstance(data, dict) or not isinstance(data.get("data"), list):
        return [], False, ""
    rows = [row for row in data["data"] if isinstance(row, dict)]
    numbers = [
        str(row.get("number") or "") for row in rows if row.get("type", "number") == "number"
    ]
    last_id = str(rows[-1].get("id") or "") if rows else ""
    return [n for n in numbers if n], bool(data.get("hasMore")) and bool(last_id), last_id


def number_key(phone: str) -> str:
    """A number as Acefone may echo it: its examples show numbers with and without "+" and
    the country code, so numbers are matched on their last 10 digits [I]."""
    return re.sub(r"\D", "", str(phone or ""))[-10:]


def remote_lead_id(row: dict[str, Any]) -> str:
    return str(row.get("id") or row.get("lead_id") or "")


def lead_lists(data: Any) -> list[dict[str, Any]]:
    """GET /v1/broadcast/lists [T: seen only in third-party code]: a bare array, or one
    wrapped in ``data``; the same guess lives here only."""
    lists = data if isinstance(data, list) else (data or {}).get("data") or []
    return [item for item in lists if isinstance(item, dict)]


def lead_list_items(data: Any) -> list[RemoteItem]:
    """The listed lead lists as items to choose from; one without an id is left out."""
    return [
        RemoteItem(remote_id=str(item["id"]), name=str(item.get("name") or ""))
        for item in lead_lists(data)
        if str(item.get("id") or "").strip()
    ]


# What the list's dial_status values mean. Acefone documents the key, not its values
# (api-facts §1.5, open question 2): these are the emulator's and a best guess [I].
DIAL_STATUS_OUTCOMES: dict[str, DialOutcome] = {
    "answered": DialOutcome.ANSWERED,
    "connected": DialOutcome.ANSWERED,
    "busy": DialOutcome.BUSY,
    "no_answer": DialOutcome.NO_ANSWER,
    "noanswer": DialOutcome.NO_ANSWER,
    "failed": DialOutcome.FAILED,
    "dnd": DialOutcome.DNC,
}


def _count(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def dial_results(rows: list[dict[str, Any]]) -> list[DialResult]:
    """Each lead of the list-leads reply ([D Smartflo] ``dial_status``, ``call_count``,
    ``retry_count``): attempts are ``call_count``; a lead not dialled yet has no result.
    Acefone says nothing of when a lead was dialled, whether it will be again, or by whom."""
    results = []
    for row in rows:
        status = str(row.get("dial_status") or "")
        dialled = status.lower() not in PENDING_DIAL_STATUSES
        results.append(
            DialResult(
                remote_id=remote_lead_id(row),
                phone=str(row.get(PHONE) or ""),
                attempts=_count(row.get("call_count")),
                result_raw=status if dialled else "",
                outcome=DIAL_STATUS_OUTCOMES.get(status.lower(), "") if dialled else "",
            )
        )
    return results
