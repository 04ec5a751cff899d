"""The Ozonetel emulator's data calls beyond adding and deleting one lead: DeleteBulkData,
CampaignScheduledData and the Campaign Dial Status export (api-facts §5.3, §5.4, §5.6).

A mixin of ``OzonetelEmulator`` (kept apart so emulator.py stays readable); it uses the
emulator's ca_apis auth, rate windows and campaigns. Reply bodies the documents do not
capture are marked [I].
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from vendors.adapters.emulation import route
from vendors.adapters.ozonetel import codes
from vendors.adapters.ozonetel.payloads import (
    DELETE_BULK_PATH,
    DIAL_STATUS_EXPORT_PATH,
    DIAL_STATUS_VALUES,
    EXPORT_STATUS_VALUES,
    SCHEDULED_DATA_MAX,
    SCHEDULED_DATA_PATH,
)

_DATETIME = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d")
SCHEDULE_DAYS_AHEAD = 30  # "schedule up to 30 days ahead" [D]


# What a dialled row's dialstatus becomes, in turn (the request's documented values [D]).
DIAL_RESULTS = ("answered", "NoAnswer", "user_disconnected")


class OzonetelDataCalls:
    """Routes mixed into ``OzonetelEmulator``."""

    GUESSED_EXTRAS = {
        # The export's request is documented; the body delivered to callBackUrl is not.
        "export_body": "[I] the dial-status export delivered as {uniqueId, campaignName, "
        "data: [{PhoneNumber, status, dialstatus, dispositions, AgentId, CallTime}]} "
        "(vendors/adapters/ozonetel/results.py)",
    }
    scheduled: list[dict[str, Any]]
    exports: list[dict[str, Any]]
    dialled: list[dict[str, str]]

    def dial_record(self, campaign: str, row: dict[str, Any]) -> dict[str, str]:
        """One dialled row as the export reports it, its dialstatus taken in turn."""
        return {
            "campaign": campaign,
            "phone": row["PhoneNumber"],
            "dialstatus": DIAL_RESULTS[len(self.dialled) % len(DIAL_RESULTS)],
            "agent": str(row.get("AgentId") or ""),
            "at": datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S"),
        }

    def take_deliveries(self) -> list[tuple[str, bytes]]:
        """Each export not yet delivered, as Ozonetel sends it to its callBackUrl."""
        taken = []
        for export in self.exports:
            if not export.get("delivered"):
                export["delivered"] = True
                taken.append(self.export_delivery(export["uniqueId"]))
        return taken

    def export_delivery(self, unique_id: str) -> tuple[str, bytes]:
        """The export ``unique_id`` as Ozonetel would deliver it: its callBackUrl and body
        (the guessed shape, "export_body"), built from what was dialled since."""
        [export] = [e for e in self.exports if e["uniqueId"] == unique_id]
        rows = [
            {"PhoneNumber": d["phone"], "status": "Success" if d["dialstatus"] == "answered"
             else "Fail", "dialstatus": d["dialstatus"], "dispositions": "",
             "AgentId": d["agent"], "CallTime": d["at"]}
            for d in self.dialled
            if d["campaign"] == export["campaignName"]
        ]  # fmt: skip
        body = {"uniqueId": unique_id, "campaignName": export["campaignName"], "data": rows}
        return export["callBackUrl"], json.dumps(body).encode()

    @route("DELETE", DELETE_BULK_PATH)
    def delete_bulk_data(self, request: httpx.Request) -> httpx.Response:
        """{userName, phoneNumber: [...], campaignName: [...]}: the numbers leave every
        campaign named (TOKEN_AUTH) [D]. The success body is not captured [I]."""
        body = self._json_object(request)
        refused = self._ca_auth(request, body)
        if refused is not None:
            return refused
        phones, names = body.get("phoneNumber"), body.get("campaignName")
        if not isinstance(phones, list) or not phones or not all(phones):
            return self.reply({"status": "Error", "message": codes.DELETE_PHONE_EMPTY})
        campaigns = [self.campaigns.get(str(name)) for name in names or []]
        if not isinstance(names, list) or not campaigns or None in campaigns:
            return self.reply({"status": "Error", "message": codes.INVALID_CAMPAIGN})
        for campaign in campaigns:
            for phone in phones:
                campaign.remove_phone(str(phone))
        return self.reply({"status": "Success", "message": "Deleted Successfully"})

    @route("POST", SCHEDULED_DATA_PATH)
    def campaign_scheduled_data(self, request: httpx.Request) -> httpx.Response:
        """{userName, campaignName, checkDuplicate, bulkData: {map: [..., "ScheduledTime"],
        data}}: at most 100 numbers, at most 30 days ahead [D]."""
        body = self._json_object(request)
        refused = self._ca_auth(request, body)
        if refused is not None:
            return refused
        if self.campaigns.get(str(body.get("campaignName") or "")) is None:
            return self.reply({"status": "Error", "message": codes.INVALID_CAMPAIGN})
        bulk = body.get("bulkData") if isinstance(body.get("bulkData"), dict) else {}
        header, rows = bulk.get("map"), bulk.get("data")
        if (
            not isinstance(header, list)
            or "ScheduledTime" not in header
            or "PhoneNumber" not in header
        ):
            return self.reply(
                {"status": "Error", "message": "map needs PhoneNumber and ScheduledTime"}
            )
        if not isinstance(rows, list) or not rows or len(rows) > SCHEDULED_DATA_MAX:
            return self.reply(
                {"status": "Error", "message": f"Send 1 to {SCHEDULED_DATA_MAX} rows"}
            )  # [I] words
        latest = datetime.fromtimestamp(self.clock()) + timedelta(days=SCHEDULE_DAYS_AHEAD)
        answers = []
        for values in rows:
            row = dict(zip(header, values, strict=False)) if isinstance(values, list) else {}
            when = str(row.get("ScheduledTime") or "")
            ok = bool(row.get("PhoneNumber")) and _DATETIME.fullmatch(when) is not None
            if ok and datetime.strptime(when, "%Y-%m-%d %H:%M:%S") > latest:
                ok = False
            if ok:
                self.scheduled.append({**row, "campaignName": body["campaignName"]})
            answers.append({"Response": "success" if ok else "failure", "msg": (
                "Data updated" if ok else "Invalid PhoneNumber or ScheduledTime")})  # fmt: skip
        return self.reply({"message": answers})

    @route("POST", DIAL_STATUS_EXPORT_PATH)
    def dial_status_export(self, request: httpx.Request) -> httpx.Response:
        """Campaign Dial Status: an export delivered later to ``callBackUrl`` [D]; the fake
        records the request and answers its uniqueId [I: the success body is not captured]."""
        limited = self._limited("dial_status_export")
        if limited is not None:
            return limited
        body = self._json_object(request)
        api_key = request.headers.get("apiKey", "")
        if (
            api_key != self.credentials["api_key"]
            or body.get("userName") != self.credentials["user_name"]
        ):
            return self.reply(
                {"status": "error", "message": "Authentication failed", "uniqueId": ""}
            )
        missing = [
            key
            for key in ("campaignName", "fromDate", "toDate", "status", "dialstatus",
                        "dispositions", "callBackUrl")
            if not body.get(key)
        ]  # fmt: skip
        problem = f"{missing[0]} is required" if missing else ""
        if not problem and not all(
            _DATETIME.fullmatch(str(body[k])) for k in ("fromDate", "toDate")
        ):
            problem = "fromDate and toDate must be YYYY-MM-DD HH:MM:SS"
        if not problem and body["status"] not in EXPORT_STATUS_VALUES:
            problem = "invalid status"
        if not problem and body["dialstatus"] not in DIAL_STATUS_VALUES:
            problem = "invalid dialstatus"
        if problem:
            return self.reply({"status": "error", "message": problem, "uniqueId": ""})
        unique_id = f"export-{len(self.exports) + 1}"
        self.exports.append({**body, "uniqueId": unique_id})
        return self.reply(
            {"status": "success", "message": "Request accepted", "uniqueId": unique_id}
        )
