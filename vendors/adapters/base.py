"""The contract every vendor adapter implements.

An adapter is built per vendor account with an ``httpx.Client`` from the one client
builder (``vendors.adapters.http``), which already carries the base URL, auth, timeouts
and the call log. Adapters never retry: they raise one of ``vendors.adapters.errors`` and
the sync job decides. An operation a vendor does not document is left out of
``capabilities`` and raises ``NotImplementedError`` here; the UI reads ``capabilities`` and
``unsupported_reasons`` to show a disabled control with the reason.
"""

from __future__ import annotations

from datetime import datetime
from functools import cached_property
from typing import Any, ClassVar

import httpx
from django.conf import settings
from django.utils import translation

from vendors.adapters.errors import (
    VendorConfigurationError,
    VendorPermanentError,
    VendorProtocolError,
    VendorTemporaryError,
)
from vendors.adapters.http.egress import EgressRefused
from vendors.adapters.http.redaction import Redactor
from vendors.adapters.operations import operation_label
from vendors.adapters.types import (
    AccountConfig,
    CallRecord,
    CampaignSpec,
    Capability,
    CredentialField,
    DialResult,
    HealthResult,
    LeadRecord,
    PendingCount,
    PushResult,
    RateLimit,
    RemoteCampaign,
    RemoteItem,
    RemoteRef,
    ResultField,
    SettingDifference,
    WindowMeans,
)


def stored_words(text) -> str:
    """An adapter's page text (``unsupported_reasons``, ``capability_notes``: lazy, in the
    reader's language) as the English a worker stores in a row, whatever language is
    active where the job runs."""
    with translation.override(settings.LANGUAGE_CODE):
        return str(text or "")


def _by_label(choice: tuple[str, str]) -> str:
    return choice[1].lower()


class BaseAdapter:
    kind: ClassVar[str]
    label: ClassVar[str]
    default_base_url: ClassVar[str]
    capabilities: ClassVar[frozenset[Capability]] = frozenset()
    # Why an operation is missing, in words a supervisor understands.
    unsupported_reasons: ClassVar[dict[Capability, str]] = {}
    # What a supported operation really gives, where it is less than its name says (a
    # position rather than a count), in the same words.
    capability_notes: ClassVar[dict[Capability, str]] = {}
    # Calls the vendor documents that the console does not use, and why (the capability
    # matrix shows them under the table).
    documented_not_used: ClassVar[tuple[str, ...]] = ()
    # How the campaign's calling window is enforced on this dialer (``types.WindowMeans``),
    # declared next to the vendor's field map.
    window_means: ClassVar[WindowMeans] = WindowMeans()
    # Most leads one bulk push may carry (1 where the vendor takes one lead a request).
    max_batch_size: ClassVar[int] = 1
    # True when ``leads_push`` always sends the vendor's own duplicate guard, so pushing a
    # lead the dialer already holds adds nothing: the sync job may simply send again a
    # batch whose outcome was lost (a worker killed mid-request). False: the sync job asks
    # the dialer what it holds before sending such a batch again.
    duplicate_guard: ClassVar[bool] = False
    rate_limits: ClassVar[tuple[RateLimit, ...]] = ()
    # False when ``remote_lead_ids`` lists only leads still waiting to be dialled, so a
    # pushed lead missing from it may have been dialled (reconciliation cannot tell).
    lead_listing_complete: ClassVar[bool] = True
    # What a vendor account of this kind asks for; the account form is built from these.
    credential_fields: ClassVar[tuple[CredentialField, ...]] = ()
    # The emulator class, dotted, served by the sandbox and used by the contract tests.
    emulator: ClassVar[str] = ""
    # Every operation code this adapter writes to the call log: a fixed set, named in
    # ``operations.OPERATION_NAMES``. ``_call`` refuses a code missing here.
    operations: ClassVar[frozenset[str]] = frozenset()
    # The lists of vendor-side ids the dialer documents a call for, which settings fields
    # pick from (``forms_common.RemoteChoiceWidget``): list name -> what one item is, in
    # words ("Voicenter campaign"). ``remote_items`` reads them.
    remote_item_lists: ClassVar[dict[str, str]] = {}
    # Which result fields ``results_pull`` (or the vendor's callback) reports; the lead
    # pages say "not reported by <vendor>" for the others instead of "none yet".
    result_fields: ClassVar[frozenset[ResultField]] = frozenset()
    # Results arrive at the console's receiving endpoint (Ozonetel's dial-status export):
    # ``results_pull`` asks for them and returns nothing itself.
    results_pushed: ClassVar[bool] = False
    # The vendor's call log (CDRs) is read beside ``results_pull`` (``call_records``): the
    # lead's attempts, last attempt, result and agent come from it.
    call_records_read: ClassVar[bool] = False

    @classmethod
    def operation_choices(cls) -> list[tuple[str, str]]:
        """(code, "Name · code") for each operation, by name: the call log's filter."""
        return sorted(((code, operation_label(code)) for code in cls.operations), key=_by_label)

    def __init__(self, *, account: AccountConfig, client: httpx.Client):
        self.account = account
        self.client = client

    @cached_property
    def redact(self) -> Redactor:
        """Masks every form of this account's credentials in a text: a vendor's words may
        echo one back, and they reach job errors, lead reasons and the health message."""
        return Redactor(self.secret_values(self.account.credentials))

    # --- auth, used by the client builder ----------------------------------------------

    @classmethod
    def auth_headers(cls, credentials: dict[str, str]) -> dict[str, str]:
        """Headers that authenticate every request (vendors that authenticate in the body
        or query add their credentials in ``payloads.py`` instead)."""
        return {}

    @classmethod
    def secret_values(cls, credentials: dict[str, str]) -> list[str]:
        """Every value the call log must never show: every credential except those
        ``credential_fields`` declares non-secret (a user name, an auth mode)."""
        public = {field.name for field in cls.credential_fields if not field.secret}
        return [value for name, value in credentials.items() if value and name not in public]

    @classmethod
    def client_auth(cls, account: AccountConfig) -> httpx.Auth | None:
        """An ``httpx.Auth`` for vendors whose auth is a flow (log in, cache the token,
        refresh), given to the client builder. None: ``auth_headers`` is enough."""
        return None

    @classmethod
    def credentials_error(cls, credentials: dict[str, str]) -> str:
        """Why this set of credentials cannot work (e.g. "a token, or a login and a
        password"), checked by the account form beyond each field's ``required``; "" when
        it is complete."""
        return ""

    # --- the one way adapters talk to the vendor ---------------------------------------

    def _call(self, operation: str, method: str, path: str, **kwargs: Any) -> Any:
        """Send one request and return its decoded JSON body, or raise the right error.

        ``kwargs`` go to ``httpx.Client.request`` (json, params, data, headers). Transport
        failures and 429/5xx are temporary, 401/403 configuration, other 4xx permanent,
        a body that is not JSON a protocol error; ``check_reply`` then turns a vendor's
        200-with-an-error-code into the right error."""
        if operation not in self.operations:
            raise LookupError(
                f"{type(self).__name__} has no operation {operation!r}: add it to its "
                "operations and its name to vendors/adapters/operations.py."
            )
        extensions = {"vendor_operation": operation}
        try:
            response = self.client.request(method, path, extensions=extensions, **kwargs)
        except httpx.TimeoutException as exc:
            raise VendorTemporaryError(f"{self.label} did not answer in time.") from exc
        except EgressRefused as exc:
            # Retrying cannot help: the account's address must change, or a setting allow it.
            raise VendorConfigurationError(f"{self.label}: {exc}") from exc
        except httpx.TransportError as exc:
            raise VendorTemporaryError(f"{self.label} could not be reached: {exc}.") from exc
        self._raise_for_status(operation, response)
        data = self._decode(response)
        self.check_reply(operation, data, response)
        return data

    def _raise_for_status(self, operation: str, response: httpx.Response) -> None:
        status = response.status_code
        if status < 400:
            return
        vendor_message = self.error_message(response)
        detail = f": {vendor_message}" if vendor_message else ""
        common = {"vendor_message": vendor_message, "status_code": status}
        if status == 429:
            raise VendorTemporaryError(
                f"{self.label} is rate limiting requests{detail}",
                retry_after=_retry_after_seconds(response),
                **common,
            )
        if status >= 500:
            raise VendorTemporaryError(
                f"{self.label} had a server error ({status}){detail}", **common
            )
        if status in (401, 403):
            raise VendorConfigurationError(
                f"{self.label} refused the credentials ({status}){detail}", **common
            )
        raise self.permanent_error(operation, response, vendor_message)

    def _decode(self, response: httpx.Response) -> Any:
        if not response.content:
            return None
        try:
            return response.json()
        except ValueError as exc:
            raise VendorProtocolError(
                f"{self.label} answered with something that is not JSON "
                f"(HTTP {response.status_code}).",
                status_code=response.status_code,
            ) from exc

    # --- vendor hooks ------------------------------------------------------------------

    def error_message(self, response: httpx.Response) -> str:
        """The vendor's own words from an error reply, for the person reading the page."""
        try:
            data = response.json()
        except ValueError:
            return response.text[:300].strip()
        if isinstance(data, dict):
            for key in ("message", "Message", "error", "info", "Description", "detail"):
                if data.get(key):
                    return str(data[key])[:300]
        return ""

    def permanent_error(
        self, operation: str, response: httpx.Response, vendor_message: str
    ) -> VendorPermanentError:
        """Map a 4xx (not 401/403/429) to a permanent error with a clear message."""
        detail = f": {vendor_message}" if vendor_message else ""
        return VendorPermanentError(
            f"{self.label} refused the request ({response.status_code}){detail}",
            vendor_message=vendor_message,
            status_code=response.status_code,
        )

    def check_reply(self, operation: str, data: Any, response: httpx.Response) -> None:
        """Raise when a 2xx reply carries a vendor error code (Voicenter, Ozonetel) or has
        the wrong shape. Default: accept."""

    # --- description -------------------------------------------------------------------

    @classmethod
    def supports(cls, capability: Capability) -> bool:
        return capability in cls.capabilities

    # --- account -----------------------------------------------------------------------

    def test_connection(self) -> HealthResult:
        """Make one harmless read call and report what the vendor said."""
        raise NotImplementedError

    # --- campaigns ---------------------------------------------------------------------

    def campaign_create(self, spec: CampaignSpec) -> RemoteRef:
        raise NotImplementedError

    def campaign_update(self, ref: RemoteRef, spec: CampaignSpec) -> RemoteRef:
        """Bring the remote campaign in line with ``spec``; return the (possibly new) ref."""
        raise NotImplementedError

    def campaign_link_choices(self) -> list[RemoteCampaign]:
        """Campaigns that exist on the dialer and can be linked (Voicenter)."""
        raise NotImplementedError

    def remote_items(self, source: str) -> list[RemoteItem]:
        """The items of ``source`` (a key of ``remote_item_lists``) as the dialer lists
        them now, for a settings field to choose from."""
        raise NotImplementedError

    def campaign_delete(self, ref: RemoteRef) -> None:
        raise NotImplementedError

    def campaign_start(self, ref: RemoteRef) -> None:
        raise NotImplementedError

    def campaign_stop(self, ref: RemoteRef) -> None:
        raise NotImplementedError

    # --- leads -------------------------------------------------------------------------

    def leads_push(self, ref: RemoteRef, leads: list[LeadRecord]) -> PushResult:
        """Push at most ``max_batch_size`` leads; one result per lead, keyed by lead_id.

        A vendor-side duplicate is ``LeadOutcome.DUPLICATE`` (delivered), a per-lead refusal
        ``REJECTED`` or ``DNC``. A failure of the whole request raises instead."""
        raise NotImplementedError

    def lead_remove(self, ref: RemoteRef, *, remote_lead_id: str, phone: str) -> None:
        raise NotImplementedError

    def lead_update(self, ref: RemoteRef, *, remote_lead_id: str, lead: LeadRecord) -> None:
        raise NotImplementedError

    def lead_call_result(
        self, ref: RemoteRef, *, remote_lead_id: str, disposition: str, success: bool
    ) -> None:
        """Report a lead's call result back to the dialer (Webitel)."""
        raise NotImplementedError

    def lead_terminate(self, ref: RemoteRef, *, remote_lead_id: str) -> None:
        """Stop dialling a lead for good (Webitel)."""
        raise NotImplementedError

    def pending_count(self, ref: RemoteRef) -> PendingCount:
        raise NotImplementedError

    def lead_schedule_call(
        self, ref: RemoteRef, *, phone: str, when: datetime, name: str = "", agent_id: str = ""
    ) -> None:
        """Have the dialer call ``phone`` at ``when`` (an aware time): a callback (Acefone
        schedule_call)."""
        raise NotImplementedError

    def leads_confirm(self, ref: RemoteRef, leads: list[LeadRecord]) -> PushResult | None:
        """Settle leads sent but not yet confirmed (a push whose reply carried no per-lead
        outcome) by the vendor's documented listing: ACCEPTED with the dialer's id, DNC or
        REJECTED. None where the vendor documents no such listing."""
        return None

    def remote_lead_ids(self, ref: RemoteRef) -> set[str]:
        """The ids (as ``LeadResult.remote_id`` gives them) of the leads the dialer holds
        for the campaign, for reconciliation: every lead, dialled or not, unless
        ``lead_listing_complete`` is False (only those still waiting); NotImplementedError
        where the vendor documents no such listing (no ``RECONCILE_LEADS`` capability)."""
        raise NotImplementedError

    def results_pull(self, ref: RemoteRef, *, callback_url: str = "") -> list[DialResult]:
        """What the dialer did with each of the campaign's leads, read by its documented
        call (``RESULTS_PULL``). A vendor that delivers its results to a callback URL
        (``results_pushed``) is asked to send them to ``callback_url`` and returns []."""
        raise NotImplementedError

    def call_records(self, ref: RemoteRef, *, since: datetime) -> list[CallRecord]:
        """Every dialling attempt of the campaign since ``since``, from the vendor's call
        log (``call_records_read``)."""
        raise NotImplementedError

    @classmethod
    def results_from_callback(cls, body: bytes) -> tuple[str, str, list[DialResult]]:
        """The vendor's event id ("" when it gives none), the campaign's remote id and the
        results in one body it sent to the receiving endpoint; ValueError saying why when
        the body is not one (a clear 400)."""
        raise NotImplementedError

    def remote_lead_count(self, ref: RemoteRef) -> int | None:
        """How many leads the dialer holds for the campaign, counted as ``remote_lead_ids``
        lists them, by the vendor's documented count (``RECONCILE_COUNT``): reconciliation
        lists the leads only when it differs from the console's. None when this reply gave
        no count; NotImplementedError where the vendor documents none."""
        raise NotImplementedError

    def campaign_settings_drift(
        self, ref: RemoteRef, spec: CampaignSpec
    ) -> list[SettingDifference]:
        """The campaign settings the dialer holds differently from what the console would
        send (the payload builder's output for ``spec``; empty: none), read by the
        vendor's documented get call, for reconciliation; NotImplementedError where the
        vendor documents none."""
        raise NotImplementedError


def _retry_after_seconds(response: httpx.Response) -> float | None:
    raw = response.headers.get("Retry-After", "").strip()
    if not raw:
        return None
    try:
        return max(0.0, float(raw))
    except ValueError:
        from datetime import UTC, datetime
        from email.utils import parsedate_to_datetime

        try:
            when = parsedate_to_datetime(raw)
        except (TypeError, ValueError):
            return None
        return max(0.0, (when - datetime.now(UTC)).total_seconds())
