"""A stateful fake of Webitel Engine v2's dialer API (``/api/v2/dialer``).

It enforces what ``shared/vendors/webitel-dialer-v2.txt`` and api-facts §3 ([V]: the
engine's own code) document: the ``X-Access-Token`` (plus ``X-Key`` for a user token)
auth, the dialer's mandatory name, type and calendar with their exact error texts, the
enum values, the communication types and their time ranges (minutes of the day), members
given one at a time or as an array, the 5 MB body limit, locked members (406), the
call-result callback only for a member waiting for one, terminate, start/stop through
``state/1`` and ``state/3`` only, the ``{"status": "OK", "data": ...}`` and
``{"status": "error", "info": ...}`` envelopes, and 24-hex ObjectIds.

Tests (and the sandbox) drive the dialer side with ``dial()`` and ``lock_member()``.
"""

from __future__ import annotations

import copy
import re
from datetime import UTC, datetime
from typing import Any

import httpx

from vendors.adapters.emulation import BaseEmulator, FaultPlan, route
from vendors.adapters.webitel import payloads
from vendors.adapters.webitel.emulator_checks import (
    NUMBER_FIELDS,
    WebitelError,
    _check_communication_types,
    _check_enum,
    _check_member,
    _check_object_id,
    _dialable,
    _in_range,
    _is_number,
)
from vendors.adapters.webitel.emulator_repair import ANY_ID, WebitelRepairCalls

SANDBOX_CREDENTIALS: dict[str, str] = {
    "token": "sandbox-webitel-token",
    "key": "sandbox-webitel-key",
}
# The calendar of the excerpt's example, so its example body works as is.
EXAMPLE_CALENDAR = ("594225b53c1956000b41db7b", "WorksDay")
# Keys the engine never lets a PUT change ([V] src/services/dialer.js).
PROTECTED_DIALER_KEYS = frozenset({"_id", "domain", "stats", "active", "state"})
ENGINE_MEMBER_KEYS = frozenset(
    {"_id", "dialer", "createdOn", "_score", "_endCause", "_lock", "_probeCount"}
)


class WebitelEmulator(WebitelRepairCalls, BaseEmulator):
    kind = "webitel"
    path_prefix = "/api/v2"

    def __init__(self, **kwargs: Any):
        super().__init__(**kwargs)
        self.dialers: dict[str, dict[str, Any]] = {}
        self.members: dict[str, dict[str, dict[str, Any]]] = {}
        self.calendars: dict[str, str] = {EXAMPLE_CALENDAR[0]: EXAMPLE_CALENDAR[1]}
        self._counter = 0

    # --- envelope and auth -------------------------------------------------------------

    def _dispatch(self, request: httpx.Request, path: str) -> httpx.Response:
        refusal = self._auth_refusal(request)
        if refusal:
            return self.error(401, refusal)
        if len(request.content) > payloads.BODY_LIMIT_BYTES:
            # express's body parser, before any route runs.
            return self.error(413, "request entity too large")
        if not any(m == request.method and p.match(path) for (m, p), _ in self._routes):
            return self.not_found(request, path)
        try:
            return super()._dispatch(request, path)
        except WebitelError as exc:
            return self.error(exc.status, exc.info)

    def _auth_refusal(self, request: httpx.Request) -> str:
        """The engine's 401 texts ([V] auth.resource.js): a domain token needs only
        X-Access-Token; a user login's token also needs its X-Key."""
        params = request.url.params
        token = request.headers.get("x-access-token") or params.get("access_token", "")
        key = request.headers.get("x-key") or params.get("x_key", "")
        if not token:
            return "Not found token"
        if token != self.credentials.get("token"):
            return "Invalid token"
        expected_key = self.credentials.get("key", "")
        if expected_key and key != expected_key:
            return "Invalid Token or Key"
        return ""

    def ok(self, data: Any, *, key: str = "data") -> httpx.Response:
        return self.reply({"status": "OK", key: data})

    def error(self, status: int, info: str) -> httpx.Response:
        return self.reply({"status": "error", "info": info}, status=status)

    def not_found(self, request: httpx.Request, path: str) -> httpx.Response:
        return self.error(404, f"{request.url.path} not found.")

    def fault_reply(self, plan: FaultPlan, request: httpx.Request) -> httpx.Response:
        response = super().fault_reply(plan, request)
        if response.status_code == 429:
            return self.reply(
                {"status": "error", "info": "Too many requests"},
                status=429,
                headers={"Retry-After": response.headers["Retry-After"]},
            )
        if response.status_code >= 500:
            return self.error(response.status_code, "Service Unavailable")
        return response

    def new_id(self) -> str:
        """An ObjectId-like id: 4 bytes of time, 5 random bytes, a 3-byte counter."""
        self._counter += 1
        seconds = 0x5947D253 + self._counter
        return f"{seconds:08x}{self.random.getrandbits(40):010x}{self._counter:06x}"

    def now_ms(self) -> int:
        return int(self.clock() * 1000)

    # --- dialers -----------------------------------------------------------------------

    @route("GET", r"/dialer")
    def dialer_list(self, request: httpx.Request) -> httpx.Response:
        limit = _positive_int(request.url.params.get("limit"), 40)
        page = _positive_int(request.url.params.get("page"), 1)
        dialers = list(self.dialers.values())[(page - 1) * limit : page * limit]
        return self.ok([copy.deepcopy(dialer) for dialer in dialers])

    @route("POST", r"/dialer")
    def dialer_create(self, request: httpx.Request) -> httpx.Response:
        body = self.json_body(request)
        if not isinstance(body, dict):
            raise WebitelError(400, "Bad request body")
        if not body.get("name"):
            raise WebitelError(400, "Name is required")
        if not body.get("type"):
            raise WebitelError(400, "Type is required")
        if not isinstance(body.get("calendar"), dict) or not body["calendar"].get("id"):
            raise WebitelError(400, "Calendar is required")
        self._validate_dialer(body)
        dialer_id = self.new_id()
        dialer = {key: value for key, value in body.items() if key not in PROTECTED_DIALER_KEYS}
        dialer.setdefault("agents", [])
        dialer.update(_id=dialer_id, active=False, state=0, stats={})
        self.dialers[dialer_id] = dialer
        self.members[dialer_id] = {}
        return self.ok(_insert_result([dialer]))

    @route("GET", rf"/dialer/(?P<dialer_id>{ANY_ID})")
    def dialer_item(self, request: httpx.Request, dialer_id: str) -> httpx.Response:
        return self.ok(copy.deepcopy(self._dialer(dialer_id)))

    @route("PUT", rf"/dialer/(?P<dialer_id>{ANY_ID})")
    def dialer_update(self, request: httpx.Request, dialer_id: str) -> httpx.Response:
        dialer = self._dialer(dialer_id)
        body = self.json_body(request)
        if not isinstance(body, dict):
            raise WebitelError(400, "Bad request body")
        changes = {key: value for key, value in body.items() if key not in PROTECTED_DIALER_KEYS}
        self._validate_dialer({**dialer, **changes})
        dialer.update(changes)
        return self.ok({"ok": 1, "nModified": 1, "n": 1})

    @route("DELETE", rf"/dialer/(?P<dialer_id>{ANY_ID})")
    def dialer_delete(self, request: httpx.Request, dialer_id: str) -> httpx.Response:
        self._dialer(dialer_id)
        del self.dialers[dialer_id]
        self.members.pop(dialer_id, None)
        return self.ok({"ok": 1, "n": 1})

    @route("PUT", rf"/dialer/(?P<dialer_id>{ANY_ID})/state/(?P<state>[^/]+)")
    def dialer_state(self, request: httpx.Request, dialer_id: str, state: str) -> httpx.Response:
        dialer = self._dialer(dialer_id)
        if request.content:
            # "send a PUT request without a body" (excerpt); the refusal's words are ours [I].
            raise WebitelError(400, "The state call takes no body")
        if state == str(payloads.STATE_START):
            dialer.update(active=True, state=payloads.STATE_START)
            return self.ok({"active": True})
        if state == str(payloads.STATE_STOP):
            dialer.update(active=False, state=payloads.STATE_STOP)
            return self.ok({"state": payloads.STATE_STOP, "members": 0})
        raise WebitelError(400, "Bad set state")

    def _dialer(self, dialer_id: str) -> dict[str, Any]:
        _check_object_id(dialer_id)
        dialer = self.dialers.get(dialer_id)
        if dialer is None:
            raise WebitelError(404, f"Not found dialer {dialer_id}")
        return dialer

    def _validate_dialer(self, body: dict[str, Any]) -> None:
        if body.get("type") not in payloads.DIALER_TYPES:
            raise WebitelError(400, f"Bad type: must be one of {', '.join(payloads.DIALER_TYPES)}")
        calendar = body.get("calendar") or {}
        if not calendar.get("id") or not calendar.get("name"):
            raise WebitelError(400, "Calendar is required")
        if calendar["id"] not in self.calendars:
            raise WebitelError(400, f"Calendar {calendar['id']} not found")
        if not isinstance(body.get("priority", 0), int) or isinstance(body.get("priority"), bool):
            raise WebitelError(400, "Bad priority: must be an integer")
        for group, names in NUMBER_FIELDS.items():
            values = body.get(group)
            if values is None:
                continue
            if not isinstance(values, dict):
                raise WebitelError(400, f"Bad {group}: must be an object")
            for name in names:
                if name in values and not _is_number(values[name]):
                    raise WebitelError(400, f"Bad {group}.{name}: must be a number")
        _check_enum(body, "numberStrategy", payloads.NUMBER_STRATEGIES)
        _check_enum(body, "membersStrategy", payloads.MEMBERS_STRATEGIES)
        accepted = payloads.AGENT_STRATEGIES + tuple(payloads.AGENT_STRATEGY_ENGINE_NAMES)
        _check_enum(body, "agentStrategy", accepted)
        _check_communication_types(body.get("communications"))

    # --- members -----------------------------------------------------------------------

    @route("GET", rf"/dialer/(?P<dialer_id>{ANY_ID})/members")
    def member_list(self, request: httpx.Request, dialer_id: str) -> httpx.Response:
        members = self._filtered(dialer_id, request.url.params.get("filter", ""))
        limit = _positive_int(request.url.params.get("limit"), 40)
        page = _positive_int(request.url.params.get("page"), 1)
        return self.ok(copy.deepcopy(members[(page - 1) * limit : page * limit]))

    @route("GET", rf"/dialer/(?P<dialer_id>{ANY_ID})/members/count")
    def member_count(self, request: httpx.Request, dialer_id: str) -> httpx.Response:
        return self.ok(len(self._filtered(dialer_id, request.url.params.get("filter", ""))))

    @route("POST", rf"/dialer/(?P<dialer_id>{ANY_ID})/members")
    def member_create(self, request: httpx.Request, dialer_id: str) -> httpx.Response:
        dialer = self._dialer(dialer_id)
        body = self.json_body(request)
        items = body if isinstance(body, list) else [body]
        for item in items:
            _check_member(item)
        created = []
        for item in items:
            member = {k: v for k, v in item.items() if k not in ENGINE_MEMBER_KEYS}
            created_on = self.now_ms()
            member.update(
                _id=self.new_id(),
                dialer=dialer_id,
                createdOn=created_on,
                _score=created_on + int(item.get("priority") or 0),
                _endCause=None,
                _lock=False,
                _probeCount=0,
                communications=[{**c, "state": 0} for c in item["communications"]],
            )
            self.members[dialer_id][member["_id"]] = member
            created.append(member)
        if request.url.params.get("autoRun") == "true":
            dialer.update(active=True, state=payloads.STATE_START)
        return self.ok(_insert_result(created))

    @route("GET", rf"/dialer/(?P<dialer_id>{ANY_ID})/members/(?P<member_id>(?!count\Z)[^/]+)")
    def member_item(self, request: httpx.Request, dialer_id: str, member_id: str):
        return self.ok(copy.deepcopy(self._member(dialer_id, member_id)))

    @route("PUT", rf"/dialer/(?P<dialer_id>{ANY_ID})/members/(?P<member_id>(?!reset\Z)[^/]+)")
    def member_update(self, request: httpx.Request, dialer_id: str, member_id: str):
        member = self._member(dialer_id, member_id)
        if member["_lock"]:
            raise WebitelError(406, f"Member {member_id} locked")
        body = self.json_body(request)
        if not isinstance(body, dict):
            raise WebitelError(400, "Bad request body")
        if "communications" in body:
            _check_member(body)
            # The engine keeps its own fields of a communication it already knows.
            known = {c["number"]: c for c in member["communications"]}
            body["communications"] = [
                {**c, "state": known.get(c["number"], {}).get("state", 0)}
                for c in body["communications"]
            ]
        member.update({k: v for k, v in body.items() if k not in ENGINE_MEMBER_KEYS})
        return self.ok({"ok": 1, "nModified": 1, "n": 1})

    @route("DELETE", rf"/dialer/(?P<dialer_id>{ANY_ID})/members/(?P<member_id>[^/]+)")
    def member_delete(self, request: httpx.Request, dialer_id: str, member_id: str):
        self._dialer(dialer_id)
        member = self.members[dialer_id].get(member_id)
        # The engine deletes only unlocked members and says the same when none matches.
        if member is None or member["_lock"]:
            raise WebitelError(406, "Not Acceptable")
        del self.members[dialer_id][member_id]
        return self.ok({"ok": 1, "n": 1})

    @route("PUT", rf"/dialer/(?P<dialer_id>{ANY_ID})/members/(?P<member_id>[^/]+)/status")
    def member_status(self, request: httpx.Request, dialer_id: str, member_id: str):
        member = self._member(dialer_id, member_id)
        if not member.get("_waitingForResultStatusCb"):
            raise WebitelError(400, f"Member {member_id}: result status false")
        body = self.json_body(request)
        if not isinstance(body, dict) or not isinstance(body.get("success"), bool):
            raise WebitelError(400, "Bad callback options")
        member["_waitingForResultStatusCb"] = None
        if body.get("reset_retries"):
            member["_probeCount"] = 0
        if body["success"]:
            member.update(_endCause="ACCEPT", callSuccessful=True)
        elif self._tries_exhausted(dialer_id, member):
            member["_endCause"] = "MAX_TRY_COUNT"
        if body.get("next_after_sec"):
            member["_nextTryTime"] = self.now_ms() + int(body["next_after_sec"]) * 1000
        return self.ok("success", key="info")

    @route("PUT", rf"/dialer/(?P<dialer_id>{ANY_ID})/members/(?P<member_id>[^/]+)/terminate")
    def member_terminate(self, request: httpx.Request, dialer_id: str, member_id: str):
        member = self._member(dialer_id, member_id)
        if not _dialable(member):
            raise WebitelError(405, f"Member {member_id} not allowed terminate")
        member["_endCause"] = "MANAGER_REQUEST"
        return self.ok("success", key="info")

    def _member(self, dialer_id: str, member_id: str) -> dict[str, Any]:
        self._dialer(dialer_id)
        _check_object_id(member_id)
        member = self.members[dialer_id].get(member_id)
        if member is None:
            raise WebitelError(404, f"Not found {member_id} in dialer {dialer_id}")
        return member

    def _filtered(self, dialer_id: str, raw_filter: str) -> list[dict[str, Any]]:
        self._dialer(dialer_id)
        conditions = parse_member_filter(raw_filter)
        members = sorted(self.members[dialer_id].values(), key=lambda m: m["_score"])
        return [m for m in members if all(match(m.get(k)) for k, match in conditions.items())]

    def _tries_exhausted(self, dialer_id: str, member: dict[str, Any]) -> bool:
        max_tries = int(self.dialers[dialer_id].get("parameters", {}).get("maxTryCount") or 0)
        return bool(max_tries) and member["_probeCount"] >= max_tries

    # --- the dialer side, for tests and the sandbox ------------------------------------

    def dial(self, dialer_id: str, count: int, *, answered: bool = True) -> list[str]:
        """Dial the next ``count`` pending members inside their communication type's time
        ranges in their own timezone, as the dialer would. With
        ``waitingForResultStatus`` on, each then waits for its call result; otherwise an
        answered call counts as successful and the member ends, and an unanswered one is
        tried again after ``intervalTryCount`` seconds, or ends when its tries are spent."""
        with self.lock:
            dialer = self._dialer(dialer_id)
            parameters = dialer.get("parameters", {})
            waits = bool(parameters.get(payloads.RESULT_STATUS_FLAG))
            dialled = []
            now = datetime.now(UTC)  # the wall clock: time-machine moves it
            for member in self._filtered(dialer_id, ""):
                if len(dialled) == count:
                    break
                if not _dialable(member) or not _in_range(dialer, member, now):
                    continue
                member["_probeCount"] += 1
                member["communications"][0]["lastCall"] = self.now_ms()
                if waits:
                    member["_waitingForResultStatusCb"] = 1
                elif answered:
                    member.update(_endCause="ACCEPT", callSuccessful=True)
                elif self._tries_exhausted(dialer_id, member):
                    member.update(_endCause="MAX_TRY_COUNT", callSuccessful=False)
                else:
                    interval = int(parameters.get("intervalTryCount") or 0)
                    member["_nextTryTime"] = self.now_ms() + interval * 1000
                dialled.append(member["_id"])
            return dialled

    def simulate_dialling(self, count: int, *, campaign: str = "") -> int:
        """``dial`` for the sandbox: the dialer with that id or name, or every dialer. A
        dialer with waitingForResultStatus keeps its dialled members pending until the
        console reports their results, as Webitel does."""
        with self.lock:
            chosen = [
                dialer_id
                for dialer_id, dialer in self.dialers.items()
                if not campaign or campaign in (dialer_id, dialer.get("name"))
            ]
            dialled = 0
            for dialer_id in chosen:
                dialled += len(self.dial(dialer_id, count - dialled))
            return dialled

    def lock_member(self, dialer_id: str, member_id: str, locked: bool = True) -> None:
        """Mark a member as in a call right now."""
        with self.lock:
            self._member(dialer_id, member_id)["_lock"] = locked

    def pending(self, dialer_id: str) -> int:
        return sum(1 for m in self.members[dialer_id].values() if not m["_endCause"])


def parse_member_filter(raw: str) -> dict[str, Any]:
    """``key=value,...`` as the engine parses it ([V] dialer.resource.js countMembers): a
    value starting with "^" is a regex (it matches strings only), a number an integer,
    anything else a string compared exactly."""
    conditions = {}
    for item in raw.split(",") if raw else []:
        parts = item.split("=")
        if len(parts) != 2:
            continue
        key, value = parts
        if value.startswith("^"):
            pattern = re.compile(value)
            conditions[key] = lambda v, p=pattern: isinstance(v, str) and bool(p.search(v))
        else:
            expected = int(value) if re.fullmatch(r"-?\d+", value) else value
            conditions[key] = lambda v, e=expected: v == e
    return conditions


def _insert_result(documents: list[dict[str, Any]]) -> dict[str, Any]:
    """A MongoDB insert result, as in the excerpt's replies."""
    return {
        "result": {"ok": 1, "n": len(documents)},
        "ops": copy.deepcopy(documents),
        "insertedCount": len(documents),
        "insertedIds": [document["_id"] for document in documents],
    }


def _positive_int(raw: str | None, default: int) -> int:
    try:
        value = int(raw or default)
    except ValueError:
        return default
    return value if value > 0 else default
