"""Webitel Engine v2: dialers (campaigns) and their members (leads) over ``/api/v2``.

Contract: ``shared/vendors/webitel-dialer-v2.txt``, filled in by api-facts §3 ([V]: the
engine's code, webitel/engine-nodejs). Webitel is self-hosted, so the base URL is the
account's engine address; paths start at ``/api/v2``.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, ClassVar

import httpx
from django.utils.translation import gettext_lazy

from vendors.adapters.base import BaseAdapter
from vendors.adapters.errors import (
    VendorError,
    VendorPermanentError,
    VendorProtocolError,
    VendorTemporaryError,
)
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
    RemoteRef,
    ResultField,
    SettingDifference,
)
from vendors.adapters.webitel import payloads
from vendors.adapters.webitel.field_map import WINDOW_MEANS

# What each documented refusal means, by HTTP status, for the person reading the page;
# the vendor's own words follow. UNKNOWN is the default.
STATUS_MESSAGES = {
    400: "Webitel refused the data",
    404: "Webitel does not know this campaign or lead",
    405: "Webitel cannot stop dialling this lead: it has ended, is in a call, "
    "or waits for its call result",
    406: "Webitel refused to change this lead",
    413: "the request is larger than Webitel's 5 MB body limit",
}
UNKNOWN = "Webitel refused the request"
# Where the adapter keeps the communication type code it gives each lead's main number.
COMMUNICATION_TYPE = "communication_type"
LINK_PAGE_SIZE = 40  # the engine's default page size ([V] dialer list)
MEMBERS_PAGE_SIZE = 500  # no maximum is documented [I]


class WebitelAdapter(BaseAdapter):
    kind = "webitel"
    label = "Webitel"
    # The docs' example engine address ([D] api-facts §3.1); installs are self-hosted.
    default_base_url = "https://api.webitel.com:10022"
    capabilities = frozenset(
        {
            Capability.CAMPAIGN_CREATE,
            Capability.CAMPAIGN_UPDATE,
            Capability.CAMPAIGN_LINK,
            Capability.CAMPAIGN_DELETE,
            Capability.CAMPAIGN_START_STOP,
            Capability.LEAD_PUSH,
            Capability.LEAD_PUSH_BULK,
            Capability.LEAD_REMOVE,
            Capability.LEAD_UPDATE,
            Capability.PENDING_COUNT,
            Capability.AGENTS,
            Capability.CALL_RESULT,
            Capability.LEAD_TERMINATE,
            Capability.RECONCILE_LEADS,
            Capability.RECONCILE_SETTINGS,
            Capability.RECONCILE_COUNT,
            Capability.RESULTS_PULL,
        }
    )
    result_fields = frozenset(
        {
            ResultField.ATTEMPTS,
            ResultField.LAST_ATTEMPT_AT,
            ResultField.LAST_RESULT,
            ResultField.NEXT_ATTEMPT_AT,
            ResultField.DONE,
        }
    )
    window_means = WINDOW_MEANS
    documented_not_used = (
        gettext_lazy(
            "Get a dialer, reset its counters, reset its members and delete members by "
            "filter: the adapter does them (campaign_get, campaign_reset, members_reset, "
            "members_delete); no button offers them yet."
        ),
        gettext_lazy(
            "History log, agent statistics, members aggregate and import/export templates "
            "(api-facts §3.4-3.5 [V]): not used."
        ),
    )
    unsupported_reasons: ClassVar[dict[Capability, str]] = {
        Capability.SCHEDULE_CALL: (
            gettext_lazy(
                "The console sends no per-member next call time to Webitel: "
                "the console pushes the lead again at the callback time (results.recycling)."
            )
        ),
    }
    capability_notes: ClassVar[dict[Capability, str]] = {
        Capability.RECONCILE_COUNT: (
            gettext_lazy(
                "By GET /api/v2/dialer/{id}/members/count (api-facts §3.5 [V]): the members "
                "are listed only when their number differs from the leads the console pushed."
            )
        ),
        Capability.RECONCILE_SETTINGS: (
            gettext_lazy(
                "The dialer read back (GET /api/v2/dialer/{id}) against the document the "
                "console sends, on the values the console sets."
            )
        ),
    }
    # Members go as one array, limited only by the 5 MB body ([V/I] api-facts §3.5); a
    # batch of this size stays far below it, and leads_push splits anything bigger.
    max_batch_size = 1000
    # Webitel has no duplicate check ([V/I] api-facts §3.5): a batch sent twice is dialled
    # twice.
    duplicate_guard = False
    credential_fields = (
        CredentialField(
            "token",
            "Access token",
            help_text="A domain token, or the token /login returned for a user.",
        ),
        CredentialField(
            "key",
            "Key",
            required=False,
            help_text="The X-Key /login returned with a user's token. Leave empty for a "
            "domain token.",
        ),
        CredentialField(
            "domain",
            "Domain",
            secret=False,
            required=False,
            help_text="Only for a root user's token: the domain the dialers belong to.",
        ),
    )
    emulator = "vendors.adapters.webitel.emulator.WebitelEmulator"
    operations = frozenset(
        {
            "campaign_create",
            "campaign_delete",
            "campaign_get",
            "campaign_list",
            "campaign_reset",
            "campaign_start",
            "campaign_stop",
            "campaign_update",
            "lead_call_result",
            "lead_get",
            "lead_remove",
            "lead_terminate",
            "lead_update",
            "leads_push",
            "members_delete",
            "members_list",
            "leads_count",
            "members_reset",
            "pending_count",
            "results_pull",
            "test_connection",
        }
    )

    # --- auth --------------------------------------------------------------------------

    @classmethod
    def auth_headers(cls, credentials: dict[str, str]) -> dict[str, str]:
        headers = {"X-Access-Token": credentials.get("token", "")}
        if credentials.get("key"):
            headers["X-Key"] = credentials["key"]
        return headers

    def _request(self, operation: str, method: str, path: str, **kwargs: Any) -> Any:
        """``_call`` with the account's domain, which a root user's token needs on every
        request ([V] validateCallerParameters.js)."""
        domain = self.account.credentials.get("domain")
        if domain:
            kwargs["params"] = {**kwargs.get("params", {}), "domain": domain}
        return self._call(operation, method, path, **kwargs)

    # --- vendor hooks ------------------------------------------------------------------

    def permanent_error(
        self, operation: str, response: httpx.Response, vendor_message: str
    ) -> VendorPermanentError:
        summary = STATUS_MESSAGES.get(response.status_code, UNKNOWN)
        detail = f": {vendor_message}" if vendor_message else ""
        return VendorPermanentError(
            f"{summary} ({response.status_code}){detail}",
            vendor_message=vendor_message,
            status_code=response.status_code,
        )

    def check_reply(self, operation: str, data: Any, response: httpx.Response) -> None:
        if not isinstance(data, dict) or data.get("status") != "OK":
            raise self._protocol_error(operation, "a reply without status OK")

    def _protocol_error(self, operation: str, what: str) -> VendorProtocolError:
        return VendorProtocolError(f"Webitel answered {operation} with {what}.")

    # --- account -----------------------------------------------------------------------

    def test_connection(self) -> HealthResult:
        try:
            reply = self._request("test_connection", "GET", "/api/v2/dialer", params={"limit": 1})
        except VendorError as exc:
            return HealthResult(ok=False, message=exc.message)
        seen = "at least one dialer" if reply.get("data") else "no dialers yet"
        return HealthResult(ok=True, message=f"Webitel accepted the token; it lists {seen}.")

    # --- campaigns ---------------------------------------------------------------------

    def campaign_create(self, spec: CampaignSpec) -> RemoteRef:
        reply = self._request(
            "campaign_create", "POST", "/api/v2/dialer", json=payloads.dialer_body(spec)
        )
        try:
            dialer_id = payloads.inserted_id(reply.get("data"))
        except ValueError:
            raise self._protocol_error("campaign_create", "no id for the new dialer") from None
        return self._ref(dialer_id, spec)

    def campaign_update(self, ref: RemoteRef, spec: CampaignSpec) -> RemoteRef:
        """PUT the whole dialer. When it was deleted on Webitel, create it again: the
        console is the source of truth."""
        try:
            self._request(
                "campaign_update",
                "PUT",
                f"/api/v2/dialer/{ref.remote_id}",
                json=payloads.dialer_body(spec),
            )
        except VendorPermanentError as exc:
            if exc.status_code != 404:
                raise
            return self.campaign_create(spec)
        return self._ref(ref.remote_id, spec)

    def campaign_link_choices(self) -> list[RemoteCampaign]:
        choices: list[RemoteCampaign] = []
        page = 1
        while True:
            reply = self._request(
                "campaign_list",
                "GET",
                "/api/v2/dialer",
                params={"limit": LINK_PAGE_SIZE, "page": page},
            )
            batch = payloads.dialer_choices(reply.get("data"))
            choices.extend(batch)
            if len(reply.get("data") or []) < LINK_PAGE_SIZE:
                return choices
            page += 1

    def campaign_delete(self, ref: RemoteRef) -> None:
        try:
            self._request("campaign_delete", "DELETE", f"/api/v2/dialer/{ref.remote_id}")
        except VendorPermanentError as exc:
            if exc.status_code != 404:  # already gone is what we wanted
                raise

    def campaign_start(self, ref: RemoteRef) -> None:
        self._set_state(ref, payloads.STATE_START)

    def campaign_stop(self, ref: RemoteRef) -> None:
        self._set_state(ref, payloads.STATE_STOP)

    def _set_state(self, ref: RemoteRef, state: int) -> None:
        # "a PUT request without a body" (excerpt); 1 starts, 3 stops, nothing else exists.
        operation = "campaign_start" if state == payloads.STATE_START else "campaign_stop"
        self._request(operation, "PUT", f"/api/v2/dialer/{ref.remote_id}/state/{state}")

    @staticmethod
    def _ref(dialer_id: str, spec: CampaignSpec) -> RemoteRef:
        code = payloads.first_communication_type(spec)
        return RemoteRef(remote_id=dialer_id, extra={COMMUNICATION_TYPE: code} if code else {})

    # --- leads -------------------------------------------------------------------------

    def leads_push(self, ref: RemoteRef, leads: list[LeadRecord]) -> PushResult:
        """POST the members as one array (Webitel has no duplicate check, so each is
        accepted); split in two while the body is above the 5 MB limit."""
        if not leads:
            return PushResult(results=())
        code = ref.extra.get(COMMUNICATION_TYPE, "")
        bodies = [payloads.member_body(lead, communication_type=code) for lead in leads]
        request = self.client.build_request("POST", "/", json=bodies)
        if len(request.content) > payloads.BODY_LIMIT_BYTES and len(leads) > 1:
            half = len(leads) // 2
            first = self.leads_push(ref, leads[:half])
            return PushResult(results=first.results + self.leads_push(ref, leads[half:]).results)
        reply = self._request(
            "leads_push", "POST", f"/api/v2/dialer/{ref.remote_id}/members", json=bodies
        )
        ids = payloads.inserted_ids(reply.get("data"))
        if len(ids) != len(leads):
            raise self._protocol_error("leads_push", f"{len(ids)} ids for {len(leads)} leads")
        return PushResult(
            results=tuple(
                LeadResult(lead_id=lead.lead_id, outcome=LeadOutcome.ACCEPTED, remote_id=member)
                for lead, member in zip(leads, ids, strict=True)
            )
        )

    def lead_update(self, ref: RemoteRef, *, remote_lead_id: str, lead: LeadRecord) -> None:
        body = payloads.member_body(lead, communication_type=ref.extra.get(COMMUNICATION_TYPE, ""))
        with _locked_is_temporary():
            self._request("lead_update", "PUT", self._member_path(ref, remote_lead_id), json=body)

    def lead_remove(self, ref: RemoteRef, *, remote_lead_id: str, phone: str) -> None:
        """DELETE answers 406 both for a member in a call and for one that does not
        exist ([V] api-facts §3.5); a GET tells them apart, and a missing one is done."""
        path = self._member_path(ref, remote_lead_id)
        try:
            self._request("lead_remove", "DELETE", path)
            return
        except VendorPermanentError as exc:
            if exc.status_code != 406:
                raise
            refusal = exc
        try:
            self._request("lead_get", "GET", path)
        except VendorPermanentError as exc:
            if exc.status_code == 404:
                return
            raise
        raise _locked(refusal)

    def lead_call_result(
        self, ref: RemoteRef, *, remote_lead_id: str, disposition: str, success: bool
    ) -> None:
        """Only accepted while the member waits for its result, which needs the dialer's
        ``waitingForResultStatus``; otherwise Webitel answers 400 "result status false"."""
        self._request(
            "lead_call_result",
            "PUT",
            self._member_path(ref, remote_lead_id) + "/status",
            json=payloads.call_result_body(disposition=disposition, success=success),
        )

    def lead_terminate(self, ref: RemoteRef, *, remote_lead_id: str) -> None:
        self._request(
            "lead_terminate", "PUT", self._member_path(ref, remote_lead_id) + "/terminate"
        )

    def pending_count(self, ref: RemoteRef) -> PendingCount:
        """Members the dialer has not finished: all members less those with an end
        cause (two members/count calls; see ``payloads.ENDED_MEMBERS_FILTER``)."""
        path = f"/api/v2/dialer/{ref.remote_id}/members/count"
        total = self._count(self._request("pending_count", "GET", path))
        ended = self._count(
            self._request(
                "pending_count", "GET", path, params={"filter": payloads.ENDED_MEMBERS_FILTER}
            )
        )
        return PendingCount(pending=max(0, total - ended), total=total, detail={"ended": ended})

    # --- documented operations for reconciliation and repair (api-facts §3.4, §3.5 [V]) --

    def campaign_get(self, ref: RemoteRef) -> dict[str, Any] | None:
        """GET /api/v2/dialer/{id}: the dialer as Webitel holds it, None when it is gone."""
        try:
            reply = self._request("campaign_get", "GET", f"/api/v2/dialer/{ref.remote_id}")
        except VendorPermanentError as exc:
            if exc.status_code == 404:
                return None
            raise
        data = reply.get("data")
        if not isinstance(data, dict):
            raise self._protocol_error("campaign_get", "no dialer object")
        return data

    def campaign_settings_drift(
        self, ref: RemoteRef, spec: CampaignSpec
    ) -> list[SettingDifference]:
        """The dialer document's keys whose plain values differ from the one the console
        PUTs (``payloads.dialer_body``); keys the console does not send are Webitel's."""
        held = self.campaign_get(ref)
        if held is None:
            return [SettingDifference("the campaign itself", "nothing (it is gone)", spec.name)]
        return payloads.dialer_differences(payloads.dialer_body(spec), held)

    def campaign_reset(
        self, ref: RemoteRef, *, process: bool = False, stats: bool = True, agents: bool = False
    ) -> None:
        """PUT /api/v2/dialer/{id}/reset {resetProcess, resetStats, resetAgents}: zero the
        dialer's counters (and its process or agents when asked)."""
        body = {"resetProcess": process, "resetStats": stats, "resetAgents": agents}
        self._request("campaign_reset", "PUT", f"/api/v2/dialer/{ref.remote_id}/reset", json=body)

    def members_reset(self, ref: RemoteRef, *, since_ms: int | None = None) -> None:
        """PUT /api/v2/dialer/{id}/members/reset[?from=<ms>]: dial the members again."""
        params = {"from": since_ms} if since_ms is not None else None
        path = f"/api/v2/dialer/{ref.remote_id}/members/reset"
        self._request("members_reset", "PUT", path, params=params)

    def members_delete(self, ref: RemoteRef, *, member_filter: dict[str, Any]) -> None:
        """DELETE /api/v2/dialer/{id}/members with a Mongo filter as the body: bulk delete
        (members in a call stay). An empty filter is refused here: it would empty the
        dialer."""
        if not member_filter:
            raise ValueError("An empty filter would delete every member of the dialer.")
        path = f"/api/v2/dialer/{ref.remote_id}/members"
        with _locked_is_temporary():
            self._request("members_delete", "DELETE", path, json=member_filter)

    def remote_lead_count(self, ref: RemoteRef) -> int:
        """Every member of the dialer, ended or not: one GET .../members/count [V]."""
        path = f"/api/v2/dialer/{ref.remote_id}/members/count"
        return self._count(self._request("leads_count", "GET", path), "leads_count")

    def remote_lead_ids(self, ref: RemoteRef) -> set[str]:
        """Every member's _id, page by page (GET .../members?limit=&page=, [V])."""
        return {str(row.get("_id")) for row in self._members("members_list", ref)}

    def results_pull(self, ref: RemoteRef, *, callback_url: str = "") -> list[DialResult]:
        """Each member's attempts, end cause and next try, from the same member list."""
        return [payloads.member_result(row) for row in self._members("results_pull", ref)]

    def _members(self, operation: str, ref: RemoteRef) -> Iterator[dict[str, Any]]:
        page = 1
        while True:
            reply = self._request(
                operation,
                "GET",
                f"/api/v2/dialer/{ref.remote_id}/members",
                params={"limit": MEMBERS_PAGE_SIZE, "page": page},
            )
            rows = reply.get("data")
            if not isinstance(rows, list):
                raise self._protocol_error(operation, "no member array")
            yield from (row for row in rows if isinstance(row, dict))
            if len(rows) < MEMBERS_PAGE_SIZE:
                return
            page += 1

    def _count(self, reply: dict[str, Any], operation: str = "pending_count") -> int:
        value = reply.get("data")
        if not isinstance(value, int) or isinstance(value, bool):
            raise self._protocol_error(operation, "a count that is not a number")
        return value

    @staticmethod
    def _member_path(ref: RemoteRef, remote_lead_id: str) -> str:
        return f"/api/v2/dialer/{ref.remote_id}/members/{remote_lead_id}"


@contextmanager
def _locked_is_temporary() -> Iterator[None]:
    """Turn Webitel's 406 for a member in a call into a temporary error: the member
    unlocks when the call ends, so the sync job should retry."""
    try:
        yield
    except VendorPermanentError as exc:
        if exc.status_code != 406:
            raise
        raise _locked(exc) from exc


def _locked(exc: VendorPermanentError) -> VendorTemporaryError:
    return VendorTemporaryError(
        "Webitel is dialling this lead right now; the change is retried after the call"
        f" ({exc.vendor_message or 'locked'}).",
        vendor_message=exc.vendor_message,
        status_code=exc.status_code,
    )
