"""A stateful fake of Ozonetel CloudAgent's campaign and campaign-data APIs.

What it enforces, and where each rule comes from:
- legacy ``addCamapaignData`` (the excerpt): ``api_key``, ``campaign_name`` and
  ``PhoneNumber`` mandatory; ``checkDuplicate``; ``action=START``; ``ExpiryDate``
  ``YYYY-MM-DD``; ``Priority`` 1–99; its five documented replies word for word; 100
  requests a minute;
- ``AddCampaignBulkDataV4`` (api-facts §5.3 [D]): ``apiKey``, ``campaignName``,
  ``userName``, ``bulkData`` mandatory; ``{"map", "data"}`` with at most 500 rows of at
  most 2,000 characters; the Name character rule; ``checkDuplicate`` over the payload and
  the campaign; ``isdelete`` wins over it; 5 requests a minute, answered with the
  documented "Already one process is running" body; rows are queued and reach the
  campaign a little later, as Ozonetel's are;
- ``campaignControl/outbound`` (§5.5): mandatory keys and enum values, no null or empty
  values, no update of a running campaign, 2 requests a minute;
- ``ca_apis`` (SetCampaignStatus, CampaignStatus, DeleteCampaignData, generateToken):
  the ``apiKey`` header and ``userName`` in the body; with the account in TOKEN_AUTH
  mode also a Bearer token from generateToken (10 an hour [T], valid 60 minutes [T]);
  DeleteCampaignData 100 requests a minute.

Per-minute limits use ``SlidingWindow`` on the injectable clock; over the limit the
answer is 429 with Retry-After (api-facts §5.7 [T]) except V4's documented body. Answers
the docs leave open are marked [I] where they are made.
"""

from __future__ import annotations

import re
import secrets
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import httpx

from vendors.adapters.emulation import (
    BaseEmulator,
    Fault,
    FaultPlan,
    IdCounter,
    SlidingWindow,
    route,
)
from vendors.adapters.ozonetel import codes, payloads
from vendors.adapters.ozonetel.emulator_data import OzonetelDataCalls
from vendors.adapters.ozonetel.payloads import (
    BULK_V4_PATH,
    CAMPAIGN_CONTROL_PATH,
    CAMPAIGN_STATUS_PATH,
    DELETE_DATA_PATH,
    LEGACY_ADD_PATH,
    SET_STATUS_PATH,
    TOKEN_PATH,
)

SANDBOX_CREDENTIALS: dict[str, str] = {
    "user_name": "sandbox_admin",
    "api_key": "sandbox-ozonetel-key",
    "auth_mode": "BASIC_AUTH",
}

BULK_MAX_ROWS = 500
BULK_MAX_ROW_CHARS = 2000
QUEUE_DELAY_SECONDS = 2.0  # [I] how long queued V4 rows take to reach the campaign
TOKEN_LIFETIME_SECONDS = 3600.0  # [T] api-facts §5.2
LIMITS = {  # name: (requests, per seconds)
    "legacy_add": (100, 60.0),
    "bulk_v4": (5, 60.0),
    "campaign_control": (2, 60.0),
    "delete_data": (100, 60.0),
    "token": (10, 3600.0),  # [T]
    "dial_status_export": (10, 60.0),  # "10 requests/min" [D]
}
CAMPAIGN_TYPES = frozenset({"Preview", "Progressive", "IVR", "Predictive"})
DIAL_METHODS = frozenset({"Nonagentwise", "Agentwise", "Skillwise"})
CONTROL_MANDATORY = (
    "username",
    "campaignName",
    "apiKey",
    "action",
    "campaignType",
    "dialMethod",
    "did",
    "runtimeStart",
    "runtimeEnd",
)
MAPPING = ("PhoneNumber", "Name", "Priority", "ExpiryDate", "AgentId", "skill", "Email", "City")
# No document states a format beyond "PhoneNumber*": digits, with or without a leading "+".
_PHONE = re.compile(r"\+?\d{7,15}")
_TIME = re.compile(r"([01]\d|2[0-3]):[0-5]\d:[0-5]\d")
_NAME = re.compile(r"[A-Za-z0-9_ ().+$%\-:]*")
DEFAULT_CAMPAIGNS = ("Sandbox_Outbound",)
# Numbers on the sandbox's Do-Not-Disturb register.
DEFAULT_DND = frozenset({"919999900000", "919999900001"})


@dataclass
class EmulatedCampaign:
    name: str
    campaign_id: int
    settings: dict[str, Any] = field(default_factory=dict)
    running: bool = False
    rows: list[dict[str, Any]] = field(default_factory=list)
    # How many rows hold each number, kept in step with ``rows`` by the methods below, so
    # checkDuplicate costs the same at 100,000 rows as at ten.
    _phone_counts: Counter[str] = field(default_factory=Counter, repr=False)

    def has_phone(self, phone: str) -> bool:
        return self._phone_counts[phone] > 0

    def add_row(self, row: dict[str, Any]) -> None:
        self.rows.append(row)
        self._phone_counts[row["PhoneNumber"]] += 1

    def remove_phone(self, phone: str) -> None:
        if self.has_phone(phone):
            self.rows = [row for row in self.rows if row["PhoneNumber"] != phone]
            del self._phone_counts[phone]

    def take_rows(self, count: int) -> list[dict[str, Any]]:
        """Remove and return the first ``count`` rows (dialled in the order added). Rows
        past their ExpiryDate ("the last date set to the number to be valid in the
        dialer") are dropped first, undialled."""
        expired = [row for row in self.rows if _expired(row)]
        for row in expired:
            self.remove_phone(row["PhoneNumber"])
        taken, self.rows = self.rows[:count], self.rows[count:]
        self._phone_counts.subtract(row["PhoneNumber"] for row in taken)
        return taken


@dataclass
class QueuedBatch:
    campaign: str
    ready_at: float
    rows: list[dict[str, Any]]
    check_duplicate: bool
    replace: bool
    start: bool


def _expired(row: dict[str, Any]) -> bool:
    """Past its ExpiryDate, today by the wall clock in the zone the payloads assume for it
    (``payloads.EXPIRY_ZONE``, a guess); time-machine moves the clock."""
    expiry = str(row.get("ExpiryDate") or "")
    today = datetime.now(payloads.EXPIRY_ZONE).date().isoformat()
    return bool(expiry) and expiry < today


def _truthy(value: Any) -> bool:
    return str(value).strip().lower() == "true"


class OzonetelEmulator(OzonetelDataCalls, BaseEmulator):
    kind = "ozonetel"

    def __init__(
        self,
        *,
        credentials: dict[str, str],
        campaigns: tuple[str, ...] = DEFAULT_CAMPAIGNS,
        dnd_numbers: frozenset[str] = DEFAULT_DND,
        **kwargs: Any,
    ):
        super().__init__(credentials=credentials, **kwargs)
        self._ids = IdCounter(1001)
        self.campaigns: dict[str, EmulatedCampaign] = {}
        for name in campaigns:
            self.add_campaign(name)
        self.dnd_numbers = frozenset(dnd_numbers)
        self.queue: list[QueuedBatch] = []
        self.tokens: dict[str, float] = {}
        self.scheduled: list[dict[str, Any]] = []
        self.exports: list[dict[str, Any]] = []
        self.dialled: list[dict[str, str]] = []
        self.windows = {
            name: SlidingWindow(limit, per_seconds, self.clock)
            for name, (limit, per_seconds) in LIMITS.items()
        }

    # --- test and sandbox helpers ---------------------------------------------------------

    @property
    def token_mode(self) -> bool:
        return self.credentials.get("auth_mode") == "TOKEN_AUTH"

    def add_campaign(self, name: str, **settings: Any) -> EmulatedCampaign:
        with self.lock:
            campaign = EmulatedCampaign(name=name, campaign_id=next(self._ids), settings=settings)
            self.campaigns[name] = campaign
            return campaign

    def pending_phones(self, name: str) -> list[str]:
        with self.lock:
            self.process_queue()
            return [row["PhoneNumber"] for row in self.campaigns[name].rows]

    def process_queue(self, *, force: bool = False) -> None:
        """Move queued V4 rows whose time has come (or all, ``force``) into campaigns."""
        with self.lock:
            now = self.clock()
            waiting = []
            for batch in self.queue:
                if force or batch.ready_at <= now:
                    self._insert(batch)
                else:
                    waiting.append(batch)
            self.queue = waiting

    def _insert(self, batch: QueuedBatch) -> None:
        campaign = self.campaigns.get(batch.campaign)
        if campaign is None:
            return
        for row in batch.rows:
            phone = row["PhoneNumber"]
            if batch.replace:  # [I] isdelete: the number's old data makes way for the new
                campaign.remove_phone(phone)
            elif batch.check_duplicate and campaign.has_phone(phone):
                continue
            campaign.add_row(row)
        if batch.start:
            campaign.running = True

    def simulate_dialling(self, count: int, *, campaign: str = "") -> int:
        """Dial up to ``count`` rows of running campaigns (one, or all) in the order added."""
        with self.lock:
            self.process_queue()
            dialled = []
            for emulated in self.campaigns.values():
                if (campaign and emulated.name != campaign) or not emulated.running:
                    continue
                taken = emulated.take_rows(count - len(dialled))
                dialled += [self.dial_record(emulated.name, row) for row in taken]
            self.dialled.extend(dialled)
            return len(dialled)

    # --- shared answers --------------------------------------------------------------------

    def _dispatch(self, request: httpx.Request, path: str) -> httpx.Response:
        self.process_queue()
        return super()._dispatch(request, path)

    def _limited(self, name: str) -> httpx.Response | None:
        if name not in self.windows:  # a sandbox state saved before the limit was kept
            self.windows[name] = SlidingWindow(*LIMITS[name], self.clock)
        window = self.windows[name]
        if window.allow():
            return None
        return self.reply(
            {"status": "error", "message": codes.TOO_MANY_REQUESTS},
            status=429,
            headers={"Retry-After": str(window.retry_after())},
        )

    @staticmethod
    def _refusal(message: str, status: int = 401) -> httpx.Response:
        return BaseEmulator.reply({"status": "false", "message": message, "data": None}, status)

    def _ca_auth(self, request: httpx.Request, body: dict[str, Any]) -> httpx.Response | None:
        """ca_apis auth (api-facts §5.2): the apiKey header and userName in the body; in
        TOKEN_AUTH mode also a live Bearer token. Refusals are 401 [T] with the documented
        DeleteCampaignData words."""
        api_key = request.headers.get("apiKey", "")
        if not api_key:
            return self._refusal(codes.API_KEY_EMPTY)
        if (
            api_key != self.credentials["api_key"]
            or body.get("userName") != self.credentials["user_name"]
        ):
            return self._refusal(codes.INVALID_USER)
        if self.token_mode and not request.url.path.endswith(TOKEN_PATH):
            scheme, _, token = request.headers.get("Authorization", "").partition(" ")
            expires = self.tokens.get(token) if scheme.lower() == "bearer" else None
            if expires is None or expires <= self.clock():
                return self._refusal(codes.INVALID_TOKEN)
        return None

    def _json_object(self, request: httpx.Request) -> dict[str, Any]:
        body = self.json_body(request)
        return body if isinstance(body, dict) else {}

    def fault_reply(self, plan: FaultPlan, request: httpx.Request) -> httpx.Response:
        if plan.fault == Fault.SERVER_ERROR:
            return self.reply({"status": "error", "message": "Internal Server Error"}, 500)
        if plan.fault == Fault.RATE_LIMITED:
            return self.reply(
                {"status": "error", "message": codes.TOO_MANY_REQUESTS},
                status=429,
                headers={"Retry-After": str(plan.retry_after)},
            )
        return super().fault_reply(plan, request)

    # --- legacy single add -------------------------------------------------------------------

    @route("GET", LEGACY_ADD_PATH)
    def legacy_add_get(self, request: httpx.Request) -> httpx.Response:
        return self._legacy_add(self.form_or_query(request))

    @route("POST", LEGACY_ADD_PATH)
    def legacy_add_post(self, request: httpx.Request) -> httpx.Response:
        return self._legacy_add(self.form_or_query(request))

    def _legacy_add(self, params: dict[str, str]) -> httpx.Response:
        limited = self._limited("legacy_add")
        if limited is not None:
            return limited

        def answer(status: str, message: str) -> httpx.Response:
            return self.reply({"status": status, "message": message})

        campaign = self.campaigns.get(params.get("campaign_name", ""))
        # [I] an unknown campaign gets the bad-key answer, as the bulk API documents.
        if params.get("api_key") != self.credentials["api_key"] or campaign is None:
            return answer("FAIL", codes.NO_USER_FOUND)
        phone = params.get("PhoneNumber", "").strip()
        if not phone:
            return answer("FAIL", codes.PHONE_NUMBER_EMPTY)
        if not _PHONE.fullmatch(phone):
            return answer("FAIL", codes.INVALID_PHONE)
        problem = self._optional_fields_problem(params)
        if problem:
            return answer("FAIL", problem)
        if phone in self.dnd_numbers:
            return answer("FAIL", codes.DND_NUMBER)
        if _truthy(params.get("checkDuplicate")) and campaign.has_phone(phone):
            return answer("SUCCESS", codes.NUMBER_ALREADY_EXIST)
        campaign.add_row(
            {key: value for key, value in params.items() if key not in ("api_key", "campaign_name")}
        )
        if params.get("action", "").upper() == "START":
            campaign.running = True
            return answer("SUCCESS", codes.STARTED_ON_ADD)
        return answer("SUCCESS", codes.ADDED)

    @staticmethod
    def _optional_fields_problem(params: dict[str, Any]) -> str:
        """[I] the words for a malformed ExpiryDate or Priority are not documented."""
        expiry = str(params.get("ExpiryDate") or "")
        if expiry:
            try:
                date.fromisoformat(expiry)
            except ValueError:
                return "Invalid ExpiryDate, use YYYY-MM-DD"
            if len(expiry) != 10:
                return "Invalid ExpiryDate, use YYYY-MM-DD"
        raw_priority = str(params.get("Priority") or "")
        if raw_priority and not (raw_priority.isdigit() and 1 <= int(raw_priority) <= 99):
            return "Invalid Priority, use 1 to 99"
        return ""

    # --- V4 bulk -----------------------------------------------------------------------------

    @route("POST", BULK_V4_PATH)
    def bulk_v4(self, request: httpx.Request) -> httpx.Response:
        if not self.windows["bulk_v4"].allow():
            return self.reply({"status": "error", "message": codes.BULK_BUSY})
        body = self._json_object(request)
        if not body.get("campaignName"):
            return self.reply({"status": "error", "message": codes.BULK_NO_CAMPAIGN})
        campaign = self.campaigns.get(body["campaignName"])
        if (
            body.get("apiKey") != self.credentials["api_key"]
            or body.get("userName") != self.credentials["user_name"]
            or campaign is None
        ):
            return self.reply({"status": "failure", "message": codes.BULK_NO_USER})
        header, data = self._bulk_data(body.get("bulkData"))
        if header is None:
            return self.reply({"status": "failure", "message": codes.BULK_INVALID})
        replace = "isdelete" in body and _truthy(body["isdelete"])
        check = _truthy(body.get("checkDuplicate")) and "isdelete" not in body
        statuses, accepted, seen = [], [], set()
        for values in data:
            row = dict(zip(header, values, strict=False)) if isinstance(values, list) else {}
            phone = str(row.get("PhoneNumber") or "").strip()
            problem = self._bulk_row_problem(header, values, row, phone)
            if not problem and check and (phone in seen or campaign.has_phone(phone)):
                # The check covers the payload (first occurrence wins) and the campaign.
                problem = codes.NUMBER_ALREADY_EXIST
            statuses.append({"PhoneNumber": phone, "Status": problem or codes.BULK_ROW_OK})
            if not problem:
                seen.add(phone)
                accepted.append({**row, "PhoneNumber": phone})
        self.queue.append(
            QueuedBatch(
                campaign=campaign.name,
                ready_at=self.clock() + QUEUE_DELAY_SECONDS,
                rows=accepted,
                check_duplicate=check,
                replace=replace,
                start=str(body.get("action", "")).lower() == "start",
            )
        )
        return self.reply({"message": statuses})

    @staticmethod
    def _bulk_data(value: Any) -> tuple[list[str] | None, list]:
        if not isinstance(value, dict):
            return None, []
        header, data = value.get("map"), value.get("data")
        if not isinstance(header, list) or not isinstance(data, list) or not data:
            return None, []
        if "PhoneNumber" not in header or not set(header) <= set(MAPPING):
            return None, []  # the map must match the campaign's mapping file
        if len(data) > BULK_MAX_ROWS:
            return None, []  # [I] the answer to an over-long payload is not documented
        return header, data

    def _bulk_row_problem(self, header: list, values: Any, row: dict, phone: str) -> str:
        """[I] per-row words: the docs say only that such rows get an error."""
        if not isinstance(values, list) or len(values) != len(header):
            return "Row does not match the map"
        if len(",".join(str(value) for value in values)) > BULK_MAX_ROW_CHARS:
            return f"Row is longer than {BULK_MAX_ROW_CHARS} characters"
        if not phone:
            return codes.PHONE_NUMBER_EMPTY
        if not _PHONE.fullmatch(phone):
            return codes.INVALID_PHONE
        if not _NAME.fullmatch(str(row.get("Name") or "")):
            return "Name has characters that are not allowed"
        problem = self._optional_fields_problem(row)
        if problem:
            return problem
        if phone in self.dnd_numbers:
            return codes.DND_NUMBER
        return ""

    # --- campaign create / update ----------------------------------------------------------

    @route("POST", CAMPAIGN_CONTROL_PATH)
    def campaign_control(self, request: httpx.Request) -> httpx.Response:
        limited = self._limited("campaign_control")
        if limited is not None:
            return limited
        body = self._json_object(request)
        if (
            body.get("apiKey") != self.credentials["api_key"]
            or body.get("username") != self.credentials["user_name"]
        ):
            return self._refusal(codes.INVALID_USER)
        problem = self._control_problem(body)
        if problem:
            return self.reply({"status": "error", "message": problem})
        name = body["campaignName"]
        settings = {key: value for key, value in body.items() if key not in ("apiKey", "action")}
        existing = self.campaigns.get(name)
        if body["action"] == "create":
            if existing is not None:
                return self.reply({"status": "error", "message": codes.CAMPAIGN_EXISTS})
            self.add_campaign(name, **settings)
            return self.reply({"status": "success", "message": "Campaign created successfully"})
        if existing is None:
            return self.reply({"status": "error", "message": codes.CAMPAIGN_MISSING})
        if existing.running:
            return self.reply({"status": "error", "message": codes.CAMPAIGN_RUNNING})
        existing.settings = settings
        return self.reply({"status": "success", "message": "Campaign updated successfully"})

    @staticmethod
    def _control_problem(body: dict[str, Any]) -> str:
        """[I] the words; the rules are api-facts §5.5's."""
        for key, value in body.items():
            if value is None or value == "":
                return f"{key} should not be null or empty"
        for key in CONTROL_MANDATORY:
            if key not in body:
                return f"{key} is mandatory"
        checks = (
            ("action", body["action"] in ("create", "update")),
            ("campaignType", body["campaignType"] in CAMPAIGN_TYPES),
            ("dialMethod", body["dialMethod"] in DIAL_METHODS),
            ("runtimeStart", bool(_TIME.fullmatch(str(body["runtimeStart"])))),
            ("runtimeEnd", bool(_TIME.fullmatch(str(body["runtimeEnd"])))),
        )
        for key, ok in checks:
            if not ok:
                return f"Invalid {key}"
        return ""

    # --- ca_apis ---------------------------------------------------------------------------

    @route("POST", TOKEN_PATH)
    def generate_token(self, request: httpx.Request) -> httpx.Response:
        body = self._json_object(request)
        refused = self._ca_auth(request, body)
        if refused is not None:
            return refused
        limited = self._limited("token")
        if limited is not None:
            return limited
        token = "eyJ" + secrets.token_urlsafe(24)
        self.tokens[token] = self.clock() + TOKEN_LIFETIME_SECONDS
        return self.reply({"token": token})

    @route("PUT", SET_STATUS_PATH)
    def set_campaign_status(self, request: httpx.Request) -> httpx.Response:
        body = self._json_object(request)
        refused = self._ca_auth(request, body)
        if refused is not None:
            return refused
        campaign = self.campaigns.get(str(body.get("campaignName") or ""))
        if campaign is None:
            return self.reply({"status": "failure", "message": codes.INVALID_CAMPAIGN})
        if body.get("action") not in ("Start", "Stop") or body.get("process") is not True:
            return self.reply({"status": "failure", "message": codes.ALL_PARAMETERS})
        campaign.running = body["action"] == "Start"
        text = codes.STATUS_STARTED if campaign.running else codes.STATUS_STOPPED
        return self.reply({"status": "SUCCESS", "message": text})

    @route("GET", CAMPAIGN_STATUS_PATH)
    def campaign_status(self, request: httpx.Request) -> httpx.Response:
        body = self._json_object(request)  # a JSON body on a GET, as documented
        refused = self._ca_auth(request, body)
        if refused is not None:
            return refused
        campaign = self.campaigns.get(str(body.get("campaignName") or ""))
        if campaign is None:
            return self.reply({"status": "failure", "message": codes.INVALID_CAMPAIGN})
        row = {
            "CampaignID": campaign.campaign_id,
            "CampaignName": campaign.name,
            "UserName": self.credentials["user_name"],
            "Position": self._position(campaign),
        }
        return self.reply({"status": "success", "message": [row]})

    def _position(self, campaign: EmulatedCampaign) -> str:
        """READY and COMPLETED are documented; RUNNING is our guess [I]."""
        if not campaign.running:
            return "READY"
        queued = any(batch.campaign == campaign.name for batch in self.queue)
        return "RUNNING" if campaign.rows or queued else "COMPLETED"

    @route("DELETE", DELETE_DATA_PATH)
    def delete_campaign_data(self, request: httpx.Request) -> httpx.Response:
        limited = self._limited("delete_data")
        if limited is not None:
            return limited
        body = self._json_object(request)
        refused = self._ca_auth(request, body)
        if refused is not None:
            return refused
        campaign = self.campaigns.get(str(body.get("campaignName") or ""))
        if campaign is None:
            return self.reply({"status": "Error", "message": codes.INVALID_CAMPAIGN})
        phone = str(body.get("phoneNumber") or "").strip()
        if not phone:
            return self.reply({"status": "Error", "message": codes.DELETE_PHONE_EMPTY})
        campaign.remove_phone(phone)
        for batch in self.queue:
            if batch.campaign == campaign.name:
                batch.rows = [row for row in batch.rows if row["PhoneNumber"] != phone]
        return self.reply({"status": "Success", "message": codes.DELETED})
