"""The Webitel emulator's checks of request bodies, in the engine's words where it has
them ([V] engine-nodejs), and its error. Kept apart so emulator.py stays readable."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

MINUTES_PER_DAY = 24 * 60
OBJECT_ID = r"[0-9a-fA-F]{24}"


class WebitelError(Exception):
    def __init__(self, status: int, info: str):
        super().__init__(info)
        self.status = status
        self.info = info


# --- validation, in the engine's words where it has them -------------------------------


def _dialable(member: dict[str, Any]) -> bool:
    """Not ended, not in a call, not waiting for its call result."""
    return not (member["_endCause"] or member["_lock"] or member.get("_waitingForResultStatusCb"))


def _in_range(dialer: dict[str, Any], member: dict[str, Any], now: datetime) -> bool:
    """Whether the member's main number may be dialled at ``now``: inside a time range
    (minutes of the day) of its communication type, read in the member's ``timezone``
    ([V] engine code, api-facts §3.5; UTC for a member without one [I]). A type with no
    ranges, or a number of no known type, is not limited."""
    kinds = (dialer.get("communications") or {}).get("types") or []
    by_code = {str(kind.get("code")): kind for kind in kinds if isinstance(kind, dict)}
    kind = by_code.get(str(member["communications"][0].get("type", "")))
    if kind is None or not kind.get("ranges"):
        return True
    try:
        zone = ZoneInfo(str(member.get("timezone") or "UTC"))
    except (ZoneInfoNotFoundError, ValueError):
        zone = ZoneInfo("UTC")
    local = now.astimezone(zone)
    minute = local.hour * 60 + local.minute
    return any(r["startTime"] <= minute < r["endTime"] for r in kind["ranges"])


def _check_object_id(value: str) -> None:
    if not re.fullmatch(OBJECT_ID, value):
        raise WebitelError(400, "Bad ObjectId")


def _check_enum(body: dict[str, Any], key: str, allowed: tuple[str, ...]) -> None:
    if key in body and body[key] not in allowed:
        raise WebitelError(400, f"Bad {key}: must be one of {', '.join(allowed)}")


def _check_member(item: Any) -> None:
    communications = item.get("communications") if isinstance(item, dict) else None
    if not isinstance(communications, list) or not communications:
        raise WebitelError(400, "Bad communications (must array)")
    for communication in communications:
        if not isinstance(communication, dict) or not communication.get("number"):
            raise WebitelError(400, "Bad communication number")
        if "priority" in communication and not _is_number(communication["priority"]):
            raise WebitelError(400, "Bad communication priority: must be a number")
    if "priority" in item and not _is_number(item["priority"]):
        raise WebitelError(400, "Bad priority: must be a number")
    if "variables" in item and not isinstance(item["variables"], dict):
        raise WebitelError(400, "Bad variables: must be an object")
    if "expire" in item:
        expire = item["expire"]
        # "expire number" with the example 1497992400000: epoch milliseconds. A value in
        # seconds would mean January 1970, so anything below 10^12 is refused [I].
        if not _is_number(expire) or expire < EXPIRE_MIN_MS:
            raise WebitelError(400, "Bad expire: must be a time in epoch milliseconds")


def _check_communication_types(communications: Any) -> None:
    """Each type has a name, a unique code and time ranges in minutes of the day."""
    if communications is None:
        return
    types = communications.get("types") if isinstance(communications, dict) else None
    if not isinstance(types, list):
        raise WebitelError(400, "Bad communications: types must be an array")
    codes = set()
    for kind in types:
        if not isinstance(kind, dict) or not kind.get("name") or not kind.get("code"):
            raise WebitelError(400, "Bad communications: each type needs a name and a code")
        if kind["code"] in codes:
            raise WebitelError(400, f"Bad communications: code {kind['code']} is repeated")
        codes.add(kind["code"])
        for time_range in kind.get("ranges") or []:
            _check_range(kind["code"], time_range)


def _check_range(code: str, time_range: Any) -> None:
    """startTime and endTime are minutes of the day; attempts and priority, which the
    excerpt lists without marking them mandatory, must be numbers when given."""
    if not isinstance(time_range, dict) or any(
        not _is_number(time_range.get(name)) for name in ("startTime", "endTime")
    ):
        raise WebitelError(400, f"Bad communications: range of {code} needs startTime and endTime")
    for name in ("attempts", "priority"):
        if name in time_range and not _is_number(time_range[name]):
            raise WebitelError(400, f"Bad communications: {name} of {code} must be a number")
    start, end = time_range["startTime"], time_range["endTime"]
    if not 0 <= start < end <= MINUTES_PER_DAY:
        raise WebitelError(
            400, f"Bad communications: range of {code} must lie within 0..1440 minutes"
        )
    if time_range.get("attempts", 0) < 0:
        raise WebitelError(400, f"Bad communications: attempts of {code} must not be negative")


# The excerpt's "number" fields of the dialer body's objects (parameters 11-25, amd 28-38,
# agentParams 63-68).
NUMBER_FIELDS: dict[str, tuple[str, ...]] = {
    "parameters": (
        "limit", "minBillSec", "originateTimeout", "maxTryCount", "intervalTryCount",
        "wrapUpTime", "predictAdjust", "targetPredictiveSilentCalls",
        "maxPredictiveSilentCalls",
    ),
    "amd": (
        "maximumWordLength", "maximumNumberOfWords", "betweenWordsSilence", "minWordLength",
        "totalAnalysisTime", "silenceThreshold", "afterGreetingSilence", "greeting",
        "initialSilence",
    ),
    "agentParams": (
        "callTimeout", "wrapUpTime", "maxNoAnswer", "busyDelayTime", "rejectDelayTime",
        "noAnswerDelayTime",
    ),
}  # fmt: skip
EXPIRE_MIN_MS = 10**12  # 2001-09-09 in epoch milliseconds


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)
