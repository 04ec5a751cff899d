"""Our values to Webitel Engine v2's JSON and back, as pure functions.

Sources: ``shared/vendors/webitel-dialer-v2.txt`` (the excerpt, primary) and api-facts §3
([V] = webitel/engine-nodejs). Webitel's own field names live only here and in
``forms.py``.

The campaign settings (``CampaignSpec.settings``) are the Webitel form's cleaned data,
keyed by the excerpt's names: ``name``, ``description``, ``type``, ``priority``,
``calendar`` ({id, name}), ``parameters``, ``amd``, ``variables``, ``numberStrategy``,
``membersStrategy``, ``agentStrategy``, ``autoResetStats``, ``resources``,
``agentParams``, ``agents``, ``skills`` and ``communications`` ({types: [...]}).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from vendors.adapters.types import (
    CampaignSpec,
    DialOutcome,
    DialResult,
    LeadRecord,
    RemoteCampaign,
    SettingDifference,
)
from vendors.adapters.webitel.field_map import FIELD_MAP, communications

DIALER_TYPES = ("Predictive Dialer", "Progressive Dialer", "Voice Broadcasting")
NUMBER_STRATEGIES = ("by-priority", "top-down")
MEMBERS_STRATEGIES = ("next-tries-circuit", "strict-circuit")
# The excerpt's table spells the agent strategies with hyphens and an "agent-" prefix,
# while its own example and the engine ([V] src/services/autoDialer/dialer.js) use
# underscores. We send the engine's spelling, the one the dialer acts on.
AGENT_STRATEGY_ENGINE_NAMES = {
    "agent-with-fewest-calls": "with_fewest_calls",
    "agent-with-least-talk-time": "with_least_talk_time",
    "longest-idle-agent": "longest_idle_agent",
}
AGENT_STRATEGIES = (
    "random",
    "with_fewest_calls",
    "with_least_talk_time",
    "longest_idle_agent",
    "top-down",
    "with_least_utilization",
    "with_highest_waiting_time",
)
# The excerpt's table names the call-result switch ``waitForResultStatus``; its example
# body and the engine ([V] api-facts §3.5) read ``waitingForResultStatus``.
RESULT_STATUS_TABLE_NAME = "waitForResultStatus"
RESULT_STATUS_FLAG = "waitingForResultStatus"
# members/count takes ``filter=key=value,...``; a value starting with "^" becomes a
# $regex ([V] src/adapter/rest/dialer/dialer.resource.js, countMembers). A regex matches
# only members whose end cause is a string, i.e. the members the dialer has finished.
ENDED_MEMBERS_FILTER = "_endCause=^"
STATE_START = 1
STATE_STOP = 3
# Webitel's JSON body limit (express bodyLimit, [V] src/adapter/rest/index.js).
BODY_LIMIT_BYTES = 5 * 1024 * 1024


# --- campaigns (dialers) --------------------------------------------------------------


def dialer_body(spec: CampaignSpec) -> dict[str, Any]:
    """The full dialer document for POST and PUT: Webitel's PUT ``$set``s the keys it is
    given, so sending everything every time keeps update idempotent. The field map's
    fields (name, type, calendar, attempts, agents...) are always the campaign's."""
    settings = FIELD_MAP.vendor_settings(spec)
    body: dict[str, Any] = {
        "name": settings["name"],
        "description": settings.get("description") or "",
        "type": settings.get("type", ""),
        "priority": int(settings.get("priority") or 0),
        "calendar": _calendar(settings.get("calendar")),
        "parameters": _parameters(settings),
        "amd": dict(settings.get("amd") or {}),
        "variables": {k: str(v) for k, v in (settings.get("variables") or {}).items()},
        "numberStrategy": settings.get("numberStrategy") or "by-priority",
        "membersStrategy": settings.get("membersStrategy") or "next-tries-circuit",
        "agentStrategy": agent_strategy(settings.get("agentStrategy") or "longest_idle_agent"),
        "autoResetStats": bool(settings.get("autoResetStats", False)),
        "resources": _resources(settings.get("resources") or [], spec.caller_id),
        "agentParams": _agent_params(spec),
        "agents": [str(agent) for agent in settings.get("agents") or []],
        "skills": [str(skill) for skill in settings.get("skills") or []],
        "communications": communications(spec),
    }
    return body


def dialer_differences(
    wanted: dict[str, Any], held: dict[str, Any], prefix: str = ""
) -> list[SettingDifference]:
    """The values of ``wanted`` (text, number, flag) that ``held`` holds differently, by
    dotted key, looking into nested objects; lists are compared whole."""
    differences = []
    for key, value in wanted.items():
        other = held.get(key) if isinstance(held, dict) else None
        if isinstance(value, dict):
            differences += dialer_differences(value, other or {}, f"{prefix}{key}.")
        elif value != other:
            differences.append(SettingDifference(f"{prefix}{key}", other, value))
    return differences


def agent_strategy(value: str) -> str:
    return AGENT_STRATEGY_ENGINE_NAMES.get(value, value)


def _calendar(calendar: Any) -> dict[str, str]:
    calendar = calendar or {}
    return {"id": str(calendar.get("id", "")), "name": str(calendar.get("name", ""))}


def _parameters(settings: dict[str, Any]) -> dict[str, Any]:
    parameters = dict(settings.get("parameters") or {})
    if RESULT_STATUS_TABLE_NAME in parameters:
        parameters[RESULT_STATUS_FLAG] = parameters.pop(RESULT_STATUS_TABLE_NAME)
    return parameters


def _agent_params(spec: CampaignSpec) -> dict[str, Any]:
    agent_params = dict(spec.settings.get("agentParams") or {})
    if spec.wrap_up_seconds:
        agent_params.setdefault("wrapUpTime", spec.wrap_up_seconds)
    return agent_params


def _resources(resources: list[dict[str, Any]], caller_id: str) -> list[dict[str, Any]]:
    result = []
    for resource in resources:
        destinations = []
        for destination in resource.get("destinations", []):
            destination = dict(destination)
            if caller_id and not destination.get("callerIdNumber"):
                destination["callerIdNumber"] = caller_id
            destinations.append(destination)
        result.append({**resource, "destinations": destinations})
    return result


def first_communication_type(spec: CampaignSpec) -> str:
    """The code of the campaign's first communication type, given to each lead's main
    number so the campaign's time ranges apply to it."""
    types = communications(spec)["types"]
    return str(types[0].get("code", "")) if types else ""


def inserted_id(data: Any) -> str:
    ids = inserted_ids(data)
    if not ids:
        raise ValueError("no insertedIds in the reply")
    return ids[0]


def inserted_ids(data: Any) -> list[str]:
    """``insertedIds`` of a MongoDB insert result: a list in the excerpt's example, an
    object ``{"0": id, ...}`` from newer Node drivers ([V/I] api-facts §3.5)."""
    if not isinstance(data, dict):
        return []
    ids = data.get("insertedIds")
    if isinstance(ids, dict):
        return [str(ids[key]) for key in sorted(ids, key=int)]
    if isinstance(ids, list):
        return [str(value) for value in ids]
    return []


def dialer_choices(data: Any) -> list[RemoteCampaign]:
    """The dialer list (``data`` is an array of dialer documents)."""
    choices = []
    for dialer in data if isinstance(data, list) else []:
        if not isinstance(dialer, dict) or not dialer.get("_id"):
            continue
        choices.append(
            RemoteCampaign(
                remote_id=str(dialer["_id"]),
                name=str(dialer.get("name", "")),
                detail={key: dialer[key] for key in ("type", "active", "state") if key in dialer},
            )
        )
    return choices


# --- members (leads) ------------------------------------------------------------------


def member_body(lead: LeadRecord, *, communication_type: str = "") -> dict[str, Any]:
    """One member. The main number comes first with the highest priority; alternates
    follow without a type ("old one, without communication type" in the excerpt)."""
    main: dict[str, Any] = {"number": lead.phone, "priority": len(lead.alternate_phones) + 1}
    if communication_type:
        main["type"] = communication_type
    communications = [main]
    for alternate in lead.alternate_phones:
        item: dict[str, Any] = {"number": alternate.phone, "priority": alternate.priority}
        if alternate.kind:
            item["description"] = alternate.kind
        communications.append(item)
    body: dict[str, Any] = {
        "name": lead.full_name or lead.phone,
        "priority": lead.priority,
        "variables": member_variables(lead),
        "communications": communications,
    }
    if lead.timezone:
        body["timezone"] = lead.timezone
    if lead.expires_on:
        body["expire"] = expire_epoch_ms(lead.expires_on, lead.timezone)
    return body


def member_variables(lead: LeadRecord) -> dict[str, str]:
    """Channel variables: Webitel sets them on every dial attempt, so they carry the
    console's lead id back in the dialer's events. Values must be strings."""
    variables = {str(key): _text(value) for key, value in lead.custom_fields.items()}
    if lead.email:
        variables["email"] = lead.email
    variables["dc_lead_id"] = str(lead.lead_id)
    return variables


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def expire_epoch_ms(expires_on: date, timezone: str = "") -> int:
    """The lead may be dialled through the whole of ``expires_on`` in its own time zone
    (UTC when unknown); ``expire`` is the first millisecond after it."""
    try:
        zone = ZoneInfo(timezone) if timezone else ZoneInfo("UTC")
    except (ZoneInfoNotFoundError, ValueError):
        zone = ZoneInfo("UTC")
    end = datetime.combine(expires_on + timedelta(days=1), time.min, tzinfo=zone)
    return int(end.timestamp() * 1000)


def call_result_body(*, disposition: str, success: bool) -> dict[str, Any]:
    """``success`` true stops dialling the member; false lets the dialer retry it."""
    return {"success": success, "description": disposition}


# The member end causes ([V] const.js) in the console's codes.
END_CAUSE_OUTCOMES: dict[str, DialOutcome] = {
    "ACCEPT": DialOutcome.ANSWERED,
    "MAX_TRY_COUNT": DialOutcome.MAX_TRIES,
    "NO_ROUTE": DialOutcome.FAILED,
    "NO_COMMUNICATIONS": DialOutcome.FAILED,
    "PROCESS_CRASH": DialOutcome.FAILED,
    "MEMBER_EXPIRED": DialOutcome.EXPIRED,
    "ABANDONED": DialOutcome.ABANDONED,
    "MANAGER_REQUEST": DialOutcome.CANCELLED,
}


def _epoch_ms(value: Any) -> datetime | None:
    if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
        return None
    return datetime.fromtimestamp(value / 1000, tz=ZoneInfo("UTC"))


def member_result(member: dict[str, Any]) -> DialResult:
    """A member's engine-owned fields ([V] api-facts §3.5): ``_probeCount`` attempts,
    ``_endCause`` (set: the dialer is done with it), ``_nextTryTime`` and the last call
    of its communications (``lastCall``, epoch ms as the engine's other times [I])."""
    communications = [c for c in member.get("communications") or [] if isinstance(c, dict)]
    last_calls = [when for c in communications if (when := _epoch_ms(c.get("lastCall")))]
    cause = str(member.get("_endCause") or "")
    attempts = member.get("_probeCount")
    return DialResult(
        remote_id=str(member.get("_id") or ""),
        phone=str(communications[0].get("number") or "") if communications else "",
        attempts=attempts if isinstance(attempts, int) and not isinstance(attempts, bool) else None,
        last_attempt_at=max(last_calls, default=None),
        result_raw=cause,
        outcome=END_CAUSE_OUTCOMES.get(cause, ""),
        next_attempt_at=None if cause else _epoch_ms(member.get("_nextTryTime")),
        done=bool(cause),
    )
