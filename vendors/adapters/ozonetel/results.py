"""The Campaign Dial Status export as results (api-facts §5.6 [D]): the console asks for
it with a callback URL and Ozonetel delivers it there later.

The documents give the request, not the delivered body. Its shape here is a guess [I],
kept in this one place (and in the emulator's GUESSED_EXTRAS "export_body"): a JSON
object with the request's ``uniqueId`` and ``campaignName`` and one row per number in
``data``, named after the request's own filters (``status``, ``dialstatus``,
``dispositions``) and the lead columns (``PhoneNumber``, ``AgentId``)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from vendors.adapters.types import DialOutcome, DialResult

# The request's documented dialstatus values [D], in the console's codes.
DIAL_STATUS_OUTCOMES: dict[str, DialOutcome] = {
    "answered": DialOutcome.ANSWERED,
    "noanswer": DialOutcome.NO_ANSWER,
    "user_disconnected": DialOutcome.ABANDONED,
    "fail": DialOutcome.FAILED,
}
DATETIME_FORMAT = "%Y-%m-%d %H:%M:%S"  # the request's fromDate/toDate format [D]


def _when(value: Any) -> datetime | None:
    try:
        return datetime.strptime(str(value), DATETIME_FORMAT).replace(tzinfo=UTC)
    except ValueError:
        return None


def _row_result(row: dict[str, Any]) -> DialResult:
    status = str(row.get("status") or "")
    dial_status = str(row.get("dialstatus") or "")
    pending = status.lower() == "pending"
    return DialResult(
        phone=str(row.get("PhoneNumber") or ""),
        last_attempt_at=None if pending else _when(row.get("CallTime")),
        result_raw=dial_status or status,
        outcome="" if pending else DIAL_STATUS_OUTCOMES.get(dial_status.lower(), ""),
        # "Pending": not dialled yet, so not done; a dialled row may be tried again.
        done=False if pending else None,
        agent=str(row.get("AgentId") or ""),
    )


def export_results(body: bytes) -> tuple[str, str, list[DialResult]]:
    """(uniqueId, campaignName, results) of one delivered export; ValueError saying why
    when the body is not one."""
    try:
        data = json.loads(body)
    except ValueError:
        raise ValueError("it is not JSON") from None
    if not isinstance(data, dict):
        raise ValueError("it is not a JSON object")
    rows = data.get("data")
    if not isinstance(rows, list) or not all(isinstance(row, dict) for row in rows):
        raise ValueError('"data" must be a list of rows')
    campaign = str(data.get("campaignName") or "")
    if not campaign:
        raise ValueError('"campaignName" is missing')
    missing = sum(1 for row in rows if not row.get("PhoneNumber"))
    if missing:
        raise ValueError(f"{missing} row(s) have no PhoneNumber")
    return str(data.get("uniqueId") or ""), campaign, [_row_result(row) for row in rows]
