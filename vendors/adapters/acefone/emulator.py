"""A stateful fake of Acefone's dialer API.

It enforces the excerpt's contract for campaigns (mandatory fields, documented types,
enums, the conditional rules, at most 3 active lead lists) and the Smartflo-documented
lead-list calls, with Acefone's {success, message} envelope. Where Acefone documents
nothing (status codes, the id in a create reply, per-lead dial_status values, DND refusal
words) the choices are marked [I] and match ``payloads.py``.
"""

from __future__ import annotations

import re
import secrets
from typing import Any

import httpx

from vendors.adapters.acefone import payloads
from vendors.adapters.acefone.emulator_calls import TOKEN_LIFETIME_SECONDS, AcefoneMoreCalls
from vendors.adapters.emulation import BaseEmulator, FaultPlan, IdCounter, route

SANDBOX_CREDENTIALS = {
    "token": "acefone-sandbox-token-7d1f",
    "login_id": "supervisor@acefone-sandbox.test",
    "password": "acefone-sandbox-pass-93c2",
}

_ENUMS = {
    "dial_method": ("1", "2"),
    "list_traversal_order": ("1", "2", "3"),
    "ring_strategy": ("1", "2", "3"),
    "connect_agent_through": ("1", "2", "3"),
    "dial_in_type": ("1", "2", "3"),
}
# (field, controlling field, value): "mandatory field if ..." in the excerpt.
_CONDITIONAL = (
    ("auto_dial_duration", "dial_method", "1"),
    ("dial_ratio", "dial_method", "2"),
    ("manual_lead_list", "manual_dial_enabled", 1),
    ("inbound_queue", "enable_inbound", 1),
    ("inbound_lead_list", "enable_inbound", 1),
)
MAX_ACTIVE_LISTS = 3
# The dial_status a dialled lead gets (values undocumented: payloads.DIAL_STATUS_OUTCOMES).
DIAL_RESULTS = ("answered", "busy", "no_answer")
_PHONE = re.compile(r"^\+?\d{7,15}\Z")


def _label(field: str) -> str:
    return field.replace("_", " ")


class AcefoneEmulator(AcefoneMoreCalls, BaseEmulator):
    kind = "acefone"
    GUESSED_EXTRAS = {
        # The excerpt's create reply is {success, message} only; an id key is a guess [I].
        "campaign_id": "[I] the new campaign's id in the create reply",
        # The single-lead reply is {Success, Message} [D Smartflo]; the lead's id is a guess.
        "lead_id": "[I] the new lead's id in the add-lead reply",
        # The excerpt types it integer 0/1; Smartflo's page documents a boolean [D Smartflo].
        "boolean_agent_wise_caller_id": "[D Smartflo] agent_wise_caller_id as a boolean",
    }

    def __init__(self, **kwargs: Any):
        super().__init__(**kwargs)
        self.campaigns: dict[str, dict[str, Any]] = {}
        # Lead lists are made in Acefone's dashboard (no documented API); the fake has a
        # few, and makes one when a campaign's lead_list_map names an unknown id.
        self.lists: dict[int, dict[str, Any]] = {}
        # Each list's leads by phone (several when cloned), kept in step with adds and
        # deletes, so the duplicate check costs the same at 100,000 leads as at ten.
        self._leads_by_phone: dict[int, dict[str, list[dict[str, Any]]]] = {}
        for list_id in (101, 102, 103):
            self._list(list_id)
        self.dnd_numbers: set[str] = {"+919999999999"}
        self.issued_tokens: dict[str, float] = {}
        self.scheduled_calls: list[dict[str, Any]] = []
        self._campaign_ids = IdCounter(5001)
        self._lead_ids = IdCounter(900001)

    # --- envelope ----------------------------------------------------------------------

    def ok(self, message: str, status: int = 200, **extra: Any) -> httpx.Response:
        return self.reply({"success": True, "message": message, **extra}, status=status)

    def fail(self, message: str, status: int = 400) -> httpx.Response:
        # Failures carry {success: false, message} with HTTP 400 [I, api-facts §1.6].
        return self.reply({"success": False, "message": message}, status=status)

    def not_found(self, request: httpx.Request, path: str) -> httpx.Response:
        return self.fail("Route not found", status=404)

    def fault_reply(self, plan: FaultPlan, request: httpx.Request) -> httpx.Response:
        response = super().fault_reply(plan, request)
        if response.status_code == 429:
            return self.reply(
                {"success": False, "message": "Too many requests"},
                status=429,
                headers={"Retry-After": response.headers["Retry-After"]},
            )
        if response.status_code >= 500:
            return self.fail("Something went wrong, please try again later", status=503)
        return response

    def _authorised(self, request: httpx.Request) -> bool:
        header = request.headers.get("authorization", "")
        if not header.startswith("Bearer "):
            return False
        token = header.removeprefix("Bearer ").strip()
        if token and token == self.credentials.get("token"):
            return True
        expires_at = self.issued_tokens.get(token)
        return expires_at is not None and self.clock() < expires_at

    def _denied(self) -> httpx.Response:
        return self.fail("Unauthorized: invalid or expired token", status=401)

    # --- auth --------------------------------------------------------------------------

    @route("POST", r"/v1/auth/login")
    def login(self, request: httpx.Request) -> httpx.Response:
        body = self.json_body(request) or {}
        # "login_id" [D UK]; "email" as third-party India code sends it [T].
        login_id = body.get("login_id") or body.get("email")
        password = body.get("password")
        if not login_id or not password:
            return self.fail("The login id and password fields are required.")
        if login_id != self.credentials.get("login_id") or password != self.credentials.get(
            "password"
        ):
            return self.fail("Invalid login credentials", status=401)
        token = secrets.token_urlsafe(24)
        self.issued_tokens[token] = self.clock() + TOKEN_LIFETIME_SECONDS
        return self.reply(
            {
                "success": True,
                "access_token": token,
                "token_type": "bearer",
                "expires_in": TOKEN_LIFETIME_SECONDS,
            }
        )

    # --- campaigns ---------------------------------------------------------------------

    @route("POST", r"/v1/dialer/campaign")
    def campaign_create(self, request: httpx.Request) -> httpx.Response:
        if not self._authorised(request):
            return self._denied()
        body = self.json_body(request)
        if not isinstance(body, dict):
            return self.fail("The request body must be a JSON object.")
        error = self._campaign_error(body, partial=False)
        if error:
            return self.fail(error)
        if any(c["name"] == body["name"] for c in self.campaigns.values()):
            return self.fail("A campaign with this name already exists.")  # [I]
        campaign_id = str(next(self._campaign_ids))
        self.campaigns[campaign_id] = dict(body)
        self._touch_lists(body)
        if self.guessed("campaign_id"):
            return self.ok("Campaign added successfully", campaign_id=campaign_id)
        return self.ok("Campaign added successfully")

    @route("PUT", r"/v1/dialer/campaign/(?P<campaign_id>[^/]+)")
    def campaign_update(self, request: httpx.Request, campaign_id: str) -> httpx.Response:
        if not self._authorised(request):
            return self._denied()
        campaign = self.campaigns.get(campaign_id)
        if campaign is None:
            return self.fail("Campaign not found", status=404)
        body = self.json_body(request)
        if not isinstance(body, dict):
            return self.fail("The request body must be a JSON object.")
        # Every field is optional on update [D]; the rules apply to the result.
        error = self._campaign_error({**campaign, **body}, partial=True, supplied=body)
        if error:
            return self.fail(error)
        others = (c for cid, c in self.campaigns.items() if cid != campaign_id)
        if "name" in body and any(c["name"] == body["name"] for c in others):
            return self.fail("A campaign with this name already exists.")
        campaign.update(body)
        self._touch_lists(campaign)
        return self.ok("Campaign updated successfully")

    def _campaign_error(
        self, body: dict[str, Any], *, partial: bool, supplied: dict | None = None
    ) -> str:
        checked = supplied if partial else body
        unknown = sorted(set(checked) - payloads.CAMPAIGN_FIELDS)
        if unknown:
            return f"Unknown field: {unknown[0]}."
        if not partial:
            for field in payloads.MANDATORY_FIELDS:
                if body.get(field) in (None, "", []):
                    return f"The {_label(field)} field is required."
        for field, value in checked.items():
            error = self._type_error(field, value)
            if error:
                return error
        for field, controller, wanted in _CONDITIONAL:
            if body.get(controller) == wanted and body.get(field) in (None, "", []):
                return (
                    f"The {_label(field)} field is required when {_label(controller)} is {wanted}."
                )
        active = [row for row in body.get("lead_list_map") or [] if row.get("list_status") == 1]
        if len(active) > MAX_ACTIVE_LISTS:
            return f"You can select up to {MAX_ACTIVE_LISTS} active lead lists."
        return ""

    def _type_error(self, field: str, value: Any) -> str:
        name = _label(field)
        if field in payloads.STRING_FIELDS:
            if not isinstance(value, str):
                return f"The {name} must be a string."
            if field in _ENUMS and value not in _ENUMS[field]:
                return f"The selected {name} is invalid."
        elif field in payloads.INTEGER_FIELDS:
            if isinstance(value, bool):
                if field == "agent_wise_caller_id" and self.guessed("boolean_agent_wise_caller_id"):
                    return ""
                return f"The {name} must be an integer."
            if not isinstance(value, int):
                return f"The {name} must be an integer."
            # The excerpt states "Valid value 0 or 1" for each of these but one:
            # enforce_agent_pause_code is only "an integer".
            if field != "enforce_agent_pause_code" and value not in (0, 1):
                return f"The {name} must be 0 or 1."
        elif field in payloads.STRING_LIST_FIELDS:
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                return f"The {name} must be an array of strings."
        elif field in payloads.INTEGER_LIST_FIELDS:
            ints = all(isinstance(v, int) and not isinstance(v, bool) for v in value or [None])
            if not isinstance(value, list) or not ints:
                return f"The {name} must be an array of integers."
        elif field in payloads.OBJECT_LIST_FIELDS:
            rows_ok = isinstance(value, list) and all(
                isinstance(row, dict)
                and isinstance(row.get("list_id"), int)
                and row.get("list_status") in (0, 1)
                for row in value
            )
            if not rows_ok:
                return "The lead list map must be a list of {list_id, list_status} objects."
        return ""

    # --- lead lists --------------------------------------------------------------------

    def _list(self, list_id: int) -> dict[str, Any]:
        self._leads_by_phone.setdefault(list_id, {})
        return self.lists.setdefault(
            list_id, {"id": list_id, "name": f"Sandbox list {list_id}", "leads": []}
        )

    def _touch_lists(self, campaign: dict[str, Any]) -> None:
        for row in campaign.get("lead_list_map") or []:
            self._list(row["list_id"])

    def _known_list(self, list_id: str) -> dict[str, Any] | None:
        return self.lists.get(int(list_id)) if list_id.isdigit() else None

    @route("GET", r"/v1/broadcast/lists")
    def lists_index(self, request: httpx.Request) -> httpx.Response:
        if not self._authorised(request):
            return self._denied()
        return self.reply(
            [
                {
                    "id": lead_list["id"],
                    "name": lead_list["name"],
                    "lead_count": len(lead_list["leads"]),
                }
                for lead_list in self.lists.values()
            ]
        )

    @route("GET", r"/v1/broadcast/leads/(?P<list_id>[^/]+)")
    def leads_index(self, request: httpx.Request, list_id: str) -> httpx.Response:
        if not self._authorised(request):
            return self._denied()
        lead_list = self._known_list(list_id)
        if lead_list is None:
            return self.fail("Invalid list id", status=404)
        leads = lead_list["leads"]
        number = request.url.params.get("number")
        if number:
            leads = list(self._leads_by_phone[lead_list["id"]].get(number, ()))
        return self.reply(leads)  # a bare array [D Smartflo]

    @route("POST", r"/v1/broadcast/lead/(?P<list_id>[^/]+)")
    def lead_add(self, request: httpx.Request, list_id: str) -> httpx.Response:
        if not self._authorised(request):
            return self._denied()
        lead_list = self._known_list(list_id)
        if lead_list is None:
            return self.fail("Invalid list id", status=404)
        body = self.json_body(request)
        if not isinstance(body, dict):
            return self.fail("The request body must be a JSON object.")
        option = body.get("duplicate_option", body.get("duplicate_options", "skip"))
        fields = {
            k: v for k, v in body.items() if k not in ("duplicate_option", "duplicate_options")
        }
        error = self._lead_error(fields) or self._option_error(option)
        if error:
            return self.fail(error)
        if fields["field_0"] in self.dnd_numbers:
            return self.fail("Number is in the DND list")  # [I]
        outcome, lead = self._add_lead(lead_list, fields, option)
        ids = {"lead_id": lead["id"]} if self.guessed("lead_id") else {}
        if outcome == "skipped":
            return self.ok("Lead already exists in the list, skipped", **ids)
        return self.ok("Lead added successfully", **ids)

    @route("POST", r"/v1/broadcast/leads/(?P<list_id>[^/]+)")
    def leads_add_bulk(self, request: httpx.Request, list_id: str) -> httpx.Response:
        if not self._authorised(request):
            return self._denied()
        lead_list = self._known_list(list_id)
        if lead_list is None:
            return self.fail("Invalid list id", status=404)
        body = self.json_body(request)
        if not isinstance(body, dict) or not isinstance(body.get("data"), list):
            return self.fail("The data field is required and must be an array.")
        option = body.get("duplicate_option", body.get("duplicate_options", "skip"))
        error = self._option_error(option)
        for index, row in enumerate(body["data"]):
            if error:
                break
            error = self._lead_error(row, prefix=f"data.{index}.")
        if error:
            return self.fail(error)
        counts = {"added": 0, "skipped": 0, "dnd": 0}
        for row in body["data"]:
            if row["field_0"] in self.dnd_numbers:
                counts["dnd"] += 1
                continue
            outcome, _ = self._add_lead(lead_list, dict(row), option)
            counts["added" if outcome != "skipped" else "skipped"] += 1
        return self.ok(
            f"{counts['added']} leads added, {counts['skipped']} duplicates skipped, "
            f"{counts['dnd']} DND numbers skipped"
        )

    @staticmethod
    def _option_error(option: Any) -> str:
        if option not in payloads.DUPLICATE_OPTIONS:
            return "The duplicate option must be one of skip, overwrite, clone."
        return ""

    @staticmethod
    def _lead_error(fields: Any, prefix: str = "") -> str:
        if not isinstance(fields, dict):
            return f"{prefix}lead must be an object."
        phone = fields.get("field_0")
        if phone in (None, ""):
            return f"The {prefix}field_0 (phone number) field is required."
        if not isinstance(phone, str | int) or not _PHONE.match(str(phone)):
            return f"The {prefix}field_0 must be a valid phone number."
        priority = fields.get("priority")
        low, high = payloads.PRIORITY_RANGE
        if priority is not None and (not isinstance(priority, int) or not low <= priority <= high):
            return f"The {prefix}priority must be between {low} and {high}."
        return ""

    def _add_lead(self, lead_list, fields, option) -> tuple[str, dict[str, Any]]:
        fields["field_0"] = str(fields["field_0"])
        same_phone = self._leads_by_phone[lead_list["id"]].setdefault(fields["field_0"], [])
        existing = same_phone[0] if same_phone else None
        if existing is not None and option == "skip":
            return "skipped", existing
        if existing is not None and option == "overwrite":
            existing.update(fields)
            return "overwritten", existing
        lead_id = next(self._lead_ids)
        lead = {
            "id": lead_id,
            "lead_id": lead_id,
            "list_id": lead_list["id"],
            **fields,
            "dial_status": "new",
            "lead_picked": 0,
            "call_count": 0,
            "retry_count": 0,
            "list_name": lead_list["name"],
        }
        lead_list["leads"].append(lead)
        same_phone.append(lead)
        return "added", lead

    @route("DELETE", r"/v1/broadcast/lead/(?P<lead_id>[^/]+)")
    def lead_delete(self, request: httpx.Request, lead_id: str) -> httpx.Response:
        if not self._authorised(request):
            return self._denied()
        for lead_list in self.lists.values():
            for lead in lead_list["leads"]:
                if str(lead["id"]) == lead_id:
                    lead_list["leads"].remove(lead)
                    self._leads_by_phone[lead_list["id"]][lead["field_0"]].remove(lead)
                    return self.ok("Lead deleted successfully")
        return self.fail("Lead not found", status=404)

    # --- the dialer's side -------------------------------------------------------------

    def simulate_dialling(self, count: int, *, campaign: str = "") -> int:
        """Dial up to ``count`` new leads: of the campaign's active lists when
        ``campaign`` is its id, else of every list."""
        with self.lock:
            if campaign:
                rows = (self.campaigns.get(campaign) or {}).get("lead_list_map") or []
                list_ids = [row["list_id"] for row in rows if row.get("list_status") == 1]
            else:
                list_ids = list(self.lists)
            dialled = 0
            for list_id in list_ids:
                for lead in self.lists.get(list_id, {}).get("leads", []):
                    if dialled >= count:
                        return dialled
                    if lead["dial_status"] in payloads.PENDING_DIAL_STATUSES:
                        # One call each, its result chosen by the lead's id so a test
                        # sees every kind; the values are the emulator's guess [I].
                        status = DIAL_RESULTS[lead["id"] % len(DIAL_RESULTS)]
                        lead.update(dial_status=status, lead_picked=1, call_count=1)
                        dialled += 1
            return dialled

    def pending(self, list_id: int) -> int:
        leads = self.lists.get(list_id, {}).get("leads", [])
        return sum(1 for lead in leads if lead["dial_status"] in payloads.PENDING_DIAL_STATUSES)
