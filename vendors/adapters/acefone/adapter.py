"""Acefone's dialer: campaigns on /v1/dialer/campaign, leads in Acefone lead lists.

A campaign's leads go to the first active lead list of its ``lead_list_map``; that list's
id is kept in the RemoteRef's extra as ``list_id``. Acefone documents no call to create a
lead list, list or start/stop campaigns, so those stay unsupported.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Generator
from typing import Any, ClassVar

import httpx
from django.utils.translation import gettext_lazy

from vendors.adapters.acefone import payloads
from vendors.adapters.acefone.field_map import WINDOW_MEANS
from vendors.adapters.base import BaseAdapter
from vendors.adapters.errors import (
    VendorConfigurationError,
    VendorError,
    VendorPermanentError,
    VendorProtocolError,
    VendorRemoteIdUnknown,
    VendorTemporaryError,
)
from vendors.adapters.types import (
    AccountConfig,
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
    RemoteItem,
    RemoteRef,
    ResultField,
)


class AcefoneAdapter(BaseAdapter):
    kind = "acefone"
    label = "Acefone"
    # India [D]; UK accounts use https://api.acefone.co.uk (api-facts §1.1).
    default_base_url = "https://api.acefone.in"
    capabilities = frozenset(
        {
            Capability.CAMPAIGN_CREATE,
            Capability.CAMPAIGN_UPDATE,
            Capability.LEAD_PUSH,
            Capability.LEAD_PUSH_BULK,
            Capability.LEAD_REMOVE,
            Capability.PENDING_COUNT,
            Capability.AGENTS,
            Capability.RECONCILE_LEADS,
            Capability.RESULTS_PULL,
            Capability.SCHEDULE_CALL,
        }
    )
    result_fields = frozenset({ResultField.ATTEMPTS, ResultField.LAST_RESULT})
    window_means = WINDOW_MEANS
    documented_not_used = (
        gettext_lazy(
            "The DND list (GET /v1/broadcast/dnd/leads): read to explain leads a bulk add "
            "left out; not shown as a list."
        ),
        gettext_lazy(
            "Lead update (PUT /v1/broadcast/lead/{id}): seen only in third-party code [T]."
        ),
        gettext_lazy(
            "UK voice broadcasts (/v1/broadcast, /v2/broadcasts): IVR broadcasts, not the "
            "agent dialer."
        ),
    )
    capability_notes: ClassVar[dict[Capability, str]] = {
        Capability.RESULTS_PULL: (
            gettext_lazy(
                "Each lead's dial_status and call_count from the list's leads; Acefone does "
                "not say when a lead was dialled, whether it will be again, or by which agent."
            )
        ),
        Capability.SCHEDULE_CALL: gettext_lazy(
            "A disposition's callback time, sent by schedule_call."
        ),
        Capability.RECONCILE_LEADS: (
            gettext_lazy(
                "By the documented list-leads call of the campaign's lead list: leads sent "
                "in bulk and not yet confirmed carry no id and are not compared."
            )
        ),
    }
    unsupported_reasons: ClassVar[dict[Capability, str]] = {
        Capability.RECONCILE_COUNT: (
            gettext_lazy(
                "Acefone documents no count of a lead list's leads (api-facts §1.5: NOT "
                "FOUND), so each comparison reads the list's leads."
            )
        ),
        Capability.RECONCILE_SETTINGS: (
            gettext_lazy(
                "Settings cannot be read back from Acefone: it documents no call that reads a "
                "campaign (api-facts §1.5); the console sends them again when a repair is "
                "asked for."
            )
        ),
        Capability.CAMPAIGN_LINK: (
            gettext_lazy(
                "Acefone documents no call that lists campaigns, so an existing one cannot be "
                "picked; the console creates the campaign instead."
            )
        ),
        Capability.CAMPAIGN_DELETE: gettext_lazy(
            "Acefone documents no call for this. Delete the campaign in Acefone's dashboard."
        ),
        Capability.CAMPAIGN_START_STOP: (
            gettext_lazy(
                "Acefone documents no call for this. Start and stop the campaign in "
                "Acefone's dashboard."
            )
        ),
        Capability.LEAD_UPDATE: (
            gettext_lazy(
                "Acefone documents no lead update call (one appears only in third-party "
                "code); a changed lead is removed and pushed again."
            )
        ),
        Capability.CALL_RESULT: gettext_lazy(
            "Acefone takes no call results back from the console."
        ),
        Capability.LEAD_TERMINATE: gettext_lazy(
            "Acefone has no per-lead terminate; remove the lead instead."
        ),
    }
    # No maximum is documented; third-party code sends 10,000 per request [T]. 1,000 keeps
    # each request small enough to retry cheaply (api-facts §1.4).
    max_batch_size = 1000
    # Every push carries duplicate_option "skip" (payloads.DUPLICATE_OPTION).
    duplicate_guard = True
    credential_fields = (
        CredentialField(
            "token",
            "API token",
            required=False,
            help_text="API Connect → API Tokens in Acefone. Or give a login and password.",
        ),
        CredentialField("login_id", "Login", secret=False, required=False),
        CredentialField("password", "Password", required=False),
    )
    emulator = "vendors.adapters.acefone.emulator.AcefoneEmulator"
    remote_item_lists: ClassVar[dict[str, str]] = {"lead_lists": "Acefone lead list"}
    operations = frozenset(
        {
            "auth_login",
            "campaign_create",
            "campaign_update",
            "dnd_list",
            "lead_find",
            "lead_lists",
            "lead_push",
            "lead_remove",
            "leads_confirm",
            "leads_list",
            "leads_push_bulk",
            "pending_count",
            "results_pull",
            "schedule_call",
        }
    )

    # --- auth --------------------------------------------------------------------------

    @classmethod
    def auth_headers(cls, credentials: dict[str, str]) -> dict[str, str]:
        # "Authorization: Bearer <token>" [T crm_acefone_integration, D Smartflo].
        if credentials.get("token"):
            return {"Authorization": f"Bearer {credentials['token']}"}
        return {}

    @classmethod
    def client_auth(cls, account: AccountConfig) -> httpx.Auth | None:
        credentials = account.credentials
        if credentials.get("token"):
            return None
        return AcefoneLoginAuth(
            base_url=account.base_url,
            login_id=credentials.get("login_id", ""),
            password=credentials.get("password", ""),
        )

    @classmethod
    def credentials_error(cls, credentials: dict[str, str]) -> str:
        if credentials.get("token"):
            return ""
        if credentials.get("login_id") and credentials.get("password"):
            return ""
        return "Acefone needs an API token, or a login and a password."

    # --- account -----------------------------------------------------------------------

    def test_connection(self) -> HealthResult:
        # Listing lead lists is a read with no side effect [T: seen in third-party code].
        data = self._call("lead_lists", "GET", "/v1/broadcast/lists")
        lists = payloads.lead_lists(data)
        return HealthResult(ok=True, message=f"Acefone answered: {len(lists)} lead list(s).")

    def remote_items(self, source: str) -> list[RemoteItem]:
        """Acefone's lead lists (GET /v1/broadcast/lists, [T] third-party code: Acefone's
        stored docs have no lead-list pages). Disposition, break and time-group lists:
        no listing call found (api-facts §1.5), so those ids stay typed."""
        if source != "lead_lists":
            raise NotImplementedError(source)
        return payloads.lead_list_items(self._call("lead_lists", "GET", "/v1/broadcast/lists"))

    # --- campaigns ---------------------------------------------------------------------

    def campaign_create(self, spec: CampaignSpec) -> RemoteRef:
        body = payloads.campaign_body(spec)
        data = self._call("campaign_create", "POST", "/v1/dialer/campaign", json=body)
        remote_id = payloads.campaign_id_from_reply(data)
        if not remote_id:
            # The documented reply is {success, message} only, and Acefone documents no call
            # that lists or finds campaigns: the campaign exists, its id is unknown.
            list_id = payloads.active_list_id(body)
            raise VendorRemoteIdUnknown(
                "Acefone created the campaign but its reply names no id "
                f"({payloads.reply_message(data) or 'no message'}).",
                extra={"list_id": list_id} if list_id else {},
                vendor_message=payloads.reply_message(data),
            )
        return self._ref(remote_id, body)

    def campaign_update(self, ref: RemoteRef, spec: CampaignSpec) -> RemoteRef:
        body = payloads.campaign_body(spec)
        self._call("campaign_update", "PUT", f"/v1/dialer/campaign/{ref.remote_id}", json=body)
        return self._ref(ref.remote_id, body)

    @staticmethod
    def _ref(remote_id: str, body: dict[str, Any]) -> RemoteRef:
        list_id = payloads.active_list_id(body)
        return RemoteRef(remote_id=remote_id, extra={"list_id": list_id} if list_id else {})

    # --- leads -------------------------------------------------------------------------

    def leads_push(self, ref: RemoteRef, leads: list[LeadRecord]) -> PushResult:
        if len(leads) > self.max_batch_size:
            raise ValueError(f"At most {self.max_batch_size} leads per push.")
        list_id = self._list_id(ref)
        if len(leads) == 1:
            return PushResult(results=(self._push_one(list_id, leads[0]),))
        body = payloads.leads_bulk_body(leads)
        self._call("leads_push_bulk", "POST", f"/v1/broadcast/leads/{list_id}", json=body)
        # The bulk reply is {success, message} only [D]: no per-lead outcome. The documented
        # list-leads call says which leads the list now holds.
        try:
            return self._confirm_bulk(list_id, leads)
        except VendorError:
            # The batch was taken; only the check failed: sending it again could not help.
            return PushResult(
                tuple(
                    LeadResult(lead.lead_id, LeadOutcome.SENT, message=payloads.SENT_UNCONFIRMED)
                    for lead in leads
                )
            )

    def _confirm_bulk(self, list_id: str, leads: list[LeadRecord]) -> PushResult:
        data = self._call("leads_confirm", "GET", f"/v1/broadcast/leads/{list_id}")
        held = {
            payloads.number_key(row.get(payloads.PHONE)): payloads.remote_lead_id(row)
            for row in payloads.leads_from_reply(data)
        }
        missing = [lead for lead in leads if payloads.number_key(lead.phone) not in held]
        dnd = {payloads.number_key(n) for n in self.dnd_numbers(list_id)} if missing else set()
        results = []
        for lead in leads:
            key = payloads.number_key(lead.phone)
            if key in held:
                results.append(LeadResult(lead.lead_id, LeadOutcome.ACCEPTED, remote_id=held[key]))
            elif key in dnd:
                results.append(
                    LeadResult(lead.lead_id, LeadOutcome.DNC, message=payloads.DND_REFUSED)
                )
            else:
                results.append(
                    LeadResult(lead.lead_id, LeadOutcome.REJECTED, message=payloads.NOT_ADDED)
                )
        return PushResult(tuple(results))

    def leads_confirm(self, ref: RemoteRef, leads: list[LeadRecord]) -> PushResult:
        """The list's leads, read back as after a bulk add ([D Smartflo] list leads)."""
        return self._confirm_bulk(self._list_id(ref), leads)

    def remote_lead_ids(self, ref: RemoteRef) -> set[str]:
        """The ids of every lead of the campaign's lead list (GET /v1/broadcast/leads/
        {list_id} [D Smartflo])."""
        data = self._call("leads_list", "GET", f"/v1/broadcast/leads/{self._list_id(ref)}")
        return {
            lead_id
            for lead_id in map(payloads.remote_lead_id, payloads.leads_from_reply(data))
            if lead_id
        }

    def results_pull(self, ref: RemoteRef, *, callback_url: str = "") -> list[DialResult]:
        """Each lead's dial_status and call_count from the list's leads (GET /v1/broadcast/
        leads/{list_id} [D Smartflo])."""
        data = self._call("results_pull", "GET", f"/v1/broadcast/leads/{self._list_id(ref)}")
        return payloads.dial_results(payloads.leads_from_reply(data))

    def dnd_numbers(self, list_id: str = "") -> list[str]:
        """The numbers of Acefone's DND list (GET /v1/broadcast/dnd/leads, 100 a page [D
        Smartflo, Servetel]), for a lead list when ``list_id`` is given; at most
        ``DND_MAX_PAGES`` pages."""
        numbers: list[str] = []
        last_seen = ""
        for _ in range(payloads.DND_MAX_PAGES):
            params = {"limit": payloads.DND_PAGE_LIMIT}
            if list_id:
                params["list_id"] = list_id
            if last_seen:
                params["last_seen_id"] = last_seen
            page, more, last_seen = payloads.dnd_page(
                self._call("dnd_list", "GET", payloads.DND_PATH, params=params)
            )
            numbers.extend(page)
            if not more:
                break
        return numbers

    def _push_one(self, list_id: str, lead: LeadRecord) -> LeadResult:
        try:
            data = self._call(
                "lead_push", "POST", f"/v1/broadcast/lead/{list_id}", json=payloads.lead_body(lead)
            )
        except VendorPermanentError as exc:
            message = exc.vendor_message
            if payloads.is_dnd_message(message):
                return LeadResult(lead.lead_id, LeadOutcome.DNC, message=message)
            if payloads.is_duplicate_message(message):
                return LeadResult(lead.lead_id, LeadOutcome.DUPLICATE, message=message)
            if payloads.is_lead_refusal_message(message):
                return LeadResult(lead.lead_id, LeadOutcome.REJECTED, message=message)
            raise
        message = payloads.reply_message(data)
        outcome = (
            LeadOutcome.DUPLICATE
            if payloads.is_duplicate_message(message)
            else LeadOutcome.ACCEPTED
        )
        return LeadResult(
            lead.lead_id, outcome, remote_id=payloads.lead_id_from_reply(data), message=message
        )

    def lead_remove(self, ref: RemoteRef, *, remote_lead_id: str, phone: str) -> None:
        lead_id = remote_lead_id or self._find_lead_id(ref, phone)
        if not lead_id:
            return  # not on the list: nothing to remove
        try:
            # DELETE /v1/broadcast/lead/{lead_id} [T: third-party code].
            self._call("lead_remove", "DELETE", f"/v1/broadcast/lead/{lead_id}")
        except VendorPermanentError as exc:
            if exc.status_code != 404:
                raise

    def _find_lead_id(self, ref: RemoteRef, phone: str) -> str:
        # GET /v1/broadcast/leads/{list_id}?number= [T].
        data = self._call(
            "lead_find",
            "GET",
            f"/v1/broadcast/leads/{self._list_id(ref)}",
            params={"number": phone},
        )
        for row in payloads.leads_from_reply(data):
            if str(row.get(payloads.PHONE)) == phone:
                return payloads.remote_lead_id(row)
        return ""

    def pending_count(self, ref: RemoteRef) -> PendingCount:
        data = self._call("pending_count", "GET", f"/v1/broadcast/leads/{self._list_id(ref)}")
        if not isinstance(data, list | dict):
            raise VendorProtocolError("Acefone's lead list reply is not a list of leads.")
        return payloads.pending_from_leads(payloads.leads_from_reply(data))

    def lead_schedule_call(self, ref: RemoteRef, *, phone, when, name="", agent_id="") -> None:
        """Schedule a callback (POST /v1/dialer/schedule_call/ [D])."""
        body = payloads.schedule_call_body(
            customer_number=phone, when=when, customer_name=name, agent_id=agent_id
        )
        self._call("schedule_call", "POST", payloads.SCHEDULE_CALL_PATH, json=body)

    def _list_id(self, ref: RemoteRef) -> str:
        list_id = ref.extra.get("list_id", "")
        if not list_id:
            raise VendorPermanentError(
                "This Acefone campaign has no active lead list: add one to its lead list map."
            )
        return list_id

    # --- vendor hooks ------------------------------------------------------------------

    def check_reply(self, operation: str, data: Any, response: httpx.Response) -> None:
        """A 2xx with ``success: false`` is a refusal all the same."""
        if (
            isinstance(data, dict)
            and not payloads.reply_ok(data)
            and ("success" in data or "Success" in data)
        ):
            message = payloads.reply_message(data)
            raise VendorPermanentError(
                f"Acefone refused the request: {message or 'no message'}",
                vendor_message=message,
                status_code=response.status_code,
            )


# --- the login flow ------------------------------------------------------------------

# (token, refresh after, expires at) per login URL and login.
_token_cache: dict[tuple[str, str], tuple[str, float, float]] = {}
_token_lock = threading.Lock()
# Log in again this long before the token's stated expiry.
TOKEN_EXPIRY_MARGIN_SECONDS = 60.0


class AcefoneLoginAuth(httpx.Auth):
    """For accounts with a login and password: POST /v1/auth/login [D UK docs], cache the
    access token for its lifetime (per process, never stored), send it as Bearer, renew it
    with POST /v1/auth/refresh [D UK docs] in its last minute (logging in again if that
    fails), and log in again once if the vendor says it expired early."""

    requires_response_body = True

    def __init__(self, *, base_url: str, login_id: str, password: str, clock=time.monotonic):
        self.login_url = base_url.rstrip("/") + payloads.LOGIN_PATH
        self.login_id = login_id
        self.password = password
        self.clock = clock
        self.cache_key = (self.login_url, login_id)

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        token, stale = self._cached()
        if token and stale:
            token = yield from self._refresh(token)
        from_cache = bool(token)
        if not token:
            token = yield from self._login()
        request.headers["Authorization"] = f"Bearer {token}"
        response = yield request
        if response.status_code == 401 and from_cache:
            self._forget()
            token = yield from self._login()
            request.headers["Authorization"] = f"Bearer {token}"
            yield request

    def _cached(self) -> tuple[str, bool]:
        """(the cached token or "", whether it is due for a refresh)."""
        with _token_lock:
            token, refresh_after, expires_at = _token_cache.get(self.cache_key, ("", 0.0, 0.0))
        now = self.clock()
        if not token or now >= expires_at:
            return "", False
        return token, now >= refresh_after

    def _remember(self, token: str, lifetime: float) -> None:
        now = self.clock()
        with _token_lock:
            _token_cache[self.cache_key] = (
                token,
                now + max(0.0, lifetime - TOKEN_EXPIRY_MARGIN_SECONDS),
                now + lifetime,
            )

    def _refresh(self, token: str) -> Generator[httpx.Request, httpx.Response, str]:
        """A new token for ``token``, or "" when Acefone will not renew it."""
        refresh = httpx.Request(
            "POST",
            self.login_url.removesuffix(payloads.LOGIN_PATH) + payloads.REFRESH_PATH,
            headers={"Authorization": f"Bearer {token}"},
            extensions={"vendor_operation": "auth_refresh"},
        )
        response = yield refresh
        try:
            data = response.json()
        except ValueError:
            data = None
        new_token, lifetime = payloads.token_from_login_reply(data)
        if response.status_code >= 400 or not new_token:
            self._forget()
            return ""
        self._remember(new_token, lifetime)
        return new_token

    def _forget(self) -> None:
        with _token_lock:
            _token_cache.pop(self.cache_key, None)

    def _login(self) -> Generator[httpx.Request, httpx.Response, str]:
        login = httpx.Request(
            "POST",
            self.login_url,
            json=payloads.login_body(self.login_id, self.password),
            extensions={"vendor_operation": "auth_login"},
        )
        response = yield login
        try:
            data = response.json()
        except ValueError:
            data = None
        token, lifetime = payloads.token_from_login_reply(data)
        status = response.status_code
        message = payloads.reply_message(data) or f"HTTP {status}"
        if status == 429 or status >= 500:
            raise VendorTemporaryError(
                f"Acefone could not log in just now ({status}): {message}",
                vendor_message=message,
                status_code=status,
            )
        if status >= 400 or not token:
            raise VendorConfigurationError(
                f"Acefone refused the login ({response.status_code}): {message}",
                vendor_message=message,
                status_code=response.status_code,
            )
        self._remember(token, lifetime)
        return token
