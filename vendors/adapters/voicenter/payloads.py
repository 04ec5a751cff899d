"""Our values ↔ Voicenter ForwardDialer JSON (``shared/vendors/voicenter-forward-dialer.txt``,
methods 6.1–6.15, and api-facts §2). Pure functions: no I/O.

Every request carries the account's ``Code`` (api-facts §2.2 [D]); every method except
GetCampaignList also carries ``Campaign``, the campaign's Code from GetCampaignList.
Voicenter's own names live only here, in ``codes.py`` and in ``forms.py``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

from vendors.adapters.types import (
    CallRecord,
    CampaignSpec,
    DialOutcome,
    DialResult,
    LeadOutcome,
    LeadRecord,
    LeadResult,
    PendingCount,
    PushResult,
    RemoteCampaign,
)
from vendors.adapters.voicenter import codes
from vendors.adapters.voicenter.field_map import FIELD_MAP

PATH_PREFIX = "/ForwardDialer/Dialer"
STRATEGY_FIELDS = ("setQueueForMonitoring", "setQueueMaximumCallers", "setCoefficient")
DELETED_STATUS = "Deleted"
# The console's lead id travels with the call so a popup or CDR can point back to it, and
# so does the campaign's Code: a CDR then says which campaign dialled it (6.1: custom data
# "will be used in popup notification or CDR to CRM systems").
LEAD_ID_VARIABLE = "var_LeadID"
CAMPAIGN_VARIABLE = "var_DialerCampaign"
_VARIABLE_UNSAFE = re.compile(r"[^A-Za-z0-9_]")


def path(method: str) -> str:
    return f"{PATH_PREFIX}/{method}"


def target(phone: str) -> str:
    """Voicenter's Target: the number with its international prefix, digits only, as in
    GetCampaignPendingCalls' ``"Phone": "972544444444"`` (6.12)."""
    return phone.strip().lstrip("+")


def authenticated(code: str, body: dict[str, Any]) -> dict[str, Any]:
    return {"Code": code, **body}


def campaign_body(code: str, campaign: str) -> dict[str, Any]:
    return {"Code": code, "Campaign": campaign}


def custom_data(lead: LeadRecord) -> dict[str, Any]:
    """6.1: in JSON, custom variables go in ``CustomData``, each with the ``var_`` prefix."""
    data: dict[str, Any] = {LEAD_ID_VARIABLE: lead.lead_id}
    for key, value in lead.custom_fields.items():
        name = _VARIABLE_UNSAFE.sub("_", str(key))
        if not name.startswith("var_"):
            name = f"var_{name}"
        data[name] = value if isinstance(value, int | float | str) else str(value)
    return data


def call_body(
    code: str, campaign: str, lead: LeadRecord, *, caller_id: str = "", bulk: bool = False
) -> dict[str, Any]:
    """One call for AddCall/UpdateCall (6.1, 6.13) or one item of AddCallsBulk (6.11).

    The caller id key is ``Callerid`` in AddCall's parameter list and ``CallerID`` in the
    AddCallsBulk example; each method gets its own spelling."""
    body: dict[str, Any] = {"Code": code, "Campaign": campaign, "Target": target(lead.phone)}
    if caller_id:
        body["CallerID" if bulk else "Callerid"] = target(caller_id)
    if lead.full_name:
        body["CustomerName"] = lead.full_name
    if lead.priority:
        body["Priority"] = int(lead.priority)
    body.update(originate_time(lead))
    body["CustomData"] = {**custom_data(lead), CAMPAIGN_VARIABLE: campaign}
    return body


def originate_time(lead: LeadRecord) -> dict[str, Any]:
    """The call's OriginateTime (Unix epoch seconds) from the lead's next opening in its own
    zone, so the dialer does not dial it earlier (the calling window, ``call_from``).
    ``IsDateLocal: "false"`` says the time is GMT: the key is in Voicenter's skill file
    only [V], the .txt documents OriginateTime alone; an epoch is GMT either way."""
    if lead.call_from is None:
        return {}
    return {"OriginateTime": int(lead.call_from.timestamp()), "IsDateLocal": "false"}


def bulk_body(
    code: str, campaign: str, leads: Iterable[LeadRecord], *, caller_id: str = ""
) -> list[dict[str, Any]]:
    """AddCallsBulk takes a JSON array; each item carries its own Code and Campaign [V]."""
    return [call_body(code, campaign, lead, caller_id=caller_id, bulk=True) for lead in leads]


def remove_body(code: str, campaign: str, phone: str) -> dict[str, Any]:
    return {**campaign_body(code, campaign), "Target": target(phone)}


def member_body(code: str, campaign: str, member: str) -> dict[str, Any]:
    return {**campaign_body(code, campaign), "Member": member}


def strategy_body(code: str, campaign: str, settings: dict[str, Any]) -> dict[str, Any] | None:
    """UpdateCampaignStrategy (6.9), with only the fields the settings give; None when
    they give none."""
    fields = {name: settings[name] for name in STRATEGY_FIELDS if settings.get(name) is not None}
    if not fields:
        return None
    return {**campaign_body(code, campaign), **fields}


def ivr_body(code: str, campaign: str, settings: dict[str, Any]) -> dict[str, Any] | None:
    """ConfigureIvrCampaign (6.15): ``setMaxCalls`` nested in ``ConcurrentStrategy`` and the
    ``RepresentativeList`` of SIP names; None when the settings give neither."""
    body: dict[str, Any] = {}
    if settings.get("setMaxCalls") is not None:
        body["ConcurrentStrategy"] = {"setMaxCalls": int(settings["setMaxCalls"])}
    if settings.get("RepresentativeList"):
        body["RepresentativeList"] = [str(name) for name in settings["RepresentativeList"]]
    if not body:
        return None
    return {**campaign_body(code, campaign), **body}


def campaign_code(spec: CampaignSpec) -> str:
    """The Code of the Voicenter campaign the console campaign is linked to."""
    return str(spec.settings.get("Code") or "").strip()


def desired_members(spec: CampaignSpec) -> list[str] | None:
    """The Member codes the campaign should have: each agent's Voicenter id (the field
    map's ``members``). None when the campaign has no agents, so members set up in
    Voicenter's own portal are left alone."""
    wanted = [str(member) for member in FIELD_MAP.vendor_settings(spec).get("members") or []]
    if not wanted:
        return None
    return list(dict.fromkeys(wanted))


# --- replies -------------------------------------------------------------------------


def error_code(data: Any) -> int | None:
    """The reply's ErrorCode, or None when the reply has none (a protocol error)."""
    if not isinstance(data, dict):
        return None
    value = data.get("ErrorCode")
    if isinstance(value, bool) or not isinstance(value, int | str):
        return None
    try:
        return int(value)
    except ValueError:
        return None


def remote_campaigns(data: dict[str, Any]) -> list[RemoteCampaign]:
    """GetCampaignList (6.3) without deleted campaigns: those cannot be linked."""
    campaigns = []
    for item in data.get("Data") or []:
        if item.get("StatusName") == DELETED_STATUS or not item.get("Code"):
            continue
        detail = {key: value for key, value in item.items() if key not in ("Code", "Name")}
        campaigns.append(
            RemoteCampaign(
                remote_id=str(item["Code"]), name=str(item.get("Name", "")), detail=detail
            )
        )
    return campaigns


def members(data: dict[str, Any]) -> list[tuple[str, str]]:
    """GetMembersList (6.4): (Member, DisplayName) pairs."""
    return [
        (str(item["Member"]), str(item.get("DisplayName", "")))
        for item in data.get("Data") or []
        if item.get("Member")
    ]


def pending_from_details(data: dict[str, Any], fetched_at: datetime) -> PendingCount | None:
    """GetCampaignDetails (6.14): ``TotalPendingCalls`` and the campaign's status. None
    when the reply lacks the count."""
    details = data.get("Data")
    if not isinstance(details, dict) or not isinstance(details.get("TotalPendingCalls"), int):
        return None
    return PendingCount(
        pending=details["TotalPendingCalls"],
        state=str(details.get("StatusName", "")),
        fetched_at=fetched_at,
        detail={
            key: details[key]
            for key in ("Name", "MaxPriority", "MinPriority", "TotalAwaitingCalls")
            if key in details
        },
    )


IVR_FACT = "TotalAwaitingCalls of GetCampaignList, as IVR campaigns count (api-facts §2.3 [V])"


def pending_for_ivr(details: PendingCount, listed: dict[str, Any], code: str) -> PendingCount:
    """An IVR campaign's pending count: its GetCampaignList entry's ``TotalAwaitingCalls``
    [V]; the excerpt's list example shows no counts, so without it there is no count."""
    entry = next((item for item in listed.get("Data") or [] if str(item.get("Code")) == code), {})
    awaiting = entry.get("TotalAwaitingCalls")
    detail = {**details.detail, "TotalPendingCalls": details.pending}
    if not isinstance(awaiting, int) or isinstance(awaiting, bool):
        return replace(
            details,
            pending=None,
            detail={**detail, "rests_on": "Voicenter gave no TotalAwaitingCalls for this IVR "
                    "campaign, so its pending count is unknown"},
        )  # fmt: skip
    return replace(details, pending=awaiting, detail={**detail, "rests_on": IVR_FACT})


@dataclass(frozen=True)
class PendingCall:
    """One call of GetCampaignPendingCalls (6.12)."""

    target: str
    customer_name: str = ""
    priority: int = 0
    custom_data: dict[str, Any] = field(default_factory=dict)
    originate_time: int = 0  # epoch seconds; 0: as soon as possible
    status: str = ""  # CallStatus.Description, e.g. "Pending"


def pending_calls(data: dict[str, Any]) -> list[PendingCall] | None:
    """GetCampaignPendingCalls' ``Data.Calls`` (6.12: each call's Phone, CustomerName,
    Priority, CustomData); None when the reply has no Calls array."""
    calls = (data.get("Data") or {}).get("Calls") if isinstance(data.get("Data"), dict) else None
    if not isinstance(calls, list):
        return None
    return [
        PendingCall(
            target=str(call.get("Phone") or "").lstrip("+"),
            customer_name=str(call.get("CustomerName") or ""),
            priority=int(call.get("Priority") or 0),
            custom_data=dict(call.get("CustomData") or {}),
            originate_time=_seconds(call.get("OriginateTime")),
            status=str((call.get("CallStatus") or {}).get("Description") or "")
            if isinstance(call.get("CallStatus"), dict)
            else "",
        )
        for call in calls
        if isinstance(call, dict) and call.get("Phone")
    ]


def _seconds(value: Any) -> int:
    try:
        return max(0, int(value or 0))
    except (TypeError, ValueError):
        return 0


def pending_call_result(call: PendingCall) -> DialResult:
    """A call still on GetCampaignPendingCalls (6.12) is not done; its OriginateTime (epoch
    seconds, read as GMT+0 [I]: the console sends IsDateLocal "false") is its next try.
    Voicenter lists no attempts, and a dialled call leaves the list."""
    next_at = datetime.fromtimestamp(call.originate_time, UTC) if call.originate_time else None
    return DialResult(
        remote_id=call.target,
        phone=call.target,
        result_raw=call.status,
        next_attempt_at=next_at,
        done=False,
    )


def bulk_results(leads: list[LeadRecord], data: dict[str, Any]) -> PushResult | None:
    """AddCallsBulk's ``AddResult`` (one ``{Target, ErrorCode, Description}`` per item, in
    the order sent [V]) as one result per lead; None when it is missing or does not match
    the leads sent."""
    rows = data.get("AddResult")
    if not isinstance(rows, list) or len(rows) != len(leads):
        return None
    results = []
    for lead, row in zip(leads, rows, strict=True):
        code = error_code(row)
        if code is None or str(row.get("Target", "")) != target(lead.phone):
            return None
        results.append(call_result(lead, code, str(row.get("Description", ""))))
    return PushResult(tuple(results))


def bulk_accepted(leads: list[LeadRecord]) -> PushResult:
    """The whole array accepted with ErrorCode 0 and no ``AddResult`` (the excerpt's 6.11
    reply): each lead is on the dialer under its Target."""
    return PushResult(
        tuple(
            LeadResult(lead.lead_id, LeadOutcome.ACCEPTED, remote_id=target(lead.phone))
            for lead in leads
        )
    )


def call_result(lead: LeadRecord, code: int, description: str) -> LeadResult:
    """A lead's outcome from the ErrorCode of its call. Voicenter documents no duplicate
    answer: its pending list is keyed by Target, so a second add replaces the first."""
    if code == codes.OK:
        return LeadResult(lead.lead_id, LeadOutcome.ACCEPTED, remote_id=target(lead.phone))
    message = codes.message_for(code)
    if description and description not in message:
        message = f"{message} ({description})"
    return LeadResult(lead.lead_id, LeadOutcome.REJECTED, message=message)


# --- the call log (CDRs) ---------------------------------------------------------------
# api-facts §2.3 [V]: the dialer's CDRs are in the Call Log API, of type "ProductiveCall
# Leg1/Leg2", filtered with ``cdrTypes: [14, 15]``. Nothing here documents that API's
# request or reply, so everything below the types is a guess [I], kept in this one block
# (the emulator answers the same shape):
# - POST ``/hub/cdr/`` on the account's host with a JSON body ``{"code", "fromdate",
#   "todate", "cdrTypes"}`` (lower-case ``code``, as Voicenter's other, non-dialer APIs
#   take it; dates "YYYY-MM-DD HH:MM:SS" in UTC);
# - the reply ``{"ERROR_NUMBER": 0, "ERROR_DESCRIPTION", "CDR_LIST": [{"CallID", "Date",
#   "TargetNumber", "DialStatus", "Duration", "RepresentativeName", "Type", "TypeID",
#   "CustomData"}]}``, all records of the window in one reply;
# - ``DialStatus`` takes Asterisk's words (ANSWER, NOANSWER, BUSY, CANCEL, CONGESTION,
#   CHANUNAVAIL); one Leg1 record (type 14) is one attempt to reach the lead, and Leg2
#   (type 15) is the agent's leg of an answered call, not another attempt.
CDR_PATH = "/hub/cdr/"
CDR_LEG1, CDR_LEG2 = 14, 15  # [V]
CDR_DATE_FORMAT = "%Y-%m-%d %H:%M:%S"  # [I]
DIAL_STATUS_OUTCOMES = {  # [I] the statuses; the console's codes for them
    "ANSWER": DialOutcome.ANSWERED,
    "NOANSWER": DialOutcome.NO_ANSWER,
    "BUSY": DialOutcome.BUSY,
    "CANCEL": DialOutcome.CANCELLED,
    "CONGESTION": DialOutcome.FAILED,
    "CHANUNAVAIL": DialOutcome.FAILED,
}


def cdr_body(code: str, since: datetime, until: datetime) -> dict[str, Any]:
    return {
        "code": code,
        "fromdate": since.astimezone(UTC).strftime(CDR_DATE_FORMAT),
        "todate": until.astimezone(UTC).strftime(CDR_DATE_FORMAT),
        "cdrTypes": [CDR_LEG1, CDR_LEG2],
    }


def cdr_error(data: Any) -> tuple[int | None, str]:
    """The call log reply's ERROR_NUMBER (None when missing) and its words."""
    if not isinstance(data, dict):
        return None, ""
    try:
        number = int(data.get("ERROR_NUMBER"))
    except (TypeError, ValueError):
        return None, ""
    return number, str(data.get("ERROR_DESCRIPTION") or "")


def _cdr_time(value: Any) -> datetime | None:
    try:
        return datetime.strptime(str(value), CDR_DATE_FORMAT).replace(tzinfo=UTC)
    except ValueError:
        return None


def _lead_id(custom: dict[str, Any]) -> int | None:
    try:
        return int(custom.get(LEAD_ID_VARIABLE))
    except (TypeError, ValueError):
        return None


def call_records(data: dict[str, Any], *, campaign: str) -> list[CallRecord] | None:
    """The Leg1 records of ``CDR_LIST`` that ``campaign`` dialled (its Code in the call's
    custom data), one attempt each; None when the reply has no ``CDR_LIST``."""
    rows = data.get("CDR_LIST")
    if not isinstance(rows, list):
        return None
    records = []
    for row in rows:
        if not isinstance(row, dict) or str(row.get("TypeID")) != str(CDR_LEG1):
            continue
        custom = row.get("CustomData") if isinstance(row.get("CustomData"), dict) else {}
        at = _cdr_time(row.get("Date"))
        if custom.get(CAMPAIGN_VARIABLE) != campaign or at is None or not row.get("CallID"):
            continue
        status = str(row.get("DialStatus") or "")
        duration = row.get("Duration")
        records.append(
            CallRecord(
                record_id=str(row["CallID"]),
                at=at,
                lead_id=_lead_id(custom),
                remote_id=target(str(row.get("TargetNumber") or "")),
                phone=str(row.get("TargetNumber") or ""),
                result_raw=status,
                outcome=DIAL_STATUS_OUTCOMES.get(status.upper(), ""),
                agent=str(row.get("RepresentativeName") or ""),
                duration_seconds=int(duration) if str(duration or "").isdigit() else None,
            )
        )
    return records
