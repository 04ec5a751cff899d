"""Voicenter ForwardDialer adapter (``shared/vendors/voicenter-forward-dialer.txt``).

Voicenter campaigns are made in Voicenter's portal; the console links one by its Code
(picked from GetCampaignList) and then owns its strategy, IVR settings, members and
pending calls. Every method is a POST with a JSON body carrying the account's ``Code``;
errors are HTTP 200 with a non-zero ``ErrorCode`` (``codes.py``).
"""

from __future__ import annotations

from datetime import UTC, datetime
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
    AgentRef,
    CallRecord,
    CampaignSpec,
    Capability,
    CredentialField,
    DialResult,
    HealthResult,
    LeadRecord,
    PendingCount,
    PushResult,
    RemoteCampaign,
    RemoteItem,
    RemoteRef,
    ResultField,
    SettingDifference,
)
from vendors.adapters.voicenter import codes, payloads
from vendors.adapters.voicenter.field_map import WINDOW_MEANS
from vendors.adapters.voicenter.payloads import PendingCall

# Operations whose per-call ErrorCodes (an invalid target) are a lead's outcome, not a
# failure of the request.
_PER_LEAD_OPERATIONS = frozenset({"lead_push"})
CALLER_ID_KEY = "caller_id"  # in RemoteRef.extra
IVR_KEY = "ivr"  # in RemoteRef.extra: "1" when the console configured the campaign as IVR


class VoicenterAdapter(BaseAdapter):
    kind = "voicenter"
    label = "Voicenter"
    # The excerpt's host; api-facts §2.1 [D] shows api.voicenter.com, which also works
    # by overriding the account's base URL.
    default_base_url = "https://api.voicenter.co.il"
    capabilities = frozenset(
        {
            Capability.CAMPAIGN_LINK,
            Capability.CAMPAIGN_UPDATE,
            Capability.CAMPAIGN_START_STOP,
            Capability.LEAD_PUSH,
            Capability.LEAD_PUSH_BULK,
            Capability.LEAD_REMOVE,
            Capability.LEAD_UPDATE,
            Capability.PENDING_COUNT,
            Capability.AGENTS,
            Capability.RECONCILE_LEADS,
            Capability.RECONCILE_COUNT,
            Capability.RECONCILE_SETTINGS,
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
            ResultField.AGENT,
        }
    )
    # The dialer's CDRs (Call Log API, types 14 and 15: api-facts §2.3 [V]) give each
    # lead's attempts, last attempt, result and agent; the request is a guess [I]
    # (payloads, "the call log").
    call_records_read = True
    window_means = WINDOW_MEANS
    documented_not_used = (
        gettext_lazy(
            "GetCampaignPendingCalls (6.12): the adapter lists what the dialer holds "
            "(pending_calls) for reconciliation; no page shows the list yet."
        ),
        gettext_lazy(
            "ClearCampaignCalls (6.10): the adapter can empty a campaign (leads_clear); no "
            "button offers it."
        ),
    )
    capability_notes: ClassVar[dict[Capability, str]] = {
        Capability.RECONCILE_SETTINGS: (
            gettext_lazy(
                "Only the campaign's members are read back (GetMembersList, 6.4); the strategy "
                "and IVR settings cannot be read back from Voicenter (no documented call), so "
                "a repair sends them again unseen."
            )
        ),
        Capability.RECONCILE_COUNT: (
            gettext_lazy(
                "By the pending count (GetCampaignDetails' TotalPendingCalls, 6.14; "
                "TotalAwaitingCalls for IVR campaigns [V]): the pending calls are listed only "
                "when the count is neither 0 nor the number of leads the console pushed."
            )
        ),
        Capability.RESULTS_PULL: (
            gettext_lazy(
                "By GetCampaignPendingCalls: a waiting call is not done and its OriginateTime "
                "is its next try; a pushed lead that left the list has been dialled, so it is "
                "done. Its attempts, last result and agent come from Voicenter's call log "
                "(the dialer's CDRs, types 14 and 15), each CDR filed once by its CallID. The "
                "documents here do not give the call log's request: its shape is a guess."
            )
        ),
        Capability.RECONCILE_LEADS: (
            gettext_lazy(
                "By GetCampaignPendingCalls, which lists only calls still waiting: leads the "
                "console removed and leads it never pushed are found; a pushed lead that left "
                "the list may have been dialled, so missing leads are unknown."
            )
        ),
    }
    unsupported_reasons: ClassVar[dict[Capability, str]] = {
        Capability.SCHEDULE_CALL: (
            gettext_lazy(
                "Voicenter's forward dialer documents no scheduled callback: "
                "the console pushes the lead again at the callback time (results.recycling)."
            )
        ),
        Capability.CAMPAIGN_CREATE: (
            gettext_lazy(
                "Voicenter's Dialer API has no call that creates a campaign: create it in "
                "Voicenter's portal, then link it here by its Code."
            )
        ),
        Capability.CAMPAIGN_DELETE: gettext_lazy(
            "Voicenter's Dialer API has no call that deletes a campaign."
        ),
        Capability.CALL_RESULT: gettext_lazy(
            "Voicenter does not take call results back from the console."
        ),
        Capability.LEAD_TERMINATE: (
            gettext_lazy(
                "Voicenter has no terminate call; removing the lead takes it off the dialer."
            )
        ),
    }
    # AddCallsBulk takes up to 100,000 calls but reports each target's result only for
    # 3,000 or fewer (api-facts §2.3 [V]); the console needs a result per lead.
    max_batch_size = 3000
    rate_limits = ()  # none documented (api-facts §2.4: NOT FOUND)
    credential_fields = (
        CredentialField(
            "code",
            "API Code",
            help_text=(
                "The personal identifier Voicenter gives you for the Dialer API (the Code "
                "field). The server's IP must also be on the account's Authorized IPs."
            ),
        ),
    )
    emulator = "vendors.adapters.voicenter.emulator.VoicenterEmulator"
    remote_item_lists: ClassVar[dict[str, str]] = {"campaigns": "Voicenter campaign"}
    # GetCampaignPendingCalls (6.12) lists only calls still waiting.
    lead_listing_complete = False
    operations = frozenset(
        {
            "agents",
            "campaign_link",
            "campaign_link_choices",
            "campaign_start",
            "campaign_stop",
            "campaign_update",
            "lead_push",
            "lead_push_bulk",
            "lead_remove",
            "lead_update",
            "leads_clear",
            "pending_calls",
            "pending_count",
            "results_pull",
            "call_records",
            "test_connection",
        }
    )

    # --- hooks ---------------------------------------------------------------------------

    def check_reply(self, operation: str, data: Any, response: httpx.Response) -> None:
        """Every reply carries ``ErrorCode``; non-zero is an error, except an invalid
        target on a single lead push, which is that lead's outcome."""
        if operation == "call_records":
            self._check_call_log_reply(data, response)
            return
        code = payloads.error_code(data)
        if code is None:
            raise VendorProtocolError(
                "Voicenter answered without an ErrorCode.", status_code=response.status_code
            )
        if code == codes.OK:
            return
        if operation in _PER_LEAD_OPERATIONS and code in codes.PER_LEAD_CODES:
            return
        raise self._error_for_code(code, str(data.get("Description", "")))

    def _check_call_log_reply(self, data: Any, response: httpx.Response) -> None:
        number, description = payloads.cdr_error(data)
        if number is None:
            raise VendorProtocolError(
                "Voicenter's call log answered without an ERROR_NUMBER.",
                status_code=response.status_code,
            )
        if number != 0:
            raise VendorPermanentError(
                f"Voicenter's call log refused the request: {description or number}.",
                vendor_code=number,
                vendor_message=description,
            )

    def _error_for_code(self, code: int, description: str) -> VendorError:
        message = codes.message_for(code)
        if description and description.lower() not in message.lower():
            message = f"{message} Voicenter said: {description}"
        error_class = VendorTemporaryError if code == codes.INTERNAL_ERROR else VendorPermanentError
        return error_class(message, vendor_code=code, vendor_message=description)

    # --- the one request shape -------------------------------------------------------------

    @property
    def _code(self) -> str:
        return self.account.credentials.get("code", "")

    def _send(self, operation: str, method: str, body: dict | list) -> dict[str, Any]:
        return self._call(operation, "POST", payloads.path(method), json=body)

    def _campaign_call(self, operation: str, method: str, ref: RemoteRef) -> dict[str, Any]:
        return self._send(operation, method, payloads.campaign_body(self._code, ref.remote_id))

    # --- account -------------------------------------------------------------------------

    def test_connection(self) -> HealthResult:
        campaigns = self._campaign_list("test_connection")
        return HealthResult(
            ok=True, message=f"Voicenter answered: {len(campaigns)} campaign(s) can be linked."
        )

    # --- campaigns -------------------------------------------------------------------------

    def campaign_link_choices(self) -> list[RemoteCampaign]:
        return self._campaign_list("campaign_link_choices")

    def remote_items(self, source: str) -> list[RemoteItem]:
        """The campaigns GetCampaignList (6.3) offers for linking, by their Code."""
        if source != "campaigns":
            raise NotImplementedError(source)
        return [RemoteItem(c.remote_id, c.name) for c in self.campaign_link_choices()]

    def _campaign_list(self, operation: str) -> list[RemoteCampaign]:
        data = self._send(operation, "GetCampaignList", {"Code": self._code})
        return payloads.remote_campaigns(data)

    def campaign_create(self, spec: CampaignSpec) -> RemoteRef:
        """Voicenter cannot create campaigns: this *links* the campaign whose Code the
        settings name (checked with GetCampaignDetails, so a wrong Code fails with
        "Invalid campaign code") and applies the settings to it."""
        code = payloads.campaign_code(spec)
        if not code:
            raise VendorPermanentError(
                "Choose the Voicenter campaign to link: Voicenter campaigns are created in "
                "Voicenter's portal."
            )
        self._campaign_call("campaign_link", "GetCampaignDetails", RemoteRef(code))
        return self.campaign_update(RemoteRef(code), spec)

    def campaign_update(self, ref: RemoteRef, spec: CampaignSpec) -> RemoteRef:
        """Strategy (UpdateCampaignStrategy), IVR settings (ConfigureIvrCampaign) and
        members (AddMember/RemoveMember), each sent only when the settings give it.
        The settings may name another Code: the campaign is then re-linked."""
        code = payloads.campaign_code(spec) or ref.remote_id
        ivr = payloads.ivr_body(self._code, code, spec.settings)
        extra = {CALLER_ID_KEY: spec.caller_id} if spec.caller_id else {}
        if ivr is not None:
            extra[IVR_KEY] = "1"
        ref = RemoteRef(code, extra=extra)
        strategy = payloads.strategy_body(self._code, ref.remote_id, spec.settings)
        if strategy is not None:
            self._send("campaign_update", "UpdateCampaignStrategy", strategy)
        if ivr is not None:
            self._send("campaign_update", "ConfigureIvrCampaign", ivr)
        wanted = payloads.desired_members(spec)
        if wanted is not None:
            self._members_sync(ref, wanted)
        return ref

    def campaign_settings_drift(
        self, ref: RemoteRef, spec: CampaignSpec
    ) -> list[SettingDifference]:
        """The members the dialer holds against those ``campaign_update`` would set
        (``payloads.desired_members``); none named by the console: nothing compared."""
        wanted = payloads.desired_members(spec)
        if wanted is None:
            return []
        held = sorted(agent.remote_id for agent in self.campaign_members(ref))
        if set(held) == set(wanted):
            return []
        return [SettingDifference("Members", held, sorted(wanted))]

    def _members_sync(self, ref: RemoteRef, wanted: list[str]) -> None:
        current = {agent.remote_id for agent in self.campaign_members(ref)}
        for member in wanted:
            if member not in current:
                body = payloads.member_body(self._code, ref.remote_id, member)
                self._send("agents", "AddMember", body)
        for member in sorted(current - set(wanted)):
            body = payloads.member_body(self._code, ref.remote_id, member)
            self._send("agents", "RemoveMember", body)

    def campaign_members(self, ref: RemoteRef) -> list[AgentRef]:
        """The campaign's members (GetMembersList) as agents: Member code and name."""
        data = self._campaign_call("agents", "GetMembersList", ref)
        return [
            AgentRef(name=name or member, remote_id=member)
            for member, name in payloads.members(data)
        ]

    def campaign_start(self, ref: RemoteRef) -> None:
        self._campaign_call("campaign_start", "StartCampaign", ref)

    def campaign_stop(self, ref: RemoteRef) -> None:
        self._campaign_call("campaign_stop", "StopCampaign", ref)

    # --- leads -----------------------------------------------------------------------------

    def leads_push(self, ref: RemoteRef, leads: list[LeadRecord]) -> PushResult:
        """One lead: AddCall. More: AddCallsBulk, whose per-target results are the
        leads' outcomes; a campaign-wide code in them (invalid campaign or caller id,
        internal error) fails the whole batch instead."""
        if len(leads) > self.max_batch_size:
            raise ValueError(f"Voicenter takes at most {self.max_batch_size} leads a push.")
        caller_id = ref.extra.get(CALLER_ID_KEY, "")
        if not leads:
            return PushResult(())
        if len(leads) == 1:
            lead = leads[0]
            body = payloads.call_body(self._code, ref.remote_id, lead, caller_id=caller_id)
            data = self._send("lead_push", "AddCall", body)
            result = payloads.call_result(
                lead, payloads.error_code(data) or codes.OK, str(data.get("Description", ""))
            )
            return PushResult((result,))
        body = payloads.bulk_body(self._code, ref.remote_id, leads, caller_id=caller_id)
        data = self._send("lead_push_bulk", "AddCallsBulk", body)
        for row in data.get("AddResult") or []:
            code = payloads.error_code(row)
            if code is not None and code != codes.OK and code not in codes.PER_LEAD_CODES:
                raise self._error_for_code(code, str(row.get("Description", "")))
        if "AddResult" not in data:
            # The excerpt's documented reply (6.11) is {"ErrorCode": 0, "Description": "OK"}
            # for the whole array: every lead was taken, none reported one by one.
            return payloads.bulk_accepted(leads)
        result = payloads.bulk_results(leads, data)
        if result is None:
            raise VendorProtocolError(
                "Voicenter's AddCallsBulk results do not match the leads sent."
            )
        return result

    def lead_remove(self, ref: RemoteRef, *, remote_lead_id: str, phone: str) -> None:
        self._send(
            "lead_remove", "RemoveCall", payloads.remove_body(self._code, ref.remote_id, phone)
        )

    def lead_update(self, ref: RemoteRef, *, remote_lead_id: str, lead: LeadRecord) -> None:
        caller_id = ref.extra.get(CALLER_ID_KEY, "")
        body = payloads.call_body(self._code, ref.remote_id, lead, caller_id=caller_id)
        self._send("lead_update", "UpdateCall", body)

    def leads_clear(self, ref: RemoteRef) -> None:
        """Remove every pending call of the campaign (ClearCampaignCalls, 6.10)."""
        self._campaign_call("leads_clear", "ClearCampaignCalls", ref)

    def pending_count(self, ref: RemoteRef) -> PendingCount:
        """GetCampaignDetails' TotalPendingCalls; for a campaign the console configured as
        IVR, GetCampaignList's TotalAwaitingCalls, which is where IVR campaigns count
        (api-facts §2.3 [V]), or no count when the list does not give it."""
        data = self._campaign_call("pending_count", "GetCampaignDetails", ref)
        pending = payloads.pending_from_details(data, fetched_at=datetime.now(UTC))
        if pending is None:
            raise VendorProtocolError("Voicenter's GetCampaignDetails reply has no pending count.")
        if ref.extra.get(IVR_KEY) != "1":
            return pending
        listed = self._send("pending_count", "GetCampaignList", {"Code": self._code})
        return payloads.pending_for_ivr(pending, listed, ref.remote_id)

    def remote_lead_count(self, ref: RemoteRef) -> int | None:
        """The calls still pending, as ``pending_count`` reads them (None for an IVR
        campaign whose list gives no TotalAwaitingCalls)."""
        return self.pending_count(ref).pending

    def remote_lead_ids(self, ref: RemoteRef) -> set[str]:
        """The targets of the calls still pending (the remote id the pushes give): a
        dialled call leaves the list, hence ``lead_listing_complete`` False."""
        return {call.target for call in self.pending_calls(ref)}

    def results_pull(self, ref: RemoteRef, *, callback_url: str = "") -> list[DialResult]:
        """The calls still pending (GetCampaignPendingCalls, 6.12), each not done."""
        return [payloads.pending_call_result(call) for call in self._pending("results_pull", ref)]

    def call_records(self, ref: RemoteRef, *, since: datetime) -> list[CallRecord]:
        """The campaign's dialling attempts since ``since``: the Leg1 CDRs of the call log
        whose custom data names the campaign's Code (payloads, "the call log")."""
        body = payloads.cdr_body(self._code, since, datetime.now(UTC))
        data = self._call("call_records", "POST", payloads.CDR_PATH, json=body)
        records = payloads.call_records(data, campaign=ref.remote_id)
        if records is None:
            raise VendorProtocolError("Voicenter's call log reply has no CDR_LIST.")
        return records

    def pending_calls(self, ref: RemoteRef) -> list[PendingCall]:
        """Every call still pending on the campaign (GetCampaignPendingCalls, 6.12), by
        target: what the dialer holds, for reconciliation."""
        return self._pending("pending_calls", ref)

    def _pending(self, operation: str, ref: RemoteRef) -> list[PendingCall]:
        data = self._campaign_call(operation, "GetCampaignPendingCalls", ref)
        calls = payloads.pending_calls(data)
        if calls is None:
            raise VendorProtocolError("Voicenter's GetCampaignPendingCalls reply has no Calls.")
        return calls
