"""jtel Portal REST API: dialler campaigns (made by cloning a template) and contacts.

Contract: ``shared/vendors/jtel-dialler-campaigns.txt``, filled in by api-facts §4 ([D]
wiki.jtel.de). jtel is self-hosted: the account's base URL is its REST server
(``http(s)://<server>:<port>``); every path starts with ``/rest/v1.0/{ClientsID}``.
"""

from __future__ import annotations

from typing import Any, ClassVar

import httpx
from django.utils.translation import gettext_lazy

from vendors.adapters.base import BaseAdapter
from vendors.adapters.errors import (
    VendorConfigurationError,
    VendorError,
    VendorPermanentError,
    VendorProtocolError,
    VendorRemoteIdUnknown,
)
from vendors.adapters.jtel import payloads
from vendors.adapters.jtel.field_map import WINDOW_MEANS
from vendors.adapters.types import (
    CampaignSpec,
    Capability,
    CredentialField,
    DialResult,
    HealthResult,
    LeadOutcome,
    LeadRecord,
    LeadResult,
    PendingCount,
    PushResult,
    RemoteCampaign,
    RemoteItem,
    RemoteRef,
    ResultField,
    SettingDifference,
)

# Documented refusals by (operation, HTTP status), in words for the person reading the
# page; the vendor's own words follow. UNKNOWN is the default.
MESSAGES = {
    ("campaign_create", 404): "the template campaign does not exist on jtel",
    ("campaign_create", 409): "a campaign with that name already exists",
    ("leads_push", 404): "the campaign does not exist on jtel",
    ("lead_update", 404): "the campaign does not exist on jtel",
    ("pending_count", 404): "the campaign does not exist on jtel",
    ("result_codes", 404): "the campaign does not exist on jtel",
    ("results_pull", 404): "the campaign does not exist on jtel",
}
STATUS_MESSAGES = {
    400: "jtel refused the data (a required parameter is missing or wrong)",
    404: "jtel does not know this campaign or contact",
    409: "jtel refused: the object already exists or a precondition failed",
}
UNKNOWN = "jtel refused the request"
ENGLISH = 1


class JtelAdapter(BaseAdapter):
    kind = "jtel"
    label = "jtel"
    # Self-hosted: jtel documents no public host, so every account gives its own server.
    default_base_url = ""
    capabilities = frozenset(
        {
            Capability.CAMPAIGN_CREATE,
            Capability.CAMPAIGN_LINK,
            Capability.CAMPAIGN_DELETE,
            Capability.LEAD_PUSH,
            Capability.LEAD_UPDATE,
            Capability.LEAD_REMOVE,
            Capability.PENDING_COUNT,
            Capability.RECONCILE_LEADS,
            Capability.RECONCILE_SETTINGS,
            Capability.RESULTS_PULL,
        }
    )
    # Whether a contact is done rests on its result code, which its records carry only
    # where jtel's portal exports ResultCodesExportKey (see RESULTS_PULL's note).
    result_fields = frozenset(
        {
            ResultField.ATTEMPTS,
            ResultField.LAST_RESULT,
            ResultField.NEXT_ATTEMPT_AT,
            ResultField.DONE,
        }
    )
    capability_notes: ClassVar[dict[Capability, str]] = {
        Capability.RECONCILE_SETTINGS: (
            gettext_lazy(
                "The campaign read back (GET /dialler/campaigns/{id} [D]) against the one "
                "setting the console's clone gives it and the record shows, its Name; jtel "
                "documents no call to change a campaign, so a difference is repaired in the "
                "jtel portal."
            )
        ),
        Capability.RECONCILE_LEADS: (
            gettext_lazy("By the campaign's contacts (GET /dialler/contacts), matched by UserData.")
        ),
        Capability.RESULTS_PULL: (
            gettext_lazy(
                "Each contact's tries per number, last cause and next try (dtNextTry); done "
                "or not from its result code where the record carries one, else unknown. jtel "
                "does not say when the last try was or by which agent."
            )
        ),
        Capability.PENDING_COUNT: (
            gettext_lazy(
                "Counted from the campaign's contacts and their last result code "
                "(ResultCodesExportKey, a column of jtel's import scheme); when jtel's contact "
                "records do not carry it, only the number of contacts is shown."
            )
        ),
    }
    window_means = WINDOW_MEANS
    documented_not_used = (
        gettext_lazy(
            "Get a campaign by id or name, delete one by name, list, get and delete contacts "
            "by id: the adapter does them (campaign_get, campaign_by_name, "
            "campaign_delete_by_name, contacts, contact_get, contact_delete); the console "
            "uses the lookup by name after a clone and the get by id to compare the "
            "campaign's name."
        ),
        gettext_lazy(
            "Get a contact by UserData and lock a contact: documented, paths not captured."
        ),
    )
    unsupported_reasons: ClassVar[dict[Capability, str]] = {
        Capability.SCHEDULE_CALL: (
            gettext_lazy(
                "The excerpt documents no call that sets a contact's next try (dtNextTry is "
                "read only): "
                "the console pushes the lead again at the callback time (results.recycling)."
            )
        ),
        Capability.RECONCILE_COUNT: (
            gettext_lazy(
                "jtel's only count of a campaign's contacts comes with the contacts themselves "
                "(paging is reserved for future use, api-facts §4.3), so each comparison lists "
                "them."
            )
        ),
        Capability.CAMPAIGN_UPDATE: gettext_lazy(
            "jtel's REST API has no call to change a campaign; change it in the jtel portal."
        ),
        Capability.CAMPAIGN_START_STOP: gettext_lazy(
            "jtel's REST API has no start or stop call; a campaign "
            "runs between its Runs from and Runs to times as set in the jtel portal."
        ),
        Capability.LEAD_PUSH_BULK: gettext_lazy(
            "jtel imports one contact per request over REST; bulk "
            "loading is a CSV import in the jtel portal."
        ),
        Capability.AGENTS: gettext_lazy(
            "jtel's REST API does not assign agents to a campaign; do it in the jtel portal."
        ),
        Capability.CALL_RESULT: gettext_lazy(
            "jtel has no call to report a call result back; agents record results in jtel."
        ),
        Capability.LEAD_TERMINATE: gettext_lazy(
            "jtel has no call to stop dialling a contact without "
            "deleting it; remove the lead instead."
        ),
    }
    max_batch_size = 1  # "Body is **one** contact object" ([D] api-facts §4.4)
    # Every import sends overwriteDuplicates=true with our UserData: a push sent again
    # overwrites the contact instead of adding a second one.
    duplicate_guard = True
    credential_fields = (
        CredentialField(
            "clients_id",
            "ClientsID",
            secret=False,
            help_text="Your jtel client number; it is part of every REST path.",
        ),
        CredentialField(
            "token", "Bearer token", help_text="Generated in the jtel portal (REST API tokens)."
        ),
    )
    emulator = "vendors.adapters.jtel.emulator.JtelEmulator"
    remote_item_lists: ClassVar[dict[str, str]] = {"templates": "template campaign"}
    operations = frozenset(
        {
            "campaign_create",
            "campaign_delete",
            "campaign_get",
            "campaign_list",
            "contact_delete",
            "contact_get",
            "contacts_list",
            "lead_remove",
            "lead_update",
            "leads_push",
            "pending_count",
            "result_codes",
            "template_list",
            "results_pull",
            "test_connection",
        }
    )

    # --- auth --------------------------------------------------------------------------

    @classmethod
    def auth_headers(cls, credentials: dict[str, str]) -> dict[str, str]:
        return {"Authorization": f"Bearer {credentials.get('token', '')}"}

    def _path(self, path: str) -> str:
        return payloads.api_path(self.account.credentials.get("clients_id", ""), path)

    # --- vendor hooks ------------------------------------------------------------------

    def permanent_error(
        self, operation: str, response: httpx.Response, vendor_message: str
    ) -> VendorPermanentError:
        if response.status_code == 404 and not response.content:
            # "an empty body means the endpoint does not exist" ([D] return codes): the
            # base URL points somewhere that is not a jtel REST server.
            raise VendorConfigurationError(
                "jtel has no such endpoint (404 without a body): check the account's base "
                "URL, which should be the REST server's address without /rest/v1.0.",
                status_code=404,
            )
        summary = MESSAGES.get((operation, response.status_code)) or STATUS_MESSAGES.get(
            response.status_code, UNKNOWN
        )
        detail = f" ({vendor_message})" if vendor_message else ""
        return VendorPermanentError(
            f"{summary[0].upper()}{summary[1:]}{detail}.",
            vendor_code=response.status_code,
            vendor_message=vendor_message,
            status_code=response.status_code,
        )

    def _records(self, operation: str, reply: Any) -> list[dict[str, Any]]:
        try:
            return payloads.records(reply)
        except ValueError:
            raise VendorProtocolError(f"jtel answered {operation} without records.") from None

    # --- account -----------------------------------------------------------------------

    def test_connection(self) -> HealthResult:
        try:
            reply = self._call("test_connection", "GET", self._path("/dialler/campaigns"))
            campaigns = self._records("test_connection", reply)
        except VendorError as exc:
            return HealthResult(ok=False, message=exc.message)
        clients_id = self.account.credentials.get("clients_id", "")
        return HealthResult(
            ok=True,
            message=f"jtel accepted the token for ClientsID {clients_id}; "
            f"it lists {len(campaigns)} dialler campaign(s).",
        )

    # --- campaigns ---------------------------------------------------------------------

    def campaign_create(self, spec: CampaignSpec) -> RemoteRef:
        """Clone the form's template campaign under the campaign's name. The documented
        clone reply shows no id: then the campaign is looked up by its name."""
        body = payloads.clone_body(spec)
        name = body["destination"]
        reply = self._call(
            "campaign_create", "POST", self._path("/dialler/campaigns/clone"), json=body
        )
        records = self._records("campaign_create", reply)
        campaign_id = payloads.record_id(records[0]) if records else ""
        if not campaign_id:
            found = self.campaign_by_name(name)
            campaign_id = payloads.record_id(found) if found else ""
        if not campaign_id:
            raise VendorRemoteIdUnknown(
                f"jtel cloned the campaign “{name}” but neither its reply nor the lookup by "
                "name shows its id.",
                extra={"name": name},
            )
        return RemoteRef(remote_id=campaign_id, extra={"name": name})

    def campaign_by_name(self, name: str) -> dict[str, Any] | None:
        """GET /dialler/campaigns/campaign?name= (partial match): the one record named
        exactly ``name``, or None."""
        reply = self._call(
            "campaign_get", "GET", self._path("/dialler/campaigns/campaign"), params={"name": name}
        )
        return payloads.campaign_named(self._records("campaign_get", reply), name)

    def campaign_get(self, ref: RemoteRef) -> dict[str, Any] | None:
        """GET /dialler/campaigns/{id}: the campaign's record, or None when jtel has none."""
        try:
            reply = self._call(
                "campaign_get", "GET", self._path(f"/dialler/campaigns/{ref.remote_id}")
            )
        except VendorPermanentError as exc:
            if exc.status_code == 404:
                return None
            raise
        found = self._records("campaign_get", reply)
        return found[0] if found else None

    def campaign_settings_drift(
        self, ref: RemoteRef, spec: CampaignSpec
    ) -> list[SettingDifference]:
        """The record's Name against the clone's ``destination`` (``payloads.clone_body``).
        The clone's dtFrom/dtTo are not compared: the record's date format is not
        documented, so a difference could not be told from a spelling."""
        wanted = payloads.clone_body(spec)["destination"]
        held = self.campaign_get(ref)
        if held is None:
            return [SettingDifference("the campaign itself", "nothing (it is gone)", wanted)]
        if str(held.get("Name", "")) == wanted:
            return []
        return [SettingDifference("Name", held.get("Name"), wanted)]

    def campaign_link_choices(self) -> list[RemoteCampaign]:
        """Every listed campaign; one whose record shows no id has ``remote_id`` ""."""
        reply = self._call("campaign_list", "GET", self._path("/dialler/campaigns"))
        return [payloads.campaign_choice(r) for r in self._records("campaign_list", reply)]

    def remote_items(self, source: str) -> list[RemoteItem]:
        """Campaigns a clone may start from: any dialler campaign can be the clone's
        ``source`` (excerpt, "Clone a Dialler Campaign"), so all of GET /dialler/campaigns.
        Their ids rest on the emulator's guess that records carry ``ID`` [I]."""
        if source != "templates":
            raise NotImplementedError(source)
        reply = self._call("template_list", "GET", self._path("/dialler/campaigns"))
        choices = map(payloads.campaign_choice, self._records("template_list", reply))
        return [RemoteItem(c.remote_id, c.name) for c in choices if c.name]

    def campaign_delete(self, ref: RemoteRef) -> None:
        path = self._path(f"/dialler/campaigns/campaign/{ref.remote_id}")
        try:
            self._call("campaign_delete", "DELETE", path)
        except VendorPermanentError as exc:
            if exc.status_code != 404:  # already gone is what we wanted
                raise

    def campaign_delete_by_name(self, name: str) -> None:
        """DELETE /dialler/campaigns/campaign?name= (excerpt): for a campaign whose id is
        unknown; one already gone is done."""
        try:
            self._call(
                "campaign_delete",
                "DELETE",
                self._path("/dialler/campaigns/campaign"),
                params={"name": name},
            )
        except VendorPermanentError as exc:
            if exc.status_code != 404:
                raise

    def contacts(self, ref: RemoteRef) -> list[dict[str, Any]]:
        """The campaign's contacts (GET /dialler/contacts?diallerCampaignsID=, [D])."""
        reply = self._call(
            "contacts_list",
            "GET",
            self._path("/dialler/contacts"),
            params={"diallerCampaignsID": ref.remote_id},
        )
        return self._records("contacts_list", reply)

    def remote_lead_ids(self, ref: RemoteRef) -> set[str]:
        """The campaign's contacts by UserData, the key every push gives them."""
        return {str(c.get("UserData")) for c in self.contacts(ref) if c.get("UserData")}

    def results_pull(self, ref: RemoteRef, *, callback_url: str = "") -> list[DialResult]:
        """Each contact's tries, last cause and next try (GET /dialler/contacts [D]), its
        result code read by the campaign's result codes (GET .../resultCodes [REF])."""
        codes = {code.export_key: code for code in self.result_codes(ref)}
        reply = self._call(
            "results_pull",
            "GET",
            self._path("/dialler/contacts"),
            params={"diallerCampaignsID": ref.remote_id},
        )
        return [payloads.contact_result(c, codes) for c in self._records("results_pull", reply)]

    def contact_get(self, contact_id: str) -> dict[str, Any] | None:
        """GET /dialler/contacts/{DiallerContactsID} [D]; None when jtel has no such one."""
        try:
            reply = self._call("contact_get", "GET", self._path(f"/dialler/contacts/{contact_id}"))
        except VendorPermanentError as exc:
            if exc.status_code == 404:
                return None
            raise
        found = self._records("contact_get", reply)
        return found[0] if found else None

    def contact_delete(self, contact_id: str) -> None:
        """DELETE /dialler/contacts/contact/{DiallerContactsID} [D]; already gone is done."""
        path = self._path(f"/dialler/contacts/contact/{contact_id}")
        try:
            self._call("contact_delete", "DELETE", path)
        except VendorPermanentError as exc:
            if exc.status_code != 404:
                raise

    def result_codes(
        self, ref: RemoteRef, *, languages_id: int = ENGLISH
    ) -> list[payloads.ResultCode]:
        """The campaign's result codes (``payloads.ResultCode``), in English (1) or
        German (2)."""
        path = self._path(f"/dialler/campaigns/campaign/{ref.remote_id}/resultCodes")
        reply = self._call("result_codes", "GET", path, params={"languagesID": languages_id})
        try:
            return payloads.result_codes(reply)
        except ValueError:
            raise VendorProtocolError("jtel answered result codes without records.") from None

    # --- leads -------------------------------------------------------------------------

    def leads_push(self, ref: RemoteRef, leads: list[LeadRecord]) -> PushResult:
        """Import each lead as one contact. ``overwriteDuplicates=true`` on our UserData
        makes a repeated push overwrite rather than duplicate. A 400 refuses that lead
        only; anything else fails the request."""
        return PushResult(results=tuple(self._import(ref, lead, "leads_push") for lead in leads))

    def lead_update(self, ref: RemoteRef, *, remote_lead_id: str, lead: LeadRecord) -> None:
        """The same import: jtel overwrites the contact with our UserData."""
        result = self._import(ref, lead, "lead_update")
        if result.outcome == LeadOutcome.REJECTED:
            raise VendorPermanentError(result.message, vendor_message=result.message)

    def _import(self, ref: RemoteRef, lead: LeadRecord, operation: str) -> LeadResult:
        body = payloads.contact_body(lead, campaign_id=ref.remote_id)
        user_data = body["UserData"]
        problem = payloads.too_long(body)
        if problem:
            return LeadResult(lead.lead_id, LeadOutcome.REJECTED, message=f"jtel: {problem}")
        try:
            self._call(
                operation,
                "POST",
                self._path("/dialler/contacts/import"),
                params={"overwriteDuplicates": "true"},
                json=body,
            )
        except VendorPermanentError as exc:
            if exc.status_code != 400:
                raise
            return LeadResult(lead.lead_id, LeadOutcome.REJECTED, message=exc.message)
        # The import reply is not documented, so the contact is addressed by its UserData.
        return LeadResult(lead.lead_id, LeadOutcome.ACCEPTED, remote_id=user_data)

    def lead_remove(self, ref: RemoteRef, *, remote_lead_id: str, phone: str) -> None:
        """Delete by UserData (our ``remote_lead_id``); a contact already gone is done."""
        try:
            self._call(
                "lead_remove",
                "DELETE",
                self._path("/dialler/contacts/contact"),
                params={"userData": remote_lead_id},
            )
        except VendorPermanentError as exc:
            if exc.status_code != 404:
                raise

    def pending_count(self, ref: RemoteRef) -> PendingCount:
        """The campaign's contacts without a final result: jtel has no statistics call,
        so this reads the campaign's result codes and its contacts."""
        codes = self.result_codes(ref)
        reply = self._call(
            "pending_count",
            "GET",
            self._path("/dialler/contacts"),
            params={"diallerCampaignsID": ref.remote_id},
        )
        contacts = self._records("pending_count", reply)
        pending = payloads.count_pending(contacts, codes)
        if pending is None:
            return PendingCount(
                pending=None,
                total=len(contacts),
                state="contacts on the dialer",
                detail={"rests_on": payloads.NO_PENDING_FACT},
            )
        return PendingCount(
            pending=pending,
            total=len(contacts),
            detail={"finished": len(contacts) - pending, "rests_on": payloads.PENDING_FACT},
        )
