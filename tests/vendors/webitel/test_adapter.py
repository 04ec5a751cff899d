"""The Webitel adapter against the emulator: every operation, and the error mapping."""

from __future__ import annotations

import dataclasses
import json
import re

import pytest

from tests.vendors.webitel.conftest import make_adapter
from tests.vendors.webitel.harness import CREDENTIALS, WRONG_CREDENTIALS, campaign_spec, lead
from vendors.adapters.emulation import Fault
from vendors.adapters.errors import (
    VendorConfigurationError,
    VendorPermanentError,
    VendorProtocolError,
    VendorTemporaryError,
)
from vendors.adapters.types import (
    AlternatePhone,
    CallingWindowRef,
    Capability,
    LeadOutcome,
    RemoteRef,
)
from vendors.adapters.webitel import payloads
from vendors.adapters.webitel.adapter import WebitelAdapter
from vendors.adapters.webitel.forms import WebitelCampaignForm


@pytest.fixture
def ref(adapter) -> RemoteRef:
    return adapter.campaign_create(campaign_spec())


def push(adapter, ref, count=1):
    leads = [lead(n, phone=f"+3809112345{n:02d}") for n in range(1, count + 1)]
    return [result.remote_id for result in adapter.leads_push(ref, leads).results]


def test_every_matrix_operation_but_a_scheduled_call_is_supported():
    # Webitel documents no call to schedule one callback (issue #14: it is re-pushed).
    assert WebitelAdapter.capabilities == frozenset(Capability) - {Capability.SCHEDULE_CALL}
    assert set(WebitelAdapter.unsupported_reasons) == {Capability.SCHEDULE_CALL}


def test_connection(adapter):
    result = adapter.test_connection()
    assert result.ok
    assert "accepted the token" in result.message


def test_connection_with_a_wrong_token_reports_webitels_words(emulator):
    result = make_adapter(emulator, WRONG_CREDENTIALS).test_connection()
    assert not result.ok
    assert "Invalid token" in result.message


def test_a_wrong_token_is_a_configuration_error(emulator):
    with pytest.raises(VendorConfigurationError) as caught:
        make_adapter(emulator, WRONG_CREDENTIALS).campaign_create(campaign_spec())
    assert caught.value.vendor_message == "Invalid token"


def test_create_sends_the_full_dialer(adapter, emulator, ref):
    assert re.fullmatch(r"[0-9a-f]{24}", ref.remote_id)
    assert ref.extra == {"communication_type": "1"}
    dialer = emulator.dialers[ref.remote_id]
    assert dialer["name"] == "Spring renewals"
    assert dialer["agents"] == ["100", "200"]
    assert dialer["agentStrategy"] == "longest_idle_agent"
    assert dialer["parameters"]["maxTryCount"] == 3
    assert dialer["parameters"]["intervalTryCount"] == 180
    assert dialer["resources"][0]["destinations"][0]["callerIdNumber"] == "000000000"


def test_what_the_settings_form_cleans_is_accepted(adapter, emulator):
    """The campaigns issue's form, as a browser would fill it, through to the dialer."""
    form = WebitelCampaignForm(
        data={
            # Derived fields posted anyway: ignored, the campaign's values are sent.
            "name": "Webitel side name",
            "type": "Voice Broadcasting",
            "numberStrategy": "top-down",
            "membersStrategy": "strict-circuit",
            "agentStrategy": "agent-with-least-talk-time",
            "parameters_waitingForResultStatus": True,
            "amd_enabled": True,
            "amd_greeting": 1500,
            "communications": {
                "types": [
                    {"name": "Mobile", "code": "1", "ranges": [{"startTime": 540, "endTime": 1110}]}
                ]
            },
            "agents": ["100"],
        },
        account=None,
    )
    assert form.is_valid(), form.errors
    spec = dataclasses.replace(campaign_spec(), name="Console name", settings=form.settings())
    ref = adapter.campaign_create(spec)
    dialer = emulator.dialers[ref.remote_id]
    assert (dialer["name"], dialer["type"], dialer["agentStrategy"]) == (
        "Console name",
        "Predictive Dialer",
        "with_least_talk_time",
    )
    assert dialer["agents"] == ["100", "200"]
    assert dialer["parameters"]["waitingForResultStatus"] is True
    assert adapter.campaign_update(ref, spec) == ref


def test_create_then_update_is_idempotent(adapter, emulator, ref):
    before = dict(emulator.dialers[ref.remote_id])
    assert adapter.campaign_update(ref, campaign_spec()) == ref
    assert emulator.dialers[ref.remote_id] == before
    assert len(emulator.dialers) == 1


def test_update_recreates_a_dialer_deleted_on_webitel(adapter, emulator, ref):
    del emulator.dialers[ref.remote_id]
    new_ref = adapter.campaign_update(ref, campaign_spec())
    assert new_ref.remote_id != ref.remote_id
    assert list(emulator.dialers) == [new_ref.remote_id]


def test_update_refusal_carries_webitels_words(adapter, ref):
    with pytest.raises(VendorPermanentError) as caught:
        window = CallingWindowRef(name="X", remote_id="9" * 24)
        adapter.campaign_update(ref, dataclasses.replace(campaign_spec(), calling_window=window))
    assert caught.value.vendor_message == f"Calendar {'9' * 24} not found"
    assert "Webitel refused the data (400)" in str(caught.value)


def test_delete_twice_is_fine(adapter, emulator, ref):
    adapter.campaign_delete(ref)
    adapter.campaign_delete(ref)
    assert emulator.dialers == {}


def test_start_and_stop(adapter, emulator, ref):
    adapter.campaign_start(ref)
    assert emulator.dialers[ref.remote_id]["active"] is True
    adapter.campaign_stop(ref)
    assert emulator.dialers[ref.remote_id]["state"] == 3


def test_link_choices_page_through_every_dialer(adapter, monkeypatch):
    monkeypatch.setattr("vendors.adapters.webitel.adapter.LINK_PAGE_SIZE", 2)
    refs = [
        adapter.campaign_create(dataclasses.replace(campaign_spec(), name=f"D{n}"))
        for n in range(5)
    ]
    choices = adapter.campaign_link_choices()
    assert [choice.remote_id for choice in choices] == [ref.remote_id for ref in refs]
    assert choices[0].name == "D0"
    assert choices[0].detail == {"type": "Predictive Dialer", "active": False, "state": 0}


def test_push_accepts_every_lead_with_its_member_id(adapter, emulator, ref):
    results = adapter.leads_push(ref, [lead(1), lead(2, phone="+380921234567")]).results
    assert [(r.lead_id, r.outcome) for r in results] == [
        (1, LeadOutcome.ACCEPTED),
        (2, LeadOutcome.ACCEPTED),
    ]
    member = emulator.members[ref.remote_id][results[0].remote_id]
    assert member["variables"]["dc_lead_id"] == "1"
    assert member["communications"][0]["type"] == "1"
    assert adapter.pending_count(ref).pending == 2


def test_push_splits_a_body_above_the_limit(adapter, emulator, ref, exchanges, monkeypatch):
    one_member = json.dumps([payloads.member_body(lead(1), communication_type="1")])
    monkeypatch.setattr(payloads, "BODY_LIMIT_BYTES", len(one_member) + 20)
    exchanges.clear()
    results = adapter.leads_push(ref, [lead(n) for n in range(1, 5)]).results
    assert [r.lead_id for r in results] == [1, 2, 3, 4]
    assert len({r.remote_id for r in results}) == 4
    assert [e.operation for e in exchanges] == ["leads_push"] * 4


def test_push_refused_as_a_whole_raises(adapter, ref):
    with pytest.raises(VendorPermanentError) as caught:
        adapter.leads_push(ref, [lead(1, phone="")])
    assert caught.value.vendor_message == "Bad communication number"


def test_update_a_lead(adapter, emulator, ref):
    (member_id,) = push(adapter, ref)
    new = lead(1, alternate_phones=(AlternatePhone("+380930000000", kind="home", priority=1),))
    adapter.lead_update(ref, remote_lead_id=member_id, lead=new)
    numbers = [c["number"] for c in emulator.members[ref.remote_id][member_id]["communications"]]
    assert numbers == ["+380911234567", "+380930000000"]


def test_a_locked_lead_is_a_temporary_error(adapter, emulator, ref):
    (member_id,) = push(adapter, ref)
    emulator.lock_member(ref.remote_id, member_id)
    with pytest.raises(VendorTemporaryError) as update:
        adapter.lead_update(ref, remote_lead_id=member_id, lead=lead(1))
    assert update.value.vendor_message == f"Member {member_id} locked"
    with pytest.raises(VendorTemporaryError):
        adapter.lead_remove(ref, remote_lead_id=member_id, phone="+380911234567")
    assert member_id in emulator.members[ref.remote_id]


def test_remove_a_lead_and_again(adapter, emulator, ref):
    (member_id,) = push(adapter, ref)
    adapter.lead_remove(ref, remote_lead_id=member_id, phone="+380911234567")
    adapter.lead_remove(ref, remote_lead_id=member_id, phone="+380911234567")
    assert emulator.members[ref.remote_id] == {}
    assert adapter.pending_count(ref).pending == 0


def test_call_result_when_the_dialer_waits_for_it(adapter, emulator, ref):
    (member_id,) = push(adapter, ref)
    with pytest.raises(VendorPermanentError) as caught:
        adapter.lead_call_result(ref, remote_lead_id=member_id, disposition="SALE", success=True)
    assert "result status false" in caught.value.vendor_message
    emulator.dial(ref.remote_id, 1)
    adapter.lead_call_result(ref, remote_lead_id=member_id, disposition="SALE", success=True)
    assert emulator.members[ref.remote_id][member_id]["_endCause"] == "ACCEPT"
    assert adapter.pending_count(ref).pending == 0


def test_terminate(adapter, emulator, ref):
    (member_id,) = push(adapter, ref)
    adapter.lead_terminate(ref, remote_lead_id=member_id)
    assert emulator.members[ref.remote_id][member_id]["_endCause"] == "MANAGER_REQUEST"
    with pytest.raises(VendorPermanentError) as caught:
        adapter.lead_terminate(ref, remote_lead_id=member_id)
    assert "cannot stop dialling this lead" in str(caught.value)


def test_pending_count_follows_the_dialer(adapter, emulator, ref):
    push(adapter, ref, 5)
    emulator.dial(ref.remote_id, 2)  # waiting for results: still pending
    assert adapter.pending_count(ref).pending == 5
    for member_id in list(emulator.members[ref.remote_id])[:2]:
        adapter.lead_call_result(ref, remote_lead_id=member_id, disposition="", success=True)
    counted = adapter.pending_count(ref)
    assert (counted.pending, counted.total, counted.detail) == (3, 5, {"ended": 2})


@pytest.mark.parametrize(
    ("fault", "error"),
    [
        (Fault.SERVER_ERROR, VendorTemporaryError),
        (Fault.TIMEOUT, VendorTemporaryError),
        (Fault.RATE_LIMITED, VendorTemporaryError),
        (Fault.MALFORMED_JSON, VendorProtocolError),
    ],
)
def test_faults_map_onto_the_ladder(adapter, emulator, ref, fault, error):
    emulator.inject(fault, retry_after=9)
    with pytest.raises(error) as caught:
        adapter.pending_count(ref)
    if fault == Fault.RATE_LIMITED:
        assert caught.value.retry_after == 9


def test_a_domain_goes_on_every_request(emulator, exchanges):
    adapter = make_adapter(emulator, {**CREDENTIALS, "domain": "acme.example"}, exchanges.append)
    adapter.test_connection()
    assert "domain=acme.example" in exchanges[-1].url


def test_no_secret_reaches_the_call_log(adapter, emulator, ref, exchanges):
    (member_id,) = push(adapter, ref)
    emulator.dial(ref.remote_id, 1)
    adapter.lead_call_result(ref, remote_lead_id=member_id, disposition="x", success=False)
    assert exchanges
    for exchange in exchanges:
        text = f"{exchange.url} {exchange.request_excerpt} {exchange.response_excerpt}"
        assert CREDENTIALS["token"] not in text
        assert CREDENTIALS["key"] not in text


def test_get_reset_and_members_reset_and_delete_by_filter(adapter, emulator):
    ref = adapter.campaign_create(campaign_spec(parameters={"limit": 5}))
    assert adapter.campaign_get(ref)["name"] == "Spring renewals"
    results = adapter.leads_push(ref, [lead(n, f"+38091123456{n}") for n in range(3)]).results
    emulator.dialers[ref.remote_id]["stats"] = {"callCount": 7}
    adapter.campaign_reset(ref)
    assert emulator.dialers[ref.remote_id]["stats"] == {}
    emulator.dial(ref.remote_id, 2)
    assert adapter.pending_count(ref).pending == 1
    adapter.members_reset(ref)
    assert adapter.pending_count(ref).pending == 3
    doomed = [results[0].remote_id, results[1].remote_id]
    adapter.members_delete(ref, member_filter={"_id": {"$in": doomed}})
    assert list(emulator.members[ref.remote_id]) == [results[2].remote_id]
    with pytest.raises(ValueError):
        adapter.members_delete(ref, member_filter={})
    adapter.campaign_delete(ref)
    assert adapter.campaign_get(ref) is None
