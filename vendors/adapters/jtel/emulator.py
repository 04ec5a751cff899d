"""A stateful fake of the jtel Portal REST API's dialler functions.

It enforces what ``shared/vendors/jtel-dialler-campaigns.txt`` and api-facts §4 document:
``/rest/v1.0/{ClientsID}`` with a Bearer token (401 for a bad token or a wrong ClientsID),
``Content-Type: application/json`` on POST, the list envelope with ``limitPageSize: -1``,
campaign get by id and by (partial) name, clone with 404 for a missing template and 409
for a name in use, delete by id or name, result codes in English or German, one contact
per import with its required fields and lengths, ``overwriteDuplicates`` keyed on
UserData, contact delete by id or UserData, errors as ``{"status", "error"}`` and an
empty-bodied 404 for an endpoint that does not exist. Only the documented return codes
(200, 400, 401, 404, 409, 500) are answered.

By default campaign records carry the keys the excerpt's examples show, with no ``ID``,
and contact records the documented contact keys; ``GUESSED_EXTRAS`` lists what the
guessed-extras mode adds.

Tests (and the sandbox) play the dialler with ``dial()``.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Hashable
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from vendors.adapters.emulation import BaseEmulator, FaultPlan, route
from vendors.adapters.jtel import payloads

SANDBOX_CREDENTIALS: dict[str, str] = {"clients_id": "1", "token": "sandbox-jtel-token"}
CLIENT = r"/(?P<clients_id>[^/]+)"
# The excerpt's own template: "Campaign 1000", whose result codes belong to campaign 535.
TEMPLATE_ID = 535
TEMPLATE_NAME = "Campaign 1000"
# (ExportKey, English, German, type, bDone, bAborted, bDelay, bAppointment); the first
# and last are the excerpt's examples.
TEMPLATE_RESULT_CODES = (
    ("ABG", "Completed", "Abgeschlossen", "Abschluss", True, False, False, False),
    ("WV", "Call back", "Wiedervorlage", "Wiedervorlage", False, False, True, True),
    ("Aufleger", "Hung up", "Aufleger", "Abbruch", False, True, False, False),
)


class JtelError(Exception):
    def __init__(self, status: int, error: str):
        super().__init__(error)
        self.status = status
        self.error = error


class JtelEmulator(BaseEmulator):
    kind = "jtel"
    path_prefix = payloads.API_PREFIX
    GUESSED_EXTRAS = {
        # The excerpt's campaign records are shortened and show no id; result codes show
        # "ID", so campaign records may too [I].
        "campaign_record_id": "[I] ID in campaign records (list, get, by name, clone)",
        # A column of the import/export scheme [D], not among the documented keys of a
        # returned contact record.
        "contact_result_key": "[I] ResultCodesExportKey in returned contact records",
    }

    def __init__(self, **kwargs: Any):
        super().__init__(**kwargs)
        self.campaigns: dict[int, dict[str, Any]] = {}
        self.result_codes: dict[int, list[dict[str, Any]]] = {}
        self.contacts: dict[int, dict[str, Any]] = {}
        # Contact ids by UserData, oldest first, kept in step with adds and deletes, so
        # overwriteDuplicates and delete-by-UserData cost the same at any size.
        self._ids_by_user_data: dict[Any, list[int]] = {}
        self._next_campaign = TEMPLATE_ID
        self._next_code = 2695
        self._next_contact = 1
        self.add_campaign(TEMPLATE_NAME, codes=TEMPLATE_RESULT_CODES)

    # --- envelope and auth -------------------------------------------------------------

    def _dispatch(self, request: httpx.Request, path: str) -> httpx.Response:
        clients_id = path.split("/")[1] if path.count("/") >= 1 else ""
        expected = f"Bearer {self.credentials.get('token', '')}"
        if request.headers.get("authorization") != expected or clients_id != self.credentials.get(
            "clients_id"
        ):
            return self.error(401, "Unauthorized: bad token and/or wrong ClientsID")
        if not any(m == request.method and p.match(path) for (m, p), _ in self._routes):
            return self.not_found(request, path)
        if request.method == "POST" and not request.headers.get("content-type", "").startswith(
            "application/json"
        ):
            # 415 is not among jtel's documented return codes; 400 is "usually a missing
            # required parameter" [D return codes].
            return self.error(400, "POST requests need Content-Type: application/json")
        try:
            return super()._dispatch(request, path)
        except JtelError as exc:
            return self.error(exc.status, exc.error)

    def error(self, status: int, error: str) -> httpx.Response:
        return self.reply({"status": status, "error": error}, status=status)

    def not_found(self, request: httpx.Request, path: str) -> httpx.Response:
        # "404: an empty body means the endpoint does not exist" ([D] return codes).
        return httpx.Response(404)

    def fault_reply(self, plan: FaultPlan, request: httpx.Request) -> httpx.Response:
        response = super().fault_reply(plan, request)
        if response.status_code == 429:
            return self.reply(
                {"status": 429, "error": "Too Many Requests"},
                status=429,
                headers={"Retry-After": response.headers["Retry-After"]},
            )
        if response.status_code >= 500:
            return self.error(500, "Internal Server Error")
        return response

    def listing(self, found: list[dict[str, Any]], order_by: str) -> httpx.Response:
        """The list envelope; paging is "reserved for future use", so it is everything."""
        return self.reply(
            {
                "filter": "",
                "limitStart": 0,
                "limitPageSize": -1,
                "records": copy.deepcopy(found),
                "count": len(found),
                "orderBy": order_by,
                "ascending": True,
                "status": 200,
            }
        )

    def found(self, found: list[dict[str, Any]]) -> httpx.Response:
        return self.reply({"records": copy.deepcopy(found), "count": len(found), "status": 200})

    def shown_campaigns(self, found: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Campaign records as the excerpt shows them: without ``ID`` unless guessed."""
        if self.guessed("campaign_record_id"):
            return found
        return [{k: v for k, v in record.items() if k != "ID"} for record in found]

    def shown_contacts(self, found: list[dict[str, Any]]) -> list[dict[str, Any]]:
        if self.guessed("contact_result_key"):
            return found
        return [{k: v for k, v in c.items() if k != "ResultCodesExportKey"} for c in found]

    # --- campaigns ---------------------------------------------------------------------

    @route("GET", CLIENT + r"/dialler/campaigns")
    def campaign_list(self, request: httpx.Request, clients_id: str) -> httpx.Response:
        if request.url.params:
            # "Parameters: None" (excerpt); the refusal's words are ours [I].
            raise JtelError(400, "This function takes no parameters")
        ordered = sorted(self.campaigns.values(), key=lambda c: c["Name"])
        return self.listing(self.shown_campaigns(ordered), "Name")

    @route("GET", CLIENT + r"/dialler/campaigns/(?P<campaign_id>\d+)")
    def campaign_item(self, request: httpx.Request, clients_id: str, campaign_id: str):
        return self.found(self.shown_campaigns([self._campaign(int(campaign_id))]))

    @route("GET", CLIENT + r"/dialler/campaigns/campaign")
    def campaign_by_name(self, request: httpx.Request, clients_id: str) -> httpx.Response:
        name = request.url.params.get("name", "")
        if not name:
            raise JtelError(400, "Missing parameter: name")
        matches = [c for c in self.campaigns.values() if name.lower() in c["Name"].lower()]
        return self.found(self.shown_campaigns(matches))

    @route("GET", CLIENT + r"/dialler/campaigns/campaign/(?P<campaign_id>\d+)/resultCodes")
    def campaign_result_codes(self, request: httpx.Request, clients_id: str, campaign_id: str):
        self._campaign(int(campaign_id))
        language = request.url.params.get("languagesID", "")
        if language not in ("1", "2"):
            raise JtelError(400, "languagesID must be 1 (English) or 2 (German)")
        codes = [
            dict(code, Content=code["Content"][language])
            for code in self.result_codes[int(campaign_id)]
        ]
        return self.found(codes)

    @route("POST", CLIENT + r"/dialler/campaigns/clone")
    def campaign_clone(self, request: httpx.Request, clients_id: str) -> httpx.Response:
        body = self.json_body(request)
        if not isinstance(body, dict):
            raise JtelError(400, "The body must be a JSON object")
        for key in ("source", "destination"):
            if not isinstance(body.get(key), str) or not body[key].strip():
                raise JtelError(400, f"Missing parameter: {key}")
        for key in ("dtFrom", "dtTo"):
            if key in body:
                _check_datetime(key, body[key])
        source = self._campaign_named(body["source"])
        if source is None:
            raise JtelError(404, "Dialler campaign not found")
        if self._campaign_named(body["destination"]) is not None:
            raise JtelError(409, "Dialler campaign already exists")
        clone = self.add_campaign(body["destination"], like=source["ID"])
        clone.update(
            UserData=body.get("userData"), dtFrom=body.get("dtFrom"), dtTo=body.get("dtTo")
        )
        return self.found(self.shown_campaigns([clone]))

    @route("DELETE", CLIENT + r"/dialler/campaigns/campaign/(?P<campaign_id>\d+)")
    def campaign_delete(self, request: httpx.Request, clients_id: str, campaign_id: str):
        self._remove_campaign(self._campaign(int(campaign_id)))
        return self.reply({"status": 200})

    @route("DELETE", CLIENT + r"/dialler/campaigns/campaign")
    def campaign_delete_by_name(self, request: httpx.Request, clients_id: str):
        campaign = self._campaign_named(request.url.params.get("name", ""))
        if campaign is None:
            raise JtelError(404, "Dialler campaign not found")
        self._remove_campaign(campaign)
        return self.reply({"status": 200})

    def _campaign(self, campaign_id: int) -> dict[str, Any]:
        campaign = self.campaigns.get(campaign_id)
        if campaign is None:
            raise JtelError(404, "Dialler campaign not found")
        return campaign

    def _campaign_named(self, name: str) -> dict[str, Any] | None:
        return next((c for c in self.campaigns.values() if c["Name"] == name), None)

    def _remove_campaign(self, campaign: dict[str, Any]) -> None:
        # "deletes a dialler campaign including all related data"
        del self.campaigns[campaign["ID"]]
        del self.result_codes[campaign["ID"]]
        for contact_id in [
            i for i, c in self.contacts.items() if c["DiallerCampaignsID"] == campaign["ID"]
        ]:
            self._drop_contact(contact_id)

    # --- contacts ----------------------------------------------------------------------

    @route("GET", CLIENT + r"/dialler/contacts")
    def contact_list(self, request: httpx.Request, clients_id: str) -> httpx.Response:
        campaign_id = request.url.params.get("diallerCampaignsID")
        found = list(self.contacts.values())
        if campaign_id is not None:
            found = [c for c in found if str(c["DiallerCampaignsID"]) == campaign_id]
        return self.listing(self.shown_contacts(found), "ID")

    @route("GET", CLIENT + r"/dialler/contacts/(?P<contact_id>\d+)")
    def contact_item(self, request: httpx.Request, clients_id: str, contact_id: str):
        contact = self.contacts.get(int(contact_id))
        if contact is None:
            raise JtelError(404, "Dialler contact not found")
        return self.found(self.shown_contacts([contact]))

    @route("POST", CLIENT + r"/dialler/contacts/import")
    def contact_import(self, request: httpx.Request, clients_id: str) -> httpx.Response:
        body = self.json_body(request)
        if not isinstance(body, dict):
            raise JtelError(400, "The body must be one contact as a JSON object")
        campaign = self._import_campaign(body)
        if not body.get("Name"):
            raise JtelError(400, "Missing parameter: Name")
        if not any(body.get(field) for field in payloads.PHONE_FIELDS):
            raise JtelError(400, "At least one of PhoneNumber1 ... PhoneNumber6 is required")
        message = payloads.too_long(body)
        if message:
            raise JtelError(400, message)
        fields = {k: v for k, v in body.items() if k not in ("ID", "DiallerCampaignsName")}
        fields["DiallerCampaignsID"] = campaign["ID"]
        existing = None
        if request.url.params.get("overwriteDuplicates") == "true" and body.get("UserData"):
            existing = self._first_with_user_data(body["UserData"])
        if existing is not None:
            existing.update(fields)
        else:
            self._add_contact(fields)
        return self.reply({"status": 200})

    @route("DELETE", CLIENT + r"/dialler/contacts/contact/(?P<contact_id>\d+)")
    def contact_delete(self, request: httpx.Request, clients_id: str, contact_id: str):
        if int(contact_id) not in self.contacts:
            raise JtelError(404, "Dialler contact not found")
        self._drop_contact(int(contact_id))
        return self.reply({"status": 200})

    @route("DELETE", CLIENT + r"/dialler/contacts/contact")
    def contact_delete_by_user_data(self, request: httpx.Request, clients_id: str):
        user_data = request.url.params.get("userData", "")
        # "the first found is deleted" when several share the UserData.
        found = self._first_with_user_data(user_data) if user_data else None
        if found is None:
            raise JtelError(404, "Dialler contact not found")
        self._drop_contact(found["ID"])
        return self.reply({"status": 200})

    def _import_campaign(self, body: dict[str, Any]) -> dict[str, Any]:
        if body.get("DiallerCampaignsID") not in (None, ""):
            try:
                return self._campaign(int(body["DiallerCampaignsID"]))
            except (TypeError, ValueError):
                raise JtelError(400, "DiallerCampaignsID must be an integer") from None
        if body.get("DiallerCampaignsName"):
            campaign = self._campaign_named(body["DiallerCampaignsName"])
            if campaign is None:
                raise JtelError(404, "Dialler campaign not found")
            return campaign
        raise JtelError(400, "Missing parameter: DiallerCampaignsID or DiallerCampaignsName")

    def _add_contact(self, fields: dict[str, Any]) -> dict[str, Any]:
        contact = {
            "ID": self._next_contact,
            "dtNextTry": None,
            "ResultCodesExportKey": None,
            **{f"nTries{field}": 0 for field in payloads.PHONE_FIELDS},
            **{f"n{field}LastCause": None for field in payloads.PHONE_FIELDS},
            **fields,
        }
        self.contacts[contact["ID"]] = contact
        # UserData is optional: required are only Name, the campaign and a phone [D].
        if contact.get("UserData") not in (None, "") and isinstance(contact["UserData"], Hashable):
            self._ids_by_user_data.setdefault(contact["UserData"], []).append(contact["ID"])
        self._next_contact += 1
        return contact

    def _first_with_user_data(self, user_data: Any) -> dict[str, Any] | None:
        if not isinstance(user_data, Hashable):
            return next((c for c in self.contacts.values() if c.get("UserData") == user_data), None)
        ids = self._ids_by_user_data.get(user_data)
        return self.contacts[ids[0]] if ids else None

    def _drop_contact(self, contact_id: int) -> None:
        user_data = self.contacts.pop(contact_id).get("UserData")
        ids = self._ids_by_user_data.get(user_data, []) if isinstance(user_data, Hashable) else []
        if contact_id in ids:
            ids.remove(contact_id)

    # --- set-up and the dialler side, for tests and the sandbox ------------------------

    def add_campaign(self, name: str, *, codes=(), like: int | None = None) -> dict[str, Any]:
        """A campaign as jtel keeps it; a clone copies the template's record and its
        result codes (everything "except for the contacts")."""
        with self.lock:
            campaign_id = self._next_campaign
            self._next_campaign += 1
            record = copy.deepcopy(self.campaigns[like]) if like is not None else _new_record()
            record.update(ID=campaign_id, Name=name, ClientsID=self._clients_id())
            self.campaigns[campaign_id] = record
            source = self.result_codes[like] if like is not None else [_code(*c) for c in codes]
            self.result_codes[campaign_id] = []
            for code in source:
                self.result_codes[campaign_id].append(
                    {
                        **copy.deepcopy(code),
                        "ID": self._next_code,
                        "DiallerCampaignsID": campaign_id,
                    }
                )
                self._next_code += 1
            return record

    def dial(
        self, campaign_id: int, count: int, export_key: str = "ABG", cause: str = "NORMAL_CLEARING"
    ) -> list[int]:
        """Dial the next ``count`` open contacts and record ``export_key`` as their result
        and ``cause`` as their first number's last cause (values undocumented [I]); a final
        result (done or aborted) closes the contact, a delaying one (a call back) sets its
        next try an hour on."""
        with self.lock:
            codes = self.result_codes[campaign_id]
            final = {c["ExportKey"] for c in codes if c["bDone"] or c["bAborted"]}
            delaying = {c["ExportKey"] for c in codes if c["bDelay"]}
            next_try = (datetime.now(UTC) + timedelta(hours=1)).strftime(payloads.DATETIME_FORMAT)
            dialled = []
            for contact in self.contacts.values():
                if len(dialled) == count:
                    break
                if (
                    contact["DiallerCampaignsID"] != campaign_id
                    or contact["ResultCodesExportKey"] in final
                ):
                    continue
                contact["nTriesPhoneNumber1"] += 1
                contact["nPhoneNumber1LastCause"] = cause
                contact["ResultCodesExportKey"] = export_key
                contact["dtNextTry"] = next_try if export_key in delaying else None
                dialled.append(contact["ID"])
            return dialled

    def simulate_dialling(self, count: int, *, campaign: str = "") -> int:
        """``dial`` for the sandbox, closing each contact as completed: the campaign with
        that id or name, or every campaign."""
        with self.lock:
            chosen = [
                campaign_id
                for campaign_id, record in self.campaigns.items()
                if not campaign or campaign in (str(campaign_id), record["Name"])
            ]
            dialled = 0
            for campaign_id in chosen:
                dialled += len(self.dial(campaign_id, count - dialled))
            return dialled

    def campaign_contacts(self, campaign_id: int) -> list[dict[str, Any]]:
        return [c for c in self.contacts.values() if c["DiallerCampaignsID"] == campaign_id]

    def _clients_id(self) -> int | str:
        value = self.credentials.get("clients_id", "")
        return int(value) if value.isdigit() else value


def _new_record() -> dict[str, Any]:
    """A campaign record with the keys the excerpt shows."""
    return {
        "ContactPreviewTime": 5,
        "nMaxParallelLines": None,
        "bCloseContactsOnIncomingCallsMatchCallerID": True,
        "dtFrom": None,
        "dtTo": None,
        "LanguagesID": 2,
        "bCallerIDActive": False,
        "UserData": None,
        "AbortOnNoTelNumberResultCodesID": None,
        "IncomingCallResultCodesID": None,
    }


def _code(export_key, english, german, kind, done, aborted, delay, appointment) -> dict:
    return {
        "bDone": done,
        "DiallerResultCodesTypesContent": kind,
        "bDelay": delay,
        "DiallerResultCodesTypesShortText": "DiallerResultCodesTypes.1",
        "bAllowDelete": True,
        "ExportKey": export_key,
        "Content": {"1": english, "2": german},
        "bAborted": aborted,
        "bAgentBound": None,
        "TimeOffset": None,
        "bAppointment": appointment,
        "DiallerResultCodesTypesID": 1 if done else 2,
    }


def _check_datetime(key: str, value: Any) -> None:
    # The clone excerpt types dtFrom/dtTo "Date / Time" without a format: the scheme's
    # "YYYY-MM-DD HH:mm:SS" [D] and its ISO form with a "T" are both taken.
    if not isinstance(value, str) or not re.fullmatch(r"\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d", value):
        raise JtelError(400, f"{key} must be a date and time as YYYY-MM-DD HH:mm:SS")
    try:
        datetime.strptime(value.replace("T", " "), payloads.DATETIME_FORMAT)
    except ValueError:
        raise JtelError(400, f"{key} is not a valid date and time") from None
