"""The Acefone adapter against its emulator: every operation, error mapping, outcomes."""

from __future__ import annotations

import dataclasses

import pytest

from tests.vendors.acefone.conftest import LOGIN_ONLY, make_adapter
from tests.vendors.acefone.harness import campaign_spec, campaign_spec_changed, lead
from vendors.adapters.acefone.adapter import AcefoneAdapter, AcefoneLoginAuth
from vendors.adapters.emulation import Fault
from vendors.adapters.errors import (
    VendorConfigurationError,
    VendorPermanentError,
    VendorProtocolError,
    VendorRemoteIdUnknown,
    VendorTemporaryError,
)
from vendors.adapters.types import Capability, LeadOutcome, RemoteRef


def test_create_update_keep_one_remote_campaign(adapter, emulator):
    ref = adapter.campaign_create(campaign_spec())
    assert ref.extra == {"list_id": "101"}
    updated = adapter.campaign_update(ref, campaign_spec_changed())
    assert updated == ref
    assert list(emulator.campaigns) == [ref.remote_id]
    assert emulator.campaigns[ref.remote_id]["ring_timeout"] == "30"


def test_update_follows_a_new_active_list(adapter):
    ref = adapter.campaign_create(campaign_spec())
    lists = [{"list_id": 101, "list_status": 0}, {"list_id": 103, "list_status": 1}]
    assert adapter.campaign_update(ref, campaign_spec(lead_list_map=lists)).extra == {
        "list_id": "103"
    }


def test_validation_errors_are_permanent_with_acefones_words(adapter):
    with pytest.raises(VendorPermanentError) as caught:
        # A campaign without a disposition list (the console refuses to sync it; the
        # adapter sends what it has, and Acefone says why it cannot take it).
        adapter.campaign_create(dataclasses.replace(campaign_spec(), disposition_list=None))
    assert caught.value.vendor_message == "The disposition list field is required."
    assert caught.value.status_code == 400
    assert "Acefone refused the request (400)" in str(caught.value)


def test_the_documented_create_reply_is_created_with_its_id_unknown(adapter, emulator):
    emulator.guessed_extras = False  # the reply is exactly the excerpt's {success, message}
    with pytest.raises(VendorRemoteIdUnknown, match="names no id") as caught:
        adapter.campaign_create(campaign_spec())
    assert caught.value.extra == {"list_id": "101"}
    assert len(emulator.campaigns) == 1  # the dialer holds it: never a failure to retry


def test_lead_outcomes(adapter, emulator):
    ref = adapter.campaign_create(campaign_spec())
    [accepted] = adapter.leads_push(ref, [lead(1, "+919812345678")]).results
    assert accepted.outcome == LeadOutcome.ACCEPTED and accepted.remote_id
    [duplicate] = adapter.leads_push(ref, [lead(2, "+919812345678")]).results
    assert duplicate.outcome == LeadOutcome.DUPLICATE and duplicate.lead_id == 2
    [dnc] = adapter.leads_push(ref, [lead(3, "+919999999999")]).results
    assert dnc.outcome == LeadOutcome.DNC and dnc.message == "Number is in the DND list"
    [rejected] = adapter.leads_push(ref, [lead(4, "12ab")]).results
    assert rejected.outcome == LeadOutcome.REJECTED
    assert emulator.pending(101) == 1


def test_bulk_push_delivers_every_lead(adapter, emulator):
    ref = adapter.campaign_create(campaign_spec())
    leads = [lead(n, f"+9198123456{n:02}") for n in range(10)]
    result = adapter.leads_push(ref, leads)
    assert [r.lead_id for r in result.by_outcome(LeadOutcome.ACCEPTED)] == list(range(10))
    assert emulator.pending(101) == 10


def test_bulk_push_counts_only_what_the_list_holds_afterwards(adapter, emulator):
    """One DND number and one duplicate among 3: the bulk reply says nothing per lead, the
    documented list-leads and DND calls say what became of each."""
    emulator.guessed_extras = False
    ref = RemoteRef("5001", {"list_id": "101"})
    [earlier] = adapter.leads_push(ref, [lead(9, "+919812345670")]).results
    batch = [lead(1, "+919812345671"), lead(2, "+919999999999"), lead(3, "+919812345670")]
    outcomes = {r.lead_id: r for r in adapter.leads_push(ref, batch).results}
    assert outcomes[1].outcome == LeadOutcome.ACCEPTED and outcomes[1].remote_id
    assert outcomes[2].outcome == LeadOutcome.DNC
    # The duplicate was skipped: the list holds the earlier lead, under its id.
    assert outcomes[3].outcome == LeadOutcome.ACCEPTED
    assert emulator.pending(101) == 2
    assert earlier.outcome == LeadOutcome.ACCEPTED


def test_a_bulk_add_not_on_the_list_afterwards_is_rejected(adapter, emulator, monkeypatch):
    ref = RemoteRef("5001", {"list_id": "101"})
    # The dialer answers success but keeps only the first lead.
    original = emulator._add_lead
    kept = []

    def keep_first(lead_list, fields, option):
        if kept:
            return "skipped", {"id": 0}
        kept.append(fields)
        return original(lead_list, fields, option)

    monkeypatch.setattr(emulator, "_add_lead", keep_first)
    results = adapter.leads_push(ref, [lead(1, "+919812345671"), lead(2, "+919812345672")])
    assert [r.outcome for r in results.results] == [LeadOutcome.ACCEPTED, LeadOutcome.REJECTED]
    assert "not on the lead list" in results.results[1].message


def test_the_dnd_list_is_read_page_by_page(adapter, emulator):
    emulator.dnd_numbers = {f"+9190000{n:05}" for n in range(250)}
    numbers = adapter.dnd_numbers("101")
    assert sorted(numbers) == sorted(emulator.dnd_numbers)
    pages = [r for r in emulator.requests if r.path == "/v1/broadcast/dnd/leads"]
    assert len(pages) == 3


def test_bulk_push_with_a_bad_row_fails_whole(adapter):
    ref = adapter.campaign_create(campaign_spec())
    with pytest.raises(VendorPermanentError, match="data.1.field_0"):
        adapter.leads_push(ref, [lead(1, "+919812345678"), lead(2, "bad")])


def test_push_beyond_the_batch_size_is_refused_before_sending(adapter, emulator):
    leads = [lead(n, "+919812345678") for n in range(AcefoneAdapter.max_batch_size + 1)]
    with pytest.raises(ValueError, match="At most 1000"):
        adapter.leads_push(RemoteRef("1", {"list_id": "101"}), leads)
    assert emulator.requests == []


def test_a_campaign_without_a_list_cannot_take_leads(adapter):
    with pytest.raises(VendorPermanentError, match="no active lead list"):
        adapter.leads_push(RemoteRef("5001"), [lead(1, "+919812345678")])


def test_pending_count_follows_the_dialer(adapter, emulator):
    ref = adapter.campaign_create(campaign_spec())
    adapter.leads_push(ref, [lead(n, f"+9198123456{n:02}") for n in range(4)])
    assert adapter.pending_count(ref).pending == 4
    emulator.simulate_dialling(3, campaign=ref.remote_id)
    count = adapter.pending_count(ref)
    assert (count.pending, count.total) == (1, 4)
    by_status = count.detail["by_dial_status"]
    assert by_status.pop("new") == 1
    assert sum(by_status.values()) == 3  # dialled, each with the emulator's result


def test_lead_remove_by_id_by_phone_and_when_gone(adapter, emulator):
    ref = adapter.campaign_create(campaign_spec())
    [first] = adapter.leads_push(ref, [lead(1, "+919812345678")]).results
    adapter.leads_push(ref, [lead(2, "+919812345679")])
    adapter.lead_remove(ref, remote_lead_id=first.remote_id, phone="")
    adapter.lead_remove(ref, remote_lead_id="", phone="+919812345679")
    assert emulator.pending(101) == 0
    adapter.lead_remove(ref, remote_lead_id=first.remote_id, phone="")  # already gone: fine
    adapter.lead_remove(ref, remote_lead_id="", phone="+910000000000")


def test_wrong_token_is_a_configuration_error(emulator):
    adapter = make_adapter({"token": "wrong-token-1234"}, transport=emulator.transport())
    with pytest.raises(VendorConfigurationError) as caught:
        adapter.test_connection()
    assert caught.value.vendor_message == "Unauthorized: invalid or expired token"


@pytest.mark.parametrize(
    ("fault", "error"),
    [
        (Fault.SERVER_ERROR, VendorTemporaryError),
        (Fault.RATE_LIMITED, VendorTemporaryError),
        (Fault.TIMEOUT, VendorTemporaryError),
        (Fault.MALFORMED_JSON, VendorProtocolError),
    ],
)
def test_faults_map_onto_the_ladder(adapter, emulator, fault, error):
    emulator.inject(fault)
    with pytest.raises(error):
        adapter.test_connection()


def test_login_flow_caches_the_token_for_its_lifetime(emulator, clock):
    adapter = make_adapter(LOGIN_ONLY, transport=emulator.transport())
    adapter.test_connection()
    adapter.test_connection()
    logins = [r for r in emulator.requests if r.path == "/v1/auth/login"]
    assert len(logins) == 1
    # The emulator's token expires while the adapter's cache (real time) still holds it:
    # the next call is refused once, and the adapter logs in again and succeeds.
    clock.now += 3600
    assert adapter.test_connection().ok
    assert len([r for r in emulator.requests if r.path == "/v1/auth/login"]) == 2


def test_login_with_a_wrong_password_is_a_configuration_error(emulator):
    adapter = make_adapter({**LOGIN_ONLY, "password": "nope"}, transport=emulator.transport())
    with pytest.raises(VendorConfigurationError, match="Invalid login credentials"):
        adapter.test_connection()


def test_login_outage_is_temporary(emulator):
    emulator.inject(Fault.SERVER_ERROR, operation="/v1/auth/login")
    adapter = make_adapter(LOGIN_ONLY, transport=emulator.transport())
    with pytest.raises(VendorTemporaryError):
        adapter.test_connection()


def test_login_token_never_reaches_the_call_log(emulator, exchanges):
    adapter = make_adapter(LOGIN_ONLY, transport=emulator.transport(), recorder=exchanges.append)
    adapter.test_connection()
    [token] = emulator.issued_tokens
    assert [e.operation for e in exchanges] == ["auth_login", "lead_lists"]
    for exchange in exchanges:
        text = exchange.url + exchange.request_excerpt + exchange.response_excerpt
        assert token not in text and LOGIN_ONLY["password"] not in text


def test_credentials_rule():
    assert AcefoneAdapter.credentials_error({"token": "t"}) == ""
    assert AcefoneAdapter.credentials_error(LOGIN_ONLY) == ""
    assert "login and a password" in AcefoneAdapter.credentials_error({"login_id": "x"})
    assert AcefoneAdapter.secret_values({"token": "t1", "login_id": "me", "password": "p1"}) == [
        "t1",
        "p1",
    ]


def test_unsupported_operations_say_why():
    for capability in (Capability.CAMPAIGN_START_STOP, Capability.CAMPAIGN_DELETE):
        assert not AcefoneAdapter.supports(capability)
        assert "documents no call" in AcefoneAdapter.unsupported_reasons[capability]


def test_cached_token_is_refreshed_in_its_last_minute_and_dropped_at_expiry(emulator):
    times = iter([0.0, 3600 - 61, 3600 - 59, 3600])
    auth = AcefoneLoginAuth(
        base_url="https://api.acefone.in", clock=lambda: next(times), **LOGIN_ONLY
    )
    from vendors.adapters.acefone import adapter as adapter_module

    adapter_module._token_cache[auth.cache_key] = ("tok", 3600 - 60, 3600)
    assert auth._cached() == ("tok", False)
    assert auth._cached() == ("tok", False)
    assert auth._cached() == ("tok", True)
    assert auth._cached() == ("", False)


def test_a_token_due_for_renewal_is_refreshed_not_logged_in_again(emulator, clock):
    import httpx

    auth = AcefoneLoginAuth(base_url="https://api.acefone.in", clock=clock, **LOGIN_ONLY)
    client = httpx.Client(
        base_url="https://api.acefone.in", transport=emulator.transport(), auth=auth
    )
    assert client.get("/v1/broadcast/lists").status_code == 200
    clock.now += 3600 - 30  # inside the last minute of the token's hour
    assert client.get("/v1/broadcast/lists").status_code == 200
    paths = [r.path for r in emulator.requests]
    assert paths.count("/v1/auth/login") == 1 and paths.count("/v1/auth/refresh") == 1
    clock.now += 3600  # long expired: the refresh is refused, the flow logs in again
    assert client.get("/v1/broadcast/lists").status_code == 200
    assert [r.path for r in emulator.requests].count("/v1/auth/login") == 2


def test_schedule_call_sends_the_documented_body(adapter, emulator):
    from datetime import UTC, datetime

    from vendors.adapters.acefone import payloads
    from vendors.adapters.types import RemoteRef

    adapter.lead_schedule_call(
        RemoteRef("5001"),
        phone="+919812345678",
        name="Asha",
        when=datetime(2026, 12, 4, 5, 0, tzinfo=UTC),  # 10:30 in India (the guessed zone)
        agent_id="42",
    )
    assert emulator.scheduled_calls == [
        {
            "customer_number": "+919812345678",
            "schedule_date_time": "2026-12-04 10:30:00",
            "customer_name": "Asha",
            "assigned_to": "42",
        }
    ]
    body = payloads.schedule_call_body(
        customer_number="+919812345678", when=datetime(2026, 12, 4, 10, 30), reminder_minutes=10
    )
    assert body["reminder_schedule_callbacks"] is True and body["reminder_time"] == 10
    assert body["schedule_date_time"] == "2026-12-04 10:30:00"  # naive: sent as it is


def test_the_emulator_refuses_a_schedule_in_another_format(http_client_for_schedule):
    response = http_client_for_schedule.post(
        "/v1/dialer/schedule_call/",
        json={"customer_number": "+919812345678", "schedule_date_time": "2026-12-04T10:30"},
    )
    assert response.status_code == 400
    assert "YYYY-MM-DD HH:MM:SS" in response.json()["message"]


@pytest.fixture
def http_client_for_schedule(emulator):
    import httpx

    from vendors.adapters.acefone.emulator import SANDBOX_CREDENTIALS

    return httpx.Client(
        base_url="https://api.acefone.in",
        transport=emulator.transport(),
        headers={"Authorization": f"Bearer {SANDBOX_CREDENTIALS['token']}"},
    )
