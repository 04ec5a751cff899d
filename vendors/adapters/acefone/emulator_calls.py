"""The Acefone emulator's token refresh, scheduled callbacks and DND list (api-facts
§1.2-§1.4). A mixin of ``AcefoneEmulator``, kept apart so emulator.py stays readable; it
uses the emulator's auth, envelope and state."""

from __future__ import annotations

import re
import secrets
from typing import Any

import httpx

from vendors.adapters.emulation import route

TOKEN_LIFETIME_SECONDS = 3600  # "The token lasts 1 hour" [D UK docs]
# The schedule-callback body's documented fields and types [D].
SCHEDULE_FIELDS: dict[str, type] = {
    "customer_name": str,
    "schedule_date_time": str,
    "assigned_to": str,
    "customer_number": str,
    "reminder_schedule_callbacks": bool,
    "reminder_time": int,
    "call_end_min": int,
    "inbound_queue": int,
}
_DATETIME = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d")


def _label(field: str) -> str:
    return field.replace("_", " ")


class AcefoneMoreCalls:
    """Routes mixed into ``AcefoneEmulator``."""

    issued_tokens: dict[str, float]
    scheduled_calls: list[dict[str, Any]]
    dnd_numbers: set[str]

    @route("POST", r"/v1/auth/refresh")
    def refresh(self, request: httpx.Request) -> httpx.Response:
        """POST /v1/auth/refresh with the Authorization header: the login reply's shape
        [D UK docs]. The old token stays valid until it expires [I]."""
        header = request.headers.get("authorization", "")
        token = header.removeprefix("Bearer ").strip()
        expires_at = self.issued_tokens.get(token)
        if expires_at is None or self.clock() >= expires_at:
            return self._denied()
        new_token = secrets.token_urlsafe(24)
        self.issued_tokens[new_token] = self.clock() + TOKEN_LIFETIME_SECONDS
        return self.reply(
            {"success": True, "access_token": new_token, "token_type": "bearer",
             "expires_in": TOKEN_LIFETIME_SECONDS}
        )  # fmt: skip

    # --- scheduled callbacks -------------------------------------------------------------

    @route("POST", r"/v1/dialer/schedule_call/?")
    def schedule_call(self, request: httpx.Request) -> httpx.Response:
        """POST /v1/dialer/schedule_call/ [D]: the documented fields and types; which are
        required is not documented, so the number and the time are [I]."""
        if not self._authorised(request):
            return self._denied()
        body = self.json_body(request)
        if not isinstance(body, dict):
            return self.fail("The request body must be a JSON object.")
        error = self._schedule_error(body)
        if error:
            return self.fail(error)
        self.scheduled_calls.append(dict(body))
        return self.ok("Call scheduled successfully")

    @staticmethod
    def _schedule_error(body: dict[str, Any]) -> str:
        unknown = sorted(set(body) - set(SCHEDULE_FIELDS))
        if unknown:
            return f"Unknown field: {unknown[0]}."
        for field in ("customer_number", "schedule_date_time"):
            if not body.get(field):
                return f"The {_label(field)} field is required."
        for field, kind in SCHEDULE_FIELDS.items():
            value = body.get(field)
            if value is None:
                continue
            if kind is int and (isinstance(value, bool) or not isinstance(value, int)):
                return f"The {_label(field)} must be an integer."
            if kind is not int and not isinstance(value, kind):
                return f"The {_label(field)} must be a {kind.__name__}."
        if not _DATETIME.fullmatch(body["schedule_date_time"]):
            return "The schedule date time must be YYYY-MM-DD HH:MM:SS."
        return ""

    @route("GET", r"/v1/broadcast/dnd/leads")
    def dnd_index(self, request: httpx.Request) -> httpx.Response:
        """GET /v1/broadcast/dnd/leads?limit=1..100&last_seen_id=&list_id=&id= [D Smartflo,
        Servetel]: {hasMore, count, limit, data: [{id, list_id, added_by, number, type,
        created_at}]}. The fake's DND numbers are account-wide (list_id null) [I]."""
        if not self._authorised(request):
            return self._denied()
        params = request.url.params
        raw_limit = params.get("limit", "")
        if not raw_limit.isdigit() or not 1 <= int(raw_limit) <= 100:
            return self.fail("The limit must be between 1 and 100.")
        rows = [
            {"id": index, "list_id": None, "added_by": "api", "number": number,
             "type": "number", "created_at": "2026-01-01 00:00:00"}
            for index, number in enumerate(sorted(self.dnd_numbers), start=1)
        ]  # fmt: skip
        last_seen = params.get("last_seen_id", "")
        if last_seen.isdigit():
            rows = [row for row in rows if row["id"] > int(last_seen)]
        if params.get("id", "").isdigit():
            rows = [row for row in rows if row["id"] == int(params["id"])]
        page = rows[: int(raw_limit)]
        return self.reply(
            {"hasMore": len(rows) > len(page), "count": len(page), "limit": int(raw_limit),
             "data": page}
        )  # fmt: skip
