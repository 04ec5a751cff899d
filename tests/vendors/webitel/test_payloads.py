"""The exact request of every Webitel operation (respx), pinned against the excerpt and
api-facts §3, and the pure payload functions."""

from __future__ import annotations

import dataclasses
import json
from datetime import date

import httpx
import pytest
import respx

from tests.vendors.webitel.harness import CREDENTIALS, campaign_spec, lead
from vendors.adapters.http import build_client
from vendors.adapters.types import (
    AccountConfig,
    AlternatePhone,
    CallingWindowRef,
    RemoteRef,
    WindowDayRef,
)
from vendors.adapters.webitel import payloads
from vendors.adapters.webitel.adapter import WebitelAdapter

BASE = "https://engine.example:10022"
DIALER = "5947d253877320000ca427a7"
MEMBER = "5949067198ff9f000ca9a264"
REF = RemoteRef(remote_id=DIALER, extra={"communication_type": "1"})
INSERTED = {"status": "OK", "data": {"insertedIds": [DIALER]}}
OK = {"status": "OK", "data": {"ok": 1}}
DIALER_KEYS = {
    "name": str,
    "description": str,
    "type": str,
    "priority": int,
    "calendar": dict,
    "parameters": dict,
    "amd": dict,
    "variables": dict,
    "numberStrategy": str,
    "membersStrategy": str,
    "agentStrategy": str,
    "autoResetStats": bool,
    "resources": list,
    "agentParams": dict,
    "agents": list,
    "skills": list,
    "communications": dict,
}


@pytest.fixture
def adapter():
    client = build_client(
        base_url=BASE,
        secrets=WebitelAdapter.secret_values(CREDENTIALS),
        headers=WebitelAdapter.auth_headers(CREDENTIALS),
    )
    account = AccountConfig(account_id=1, kind="webitel", base_url=BASE, credentials=CREDENTIALS)
    return WebitelAdapter(account=account, client=client)


def sent(route: respx.Route) -> httpx.Request:
    assert route.call_count == 1
    return route.calls.last.request


def assert_auth(request: httpx.Request) -> None:
    assert request.headers["X-Access-Token"] == CREDENTIALS["token"]
    assert request.headers["X-Key"] == CREDENTIALS["key"]


def assert_typed(body: dict, keys: dict) -> None:
    assert set(body) == set(keys)
    for key, kind in keys.items():
        assert isinstance(body[key], kind), key


@respx.mock
def test_campaign_create(adapter):
    route = respx.post(f"{BASE}/api/v2/dialer").respond(json=INSERTED)
    # The communication type's range is the calling window's hours, not a typed one.
    window = CallingWindowRef(
        name="WorksDay",
        remote_id="594225b53c1956000b41db7b",
        days=tuple(WindowDayRef(day, "09:00:00", "18:00:00") for day in range(5)),
    )
    spec = dataclasses.replace(campaign_spec(), calling_window=window)
    assert adapter.campaign_create(spec).remote_id == DIALER
    request = sent(route)
    assert_auth(request)
    assert request.headers["Content-Type"] == "application/json"
    body = json.loads(request.content)
    assert_typed(body, DIALER_KEYS)
    assert body["calendar"] == {"id": "594225b53c1956000b41db7b", "name": "WorksDay"}
    assert body["type"] == "Predictive Dialer"
    assert body["agentStrategy"] == "longest_idle_agent"
    assert body["parameters"]["waitingForResultStatus"] is True
    assert body["communications"]["types"][0]["ranges"][0] == {
        "startTime": 540,
        "endTime": 1080,
        "attempts": 2,
        "priority": 10,
    }
    destination = body["resources"][0]["destinations"][0]
    assert body["resources"][0]["dialledNumber"] == r"^\+\d{8,11}$"
    assert set(destination) == {"gwName", "dialString", "gwProto", "limit", "callerIdNumber"}


@respx.mock
def test_campaign_update_puts_the_same_full_body(adapter):
    route = respx.put(f"{BASE}/api/v2/dialer/{DIALER}").respond(json=OK)
    adapter.campaign_update(REF, campaign_spec())
    request = sent(route)
    assert_auth(request)
    assert_typed(json.loads(request.content), DIALER_KEYS)


@respx.mock
@pytest.mark.parametrize(("operation", "state"), [("campaign_start", 1), ("campaign_stop", 3)])
def test_start_and_stop_put_a_state_without_a_body(adapter, operation, state):
    route = respx.put(f"{BASE}/api/v2/dialer/{DIALER}/state/{state}").respond(json=OK)
    getattr(adapter, operation)(REF)
    request = sent(route)
    assert_auth(request)
    assert request.content == b""


@respx.mock
def test_campaign_delete(adapter):
    route = respx.delete(f"{BASE}/api/v2/dialer/{DIALER}").respond(json=OK)
    adapter.campaign_delete(REF)
    assert_auth(sent(route))


@respx.mock
def test_campaign_list(adapter):
    route = respx.get(f"{BASE}/api/v2/dialer").respond(
        json={"status": "OK", "data": [{"_id": DIALER, "name": "myPredictiveDialer"}]}
    )
    assert adapter.campaign_link_choices()[0].name == "myPredictiveDialer"
    assert dict(sent(route).url.params) == {"limit": "40", "page": "1"}


@respx.mock
def test_leads_push_posts_an_array_of_members(adapter):
    route = respx.post(f"{BASE}/api/v2/dialer/{DIALER}/members").respond(
        json={"status": "OK", "data": {"insertedIds": [MEMBER]}}
    )
    the_lead = lead(
        7,
        priority=10,
        timezone="Europe/Kyiv",
        expires_on=date(2017, 6, 20),
        custom_fields={"productId": 235444},
        alternate_phones=(AlternatePhone("+380921234567", kind="work", priority=1),),
    )
    assert adapter.leads_push(REF, [the_lead]).results[0].remote_id == MEMBER
    request = sent(route)
    assert_auth(request)
    assert request.url.params == httpx.QueryParams()  # no autoRun: starting is explicit
    (member,) = json.loads(request.content)
    assert_typed(
        member,
        {
            "name": str,
            "priority": int,
            "variables": dict,
            "communications": list,
            "timezone": str,
            "expire": int,
        },
    )
    assert member["name"] == "Ivan Ivanov"
    assert member["variables"] == {"productId": "235444", "dc_lead_id": "7"}
    assert member["communications"] == [
        {"number": "+380911234567", "priority": 2, "type": "1"},
        {"number": "+380921234567", "priority": 1, "description": "work"},
    ]


@respx.mock
def test_lead_update_puts_one_member(adapter):
    route = respx.put(f"{BASE}/api/v2/dialer/{DIALER}/members/{MEMBER}").respond(json=OK)
    adapter.lead_update(REF, remote_lead_id=MEMBER, lead=lead(7))
    request = sent(route)
    assert_auth(request)
    assert set(json.loads(request.content)) == {"name", "priority", "variables", "communications"}


@respx.mock
def test_lead_remove(adapter):
    route = respx.delete(f"{BASE}/api/v2/dialer/{DIALER}/members/{MEMBER}").respond(json=OK)
    adapter.lead_remove(REF, remote_lead_id=MEMBER, phone="+380911234567")
    assert_auth(sent(route))


@respx.mock
def test_lead_call_result(adapter):
    route = respx.put(f"{BASE}/api/v2/dialer/{DIALER}/members/{MEMBER}/status").respond(
        json={"status": "OK", "info": "success"}
    )
    adapter.lead_call_result(REF, remote_lead_id=MEMBER, disposition="callback", success=False)
    request = sent(route)
    assert_auth(request)
    assert json.loads(request.content) == {"success": False, "description": "callback"}


@respx.mock
def test_lead_terminate_is_a_put_without_a_body(adapter):
    route = respx.put(f"{BASE}/api/v2/dialer/{DIALER}/members/{MEMBER}/terminate").respond(
        json={"status": "OK", "info": "success"}
    )
    adapter.lead_terminate(REF, remote_lead_id=MEMBER)
    request = sent(route)
    assert_auth(request)
    assert request.content == b""


@respx.mock
def test_pending_count_counts_all_and_ended_members(adapter):
    route = respx.get(f"{BASE}/api/v2/dialer/{DIALER}/members/count").mock(
        side_effect=[
            httpx.Response(200, json={"status": "OK", "data": 10}),
            httpx.Response(200, json={"status": "OK", "data": 4}),
        ]
    )
    assert adapter.pending_count(REF).pending == 6
    first, second = (call.request for call in route.calls)
    assert first.url.params == httpx.QueryParams()
    assert dict(second.url.params) == {"filter": "_endCause=^"}


@respx.mock
def test_a_reply_without_status_ok_is_a_protocol_error(adapter):
    from vendors.adapters.errors import VendorProtocolError

    respx.get(f"{BASE}/api/v2/dialer/{DIALER}/members/count").respond(json={"data": 3})
    with pytest.raises(VendorProtocolError):
        adapter.pending_count(REF)


# --- pure functions -------------------------------------------------------------------


def test_a_domain_token_sends_no_key():
    assert WebitelAdapter.auth_headers({"token": "t0k3n"}) == {"X-Access-Token": "t0k3n"}


def test_the_domain_is_not_a_secret():
    credentials = {"token": "t0k3n", "key": "k3y0", "domain": "acme.example"}
    assert WebitelAdapter.secret_values(credentials) == ["t0k3n", "k3y0"]


@pytest.mark.parametrize(
    ("table", "engine"),
    [
        ("agent-with-fewest-calls", "with_fewest_calls"),
        ("agent-with-least-talk-time", "with_least_talk_time"),
        ("longest-idle-agent", "longest_idle_agent"),
        ("random", "random"),
    ],
)
def test_agent_strategies_are_sent_in_the_engines_spelling(table, engine):
    assert payloads.agent_strategy(table) == engine


def test_the_tables_result_switch_name_is_sent_as_the_examples():
    spec = campaign_spec(parameters={"waitForResultStatus": True})
    assert payloads.dialer_body(spec)["parameters"]["waitingForResultStatus"] is True
    assert "waitForResultStatus" not in payloads.dialer_body(spec)["parameters"]


def test_the_campaign_wins_over_stale_vendor_settings():
    # Old settings may still hold derived fields: the field map sends the campaign's.
    spec = campaign_spec(
        parameters={"maxTryCount": 7, "wrapUpTime": 9, "limit": 20},
        agentParams={"wrapUpTime": 5},
        calendar={"id": "9" * 24, "name": "Old"},
        name="Old name",
    )
    body = payloads.dialer_body(spec)
    assert body["name"] == "Spring renewals"
    assert body["calendar"] == {"id": "594225b53c1956000b41db7b", "name": "WorksDay"}
    assert body["parameters"]["maxTryCount"] == 3
    assert body["parameters"]["wrapUpTime"] == 40
    assert body["parameters"]["limit"] == 20  # vendor-only: kept
    assert body["agentParams"]["wrapUpTime"] == 5  # vendor-only: the agent's own wrap-up


def test_agents_are_the_campaigns_agents_ids_only():
    spec = campaign_spec(agents=["300"])
    assert payloads.dialer_body(spec)["agents"] == ["100", "200"]
    body = payloads.dialer_body(type(spec)(**{**spec.__dict__, "agents": ()}))
    assert body["agents"] == []


def test_expire_is_the_end_of_the_day_in_the_leads_zone():
    # 2017-06-21 00:00 in Kyiv (UTC+3 in summer) is 2017-06-20 21:00 UTC.
    assert payloads.expire_epoch_ms(date(2017, 6, 20), "Europe/Kyiv") == 1497992400000
    assert payloads.expire_epoch_ms(date(2017, 6, 20), "Not/AZone") == 1498003200000


@pytest.mark.parametrize(
    "data",
    [{"insertedIds": ["a", "b"]}, {"insertedIds": {"1": "b", "0": "a"}}],
)
def test_inserted_ids_as_a_list_or_an_object(data):
    assert payloads.inserted_ids(data) == ["a", "b"]
