"""The Webitel emulator's repair calls: reset a dialer, reset its members, delete members
by filter (api-facts §3.4, §3.5 [V]). A mixin of ``WebitelEmulator``, kept apart so
emulator.py stays readable; it uses the emulator's dialers, members and replies."""

from __future__ import annotations

from typing import Any

import httpx

from vendors.adapters.emulation import route
from vendors.adapters.webitel.emulator_checks import WebitelError

ANY_ID = r"[^/]+"


def _error(status: int, info: str) -> Exception:
    return WebitelError(status, info)


class WebitelRepairCalls:
    """Routes mixed into ``WebitelEmulator``."""

    members: dict[str, dict[str, dict[str, Any]]]

    @route("PUT", rf"/dialer/(?P<dialer_id>{ANY_ID})/reset")
    def dialer_reset(self, request: httpx.Request, dialer_id: str) -> httpx.Response:
        """{resetProcess?, resetStats?, resetAgents?, skipActive?} [V]; the reply's payload
        is in "info" [V]."""
        dialer = self._dialer(dialer_id)
        body = self.json_body(request) if request.content else {}
        if not isinstance(body, dict):
            raise _error(400, "Bad request body")
        if body.get("resetStats"):
            dialer["stats"] = {}
        if body.get("resetProcess") and not (body.get("skipActive") and dialer.get("active")):
            dialer.update(active=False, state=0)
        return self.ok("success", key="info")

    @route("PUT", rf"/dialer/(?P<dialer_id>{ANY_ID})/members/reset")
    def members_reset(self, request: httpx.Request, dialer_id: str) -> httpx.Response:
        """Ended members (created at or after ``from`` ms, when given) are dialled again [I:
        the engine's exact rule is not documented]."""
        self._dialer(dialer_id)
        if request.url.params.get("_log") == "true":
            raise _error(403, "Permission denied!")  # root only [V]
        raw_from = request.url.params.get("from", "")
        since = int(raw_from) if raw_from.isdigit() else 0
        reset = 0
        for member in self.members[dialer_id].values():
            if member.get("_endCause") and member["createdOn"] >= since and not member["_lock"]:
                member.update(_endCause=None, _probeCount=0, callSuccessful=None)
                reset += 1
        return self.ok({"n": reset}, key="info")

    @route("DELETE", rf"/dialer/(?P<dialer_id>{ANY_ID})/members")
    def members_delete_by_filter(self, request: httpx.Request, dialer_id: str):
        """The body is a Mongo filter [V]; equality and {"$in": [...]} are understood.
        Members in a call (locked) stay [I, as the single delete]."""
        self._dialer(dialer_id)
        body = self.json_body(request)
        if not isinstance(body, dict) or not body:
            raise _error(400, "Bad filter")
        doomed = [
            member_id
            for member_id, member in self.members[dialer_id].items()
            if not member["_lock"] and _mongo_match(member, body)
        ]
        for member_id in doomed:
            del self.members[dialer_id][member_id]
        return self.ok({"ok": 1, "n": len(doomed)})


def _mongo_match(document: dict[str, Any], mongo_filter: dict[str, Any]) -> bool:
    for key, wanted in mongo_filter.items():
        value = document.get(key)
        if isinstance(wanted, dict) and set(wanted) == {"$in"}:
            if value not in wanted["$in"]:
                return False
        elif value != wanted:
            return False
    return True
