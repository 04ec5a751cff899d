"""A stateful fake of Voicenter's ForwardDialer "Dialer API" (methods 6.1–6.15).

What it enforces, and where each rule comes from:
- every method takes the account's ``Code`` (api-facts §2.2 [D]); a wrong or missing Code
  is answered HTTP 403 (api-facts §2.2 [V]); the excerpt's code 4 means "Invalid caller
  id", so the ``ErrorCode`` 4 the vendor's skill file mentions is a guessed extra;
- business errors are HTTP 200 with ``{"ErrorCode", "Description"}`` and the excerpt's
  codes and words (``codes.py``);
- "Accepts GET, POST and JSON" methods take a query string, a form or a JSON body; the
  "JSON only !!!" ones (AddCallsBulk, GetCampaignPendingCalls) refuse anything else;
  ConfigureIvrCampaign says "Accepts JSON" without "only", so GET is taken too;
- custom data is ``var_`` parameters with GET/POST and a ``CustomData`` object of ``var_``
  keys with JSON (6.1): a key without the prefix, or a top-level ``var_`` key in JSON, is
  refused rather than dropped; the caller id is ``Callerid`` (6.1) or ``CallerID`` (the
  JSON examples), any other spelling is refused;
- AddCallsBulk takes an array of up to 100,000 calls and answers {ErrorCode, Description}
  (6.11); the per-target ``AddResult`` (api-facts §2.3 [V]) is a guessed extra;
- pending calls are kept per campaign keyed by ``Target`` (api-facts §6), so adding a
  target twice replaces it; ``simulate_dialling`` takes calls off as a dialer would;
- each dialled call leaves CDRs in the call log (api-facts §2.3 [V]: types 14 and 15,
  "ProductiveCall Leg1/Leg2"), served at ``/hub/cdr/`` in the request and reply shape the
  adapter guesses (``payloads``, "the call log" [I]): one Leg1 per call, and a Leg2 for
  the agent's leg when it was answered; the dial statuses cycle through
  ``DIAL_STATUSES`` so that a few dials give more than one result.

Answers the docs leave open are marked [I] where they are made.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, ClassVar

import httpx

from vendors.adapters.emulation import BaseEmulator, Fault, FaultPlan, IdCounter, route
from vendors.adapters.voicenter import codes
from vendors.adapters.voicenter.emulator_call_log import CallLogMixin

SANDBOX_CREDENTIALS: dict[str, str] = {"code": "sandbox-voicenter-code"}

BULK_MAX_CALLS = 100_000  # api-facts §2.3 [V]
BULK_DETAILED_MAX = 3_000  # AddResult only for this many items or fewer [V]
JSON_ONLY_METHODS = frozenset({"AddCallsBulk", "GetCampaignPendingCalls"})
CALLER_ID_KEYS = ("Callerid", "CallerID")  # 6.1's parameter; the JSON examples' spelling
STATUSES = ("Enabled", "Disabled", "Deleted")  # 6.3 "Possible campaign statuses"
_TARGET = re.compile(r"\+?\d{7,15}")
ANONYMOUS = "Anonymous"  # 6.1: hides the caller id
# api-facts §2.2 [V]: an unauthorised caller gets a 403; the Description is ours [I].
UNAUTHORISED: dict[str, Any] = {"Description": "Unauthorized: invalid Code"}

# A sandbox account: two live campaigns, one deleted, and three extensions.
DEFAULT_CAMPAIGNS: tuple[tuple[str, str, str], ...] = (
    ("vcsbx0001morning", "Morning messages", "Enabled"),
    ("vcsbx0002leads", "Campaign leads", "Disabled"),
    ("vcsbx0003old", "Old campaign", "Deleted"),
)
DEFAULT_EXTENSIONS: dict[str, str] = {
    "SIP1001": "Support 1",
    "SIP1002": "Support 2",
    "SIP1003": "Sales 1",
}


@dataclass
class PendingCall:
    target: str
    caller_id: str = ""
    caller_name: str = ""
    customer_name: str = ""
    priority: int = 0
    originate_time: int = 0
    custom_data: dict[str, Any] = field(default_factory=dict)
    sequence: int = 0

    def as_json(self) -> dict[str, Any]:
        """One item of GetCampaignPendingCalls' ``Calls`` (6.12)."""
        return {
            "Phone": self.target,
            "CallerID": self.caller_id,
            "CallerName": self.caller_name,
            "OriginateTime": self.originate_time,
            "Priority": self.priority,
            "CustomerName": self.customer_name,
            "CallStatus": {"Status": 1, "Description": "Pending"},
            "CustomData": dict(self.custom_data),
        }


@dataclass
class EmulatedCampaign:
    code: str
    name: str
    status_name: str = "Enabled"
    strategy: dict[str, float] = field(default_factory=dict)
    max_calls: int | None = None
    representatives: list[str] = field(default_factory=list)
    members: dict[str, str] = field(default_factory=dict)
    calls: dict[str, PendingCall] = field(default_factory=dict)
    ivr: bool = False  # configured with ConfigureIvrCampaign

    def summary(self, *, ivr_awaiting: bool = False) -> dict[str, Any]:
        """GetCampaignDetails' ``Data`` (6.14). With ``ivr_awaiting`` an IVR campaign's
        calls are awaiting, not pending (a guessed extra)."""
        priorities = [call.priority for call in self.calls.values()] or [0]
        return {
            "Name": self.name,
            "StatusName": self.status_name,
            "TotalPendingCalls": 0 if ivr_awaiting and self.ivr else len(self.calls),
            "MaxPriority": max(priorities),
            "MinPriority": min(priorities),
            "Code": self.code,
        }


class VoicenterError(Exception):
    """A business error: answered HTTP 200 with the code and description."""

    def __init__(self, code: int, description: str = ""):
        super().__init__(description)
        self.code = code
        self.description = description or codes.DESCRIPTIONS[code]


class VoicenterEmulator(CallLogMixin, BaseEmulator):
    kind = "voicenter"
    GUESSED_EXTRAS = {
        # 6.11 documents {ErrorCode, Description} only.
        "add_result": "[V] AddCallsBulk's per-target AddResult, for up to 3,000 items",
        # 6.1 defines 4 as "Invalid caller id"; the skill file's words for a refused Code.
        "unauthorised_code_4": '[V] "ERROR_NUMBER 4 (or equivalent)" with the 403',
        # The excerpt's GetCampaignList items are {Name, StatusName, Code} (6.3).
        "list_totals": "[V] GetCampaignList items with TotalPendingCalls, TotalAwaitingCalls, "
        "MaxPriority, MinPriority (the vendor's full sample)",
        # "read TotalAwaitingCalls for IVR/Predictive campaigns"; that their pending count
        # is then 0 is our guess.
        "ivr_awaiting": "[V] IVR campaigns count their calls as TotalAwaitingCalls "
        "(TotalPendingCalls 0: [I])",
    }
    path_prefix = "/ForwardDialer/Dialer"
    _METHODS: ClassVar[dict[str, str]] = {
        "AddCall": "_add_call",
        "RemoveCall": "_remove_call",
        "GetCampaignList": "_campaign_list",
        "GetMembersList": "_members_list",
        "RemoveMember": "_remove_member",
        "AddMember": "_add_member",
        "StopCampaign": "_stop",
        "StartCampaign": "_start",
        "UpdateCampaignStrategy": "_update_strategy",
        "ClearCampaignCalls": "_clear_calls",
        "AddCallsBulk": "_add_calls_bulk",
        "GetCampaignPendingCalls": "_pending_calls",
        "UpdateCall": "_update_call",
        "GetCampaignDetails": "_campaign_details",
        "ConfigureIvrCampaign": "_configure_ivr",
    }

    def __init__(
        self,
        *,
        credentials: dict[str, str],
        campaigns: tuple[tuple[str, str, str], ...] = DEFAULT_CAMPAIGNS,
        extensions: dict[str, str] | None = None,
        caller_ids: frozenset[str] = frozenset(),
        **kwargs: Any,
    ):
        super().__init__(credentials=credentials, **kwargs)
        self.campaigns: dict[str, EmulatedCampaign] = {
            code: EmulatedCampaign(code=code, name=name, status_name=status)
            for code, name, status in campaigns
        }
        self.extensions = dict(DEFAULT_EXTENSIONS if extensions is None else extensions)
        # The account's caller ids (api-facts §2.3 [V]); empty: any well-formed number.
        self.caller_ids = frozenset(caller_ids)
        self.dialled: list[dict[str, str]] = []
        self._sequence = IdCounter(1)
        # The call log: every CDR the dialling made, oldest first.
        self._call_log_init()

    # --- test and sandbox helpers ---------------------------------------------------------

    def add_campaign(self, code: str, name: str, status_name: str = "Enabled") -> EmulatedCampaign:
        with self.lock:
            campaign = EmulatedCampaign(code=code, name=name, status_name=status_name)
            self.campaigns[code] = campaign
            return campaign

    def pending_targets(self, code: str) -> list[str]:
        return list(self.campaigns[code].calls)

    def simulate_dialling(self, count: int, *, campaign: str = "") -> int:
        """Dial up to ``count`` pending calls of enabled campaigns (one campaign, or all)
        whose OriginateTime has come (now by the wall clock, so time-machine moves it),
        highest priority first and then in the order added, as the dialer would. The
        dialled calls are kept in ``dialled``; return how many."""
        with self.lock:
            dialled = []
            for emulated in self.campaigns.values():
                if campaign and emulated.code != campaign:
                    continue
                if emulated.status_name != "Enabled":
                    continue
                # A call with an OriginateTime is not dialled before it (epoch seconds, GMT).
                now = datetime.now(UTC).timestamp()
                due = [call for call in emulated.calls.values() if call.originate_time <= now]
                order = sorted(due, key=lambda c: (-c.priority, c.sequence))
                for call in order[: count - len(dialled)]:
                    del emulated.calls[call.target]
                    dialled.append({"campaign": emulated.code, "target": call.target})
                    self._record_cdrs(emulated, call)
            self.dialled.extend(dialled)
            return len(dialled)

    # --- transport ------------------------------------------------------------------------

    @route("GET", r"/(?P<method>[A-Za-z]+)")
    def answer_get(self, request: httpx.Request, method: str) -> httpx.Response:
        return self._answer(request, method)

    @route("POST", r"/(?P<method>[A-Za-z]+)")
    def answer_post(self, request: httpx.Request, method: str) -> httpx.Response:
        return self._answer(request, method)

    def _answer(self, request: httpx.Request, method: str) -> httpx.Response:
        handler_name = self._METHODS.get(method)
        if handler_name is None:
            return self.not_found(request, method)
        is_json = request.method == "POST" and "json" in request.headers.get("content-type", "")
        if method in JSON_ONLY_METHODS and not is_json:
            # [I] the status of a non-JSON request is not documented; the words say why.
            return self._error(codes.INVALID_TARGET, f"{method} accepts JSON only")
        body = self.json_body(request) if is_json else self._params(request)
        if body is None:
            return self._error(codes.INTERNAL_ERROR)
        if is_json:
            # 6.1: with JSON, custom variables go inside the CustomData object.
            items = body if isinstance(body, list) else [body]
            stray = [k for item in items if isinstance(item, dict) for k in item if k[:4] == "var_"]
            if stray:
                return self._error(
                    codes.INVALID_TARGET, f"{stray[0]}: send custom variables in CustomData"
                )
        if not self._authorised(body):
            code = {"ErrorCode": 4} if self.guessed("unauthorised_code_4") else {}
            return self.reply({**UNAUTHORISED, **code}, status=403)
        handler: Callable[[Any], dict[str, Any]] = getattr(self, handler_name)
        try:
            data = handler(body)
        except VoicenterError as error:
            return self._error(error.code, error.description)
        return self.reply({**data, "ErrorCode": codes.OK, "Description": "OK"})

    def _params(self, request: httpx.Request) -> dict[str, Any]:
        """GET/POST parameters; ``var_`` parameters become the call's custom data (6.1)."""
        params: dict[str, Any] = {}
        custom: dict[str, str] = {}
        for key, value in self.form_or_query(request).items():
            if key.startswith("var_"):
                custom[key] = value
            else:
                params[key] = value
        if custom:
            params["CustomData"] = custom
        return params

    def _authorised(self, body: Any) -> bool:
        items = body if isinstance(body, list) else [body]
        expected = self.credentials.get("code", "")
        return all(isinstance(item, dict) and item.get("Code") == expected for item in items)

    def _error(self, code: int, description: str = "") -> httpx.Response:
        return self.reply(
            {"ErrorCode": code, "Description": description or codes.DESCRIPTIONS[code]}
        )

    def fault_reply(self, plan: FaultPlan, request: httpx.Request) -> httpx.Response:
        if plan.fault == Fault.SERVER_ERROR:
            return self.reply(
                {"ErrorCode": codes.INTERNAL_ERROR, "Description": "Unexpected internal error"},
                status=500,
            )
        return super().fault_reply(plan, request)

    # --- lookups and validation -----------------------------------------------------------

    def _campaign(self, body: dict[str, Any]) -> EmulatedCampaign:
        code = str(body.get("Campaign") or "").strip()
        campaign = self.campaigns.get(code)
        if campaign is None or campaign.status_name == "Deleted":
            raise VoicenterError(codes.INVALID_CAMPAIGN)
        return campaign

    def _pending_call(self, body: dict[str, Any]) -> PendingCall:
        target = str(body.get("Target") or "").strip()
        if not _TARGET.fullmatch(target):
            raise VoicenterError(codes.INVALID_TARGET)
        misspelt = [k for k in body if k.lower() == "callerid" and k not in CALLER_ID_KEYS]
        if misspelt:
            # [I] the code for an unknown parameter is not documented.
            raise VoicenterError(codes.INVALID_CALLER_ID, f"Unknown parameter {misspelt[0]}")
        caller_id = str(body.get("Callerid") or body.get("CallerID") or "").strip()
        if caller_id and not self._caller_id_ok(caller_id):
            raise VoicenterError(codes.INVALID_CALLER_ID)
        custom = body.get("CustomData") or {}
        if not isinstance(custom, dict):
            raise VoicenterError(codes.INVALID_TARGET, "CustomData must be an object")
        unprefixed = [str(k) for k in custom if not str(k).startswith("var_")]
        if unprefixed:
            # 6.1: "send all custom variables with var_ prefix"; the code is ours [I].
            raise VoicenterError(codes.INVALID_TARGET, f"{unprefixed[0]}: needs the var_ prefix")
        return PendingCall(
            target=target.lstrip("+"),
            caller_id=caller_id,
            caller_name=str(body.get("CallerName") or ""),
            customer_name=str(body.get("CustomerName") or ""),
            priority=self._whole_number(body, "Priority"),
            originate_time=self._whole_number(body, "OriginateTime"),
            custom_data=dict(custom),
            sequence=next(self._sequence),
        )

    def _caller_id_ok(self, caller_id: str) -> bool:
        if caller_id == ANONYMOUS:
            return True
        if not _TARGET.fullmatch(caller_id):
            return False
        return not self.caller_ids or caller_id.lstrip("+") in self.caller_ids

    @staticmethod
    def _whole_number(body: dict[str, Any], name: str, minimum: int = 0) -> int:
        value = body.get(name)
        if value in (None, ""):
            return 0
        try:
            number = int(str(value))
        except ValueError:
            number = None
        if isinstance(value, bool) or number is None or number < minimum:
            # [I] the code for a bad optional field is not documented.
            raise VoicenterError(codes.INVALID_TARGET, f"Invalid {name}") from None
        return number

    # --- methods --------------------------------------------------------------------------

    def _campaign_list(self, body: dict[str, Any]) -> dict[str, Any]:
        if not self.guessed("list_totals"):
            return {
                "Data": [
                    {"Name": c.name, "StatusName": c.status_name, "Code": c.code}
                    for c in self.campaigns.values()
                ]
            }
        data = []
        for campaign in self.campaigns.values():
            summary = campaign.summary(ivr_awaiting=self.guessed("ivr_awaiting"))
            data.append({**summary, "TotalAwaitingCalls": len(campaign.calls)})
        return {"Data": data}

    def _add_call(self, body: dict[str, Any]) -> dict[str, Any]:
        campaign = self._campaign(body)
        call = self._pending_call(body)
        campaign.calls[call.target] = call
        return {}

    def _update_call(self, body: dict[str, Any]) -> dict[str, Any]:
        campaign = self._campaign(body)
        call = self._pending_call(body)
        if call.target not in campaign.calls:
            # [I] updating a target that is not pending is not documented.
            raise VoicenterError(codes.INVALID_TARGET)
        call.sequence = campaign.calls[call.target].sequence
        campaign.calls[call.target] = call
        return {}

    def _remove_call(self, body: dict[str, Any]) -> dict[str, Any]:
        campaign = self._campaign(body)
        target = str(body.get("Target") or "").strip()
        if not _TARGET.fullmatch(target):
            raise VoicenterError(codes.INVALID_TARGET)
        campaign.calls.pop(target.lstrip("+"), None)
        return {}

    def _clear_calls(self, body: dict[str, Any]) -> dict[str, Any]:
        self._campaign(body).calls.clear()
        return {}

    def _add_calls_bulk(self, body: Any) -> dict[str, Any]:
        if not isinstance(body, list):
            raise VoicenterError(codes.INVALID_TARGET, "AddCallsBulk takes a JSON array")
        if len(body) > BULK_MAX_CALLS:
            raise VoicenterError(codes.INVALID_TARGET, f"At most {BULK_MAX_CALLS} calls")
        results = []
        for item in body:
            try:
                campaign = self._campaign(item)
                call = self._pending_call(item)
            except VoicenterError as error:
                code, description = error.code, error.description
            else:
                campaign.calls[call.target] = call
                code, description = codes.OK, codes.DESCRIPTIONS[codes.OK]
            target = str(item.get("Target") or "").strip().lstrip("+")
            results.append({"Target": target, "ErrorCode": code, "Description": description})
        if len(body) > BULK_DETAILED_MAX or not self.guessed("add_result"):
            return {}
        return {"AddResult": results}

    def _pending_calls(self, body: dict[str, Any]) -> dict[str, Any]:
        campaign = self._campaign(body)
        calls = [call.as_json() for call in campaign.calls.values()]
        summary = campaign.summary(ivr_awaiting=self.guessed("ivr_awaiting"))
        return {"Data": {"Calls": calls, "Campaign": summary}}

    def _campaign_details(self, body: dict[str, Any]) -> dict[str, Any]:
        return {"Data": self._campaign(body).summary(ivr_awaiting=self.guessed("ivr_awaiting"))}

    def _start(self, body: dict[str, Any]) -> dict[str, Any]:
        self._campaign(body).status_name = "Enabled"
        return {}

    def _stop(self, body: dict[str, Any]) -> dict[str, Any]:
        self._campaign(body).status_name = "Disabled"
        return {}

    def _members_list(self, body: dict[str, Any]) -> dict[str, Any]:
        campaign = self._campaign(body)
        return {
            "Data": [
                {"Member": member, "DisplayName": name} for member, name in campaign.members.items()
            ]
        }

    def _member(self, body: dict[str, Any]) -> str:
        member = str(body.get("Member") or "").strip()
        if not member:
            raise VoicenterError(codes.INVALID_TARGET, "Missing required field: Member")
        return member

    def _add_member(self, body: dict[str, Any]) -> dict[str, Any]:
        campaign = self._campaign(body)
        member = self._member(body)
        added = member not in campaign.members
        campaign.members[member] = self.extensions.get(member, member)
        return {"Data": {"TotalAdded": int(added)}}

    def _remove_member(self, body: dict[str, Any]) -> dict[str, Any]:
        campaign = self._campaign(body)
        removed = campaign.members.pop(self._member(body), None) is not None
        return {"Data": {"TotalRemoved": int(removed)}}

    def _update_strategy(self, body: dict[str, Any]) -> dict[str, Any]:
        campaign = self._campaign(body)
        updates = {}
        for name in ("setQueueForMonitoring", "setQueueMaximumCallers"):
            if name in body:
                updates[name] = self._whole_number(body, name)
        if "setCoefficient" in body:
            updates["setCoefficient"] = self._coefficient(body["setCoefficient"])
        campaign.strategy.update(updates)
        return {}

    @staticmethod
    def _coefficient(value: Any) -> float:
        try:
            number = float(str(value))
        except ValueError:
            number = -1.0
        if isinstance(value, bool) or number < 0:
            raise VoicenterError(codes.INVALID_TARGET, "Invalid setCoefficient")
        return number

    def _configure_ivr(self, body: dict[str, Any]) -> dict[str, Any]:
        campaign = self._campaign(body)
        campaign.ivr = True
        strategy = body.get("ConcurrentStrategy")
        if strategy is not None:
            if not isinstance(strategy, dict):
                raise VoicenterError(codes.INVALID_TARGET, "Invalid ConcurrentStrategy")
            if strategy.get("setMaxCalls") in (None, ""):
                raise VoicenterError(codes.INVALID_TARGET, "Missing required field: setMaxCalls")
            campaign.max_calls = self._whole_number(strategy, "setMaxCalls", minimum=1)
        representatives = body.get("RepresentativeList")
        if representatives is not None:
            if not isinstance(representatives, list) or not all(
                isinstance(name, str) and name for name in representatives
            ):
                raise VoicenterError(codes.INVALID_TARGET, "Invalid RepresentativeList")
            campaign.representatives = list(representatives)
        return {}
