"""The Ozonetel adapter against its emulator: every operation, both auth modes, the
error ladder, and DNC/duplicate outcomes."""

from __future__ import annotations

import dataclasses

import pytest

from tests.vendors.ozonetel.conftest import make_adapter, make_emulator
from tests.vendors.ozonetel.harness import (
    CAMPAIGN_NAME,
    CREDENTIALS,
    TOKEN_CREDENTIALS,
    WRONG_CREDENTIALS,
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
from vendors.adapters.ozonetel.adapter import OzonetelAdapter
from vendors.adapters.types import Capability, LeadOutcome, RemoteRef


@pytest.fixture
def ref(adapter, clock):
    """The harness campaign synced once (create falls back to update: it exists)."""
    made = adapter.campaign_create(campaign_spec())
    clock.advance(60)
    return made


def test_capabilities_follow_the_matrix_and_explain_what_is_missing():
    assert Capability.CAMPAIGN_CREATE in OzonetelAdapter.capabilities
    for capability in Capability:
        if capability not in OzonetelAdapter.capabilities:
            assert capability in OzonetelAdapter.unsupported_reasons
    limits = {rl.operations: (rl.requests, rl.per_seconds) for rl in OzonetelAdapter.rate_limits}
    assert limits[("lead_push_bulk",)] == (5, 60)
    assert limits[("campaign_create", "campaign_update")] == (2, 60)


def test_credentials_need_a_known_auth_mode():
    assert OzonetelAdapter.credentials_error({**CREDENTIALS, "auth_mode": "OAUTH"})
    assert OzonetelAdapter.credentials_error(CREDENTIALS) == ""
    assert OzonetelAdapter.secret_values(CREDENTIALS) == [CREDENTIALS["api_key"]]


def test_test_connection(adapter):
    assert adapter.test_connection().ok


def test_wrong_key_is_a_configuration_error_with_the_vendors_words(emulator):
    adapter = make_adapter(emulator, credentials=WRONG_CREDENTIALS)
    with pytest.raises(VendorConfigurationError) as caught:
        adapter.test_connection()
    assert caught.value.status_code == 401
    assert caught.value.vendor_message == "Invalid User Details"


def test_legacy_no_user_found_is_a_configuration_error(emulator):
    adapter = make_adapter(emulator, credentials=WRONG_CREDENTIALS)
    with pytest.raises(VendorConfigurationError) as caught:
        adapter.leads_push(RemoteRef(CAMPAIGN_NAME), [lead()])
    assert caught.value.vendor_message == "No User Found"


def test_create_then_update_is_idempotent(adapter, emulator, clock):
    ref = adapter.campaign_create(campaign_spec(campaign_name="Brand_New"))
    assert ref.remote_id == "Brand_New"
    settings = dict(emulator.campaigns["Brand_New"].settings)
    assert settings == {
        "username": CREDENTIALS["user_name"],
        "campaignName": "Brand_New",
        "campaignType": "Progressive",
        "dialMethod": "Agentwise",
        "did": "918040000000",
        "runtimeStart": "08:00:00",
        "runtimeEnd": "21:00:00",
    }
    clock.advance(60)
    again = adapter.campaign_update(ref, campaign_spec(campaign_name="Brand_New"))
    assert again == ref
    assert emulator.campaigns["Brand_New"].settings == settings
    assert list(emulator.campaigns) == [CAMPAIGN_NAME, "Brand_New"]


def test_create_of_an_existing_name_updates_it(adapter, emulator):
    ref = adapter.campaign_create(campaign_spec())
    assert ref.remote_id == CAMPAIGN_NAME
    assert emulator.campaigns[CAMPAIGN_NAME].settings["campaignType"] == "Progressive"


def test_update_refuses_a_running_campaign_and_a_rename(adapter, emulator, ref):
    adapter.campaign_start(ref)
    with pytest.raises(VendorPermanentError, match="stop it"):
        adapter.campaign_update(ref, campaign_spec_changed())
    with pytest.raises(VendorPermanentError, match="cannot rename"):
        adapter.campaign_update(ref, campaign_spec(campaign_name="Other"))


def test_missing_campaign_settings_are_refused_before_calling(adapter, emulator):
    spec = dataclasses.replace(campaign_spec(), caller_id="")
    with pytest.raises(VendorPermanentError, match="caller ID"):
        adapter.campaign_create(spec)
    with pytest.raises(VendorPermanentError, match="no campaign type"):
        adapter.campaign_create(dataclasses.replace(campaign_spec(), dial_method="ratio"))
    assert emulator.requests == []


def test_campaign_control_over_its_limit_is_temporary(adapter):
    adapter.campaign_create(campaign_spec(campaign_name="A"))
    adapter.campaign_create(campaign_spec(campaign_name="B"))
    with pytest.raises(VendorTemporaryError) as caught:
        adapter.campaign_create(campaign_spec(campaign_name="C"))
    assert caught.value.retry_after and caught.value.retry_after > 0


def test_start_stop_and_position_as_pending_state(adapter, emulator, ref):
    count = adapter.pending_count(ref)
    assert (count.pending, count.state) == (None, "READY")
    adapter.leads_push(ref, [lead()])
    adapter.campaign_start(ref)
    assert adapter.pending_count(ref).state == "RUNNING"
    emulator.simulate_dialling(5)
    assert adapter.pending_count(ref).state == "COMPLETED"
    adapter.campaign_stop(ref)
    assert adapter.pending_count(ref).state == "READY"


def test_single_push_outcomes(adapter, emulator, ref):
    accepted = adapter.leads_push(ref, [lead(1)]).results[0]
    assert (accepted.outcome, accepted.remote_id) == (LeadOutcome.ACCEPTED, "919812345678")
    duplicate = adapter.leads_push(ref, [lead(2)]).results[0]
    assert duplicate.outcome == LeadOutcome.DUPLICATE
    assert duplicate.message == "Number Already Exist"
    dnc = adapter.leads_push(ref, [lead(3, "+919999900000")]).results[0]
    assert (dnc.outcome, dnc.message) == (LeadOutcome.DNC, "PhoneNumber Added is a DND Number")
    rejected = adapter.leads_push(ref, [lead(4, "+12")]).results[0]
    assert rejected.outcome == LeadOutcome.REJECTED
    row = emulator.campaigns[CAMPAIGN_NAME].rows[0]
    assert row["Name"] == "Asha Rao"
    assert (row["agentId"], row["skill"]) == ("agent1", "sales")
    assert len(row["ExpiryDate"]) == 10 and row["checkDuplicate"] == "TRUE"


def test_single_push_to_an_unknown_campaign_is_refused(adapter):
    with pytest.raises(VendorConfigurationError):
        adapter.leads_push(RemoteRef("Nope"), [lead()])


def test_bulk_push_outcomes_and_the_queue(adapter, emulator, clock, ref):
    leads = [
        lead(1, "+919800000001"),
        lead(2, "+919999900000"),
        lead(3, "+919800000001"),
        lead(4, "+919800000004", first_name="José", last_name="O'Brien <x>"),
    ]
    results = adapter.leads_push(ref, leads).results
    assert [r.outcome for r in results] == [
        LeadOutcome.ACCEPTED,
        LeadOutcome.DNC,
        LeadOutcome.DUPLICATE,
        LeadOutcome.ACCEPTED,
    ]
    assert emulator.pending_phones(CAMPAIGN_NAME) == []  # queued on Ozonetel's side
    clock.advance(3)
    assert emulator.pending_phones(CAMPAIGN_NAME) == ["919800000001", "919800000004"]
    assert emulator.campaigns[CAMPAIGN_NAME].rows[1]["Name"] == "Jose OBrien x"


def test_bulk_push_over_its_limit_is_temporary(adapter, ref):
    leads = [lead(1, "+919800000001"), lead(2, "+919800000002")]
    for _ in range(5):
        adapter.leads_push(ref, leads)
    with pytest.raises(VendorTemporaryError) as caught:
        adapter.leads_push(ref, leads)
    assert caught.value.vendor_message.startswith("Already one process is running")
    assert caught.value.retry_after == 12.0


def test_push_guards_the_batch_size(adapter, ref):
    assert adapter.leads_push(ref, []).results == ()
    with pytest.raises(ValueError):
        adapter.leads_push(ref, [lead(i) for i in range(501)])


def test_remove(adapter, emulator, ref):
    adapter.leads_push(ref, [lead()])
    adapter.lead_remove(ref, remote_lead_id="919812345678", phone="+919812345678")
    assert emulator.pending_phones(CAMPAIGN_NAME) == []


def test_remove_from_an_unknown_campaign_carries_the_vendors_words(adapter):
    with pytest.raises(VendorPermanentError) as caught:
        adapter.lead_remove(RemoteRef("Nope"), remote_lead_id="", phone="+919812345678")
    assert caught.value.vendor_message == "Passed campaign are invalid"


def test_token_mode_fetches_one_token_and_reuses_it(clock, exchanges):
    emulator = make_emulator(clock, credentials=TOKEN_CREDENTIALS)
    adapter = make_adapter(emulator, credentials=TOKEN_CREDENTIALS, recorder=exchanges.append)
    ref = RemoteRef(CAMPAIGN_NAME)
    adapter.campaign_start(ref)
    adapter.pending_count(ref)
    adapter.lead_remove(ref, remote_lead_id="", phone="+919812345678")
    assert [e.operation for e in exchanges] == [
        "token",
        "campaign_start",
        "pending_count",
        "lead_remove",
    ]
    assert len(emulator.tokens) == 1
    token = next(iter(emulator.tokens))
    for exchange in exchanges:
        assert token not in exchange.request_excerpt + exchange.response_excerpt


def test_token_mode_renews_a_token_the_vendor_no_longer_accepts(clock):
    emulator = make_emulator(clock, credentials=TOKEN_CREDENTIALS)
    adapter = make_adapter(emulator, credentials=TOKEN_CREDENTIALS)
    adapter.pending_count(RemoteRef(CAMPAIGN_NAME))
    emulator.tokens.clear()  # revoked
    assert adapter.pending_count(RemoteRef(CAMPAIGN_NAME)).state == "READY"


def test_token_mode_with_a_wrong_key_is_a_configuration_error(clock):
    emulator = make_emulator(clock, credentials=TOKEN_CREDENTIALS)
    wrong = {**TOKEN_CREDENTIALS, "api_key": "ozonetel-wrong-key-9999"}
    with pytest.raises(VendorConfigurationError) as caught:
        make_adapter(emulator, credentials=wrong).campaign_start(RemoteRef(CAMPAIGN_NAME))
    assert caught.value.vendor_message == "Invalid User Details"


def test_campaign_api_host_is_the_documented_partner_or_the_option(emulator):
    adapter = make_adapter(emulator, base_url="https://in1-ccaas-api.ozonetel.com")
    assert adapter._campaign_url().startswith("https://api.cloudagent.ozonetel.com/")
    configured = make_adapter(
        emulator, credentials={**CREDENTIALS, "campaign_api_url": "http://campaigns.test"}
    )
    configured.campaign_create(campaign_spec(campaign_name="Elsewhere"))
    assert "Elsewhere" in emulator.campaigns


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
    emulator.inject(fault)
    with pytest.raises(error):
        adapter.pending_count(RemoteRef(CAMPAIGN_NAME))


def test_no_exchange_shows_the_api_key(adapter, exchanges, ref):
    adapter.leads_push(ref, [lead(1)])
    adapter.leads_push(ref, [lead(2, "+919800000002"), lead(3, "+919800000003")])
    adapter.pending_count(ref)
    adapter.lead_remove(ref, remote_lead_id="", phone="+919800000002")
    adapter.test_connection()
    assert len(exchanges) >= 6
    for exchange in exchanges:
        text = f"{exchange.url} {exchange.request_excerpt} {exchange.response_excerpt}"
        assert CREDENTIALS["api_key"] not in text


def test_bulk_delete_takes_the_numbers_off_the_campaign(adapter, emulator):
    ref = RemoteRef(CAMPAIGN_NAME)
    for n in range(3):
        adapter.leads_push(ref, [lead(n, f"+91981234567{n}")])
    adapter.leads_remove_bulk(ref, phones=["+919812345670", "+919812345671"])
    held = [row["PhoneNumber"] for row in emulator.campaigns[CAMPAIGN_NAME].rows]
    assert held == ["919812345672"]


def test_scheduled_data_reports_the_numbers_refused(adapter, emulator, clock):
    from datetime import datetime, timedelta

    now = datetime.fromtimestamp(clock())
    calls = [
        ("+919812345670", now + timedelta(days=1)),
        ("+919812345671", now + timedelta(days=40)),
    ]
    refused = adapter.leads_schedule(RemoteRef(CAMPAIGN_NAME), calls=calls)
    assert refused == ["+919812345671"]  # more than 30 days ahead
    assert [row["PhoneNumber"] for row in emulator.scheduled] == ["919812345670"]
    with pytest.raises(ValueError):
        adapter.leads_schedule(RemoteRef(CAMPAIGN_NAME), calls=calls * 51)


def test_dial_status_export_is_requested_with_its_mandatory_fields(adapter, emulator):
    from datetime import datetime

    unique_id = adapter.dial_status_export(
        RemoteRef(CAMPAIGN_NAME),
        since=datetime(2026, 12, 1),
        until=datetime(2026, 12, 2),
        callback_url="https://console.example/hooks/ozonetel",
    )
    [export] = emulator.exports
    assert unique_id == export["uniqueId"]
    assert (export["status"], export["dialstatus"], export["dispositions"]) == ("All", "ALL", "ALL")
    assert export["fromDate"] == "2026-12-01 00:00:00"
