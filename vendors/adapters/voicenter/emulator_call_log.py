"""The Voicenter emulator's call log: the CDRs its dialling leaves (api-facts §2.3 [V]:
types 14 and 15, "ProductiveCall Leg1/Leg2"), served at ``/hub/cdr/`` in the request and
reply shape the adapter guesses (``payloads``, "the call log" [I]). One Leg1 per dialled
call, and a Leg2 for the agent's leg when it was answered; the dial statuses cycle through
``DIAL_STATUSES`` so that a few dials give more than one result."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import httpx

from vendors.adapters.emulation import IdCounter, route

DIAL_STATUSES = ("ANSWER", "NOANSWER", "BUSY")  # [I] Asterisk's words, in turn
CDR_LEG1, CDR_LEG2 = 14, 15  # api-facts §2.3 [V]: "ProductiveCall Leg1/Leg2"
CDR_DATE_FORMAT = "%Y-%m-%d %H:%M:%S"  # [I]


class CallLogMixin:
    """For ``VoicenterEmulator``: ``simulate_dialling`` calls ``_record_cdrs`` per call."""

    def _call_log_init(self) -> None:
        self.cdrs: list[dict[str, Any]] = []
        self.cdr_campaigns: dict[str, str] = {}  # CallID -> the campaign that dialled it
        self._cdr_ids = IdCounter(1)

    def _record_cdrs(self, campaign: Any, call: Any) -> None:
        number = next(self._cdr_ids)
        status = DIAL_STATUSES[(number - 1) % len(DIAL_STATUSES)]
        answered = status == "ANSWER"
        agents = list(campaign.members.values()) or list(self.extensions.values())
        agent = agents[(number - 1) % len(agents)] if answered and agents else ""
        leg1 = {
            "CallID": f"vc-cdr-{number:06d}",
            "Date": datetime.now(UTC).strftime(CDR_DATE_FORMAT),
            "TargetNumber": call.target,
            "CallerNumber": call.caller_id,
            "DialStatus": status,
            "Duration": 20 + number if answered else 0,
            "RepresentativeName": agent,
            "Type": "ProductiveCall Leg1",
            "TypeID": CDR_LEG1,
            "CustomData": dict(call.custom_data),
        }
        self.cdrs.append(leg1)
        self.cdr_campaigns[leg1["CallID"]] = campaign.code
        if answered:
            self.cdrs.append(
                {**leg1, "CallID": f"{leg1['CallID']}-2", "Type": "ProductiveCall Leg2",
                 "TypeID": CDR_LEG2}
            )  # fmt: skip

    def leg1_cdrs(self, campaign: str) -> list[dict[str, Any]]:
        """The attempts the call log holds for ``campaign`` (its Code): the truth the
        console's counts are checked against."""
        with self.lock:
            return [
                cdr for cdr in self.cdrs
                if cdr["TypeID"] == CDR_LEG1 and self.cdr_campaigns[cdr["CallID"]] == campaign
            ]  # fmt: skip

    # --- the call log ([I]: payloads, "the call log") ----------------------------------------

    @route("POST", r"/hub/cdr/?")
    def answer_cdr(self, request: httpx.Request) -> httpx.Response:
        body = self.json_body(request)
        if not isinstance(body, dict):
            return self.reply({"ERROR_NUMBER": 1, "ERROR_DESCRIPTION": "Send a JSON object"})
        if body.get("code") != self.credentials.get("code"):
            return self.reply({"ERROR_NUMBER": 4, "ERROR_DESCRIPTION": "Invalid code"}, 403)
        try:
            since = datetime.strptime(str(body.get("fromdate")), CDR_DATE_FORMAT)
            until = datetime.strptime(str(body.get("todate")), CDR_DATE_FORMAT)
        except ValueError:
            return self.reply({"ERROR_NUMBER": 2, "ERROR_DESCRIPTION": "Invalid date"})
        types = body.get("cdrTypes") or [CDR_LEG1, CDR_LEG2]
        listed = [
            cdr for cdr in self.cdrs
            if cdr["TypeID"] in types
            and since <= datetime.strptime(cdr["Date"], CDR_DATE_FORMAT) <= until
        ]  # fmt: skip
        return self.reply({"ERROR_NUMBER": 0, "ERROR_DESCRIPTION": "OK", "CDR_LIST": listed})
