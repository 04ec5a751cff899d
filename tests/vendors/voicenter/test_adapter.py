"""The Voicenter adapter against its emulator: every operation, the error ladder, and
per-lead outcomes."""

from __future__ import annotations

import pytest

from tests.vendors.voicenter.conftest import make_adapter
from tests.vendors.voicenter.harness import (
    CAMPAIGN_CODE,
    CREDENTIALS,
    WRONG_CREDENTIALS,
    agents,
    campaign_spec,
    campaign_spec_changed,
    lead,
)
from vendors.adapters.emulation import Fault
from vendors.adapters.errors import (
    VendorConfigurationError,
    VendorPermanentError,
    VendorProtocolError,
    VendorTemporaryError,
)
from vendors.adapters.types import Capability, LeadOutcome, RemoteRef
from vendors.adapters.voicenter.adapter import VoicenterAdapter

REF = RemoteRef(CAMPAIGN_CODE)


def test_capabilities_follow_the_matrix_and_explain_what_is_missing():
    assert Capability.CAMPAIGN_LINK in VoicenterAdapter.capabilities
    assert Capability.CAMPAIGN_CREATE not in VoicenterAdapter.capabilities
    for capability in Capability:
        if capability not in VoicenterAdapter.capabilities:
            assert capability in VoicenterAdapter.unsupported_reasons


def test_test_connection_reports_the_linkable_campaigns(adapter):
    result = adapter.test_connection()
    assert result.ok
    assert "2 campaign(s)" in result.message


def test_a_wrong_code_is_a_configuration_error_with_the_vendors_words(emulator):
    adapter = make_adapter(emulator, credentials=WRONG_CREDENTIALS)
    with pytest.raises(VendorConfigurationError) as caught:
        adapter.test_connection()
    assert caught.value.status_code == 403
    assert caught.value.vendor_message == "Unauthorized: invalid Code"


def test_link_choices_leave_out_deleted_campaigns(adapter):
    choices = adapter.campaign_link_choices()
    assert [(c.remote_id, c.name) for c in choices] == [
        ("vcsbx0001morning", "Morning messages"),
        ("vcsbx0002leads", "Campaign leads"),
    ]
    assert choices[1].detail["StatusName"] == "Disabled"


def test_create_links_the_campaign_and_applies_strategy_ivr_and_members(adapter, emulator):
    ref = adapter.campaign_create(campaign_spec())
    assert ref.remote_id == CAMPAIGN_CODE
    campaign = emulator.campaigns[CAMPAIGN_CODE]
    assert campaign.strategy == {
        "setQueueForMonitoring": 10000,
        "setQueueMaximumCallers": 0,
        "setCoefficient": 1.5,
    }
    assert (campaign.max_calls, campaign.representatives) == (5, ["SIP1", "SIP2"])
    assert sorted(campaign.members) == ["SIP1001", "SIP1002"]


def test_create_with_an_unknown_code_fails_with_invalid_campaign_code(adapter):
    with pytest.raises(VendorPermanentError) as caught:
        adapter.campaign_create(campaign_spec(Code="nosuchcampaign"))
    assert caught.value.vendor_code == 1
    assert caught.value.vendor_message == "Invalid campaign code"
    assert str(caught.value).startswith("Invalid campaign code")


def test_create_without_a_code_says_to_choose_one(adapter, emulator):
    with pytest.raises(VendorPermanentError, match="Choose the Voicenter campaign"):
        adapter.campaign_create(campaign_spec(Code=""))
    assert emulator.requests == []


def test_update_is_idempotent_and_makes_members_match(adapter, emulator):
    ref = adapter.campaign_create(campaign_spec())
    first = adapter.campaign_update(ref, campaign_spec_changed())
    second = adapter.campaign_update(first, campaign_spec_changed())
    assert first == second == RemoteRef(CAMPAIGN_CODE, extra={"ivr": "1"})  # IVR settings sent
    campaign = emulator.campaigns[CAMPAIGN_CODE]
    assert sorted(campaign.members) == ["SIP1001", "SIP1002", "SIP1003"]
    assert campaign.strategy["setCoefficient"] == 2.0
    assert [a.remote_id for a in adapter.campaign_members(ref)] == [
        "SIP1001",
        "SIP1002",
        "SIP1003",
    ]


def test_update_removes_members_the_console_no_longer_names(adapter, emulator):
    ref = adapter.campaign_create(campaign_spec())
    spec = campaign_spec()
    adapter.campaign_update(ref, type(spec)(**{**spec.__dict__, "agents": agents("SIP1003")}))
    assert list(emulator.campaigns[CAMPAIGN_CODE].members) == ["SIP1003"]


def test_update_leaves_portal_members_alone_when_the_console_names_none(adapter, emulator):
    emulator.campaigns[CAMPAIGN_CODE].members["SIP9"] = "Portal agent"
    spec = campaign_spec()
    adapter.campaign_update(REF, type(spec)(**{**spec.__dict__, "agents": ()}))
    assert emulator.campaigns[CAMPAIGN_CODE].members == {"SIP9": "Portal agent"}


def test_update_relinks_when_the_settings_name_another_code(adapter):
    ref = adapter.campaign_update(REF, campaign_spec(Code="vcsbx0002leads"))
    assert ref.remote_id == "vcsbx0002leads"


def test_update_sends_only_the_settings_given(adapter, emulator):
    spec = campaign_spec(
        setQueueForMonitoring=None,
        setQueueMaximumCallers=None,
        setCoefficient=None,
        setMaxCalls=None,
        RepresentativeList=[],
        members=[],
    )
    adapter.campaign_update(REF, type(spec)(**{**spec.__dict__, "agents": ()}))
    assert emulator.requests == []


def test_start_and_stop(adapter, emulator):
    ref = RemoteRef("vcsbx0002leads")
    adapter.campaign_start(ref)
    assert emulator.campaigns["vcsbx0002leads"].status_name == "Enabled"
    adapter.campaign_stop(ref)
    assert emulator.campaigns["vcsbx0002leads"].status_name == "Disabled"


def test_push_one_lead_then_pending_count_grows_and_dialling_shrinks_it(adapter, emulator):
    result = adapter.leads_push(REF, [lead(7)])
    assert [(r.lead_id, r.outcome, r.remote_id) for r in result.results] == [
        (7, LeadOutcome.ACCEPTED, "972501234567")
    ]
    call = emulator.campaigns[CAMPAIGN_CODE].calls["972501234567"]
    assert call.customer_name == "Noa Levi"
    assert call.custom_data == {"var_LeadID": 7, "var_DialerCampaign": CAMPAIGN_CODE}
    assert adapter.pending_count(REF).pending == 1
    emulator.simulate_dialling(1)
    count = adapter.pending_count(REF)
    assert (count.pending, count.state) == (0, "Enabled")
    assert count.fetched_at is not None


def test_push_one_invalid_target_is_a_rejected_lead(adapter):
    result = adapter.leads_push(REF, [lead(7, phone="+12")])
    assert result.results[0].outcome == LeadOutcome.REJECTED
    assert "target is invalid" in result.results[0].message


def test_push_to_an_unknown_campaign_raises(adapter):
    with pytest.raises(VendorPermanentError, match="Invalid campaign code"):
        adapter.leads_push(RemoteRef("nosuchcampaign"), [lead(7)])


def test_bulk_push_reports_each_lead(adapter, emulator):
    leads = [lead(1, "+972501111111"), lead(2, "+1"), lead(3, "+972503333333", priority=5)]
    result = adapter.leads_push(REF, leads)
    outcomes = {r.lead_id: r.outcome for r in result.results}
    assert outcomes == {1: LeadOutcome.ACCEPTED, 2: LeadOutcome.REJECTED, 3: LeadOutcome.ACCEPTED}
    assert emulator.campaigns[CAMPAIGN_CODE].calls["972503333333"].priority == 5


def test_bulk_push_with_a_caller_id_the_account_lacks_fails_the_batch(emulator):
    emulator.caller_ids = frozenset({"035551234"})
    adapter = make_adapter(emulator)
    ref = RemoteRef(CAMPAIGN_CODE, extra={"caller_id": "+97239999999"})
    with pytest.raises(VendorPermanentError) as caught:
        adapter.leads_push(ref, [lead(1, "+972501111111"), lead(2, "+972502222222")])
    assert caught.value.vendor_code == 4


def test_caller_id_from_the_campaign_goes_with_each_call(adapter, emulator):
    ref = adapter.campaign_update(REF, type(campaign_spec())(name="x", caller_id="+97235551234"))
    adapter.leads_push(ref, [lead(1, "+972501111111"), lead(2, "+972502222222")])
    adapter.leads_push(ref, [lead(3, "+972503333333")])
    calls = emulator.campaigns[CAMPAIGN_CODE].calls
    assert {call.caller_id for call in calls.values()} == {"97235551234"}


def test_push_guards_the_batch_size(adapter):
    assert adapter.leads_push(REF, []).results == ()
    with pytest.raises(ValueError):
        adapter.leads_push(REF, [lead(i) for i in range(VoicenterAdapter.max_batch_size + 1)])


def test_remove_update_and_clear(adapter, emulator):
    adapter.leads_push(REF, [lead(1, "+972501111111"), lead(2, "+972502222222")])
    adapter.lead_remove(REF, remote_lead_id="972501111111", phone="+972501111111")
    assert emulator.pending_targets(CAMPAIGN_CODE) == ["972502222222"]
    adapter.lead_update(
        REF, remote_lead_id="972502222222", lead=lead(2, "+972502222222", priority=9)
    )
    assert emulator.campaigns[CAMPAIGN_CODE].calls["972502222222"].priority == 9
    with pytest.raises(VendorPermanentError, match="target is invalid"):
        adapter.lead_update(REF, remote_lead_id="x", lead=lead(3, "+972509999999"))
    adapter.leads_clear(REF)
    assert adapter.pending_count(REF).pending == 0


def test_internal_error_code_is_temporary(adapter, emulator, monkeypatch):
    def broken(body):
        from vendors.adapters.voicenter.emulator import VoicenterError

        raise VoicenterError(3)

    monkeypatch.setattr(emulator, "_campaign_details", broken)
    with pytest.raises(VendorTemporaryError) as caught:
        adapter.pending_count(REF)
    assert caught.value.vendor_code == 3


@pytest.mark.parametrize(
    ("fault", "error"),
    [
        (Fault.SERVER_ERROR, VendorTemporaryError),
        (Fault.RATE_LIMITED, VendorTemporaryError),
        (Fault.TIMEOUT, VendorTemporaryError),
        (Fault.MALFORMED_JSON, VendorProtocolError),
    ],
)
def test_faults_map_onto_the_error_ladder(adapter, emulator, fault, error):
    emulator.inject(fault, retry_after=7)
    with pytest.raises(error) as caught:
        adapter.pending_count(REF)
    if fault == Fault.RATE_LIMITED:
        assert caught.value.retry_after == 7


def test_no_exchange_shows_the_code(adapter, exchanges):
    adapter.campaign_create(campaign_spec())
    adapter.leads_push(REF, [lead(1), lead(2, "+972502222222")])
    assert exchanges
    for exchange in exchanges:
        text = f"{exchange.url} {exchange.request_excerpt} {exchange.response_excerpt}"
        assert CREDENTIALS["code"] not in text
    assert "[redacted]" in exchanges[0].request_excerpt


def test_an_ivr_campaign_counts_its_awaiting_calls(adapter, emulator):
    ref = adapter.campaign_update(REF, campaign_spec_changed())  # sends ConfigureIvrCampaign
    assert ref.extra["ivr"] == "1"
    adapter.leads_push(ref, [lead(1, "+972501111111"), lead(2, "+972502222222")])
    counted = adapter.pending_count(ref)
    # The emulator's IVR campaign reports TotalPendingCalls 0 and 2 awaiting.
    assert counted.pending == 2
    assert counted.detail["TotalPendingCalls"] == 0
    assert "TotalAwaitingCalls" in counted.detail["rests_on"]
    assert adapter.pending_count(REF).pending == 0  # not configured as IVR: pending calls


def test_an_ivr_count_the_documented_list_does_not_give_is_unknown(adapter, emulator):
    emulator.guessed_extras = False  # GetCampaignList items are {Name, StatusName, Code}
    ref = adapter.campaign_update(REF, campaign_spec_changed())
    adapter.leads_push(ref, [lead(1, "+972501111111")])
    counted = adapter.pending_count(ref)
    assert counted.pending is None
    assert "unknown" in counted.detail["rests_on"]


def test_pending_calls_lists_what_the_dialer_holds(adapter, emulator):
    emulator.guessed_extras = False
    adapter.leads_push(REF, [lead(1, "+972501111111"), lead(2, "+972502222222", priority=3)])
    calls = adapter.pending_calls(REF)
    assert sorted((c.target, c.priority) for c in calls) == [
        ("972501111111", 0),
        ("972502222222", 3),
    ]
    emulator.simulate_dialling(1, campaign=CAMPAIGN_CODE)
    assert len(adapter.pending_calls(REF)) == 1
