"""Our values ↔ Ozonetel CloudAgent requests and replies
(``shared/vendors/ozonetel-add-campaign-data.txt`` and api-facts §5). Pure functions.

The campaign settings form (``forms.py``) uses neutral names; this module maps them to
Ozonetel's. Ozonetel finds a campaign by its name, so the name is the remote id, and the
settings a lead push needs (duplicates, start, expiry, agent routing) travel in the
``RemoteRef.extra`` the console stores after each campaign sync.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from vendors.adapters.ozonetel import codes
from vendors.adapters.ozonetel.field_map import CAMPAIGN_TYPES, FIELD_MAP
from vendors.adapters.types import CampaignSpec, LeadOutcome, LeadRecord, LeadResult

LEGACY_ADD_PATH = "/cloudAgentRestAPI/index.php/CloudAgent/CloudAgentAPI/addCamapaignData"
BULK_V4_PATH = "/cloudAgentRestAPI/index.php/AddCampaignBulkDataV4/addBulkData/format/json"
CAMPAIGN_CONTROL_PATH = "/APIServices/campaignControl/outbound"
SET_STATUS_PATH = "/ca_apis/SetCampaignStatus"
CAMPAIGN_STATUS_PATH = "/ca_apis/CampaignStatus"
DELETE_DATA_PATH = "/ca_apis/DeleteCampaignData"
TOKEN_PATH = "/ca_apis/CAToken/generateToken"  # noqa: S105 - a path
DELETE_BULK_PATH = "/ca_apis/DeleteBulkData"  # TOKEN_AUTH [D]
SCHEDULED_DATA_PATH = "/ca_apis/CampaignScheduledData"  # [D], path from the page slug
SCHEDULED_DATA_MAX = 100  # numbers a request [D]
# Campaign Dial Status export [D]; the path is the page slug's [I].
DIAL_STATUS_EXPORT_PATH = "/endpoint/dailer/data/preview/download"
EXPORT_STATUS_VALUES = ("All", "Fail", "Success", "Pending")
DIAL_STATUS_VALUES = ("ALL", "Fail", "NoAnswer", "user_disconnected", "answered")

# api-facts §5.1 [D]: the campaign create/update API lives on its own host per region.
CAMPAIGN_HOSTS = {
    "in1-ccaas-api.ozonetel.com": "https://api.cloudagent.ozonetel.com",
    "api.ccaas.ozonetel.com": "https://ccaas.ozonetel.com",
}
# The console's default calling window (campaigns.models, 47 CFR 64.1200(c)(1)), sent as
# the mandatory runtimeStart/runtimeEnd when the settings give none.
DEFAULT_RUNTIME = ("08:00:00", "21:00:00")
NAME_MAX_CHARS = 200  # keeps a V4 row far below its 2,000 characters
_NAME_UNSAFE = re.compile(r"[^A-Za-z0-9_ ().+$%\-:]")  # V4's Name rule (api-facts §5.3)


def campaign_api_url(base_url: str, configured: str = "") -> str:
    """Where campaignControl lives: the account's option, else the documented partner of
    the data host, else the data host itself (partners, the sandbox)."""
    if configured:
        return configured.rstrip("/")
    host = urlsplit(base_url).hostname or ""
    return CAMPAIGN_HOSTS.get(host, base_url.rstrip("/"))


def phone_number(phone: str) -> str:
    """Digits with the country code, no "+" (the V4 example's ``"81…"`` is digits)."""
    return phone.strip().lstrip("+")


def lead_name(lead: LeadRecord) -> str:
    """The lead's name within V4's Name rule: letters, digits, ``_``, space and
    ``( ) . + $ % - :``. Accents are dropped, anything else removed; the console keeps
    the original."""
    ascii_name = unicodedata.normalize("NFKD", lead.full_name)
    ascii_name = ascii_name.encode("ascii", "ignore").decode()
    return " ".join(_NAME_UNSAFE.sub("", ascii_name).split())[:NAME_MAX_CHARS]


# --- what a push needs from the campaign settings ----------------------------------------


@dataclass(frozen=True)
class PushSettings:
    check_duplicate: bool = False
    start_on_add: bool = False
    expiry_policy: str = "none"
    expiry_days: int = 0
    expiry_date: str = ""
    agent_skills: tuple[tuple[str, str], ...] = field(default_factory=tuple)

    @classmethod
    def from_spec(cls, spec: CampaignSpec) -> PushSettings:
        """What a push needs, the routing from the campaign's agents (``field_map.py``)."""
        return cls.from_settings(FIELD_MAP.vendor_settings(spec))

    @classmethod
    def from_settings(cls, settings: dict[str, Any]) -> PushSettings:
        """``settings`` as ``FieldMap.vendor_settings`` gives them (the derived
        ``agent_id`` set)."""
        return cls(
            check_duplicate=bool(settings.get("check_duplicate")),
            start_on_add=bool(settings.get("start_on_add")),
            expiry_policy=str(settings.get("expiry_policy") or "none"),
            expiry_days=int(settings.get("expiry_days") or 0),
            expiry_date=str(settings.get("expiry_date") or ""),
            agent_skills=routing_targets(settings),
        )

    def as_extra(self) -> dict[str, str]:
        """Strings for ``RemoteRef.extra``."""
        return {
            "check_duplicate": "1" if self.check_duplicate else "0",
            "start_on_add": "1" if self.start_on_add else "0",
            "expiry_policy": self.expiry_policy,
            "expiry_days": str(self.expiry_days),
            "expiry_date": self.expiry_date,
            "agent_skills": json.dumps([list(pair) for pair in self.agent_skills]),
        }

    @classmethod
    def from_extra(cls, extra: dict[str, str]) -> PushSettings:
        return cls(
            check_duplicate=extra.get("check_duplicate") == "1",
            start_on_add=extra.get("start_on_add") == "1",
            expiry_policy=extra.get("expiry_policy") or "none",
            expiry_days=int(extra.get("expiry_days") or 0),
            expiry_date=extra.get("expiry_date") or "",
            agent_skills=tuple(
                tuple(pair) for pair in json.loads(extra.get("agent_skills") or "[]")
            ),
        )

    def expiry(self, lead: LeadRecord, today: date) -> str:
        """The lead's ExpiryDate (YYYY-MM-DD): its own, else the campaign's policy, and
        never after the date its calling window closes (``call_until``), whichever is
        earliest."""
        dates = [window_expiry(lead), self._expiry(lead, today)]
        return min((value for value in dates if value), default="")

    def _expiry(self, lead: LeadRecord, today: date) -> str:
        if lead.expires_on:
            return lead.expires_on.isoformat()
        if self.expiry_policy == "days" and self.expiry_days:
            return (today + timedelta(days=self.expiry_days)).isoformat()
        if self.expiry_policy == "date":
            return self.expiry_date
        return ""

    def routing(self, lead: LeadRecord) -> tuple[str, str]:
        """(agentId, skill) for the lead: the routing targets in turn, by lead id."""
        if not self.agent_skills:
            return "", ""
        agent_id, skill = self.agent_skills[lead.lead_id % len(self.agent_skills)]
        return agent_id, skill


def routing_targets(settings: dict[str, Any]) -> tuple[tuple[str, str], ...]:
    """(agentId, skill) targets leads go to in turn: each of the campaign's agents (the
    derived ``agent_id``, in the campaign's order) with the campaign's ``skill``, then each
    skill-only target (``skills``) with no agent."""
    skill = str(settings.get("skill") or "")
    agents = tuple((str(agent_id), skill) for agent_id in settings.get("agent_id") or [])
    return agents + tuple(("", str(one)) for one in settings.get("skills") or [] if one)


# The zone Ozonetel reads an ExpiryDate in: not documented; the CloudAgent accounts the
# console targets run on India time [guess].
EXPIRY_ZONE = ZoneInfo("Asia/Kolkata")


def window_expiry(lead: LeadRecord) -> str:
    """The date (in ``EXPIRY_ZONE``) the lead's calling window closes, "" without one."""
    if lead.call_until is None:
        return ""
    return lead.call_until.astimezone(EXPIRY_ZONE).date().isoformat()


def priority(lead: LeadRecord) -> int | None:
    """Priority 1–99, higher dials sooner (api-facts §5.3); None when the lead has none."""
    if not lead.priority:
        return None
    return max(1, min(99, int(lead.priority)))


# --- requests --------------------------------------------------------------------------------


def single_add_params(
    *, api_key: str, campaign_name: str, lead: LeadRecord, push: PushSettings, today: date
) -> dict[str, str]:
    """addCamapaignData's query: api_key*, campaign_name*, PhoneNumber* and the optional
    parameters the lead and the settings give."""
    params = {"api_key": api_key, "campaign_name": campaign_name}
    params["PhoneNumber"] = phone_number(lead.phone)
    agent_id, skill = push.routing(lead)
    optional = {
        "Name": lead_name(lead),
        "agentId": agent_id,
        "skill": skill,
        "checkDuplicate": "TRUE" if push.check_duplicate else "",
        "action": "START" if push.start_on_add else "",
        "ExpiryDate": push.expiry(lead, today),
        "Priority": str(priority(lead) or ""),
    }
    params.update({key: value for key, value in optional.items() if value})
    return params


def bulk_v4_body(
    *,
    api_key: str,
    user_name: str,
    campaign_name: str,
    leads: list[LeadRecord],
    push: PushSettings,
    today: date,
) -> dict[str, Any]:
    """AddCampaignBulkDataV4: ``bulkData`` as ``{"map": [...], "data": [[...], ...]}``.
    Optional columns appear in the map only when some lead has a value for them."""
    columns: dict[str, list[Any]] = {
        "PhoneNumber": [phone_number(lead.phone) for lead in leads],
        "Name": [lead_name(lead) for lead in leads],
        "Priority": [priority(lead) or "" for lead in leads],
        "ExpiryDate": [push.expiry(lead, today) for lead in leads],
        "AgentId": [push.routing(lead)[0] for lead in leads],
        "skill": [push.routing(lead)[1] for lead in leads],
    }
    kept = [name for name, values in columns.items() if name == "PhoneNumber" or any(values)]
    body: dict[str, Any] = {
        "apiKey": api_key,
        "campaignName": campaign_name,
        "userName": user_name,
        "bulkData": {
            "map": kept,
            "data": [[columns[name][row] for name in kept] for row in range(len(leads))],
        },
        "checkDuplicate": "true" if push.check_duplicate else "false",
    }
    if push.start_on_add:
        body["action"] = "start"  # [I] V4's action values are not captured (api-facts §5.3)
    return body


class CampaignSettingsMissing(ValueError):
    pass


def campaign_name(spec: CampaignSpec) -> str:
    return str(spec.settings.get("campaign_name") or "").strip()


# campaignControl keys for settings the form gives. The documentation names the map file,
# the pacing ratio ("1:2") and the max drop ratio without their JSON keys (api-facts §5.5):
# these three keys are inferred [I]; fallbackDID is documented [D].
OPTIONAL_CONTROL_KEYS = {
    "fallback_did": "fallbackDID",
    "pacing_ratio": "pacingRatio",  # [I]
    "max_drop_ratio": "maxDropRatio",  # [I]
    "map_name": "mapName",  # [I]
}


def campaign_control_body(
    *, api_key: str, user_name: str, spec: CampaignSpec, action: str
) -> dict[str, Any]:
    """campaignControl/outbound (api-facts §5.5): the mandatory keys, and optional keys
    only when they have a value (the docs: omit rather than send null or empty). The
    mandatory keys the settings leave empty are derived from the console campaign: the
    type from its dial method, the DID from its caller ID, the dial method from the agents
    and skills, the run times from the default calling window."""
    name = campaign_name(spec)
    if not name:
        raise CampaignSettingsMissing("Ozonetel needs the campaign name.")
    settings = FIELD_MAP.vendor_settings(spec)
    push = PushSettings.from_settings(settings)
    body = {
        "username": user_name,
        "apiKey": api_key,
        "campaignName": name,
        "action": action,
        "campaignType": settings.get("campaign_type") or campaign_type(spec),
        "dialMethod": settings.get("routing_method") or dial_method(push),
        "did": phone_number(str(settings.get("did") or spec.caller_id)),
        "runtimeStart": settings.get("runtime_start") or DEFAULT_RUNTIME[0],
        "runtimeEnd": settings.get("runtime_end") or DEFAULT_RUNTIME[1],
    }
    if not body["did"]:
        raise CampaignSettingsMissing(
            "Ozonetel needs a DID: give one in the Ozonetel settings, or a caller ID."
        )
    for setting, key in OPTIONAL_CONTROL_KEYS.items():
        value = settings.get(setting)
        if value not in (None, ""):
            body[key] = phone_number(str(value)) if setting == "fallback_did" else str(value)
    return body


def campaign_type(spec: CampaignSpec) -> str:
    """The campaignType the console's dial method stands for."""
    if spec.dial_method not in CAMPAIGN_TYPES:
        raise CampaignSettingsMissing(
            f"Ozonetel has no campaign type for the dial method “{spec.dial_method}”: "
            "choose a campaign type in the Ozonetel settings, or the dial method preview, "
            "progressive, predictive or voice broadcast."
        )
    return CAMPAIGN_TYPES[spec.dial_method]


def dial_method(push: PushSettings) -> str:
    """Agentwise when leads go to agents, Skillwise when only to skills, else
    Nonagentwise."""
    if any(agent_id for agent_id, _ in push.agent_skills):
        return "Agentwise"
    if any(skill for _, skill in push.agent_skills):
        return "Skillwise"
    return "Nonagentwise"


def set_status_body(*, user_name: str, campaign_name: str, start: bool) -> dict[str, Any]:
    return {
        "userName": user_name,
        "campaignName": campaign_name,
        "action": "Start" if start else "Stop",
        "process": True,
    }


def campaign_status_body(*, user_name: str, campaign_name: str) -> dict[str, str]:
    return {"userName": user_name, "campaignName": campaign_name}


def delete_bulk_body(
    *, user_name: str, campaign_names: list[str], phones: list[str]
) -> dict[str, Any]:
    """DeleteBulkData: the numbers leave every campaign named (api-facts §5.4 [D])."""
    return {
        "userName": user_name,
        "phoneNumber": [phone_number(phone) for phone in phones],
        "campaignName": list(campaign_names),
    }


def scheduled_data_body(
    *, user_name: str, campaign_name: str, calls: list[tuple[str, datetime]]
) -> dict[str, Any]:
    """CampaignScheduledData: {userName, campaignName, checkDuplicate, bulkData: {map:
    [PhoneNumber, ScheduledTime], data}} [D]; at most SCHEDULED_DATA_MAX calls."""
    if not 1 <= len(calls) <= SCHEDULED_DATA_MAX:
        raise ValueError(f"Schedule 1 to {SCHEDULED_DATA_MAX} calls a request.")
    return {
        "userName": user_name,
        "campaignName": campaign_name,
        "checkDuplicate": True,
        "bulkData": {
            "map": ["PhoneNumber", "ScheduledTime"],
            "data": [[phone_number(p), when.strftime("%Y-%m-%d %H:%M:%S")] for p, when in calls],
        },
    }


def dial_status_export_body(
    *, user_name: str, campaign_name: str, since: datetime, until: datetime, callback_url: str
) -> dict[str, Any]:
    """Campaign Dial Status (api-facts §5.6 [D]): every status, dial status and
    disposition of the campaign between two times, delivered to ``callback_url``."""
    return {
        "userName": user_name,
        "campaignName": campaign_name,
        "fromDate": since.strftime("%Y-%m-%d %H:%M:%S"),
        "toDate": until.strftime("%Y-%m-%d %H:%M:%S"),
        "sortby": 0,
        "status": "All",
        "dialstatus": "ALL",
        "dispositions": "ALL",
        "callBackUrl": callback_url,
    }


def delete_body(*, user_name: str, campaign_name: str, phone: str) -> dict[str, str]:
    """DeleteCampaignData (api-facts §5.4). Its ``name`` key is left out: the console
    removes by number, and optional keys are omitted rather than sent empty."""
    return {
        "campaignName": campaign_name,
        "phoneNumber": phone_number(phone),
        "userName": user_name,
    }


# --- replies -----------------------------------------------------------------------------


def status(data: Any) -> str:
    return str(data.get("status", "")).lower() if isinstance(data, dict) else ""


def message(data: Any) -> str:
    if not isinstance(data, dict):
        return ""
    value = data.get("message")
    return value if isinstance(value, str) else ""


def single_add_result(lead: LeadRecord, data: dict[str, Any]) -> LeadResult | None:
    """A single add's reply as the lead's outcome; None when the reply is a failure of
    the request rather than of the lead."""
    text = message(data)
    outcome = codes.LEAD_OUTCOMES.get(text.lower())
    if outcome is None and status(data) in codes.SUCCESS_STATUSES:
        outcome = LeadOutcome.ACCEPTED
    if outcome is None:
        return None
    return LeadResult(lead.lead_id, outcome, remote_id=phone_number(lead.phone), message=text)


def bulk_results(leads: list[LeadRecord], data: dict[str, Any]) -> list[LeadResult] | None:
    """V4's per-row ``message`` list (``{"PhoneNumber", "Status"}``, the legacy bulk
    shape: V4's own replies are not captured), one per lead in order; None when it does
    not match the leads sent."""
    rows = data.get("message") if isinstance(data, dict) else None
    if not isinstance(rows, list) or len(rows) != len(leads):
        return None
    results = []
    for lead, row in zip(leads, rows, strict=True):
        if not isinstance(row, dict) or str(row.get("PhoneNumber")) != phone_number(lead.phone):
            return None
        text = str(row.get("Status", ""))
        outcome = codes.LEAD_OUTCOMES.get(text.lower())
        if outcome is None:
            ok = text.lower() == codes.BULK_ROW_OK.lower()
            outcome = LeadOutcome.ACCEPTED if ok else LeadOutcome.REJECTED
        results.append(
            LeadResult(lead.lead_id, outcome, remote_id=phone_number(lead.phone), message=text)
        )
    return results


def position(data: dict[str, Any], campaign_name: str) -> str | None:
    """CampaignStatus' ``Position`` for the campaign; None when the reply lacks it."""
    rows = data.get("message") if isinstance(data, dict) else None
    if not isinstance(rows, list):
        return None
    for row in rows:
        if isinstance(row, dict) and row.get("CampaignName") == campaign_name:
            return str(row.get("Position", "")) or None
    return None
