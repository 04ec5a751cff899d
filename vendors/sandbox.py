"""The demo sandbox: the five vendor emulators served over HTTP.

Each vendor kind's emulator state (campaigns, pending leads, faults) is shared by every
process through the database (``vendors.sandbox_state``), so it survives across requests
whichever web worker answers them. The Django views (``vendors.sandbox_views``, mounted under
``/sandbox/`` when ``VENDOR_SANDBOX`` is on) and the standalone server
(``manage.py vendor_sandbox``) both answer through ``sandbox_answer`` and
``sandbox_control`` here.
"""

from __future__ import annotations

import hmac
import json
import time
from dataclasses import dataclass, field
from typing import Any

import httpx
from django.conf import settings

from vendors.adapters.emulation import BaseEmulator, EmulatedTimeout, Fault, FaultPlan
from vendors.sandbox_state import (
    SandboxUnknownVendor,
    emulator_class_of,
    sandbox_credentials,
    sandbox_emulator,
    sandbox_reset,
    sandbox_state,
)

__all__ = [
    "SandboxReply",
    "SandboxUnknownVendor",
    "sandbox_answer",
    "sandbox_control",
    "sandbox_credentials",
    "sandbox_emulator",
    "sandbox_reset",
    "sandbox_state",
]

# The sandbox never holds a connection longer than this, whatever the client timeout.
TIMEOUT_HOLD_MAX_SECONDS = 30.0
CONTROL_TOKEN_HEADER = "X-Sandbox-Token"  # noqa: S105 - a header name
_FAULT_FIELDS = {"remaining", "probability", "operation", "retry_after", "delay_seconds"}


@dataclass(frozen=True)
class SandboxReply:
    status: int
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)


def _json_reply(data: Any, status: int = 200) -> SandboxReply:
    return SandboxReply(status, json.dumps(data).encode(), {"Content-Type": "application/json"})


def sandbox_answer(
    *, kind: str, mount: str, method: str, url: str, headers: dict[str, str], body: bytes
) -> SandboxReply:
    """Ask the emulator of ``kind`` to answer one request. A timeout fault holds the
    reply for longer than the console's client timeout (bounded), then gives up."""
    request = httpx.Request(method, url, headers=headers, content=body)
    try:
        with sandbox_state(kind) as emulator:
            try:
                response, delay_seconds = emulator.answer(request, mount=mount)
            except EmulatedTimeout:
                response, delay_seconds = None, 0.0
            deliveries = emulator.take_deliveries()
    except SandboxUnknownVendor:
        return _json_reply({"message": f"No sandbox for vendor {kind!r}."}, status=404)
    _deliver_later(deliveries)
    # Waits happen after the state is saved, so they hold no lock.
    if response is None:
        time.sleep(min(settings.VENDOR_HTTP_TIMEOUT_SECONDS + 1.0, TIMEOUT_HOLD_MAX_SECONDS))
        return _json_reply({"message": "Emulated timeout"}, status=504)
    if delay_seconds:
        time.sleep(delay_seconds)
    kept = {
        name: value
        for name, value in response.headers.items()
        if name.lower() in ("content-type", "retry-after", "location")
    }
    return SandboxReply(response.status_code, response.content, kept)


def _deliver_later(deliveries: list[tuple[str, bytes]]) -> None:
    """Callbacks the dialer sends on its own (Ozonetel's dial-status export), POSTed by a
    worker after this reply, as the vendor delivers them later."""
    from vendors.tasks import sandbox_deliver

    for url, body in deliveries:
        sandbox_deliver.delay_on_commit(url, body.decode())


def control_token_ok(presented: str) -> bool:
    expected = settings.VENDOR_SANDBOX_ADMIN_TOKEN
    return bool(expected) and hmac.compare_digest(presented.encode(), expected.encode())


def sandbox_control(
    *, kind: str, action: str, method: str, token: str, body: bytes
) -> SandboxReply:
    """Fault injection and dialling for tests and demos, behind the sandbox admin token.

    - ``_faults``: POST ``{"fault": "server_error"|"rate_limited"|"timeout"|
      "malformed_json"|"slow", "remaining": 1, "probability": 1.0, "operation": "",
      "retry_after": 2, "delay_seconds": 0.5}`` injects; DELETE clears; GET lists.
    - ``_dial``: POST ``{"count": 5, "campaign": ""}`` dials pending leads.
    - ``_reset``: POST forgets the emulator's state.
    """
    if not control_token_ok(token):
        return _json_reply({"message": f"Missing or wrong {CONTROL_TOKEN_HEADER}."}, status=403)
    handler = _CONTROLS.get((action, method))
    if handler is None:
        return _json_reply({"message": f"{method} {action} is not a sandbox control."}, 405)
    try:
        data = json.loads(body) if body else {}
    except ValueError:
        return _json_reply({"message": "The body must be JSON."}, status=400)
    if not isinstance(data, dict):
        return _json_reply({"message": "The body must be a JSON object."}, status=400)
    if handler is _reset:
        return _reset(kind)
    try:
        with sandbox_state(kind) as emulator:
            return handler(kind, emulator, data)
    except SandboxUnknownVendor:
        return _json_reply({"message": f"No sandbox for vendor {kind!r}."}, status=404)


def _faults_list(kind: str, emulator: BaseEmulator, data: dict) -> SandboxReply:
    return _json_reply({"faults": [_plan_json(plan) for plan in emulator.faults]})


def _faults_inject(kind: str, emulator: BaseEmulator, data: dict) -> SandboxReply:
    try:
        fault = Fault(data.get("fault", ""))
    except ValueError:
        choices = ", ".join(f.value for f in Fault)
        return _json_reply({"message": f"fault must be one of: {choices}."}, status=400)
    unknown = set(data) - _FAULT_FIELDS - {"fault"}
    if unknown:
        return _json_reply({"message": f"Unknown keys: {', '.join(sorted(unknown))}."}, 400)
    try:
        plan = emulator.inject(fault, **{key: data[key] for key in _FAULT_FIELDS & set(data)})
        _validate_plan(plan)
    except (TypeError, ValueError) as exc:
        emulator.faults[:] = [entry for entry in emulator.faults if entry is not plan]
        return _json_reply({"message": str(exc)}, status=400)
    return _json_reply({"injected": _plan_json(plan)}, status=201)


def _validate_plan(plan: FaultPlan) -> None:
    if plan.remaining is not None and (not isinstance(plan.remaining, int) or plan.remaining < 1):
        raise ValueError("remaining must be a positive integer, or null for until cleared.")
    if not isinstance(plan.probability, int | float) or not 0 < plan.probability <= 1:
        raise ValueError("probability must be a number above 0 and at most 1.")
    if not isinstance(plan.operation, str):
        raise ValueError("operation must be a path fragment (a string).")
    if not isinstance(plan.retry_after, int) or plan.retry_after < 0:
        raise ValueError("retry_after must be a whole number of seconds.")
    if not isinstance(plan.delay_seconds, int | float) or not 0 <= plan.delay_seconds <= 60:
        raise ValueError("delay_seconds must be between 0 and 60.")


def _faults_clear(kind: str, emulator: BaseEmulator, data: dict) -> SandboxReply:
    emulator.clear_faults()
    return _json_reply({"faults": []})


def _dial(kind: str, emulator: BaseEmulator, data: dict) -> SandboxReply:
    count = data.get("count", 1)
    if not isinstance(count, int) or count < 1:
        return _json_reply({"message": "count must be a positive integer."}, status=400)
    try:
        dialled = emulator.simulate_dialling(count, campaign=str(data.get("campaign", "")))
    except NotImplementedError:
        return _json_reply({"message": f"The {kind} emulator cannot simulate dialling."}, 501)
    return _json_reply({"dialled": dialled})


def _reset(kind: str) -> SandboxReply:
    try:
        emulator_class_of(kind)
    except SandboxUnknownVendor:
        return _json_reply({"message": f"No sandbox for vendor {kind!r}."}, status=404)
    sandbox_reset(kind)
    return _json_reply({"reset": kind})


def _plan_json(plan: FaultPlan) -> dict[str, Any]:
    return {
        "fault": plan.fault.value,
        "remaining": plan.remaining,
        "probability": plan.probability,
        "operation": plan.operation,
        "retry_after": plan.retry_after,
        "delay_seconds": plan.delay_seconds,
    }


_CONTROLS = {
    ("_faults", "GET"): _faults_list,
    ("_faults", "POST"): _faults_inject,
    ("_faults", "DELETE"): _faults_clear,
    ("_dial", "POST"): _dial,
    ("_reset", "POST"): _reset,
}
CONTROL_ACTIONS = frozenset(action for action, _ in _CONTROLS)
