"""Acefone's request shapes, pinned with respx against the excerpt and api-facts §1."""

from __future__ import annotations

import json

import httpx
import pytest
import respx

from tests.vendors.acefone.conftest import BASE, LOGIN_ONLY, TOKEN_ONLY, make_adapter
from tests.vendors.acefone.harness import campaign_spec, lead
from vendors.adapters.acefone import payloads
from vendors.adapters.types import AgentRef, CampaignSpec, LeadOutcome, LeadRecord, RemoteRef

REF = RemoteRef(remote_id="5001", extra={"list_id": "101"})
OK = {"success": True, "message": "ok"}


def _sent(route) -> tuple[httpx.Request, dict]:
    request = route.calls.last.request
    return request, json.loads(request.content) if request.content else {}


def _assert_auth(request: httpx.Request) -> None:
    assert request.headers["Authorization"] == f"Bearer {TOKEN_ONLY['token']}"
    assert request.headers["Accept"] == "application/json"


@respx.mock
def test_campaign_create_shape():
    route = respx.post(f"{BASE}/v1/dialer/campaign").respond(json={**OK, "campaign_id": 5001})
    ref = make_adapter().campaign_create(campaign_spec())
    request, body = _sent(route)
    _assert_auth(request)
    assert request.headers["Content-Type"] == "application/json"
    assert ref == REF
    for name in payloads.MANDATORY_FIELDS:
        assert name in body, name
    strings = [k for k in body if k in payloads.STRING_FIELDS]
    assert all(isinstance(body[k], str) for k in strings)
    assert all(isinstance(body[k], int) for k in body if k in payloads.INTEGER_FIELDS)
    assert body["dial_status"] == ["new"]
    assert body["agent"] == [7001, 7002]
    assert body["lead_list_map"] == [
        {"list_id": 101, "list_status": 1},
        {"list_id": 102, "list_status": 0},
    ]
    assert body["dial_ratio"] == "2" and "auto_dial_duration" not in body


@respx.mock
def test_campaign_update_shape():
    route = respx.put(f"{BASE}/v1/dialer/campaign/5001").respond(json=OK)
    assert make_adapter().campaign_update(REF, campaign_spec()) == REF
    request, body = _sent(route)
    _assert_auth(request)
    assert body["name"] == "Spring renewals"


def test_generic_fields_fill_what_the_settings_leave_out():
    spec = CampaignSpec(
        name="Bare",
        dial_method="preview",
        caller_id="80012345",
        retry_count=3,
        retry_interval_minutes=10,
        wrap_up_seconds=20,
        ring_timeout_seconds=30,
        agents=(AgentRef(name="A", remote_id="42"), AgentRef(name="B", remote_id="")),
    )
    body = payloads.campaign_body(spec)
    assert body == {
        "name": "Bare",
        "outbound_caller_id": "80012345",
        "number_of_retry": "3",
        "retry_after_minutes": "10",
        "auto_disposition_cancel_duration": "20",
        "ring_timeout": "30",
        "dial_method": "1",
        "agent": [42],
    }


def test_unknown_and_empty_settings_are_not_sent():
    body = payloads.campaign_body(campaign_spec(colour="red", time_group="", agent_script=None))
    assert "colour" not in body and "time_group" not in body and "agent_script" not in body


@respx.mock
def test_single_lead_shape():
    route = respx.post(f"{BASE}/v1/broadcast/lead/101").respond(json={**OK, "lead_id": 9})
    record = LeadRecord(
        lead_id=1,
        phone="+919812345678",
        first_name="Asha",
        last_name="Rao",
        email="asha@example.test",
        priority=45,
        custom_fields={"city": "Pune", "field_20": "x"},
    )
    result = make_adapter().leads_push(REF, [record])
    request, body = _sent(route)
    _assert_auth(request)
    assert body == {
        "field_0": "+919812345678",
        "field_1": "Asha Rao",
        "field_2": "asha@example.test",
        "field_20": "x",
        "field_5": "Pune",
        "priority": 30,
        "duplicate_option": "skip",
    }
    assert result.results[0].remote_id == "9"


@respx.mock
def test_bulk_lead_shape():
    route = respx.post(f"{BASE}/v1/broadcast/leads/101").respond(json=OK)
    respx.get(f"{BASE}/v1/broadcast/leads/101").respond(
        json=[{"id": 7, "field_0": "+919812345678"}, {"id": 8, "field_0": "919812345679"}]
    )
    pushed = make_adapter().leads_push(REF, [lead(1, "+919812345678"), lead(2, "+919812345679")])
    assert [(r.outcome, r.remote_id) for r in pushed.results] == [
        (LeadOutcome.ACCEPTED, "7"),
        (LeadOutcome.ACCEPTED, "8"),
    ]
    request, body = _sent(route)
    _assert_auth(request)
    assert set(body) == {"data", "duplicate_option"}
    assert body["duplicate_option"] == "skip"
    assert [row["field_0"] for row in body["data"]] == ["+919812345678", "+919812345679"]
    assert all(isinstance(row["field_0"], str) for row in body["data"])


@respx.mock
def test_a_bulk_add_that_cannot_be_read_back_is_sent_not_yet_confirmed():
    respx.post(f"{BASE}/v1/broadcast/leads/101").respond(json=OK)
    respx.get(f"{BASE}/v1/broadcast/leads/101").respond(status_code=503)
    pushed = make_adapter().leads_push(REF, [lead(1, "+919812345678"), lead(2, "+919812345679")])
    assert {r.outcome for r in pushed.results} == {LeadOutcome.SENT}


@respx.mock
def test_lead_remove_by_id_shape():
    route = respx.delete(f"{BASE}/v1/broadcast/lead/900001").respond(json=OK)
    make_adapter().lead_remove(REF, remote_lead_id="900001", phone="+919812345678")
    _assert_auth(route.calls.last.request)


@respx.mock
def test_lead_remove_by_phone_looks_the_lead_up_first():
    find = respx.get(f"{BASE}/v1/broadcast/leads/101", params={"number": "+919812345678"}).respond(
        json=[{"id": 77, "field_0": "+919812345678"}]
    )
    delete = respx.delete(f"{BASE}/v1/broadcast/lead/77").respond(json=OK)
    make_adapter().lead_remove(REF, remote_lead_id="", phone="+919812345678")
    assert find.called and delete.called


@respx.mock
def test_pending_count_and_test_connection_are_gets():
    leads = respx.get(f"{BASE}/v1/broadcast/leads/101").respond(
        json=[{"id": 1, "dial_status": "new"}, {"id": 2, "dial_status": "answered"}]
    )
    lists = respx.get(f"{BASE}/v1/broadcast/lists").respond(json=[{"id": 101}])
    adapter = make_adapter()
    pending = adapter.pending_count(REF)
    assert (pending.pending, pending.total) == (1, 2)
    assert adapter.test_connection().ok
    assert leads.calls.last.request.content == b"" and lists.called


@respx.mock
def test_login_shape_and_bearer_from_the_login():
    login = respx.post(f"{BASE}/v1/auth/login").respond(
        json={
            "success": True,
            "access_token": "jwt-abc",
            "token_type": "bearer",
            "expires_in": 3600,
        }
    )
    lists = respx.get(f"{BASE}/v1/broadcast/lists").respond(json=[])
    make_adapter(LOGIN_ONLY).test_connection()
    _, body = _sent(login)
    assert body == {"login_id": LOGIN_ONLY["login_id"], "password": LOGIN_ONLY["password"]}
    assert lists.calls.last.request.headers["Authorization"] == "Bearer jwt-abc"


@pytest.mark.parametrize(
    ("rows", "pending", "total"),
    [([], 0, 0), ([{"dial_status": ""}, {"dial_status": "NEW"}, {"dial_status": "busy"}], 2, 3)],
)
def test_pending_from_leads(rows, pending, total):
    count = payloads.pending_from_leads(rows)
    assert (count.pending, count.total) == (pending, total)


@pytest.mark.parametrize(
    ("data", "expected"),
    [({"campaign_id": 7}, "7"), ({"data": {"id": "8"}}, "8"), ({"success": True}, ""), ([], "")],
)
def test_campaign_id_from_reply(data, expected):
    assert payloads.campaign_id_from_reply(data) == expected


def test_active_list_is_the_first_active_one():
    body = {"lead_list_map": [{"list_id": 5, "list_status": 0}, {"list_id": 6, "list_status": 1}]}
    assert payloads.active_list_id(body) == "6"
    assert payloads.active_list_id({}) == ""
