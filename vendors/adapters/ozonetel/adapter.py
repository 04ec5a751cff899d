"""Ozonetel CloudAgent adapter (``shared/vendors/ozonetel-add-campaign-data.txt`` and
api-facts §5).

Three API generations meet here, each with its own auth and words (``codes.py``):
- legacy ``cloudAgentRestAPI`` single add: ``api_key`` in the query;
- ``AddCampaignBulkDataV4`` and ``campaignControl/outbound``: ``apiKey`` and the user name
  in the JSON body;
- ``ca_apis`` (status, start/stop, delete, token): the ``apiKey`` header and ``userName`` in
  the body; with the account in TOKEN_AUTH mode also a Bearer token (``auth.py``).
[I] The docs say some ca_apis pages "need BASIC_AUTH" and others "token auth"; we read
that as the account's mode deciding how every ca_apis call authenticates, so both modes
reach every operation.

Campaigns are addressed by name (the remote id). campaignControl lives on a second host
(``payloads.campaign_api_url``).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any, ClassVar

import httpx
from django.utils.translation import gettext_lazy

from vendors.adapters.base import BaseAdapter
from vendors.adapters.errors import (
    VendorConfigurationError,
    VendorError,
    VendorPermanentError,
    VendorProtocolError,
    VendorTemporaryError,
)
from vendors.adapters.ozonetel import auth, codes, payloads
from vendors.adapters.ozonetel.field_map import WINDOW_MEANS
from vendors.adapters.ozonetel.results import export_results
from vendors.adapters.types import (
    AccountConfig,
    CampaignSpec,
    Capability,
    CredentialField,
    DialResult,
    HealthResult,
    LeadRecord,
    PendingCount,
    PushResult,
    RateLimit,
    RemoteRef,
    ResultField,
)

# How far back each results pull asks the dial-status export to reach.
EXPORT_DAYS = 30

BASIC_AUTH = "BASIC_AUTH"
TOKEN_AUTH = "TOKEN_AUTH"  # noqa: S105 - a mode name
# Single-lead replies whose FAIL is that lead's outcome (DND, empty or invalid number).
_PER_LEAD_OPERATIONS = frozenset({"lead_push"})
# V4 allows 5 requests a minute; a busy reply is worth retrying after one slot.
BULK_RETRY_AFTER_SECONDS = 12.0


class OzonetelAdapter(BaseAdapter):
    kind = "ozonetel"
    label = "Ozonetel"
    default_base_url = "https://in1-ccaas-api.ozonetel.com"  # domestic data host [D]
    capabilities = frozenset(
        {
            Capability.CAMPAIGN_CREATE,
            Capability.CAMPAIGN_UPDATE,
            Capability.CAMPAIGN_START_STOP,
            Capability.LEAD_PUSH,
            Capability.LEAD_PUSH_BULK,
            Capability.LEAD_REMOVE,
            Capability.PENDING_COUNT,
            Capability.RESULTS_PULL,
        }
    )
    # From the delivered export, whose row shape is a guess (ozonetel/results.py [I]).
    result_fields = frozenset(
        {ResultField.LAST_ATTEMPT_AT, ResultField.LAST_RESULT, ResultField.AGENT}
    )
    results_pushed = True
    window_means = WINDOW_MEANS
    documented_not_used = (
        gettext_lazy(
            "DeleteBulkData and CampaignScheduledData: the adapter does them "
            "(leads_remove_bulk, leads_schedule); no page offers them yet."
        ),
        gettext_lazy(
            "Delete scheduled data (rowId), the legacy setCampaign and bulk adds: deprecated "
            "or not needed."
        ),
    )
    capability_notes: ClassVar[dict[Capability, str]] = {
        Capability.RESULTS_PULL: (
            gettext_lazy(
                "By the Campaign Dial Status export, which Ozonetel delivers later to the "
                "account's receiving endpoint. The documents give the request, not the "
                "delivered rows: their shape is the console's guess. No attempts, next try "
                "or done are reported."
            )
        ),
        Capability.PENDING_COUNT: (
            gettext_lazy(
                "A position, not a count: CampaignStatus says where the campaign stands "
                "(READY, RUNNING, COMPLETED...), which the campaign page shows instead."
            )
        ),
    }
    unsupported_reasons: ClassVar[dict[Capability, str]] = {
        Capability.SCHEDULE_CALL: (
            gettext_lazy(
                "Ozonetel's excerpt documents no scheduled callback: "
                "the console pushes the lead again at the callback time (results.recycling)."
            )
        ),
        Capability.RECONCILE_COUNT: (
            gettext_lazy(
                "Ozonetel documents no count of the leads a campaign holds (CampaignStatus "
                "gives a position only)."
            )
        ),
        Capability.RECONCILE_LEADS: (
            gettext_lazy(
                "Ozonetel documents no call that lists the leads a campaign holds, so its "
                "leads cannot be compared with the console's."
            )
        ),
        Capability.RECONCILE_SETTINGS: (
            gettext_lazy(
                "Settings cannot be read back from Ozonetel: it documents no call that reads a "
                "campaign; the console sends them again when a repair is asked for."
            )
        ),
        Capability.CAMPAIGN_LINK: (
            gettext_lazy("Ozonetel campaigns are created from the console and found by their name.")
        ),
        Capability.CAMPAIGN_DELETE: gettext_lazy(
            "Ozonetel's API has no call that deletes a campaign."
        ),
        Capability.LEAD_UPDATE: (
            gettext_lazy(
                "Ozonetel has no call that changes a lead already in a campaign; remove it and "
                "add it again."
            )
        ),
        Capability.AGENTS: (
            gettext_lazy(
                "Ozonetel campaigns have no agent list: each lead is routed to an agent or a "
                "skill: the console sends each lead's agent from the campaign's agents."
            )
        ),
        Capability.CALL_RESULT: gettext_lazy(
            "Ozonetel does not take call results back from the console."
        ),
        Capability.LEAD_TERMINATE: (
            gettext_lazy(
                "Ozonetel has no terminate call; removing the lead takes it off the dialer."
            )
        ),
    }
    max_batch_size = 500  # AddCampaignBulkDataV4 rows per request [D]
    rate_limits = (  # api-facts §5.3–5.5 [D], the token's [T]
        RateLimit(100, 60, ("lead_push",)),
        RateLimit(5, 60, ("lead_push_bulk",)),
        RateLimit(2, 60, ("campaign_create", "campaign_update")),
        RateLimit(100, 60, ("lead_remove",)),
        RateLimit(10, 3600, ("token",)),
        RateLimit(10, 60, ("dial_status_export",)),
    )
    credential_fields = (
        CredentialField("user_name", "User name", secret=False, help_text="The admin user name."),
        CredentialField("api_key", "API key", help_text="In CloudAgent after admin login."),
        CredentialField(
            "auth_mode",
            "API authentication",
            secret=False,
            help_text="The account's “API Authentication” admin setting.",
            choices=((BASIC_AUTH, "Basic (API key)"), (TOKEN_AUTH, "Token")),
        ),
        CredentialField(
            "campaign_api_url",
            "Campaign API URL",
            secret=False,
            required=False,
            help_text=(
                "Where campaigns are created. Empty: api.cloudagent.ozonetel.com for the "
                "domestic data host, ccaas.ozonetel.com for the international one, else "
                "the base URL."
            ),
        ),
    )
    emulator = "vendors.adapters.ozonetel.emulator.OzonetelEmulator"
    operations = frozenset(
        {
            "campaign_create",
            "campaign_start",
            "campaign_stop",
            "campaign_update",
            "dial_status_export",
            "lead_push",
            "lead_push_bulk",
            "lead_remove",
            "lead_remove_bulk",
            "lead_schedule",
            "pending_count",
            "test_connection",
            "token",
        }
    )

    # --- auth ------------------------------------------------------------------------------

    @classmethod
    def auth_headers(cls, credentials: dict[str, str]) -> dict[str, str]:
        """The ``apiKey`` header ca_apis read; harmless on the other APIs."""
        return {"apiKey": credentials.get("api_key", "")}

    @classmethod
    def client_auth(cls, account: AccountConfig) -> httpx.Auth | None:
        credentials = account.credentials
        if credentials.get("auth_mode") != TOKEN_AUTH:
            return None
        user_name, api_key = credentials.get("user_name", ""), credentials.get("api_key", "")
        return auth.OzonetelTokenAuth(
            user_name=user_name,
            api_key=api_key,
            key=auth.cache_key(account.base_url, user_name, api_key),
        )

    @classmethod
    def credentials_error(cls, credentials: dict[str, str]) -> str:
        if credentials.get("auth_mode") not in (BASIC_AUTH, TOKEN_AUTH):
            return "Choose the API authentication mode: BASIC_AUTH or TOKEN_AUTH."
        return ""

    # --- replies ---------------------------------------------------------------------------

    def check_reply(self, operation: str, data: Any, response: httpx.Response) -> None:
        """Ozonetel answers errors as 200 with a failing ``status``. A single lead's own
        refusal (DND, no number) is left to ``leads_push``."""
        per_row = ("lead_push_bulk", "lead_schedule")
        if operation in per_row and isinstance(data, dict) and "status" not in data:
            return  # the per-row list; the operation reads it
        if operation in ("token", "test_connection"):
            if not auth.token_from(response):
                raise VendorProtocolError("Ozonetel's token reply has no token.")
            return
        if not isinstance(data, dict) or "status" not in data:
            raise VendorProtocolError(
                "Ozonetel answered without a status.", status_code=response.status_code
            )
        if payloads.status(data) in codes.SUCCESS_STATUSES:
            return
        text = payloads.message(data)
        if operation in _PER_LEAD_OPERATIONS and text.lower() in codes.LEAD_OUTCOMES:
            return
        raise self.error_for(text)

    def error_for(self, text: str) -> VendorError:
        """The error class and clear message for one of Ozonetel's failure messages."""
        key = text.lower()
        if key in codes.CONFIGURATION_MESSAGES:
            return VendorConfigurationError(codes.CONFIGURATION_MESSAGES[key], vendor_message=text)
        if key in codes.TEMPORARY_MESSAGES:
            return VendorTemporaryError(
                codes.TEMPORARY_MESSAGES[key],
                vendor_message=text,
                retry_after=BULK_RETRY_AFTER_SECONDS,
            )
        message = codes.PERMANENT_MESSAGES.get(key, codes.UNKNOWN_MESSAGE)
        if text and text.lower() not in message.lower():
            message = f"{message} Ozonetel said: {text}"
        return VendorPermanentError(message, vendor_message=text)

    # --- helpers ---------------------------------------------------------------------------

    @property
    def _user_name(self) -> str:
        return self.account.credentials.get("user_name", "")

    @property
    def _api_key(self) -> str:
        return self.account.credentials.get("api_key", "")

    def _campaign_url(self) -> str:
        base = payloads.campaign_api_url(
            self.account.base_url, self.account.credentials.get("campaign_api_url", "")
        )
        return base + payloads.CAMPAIGN_CONTROL_PATH

    @staticmethod
    def _today() -> date:
        return datetime.now(UTC).date()

    # --- account ---------------------------------------------------------------------------

    def test_connection(self) -> HealthResult:
        """Generate Token: a read that checks the user name and the key together and
        changes nothing. [I] that it answers in BASIC_AUTH mode too."""
        self._call(
            "test_connection", "POST", payloads.TOKEN_PATH, json={"userName": self._user_name}
        )
        return HealthResult(ok=True, message="Ozonetel accepted the user name and API key.")

    # --- campaigns -------------------------------------------------------------------------

    def _campaign_control(self, operation: str, spec: CampaignSpec, action: str) -> RemoteRef:
        try:
            body = payloads.campaign_control_body(
                api_key=self._api_key, user_name=self._user_name, spec=spec, action=action
            )
        except payloads.CampaignSettingsMissing as exc:
            raise VendorPermanentError(str(exc)) from exc
        self._call(operation, "POST", self._campaign_url(), json=body)
        return RemoteRef(
            body["campaignName"],
            extra=payloads.PushSettings.from_spec(spec).as_extra(),
        )

    def campaign_create(self, spec: CampaignSpec) -> RemoteRef:
        """campaignControl ``create``; a campaign that already exists under this name (a
        create whose reply was lost, say) is updated instead."""
        try:
            return self._campaign_control("campaign_create", spec, "create")
        except VendorPermanentError as exc:
            if exc.vendor_message.lower() != codes.CAMPAIGN_EXISTS.lower():
                raise
        return self._campaign_control("campaign_update", spec, "update")

    def campaign_update(self, ref: RemoteRef, spec: CampaignSpec) -> RemoteRef:
        """campaignControl ``update`` ([I] the action's value), matched by name: Ozonetel
        cannot rename, so a new name in the settings is refused here."""
        if payloads.campaign_name(spec) and payloads.campaign_name(spec) != ref.remote_id:
            raise VendorPermanentError(
                f"Ozonetel cannot rename a campaign: keep the name “{ref.remote_id}”."
            )
        return self._campaign_control("campaign_update", spec, "update")

    def _set_status(self, ref: RemoteRef, *, start: bool) -> None:
        body = payloads.set_status_body(
            user_name=self._user_name, campaign_name=ref.remote_id, start=start
        )
        operation = "campaign_start" if start else "campaign_stop"
        self._call(operation, "PUT", payloads.SET_STATUS_PATH, json=body)

    def campaign_start(self, ref: RemoteRef) -> None:
        self._set_status(ref, start=True)

    def campaign_stop(self, ref: RemoteRef) -> None:
        self._set_status(ref, start=False)

    # --- leads -----------------------------------------------------------------------------

    def leads_push(self, ref: RemoteRef, leads: list[LeadRecord]) -> PushResult:
        """One lead: addCamapaignData, whose replies say DNC or duplicate. More: V4 bulk
        (up to 500), whose rows Ozonetel queues and adds a little later."""
        if len(leads) > self.max_batch_size:
            raise ValueError(f"Ozonetel takes at most {self.max_batch_size} leads a push.")
        if not leads:
            return PushResult(())
        push = payloads.PushSettings.from_extra(ref.extra)
        if len(leads) == 1:
            return PushResult((self._push_one(ref, leads[0], push),))
        body = payloads.bulk_v4_body(
            api_key=self._api_key,
            user_name=self._user_name,
            campaign_name=ref.remote_id,
            leads=leads,
            push=push,
            today=self._today(),
        )
        data = self._call("lead_push_bulk", "POST", payloads.BULK_V4_PATH, json=body)
        results = payloads.bulk_results(leads, data)
        if results is None:
            raise VendorProtocolError("Ozonetel's bulk reply has no result per lead.")
        return PushResult(tuple(results))

    def _push_one(self, ref: RemoteRef, lead: LeadRecord, push: payloads.PushSettings):
        params = payloads.single_add_params(
            api_key=self._api_key,
            campaign_name=ref.remote_id,
            lead=lead,
            push=push,
            today=self._today(),
        )
        data = self._call("lead_push", "GET", payloads.LEGACY_ADD_PATH, params=params)
        result = payloads.single_add_result(lead, data)
        if result is None:
            raise VendorProtocolError("Ozonetel's reply to a single add is not understood.")
        return result

    def lead_remove(self, ref: RemoteRef, *, remote_lead_id: str, phone: str) -> None:
        body = payloads.delete_body(
            user_name=self._user_name, campaign_name=ref.remote_id, phone=phone
        )
        self._call("lead_remove", "DELETE", payloads.DELETE_DATA_PATH, json=body)

    def leads_remove_bulk(self, ref: RemoteRef, *, phones: list[str]) -> None:
        """DeleteBulkData (TOKEN_AUTH [D]): take many numbers off the campaign at once."""
        body = payloads.delete_bulk_body(
            user_name=self._user_name, campaign_names=[ref.remote_id], phones=phones
        )
        self._call("lead_remove_bulk", "DELETE", payloads.DELETE_BULK_PATH, json=body)

    def leads_schedule(self, ref: RemoteRef, *, calls: list[tuple[str, datetime]]) -> list[str]:
        """CampaignScheduledData [D]: (phone, when) pairs, at most 100, up to 30 days
        ahead; return the numbers Ozonetel refused."""
        body = payloads.scheduled_data_body(
            user_name=self._user_name, campaign_name=ref.remote_id, calls=calls
        )
        data = self._call("lead_schedule", "POST", payloads.SCHEDULED_DATA_PATH, json=body)
        answers = data.get("message") if isinstance(data, dict) else None
        if not isinstance(answers, list) or len(answers) != len(calls):
            raise VendorProtocolError("Ozonetel's scheduled-data reply has no answer per row.")
        return [
            phone
            for (phone, _), answer in zip(calls, answers, strict=True)
            if str((answer or {}).get("Response", "")).lower() != "success"
        ]

    def dial_status_export(
        self, ref: RemoteRef, *, since: datetime, until: datetime, callback_url: str
    ) -> str:
        """Ask for the Campaign Dial Status export (delivered later to ``callback_url``
        [D]); return its uniqueId."""
        body = payloads.dial_status_export_body(
            user_name=self._user_name,
            campaign_name=ref.remote_id,
            since=since,
            until=until,
            callback_url=callback_url,
        )
        data = self._call("dial_status_export", "POST", payloads.DIAL_STATUS_EXPORT_PATH, json=body)
        return str((data or {}).get("uniqueId") or "")

    def results_pull(self, ref: RemoteRef, *, callback_url: str = "") -> list[DialResult]:
        """Ask for the last ``EXPORT_DAYS`` of the campaign's dial statuses, delivered to
        ``callback_url`` (the account's receiving endpoint); nothing comes back now."""
        if not callback_url:
            raise VendorPermanentError(
                "Ozonetel delivers results to a callback URL: make the account's receiving "
                "endpoint on its vendor account page first."
            )
        until = datetime.now(UTC)
        self.dial_status_export(
            ref, since=until - timedelta(days=EXPORT_DAYS), until=until, callback_url=callback_url
        )
        return []

    @classmethod
    def results_from_callback(cls, body: bytes) -> tuple[str, str, list[DialResult]]:
        return export_results(body)

    def pending_count(self, ref: RemoteRef) -> PendingCount:
        """CampaignStatus gives a Position (READY, COMPLETED, ...), never a count: the
        count stays None and the Position is the state."""
        body = payloads.campaign_status_body(user_name=self._user_name, campaign_name=ref.remote_id)
        data = self._call("pending_count", "GET", payloads.CAMPAIGN_STATUS_PATH, json=body)
        position = payloads.position(data, ref.remote_id)
        if position is None:
            raise VendorProtocolError("Ozonetel's CampaignStatus reply has no Position.")
        return PendingCount(pending=None, state=position, fetched_at=datetime.now(UTC))
