"""Ozonetel request shapes, pinned with respx against ozonetel-add-campaign-data.txt and
api-facts §5: URL, method, headers, body keys and types, for every operation; and the
pure mapping functions."""

from __future__ import annotations

import dataclasses
import json
from datetime import date

import pytest
import respx

from tests.vendors.ozonetel.harness import CREDENTIALS, TOKEN_CREDENTIALS, campaign_spec, lead
from vendors.adapters.http import build_client
from vendors.adapters.ozonetel import auth, payloads
from vendors.adapters.ozonetel.adapter import OzonetelAdapter
from vendors.adapters.ozonetel.field_map import FIELD_MAP
from vendors.adapters.types import (
    AccountConfig,
    CallingWindowRef,
    LeadOutcome,
    RemoteRef,
    WindowDayRef,
)

DATA_HOST = "https://in1-ccaas-api.ozonetel.com"
CAMPAIGN_HOST = "https://api.cloudagent.ozonetel.com"
KEY = CREDENTIALS["api_key"]
USER = CREDENTIALS["user_name"]
PUSH = payloads.PushSettings(
    check_duplicate=True, start_on_add=True, agent_skills=(("agent1", "sales"),)
)
REF = RemoteRef("Spring_Renewals", extra=PUSH.as_extra())


@pytest.fixture(autouse=True)
def _fresh_token_cache():
    auth._cache.clear()


@pytest.fixture
def router():
    with respx.mock(assert_all_called=False) as mock:
        yield mock


def adapter_for(credentials=CREDENTIALS) -> OzonetelAdapter:
    """On the default host, over the real client builder (respx intercepts)."""
    account = AccountConfig(
        account_id=1,
        kind="ozonetel",
        base_url=OzonetelAdapter.default_base_url,
        credentials=credentials,
    )
    client = build_client(
        base_url=account.base_url,
        secrets=OzonetelAdapter.secret_values(credentials),
        headers=OzonetelAdapter.auth_headers(credentials),
        auth=OzonetelAdapter.client_auth(account),
    )
    return OzonetelAdapter(account=account, client=client)


def body_of(route):
    return json.loads(route.calls.last.request.content)


def test_single_add_is_a_get_with_the_documented_query(router):
    route = router.get(f"{DATA_HOST}{payloads.LEGACY_ADD_PATH}").respond(
        json={"status": "SUCCESS", "message": "Successfully Updated, Progressive was started"}
    )
    record = lead(6, priority=150, expires_on=date(2026, 12, 31))
    result = adapter_for().leads_push(REF, [record])
    request = route.calls.last.request
    assert request.method == "GET" and request.content == b""
    assert dict(request.url.params) == {
        "api_key": KEY,
        "campaign_name": "Spring_Renewals",
        "PhoneNumber": "919812345678",
        "Name": "Asha Rao",
        "agentId": "agent1",
        "skill": "sales",
        "checkDuplicate": "TRUE",
        "action": "START",
        "ExpiryDate": "2026-12-31",
        "Priority": "99",
    }
    assert result.results[0].outcome == LeadOutcome.ACCEPTED


def test_v4_bulk_body(router):
    route = router.post(f"{DATA_HOST}{payloads.BULK_V4_PATH}").respond(
        json={
            "message": [
                {"PhoneNumber": "919800000001", "Status": "SuccessFully Updated"},
                {"PhoneNumber": "919800000002", "Status": "PhoneNumber Added is a DND Number"},
            ]
        }
    )
    leads = [lead(1, "+919800000001", priority=5), lead(2, "+919800000002")]
    result = adapter_for().leads_push(REF, leads)
    request = route.calls.last.request
    assert request.headers["content-type"] == "application/json"
    assert body_of(route) == {
        "apiKey": KEY,
        "campaignName": "Spring_Renewals",
        "userName": USER,
        "bulkData": {
            "map": ["PhoneNumber", "Name", "Priority", "AgentId", "skill"],
            "data": [
                ["919800000001", "Asha Rao", 5, "agent1", "sales"],
                ["919800000002", "Asha Rao", "", "agent1", "sales"],
            ],
        },
        "checkDuplicate": "true",
        "action": "start",
    }
    assert [r.outcome for r in result.results] == [LeadOutcome.ACCEPTED, LeadOutcome.DNC]


def test_campaign_control_goes_to_the_campaign_host_without_empty_keys(router):
    route = router.post(f"{CAMPAIGN_HOST}{payloads.CAMPAIGN_CONTROL_PATH}").respond(
        json={"status": "success", "message": "Campaign created successfully"}
    )
    ref = adapter_for().campaign_create(campaign_spec(agents=(), skill="", skills=["s"]))
    assert body_of(route) == {
        "username": USER,
        "apiKey": KEY,
        "campaignName": "Spring_Renewals",
        "action": "create",
        "campaignType": "Progressive",
        "dialMethod": "Skillwise",
        "did": "918040000000",
        "runtimeStart": "08:00:00",
        "runtimeEnd": "21:00:00",
    }
    assert ref.extra["check_duplicate"] == "1"


def test_campaign_control_takes_the_derived_fields_from_the_campaign(router):
    route = router.post(f"{CAMPAIGN_HOST}{payloads.CAMPAIGN_CONTROL_PATH}").respond(
        json={"status": "success", "message": "Campaign created successfully"}
    )
    given = {
        # Stale values of derived fields (as old settings may hold): never sent.
        "campaign_type": "IVR",
        "did": "911111111111",
        "runtime_start": "01:00:00",
        "runtime_end": "02:00:00",
        # Vendor-only fields.
        "routing_method": "Nonagentwise",
        "fallback_did": "918045678901",
        "pacing_ratio": "1:3",
        "max_drop_ratio": "3.5",
        "map_name": "Renewals map",
    }
    days = tuple(WindowDayRef(weekday, "09:30:00", "18:00:00") for weekday in range(5))
    spec = dataclasses.replace(
        campaign_spec(**given),
        dial_method="predictive",
        caller_id="+918045678900",
        calling_window=CallingWindowRef(name="Office hours", days=days),
    )
    adapter_for().campaign_create(spec)
    assert body_of(route) == {
        "username": USER,
        "apiKey": KEY,
        "campaignName": "Spring_Renewals",
        "action": "create",
        "campaignType": "Predictive",
        "dialMethod": "Nonagentwise",
        "did": "918045678900",
        "fallbackDID": "918045678901",
        "runtimeStart": "09:30:00",
        "runtimeEnd": "18:00:00",
        "pacingRatio": "1:3",
        "maxDropRatio": "3.5",
        "mapName": "Renewals map",
    }


def test_the_did_is_the_campaigns_caller_id_and_needed():
    body = payloads.campaign_control_body(
        api_key=KEY, user_name=USER, spec=campaign_spec(), action="create"
    )
    assert body["did"] == "918040000000"
    with pytest.raises(payloads.CampaignSettingsMissing, match="Ozonetel needs a DID"):
        payloads.campaign_control_body(
            api_key=KEY,
            user_name=USER,
            spec=dataclasses.replace(campaign_spec(did="918045678900"), caller_id=""),
            action="create",
        )


def test_a_window_with_different_hours_per_day_is_refused_before_sync():
    days = (WindowDayRef(0, "09:00:00", "17:00:00"), WindowDayRef(5, "10:00:00", "14:00:00"))
    spec = dataclasses.replace(
        campaign_spec(), calling_window=CallingWindowRef(name="Weekend short", days=days)
    )
    [problem] = FIELD_MAP.problems(spec, before_sync=False)
    assert problem.source == "calling_window"
    assert "“Weekend short” has different hours on different days" in problem.message
    assert FIELD_MAP.problems(dataclasses.replace(spec, dial_method="ratio"))[0].message == (
        "Ozonetel cannot dial “Ratio”: it documents only Preview, Progressive, Predictive "
        "and IVR. Choose one of those dial methods."
    )


@pytest.mark.parametrize(
    ("call", "action"), [("campaign_start", "Start"), ("campaign_stop", "Stop")]
)
def test_set_campaign_status_is_a_put_with_the_api_key_header(router, call, action):
    route = router.put(f"{DATA_HOST}{payloads.SET_STATUS_PATH}").respond(
        json={"status": "SUCCESS", "message": "SUCCESSFULLY UPDATED"}
    )
    getattr(adapter_for(), call)(REF)
    request = route.calls.last.request
    assert request.headers["apiKey"] == KEY
    assert "authorization" not in request.headers
    assert body_of(route) == {
        "userName": USER,
        "campaignName": "Spring_Renewals",
        "action": action,
        "process": True,
    }


def test_campaign_status_is_a_get_with_a_json_body(router):
    route = router.get(f"{DATA_HOST}{payloads.CAMPAIGN_STATUS_PATH}").respond(
        json={
            "status": "success",
            "message": [
                {
                    "CampaignID": 7,
                    "CampaignName": "Spring_Renewals",
                    "UserName": USER,
                    "Position": "READY",
                }
            ],
        }
    )
    count = adapter_for().pending_count(REF)
    assert body_of(route) == {"userName": USER, "campaignName": "Spring_Renewals"}
    assert route.calls.last.request.headers["content-type"] == "application/json"
    assert (count.pending, count.state) == (None, "READY")


def test_delete_campaign_data_is_a_delete_with_a_json_body(router):
    route = router.delete(f"{DATA_HOST}{payloads.DELETE_DATA_PATH}").respond(
        json={"status": "Success", "message": "Deleted Successfully"}
    )
    adapter_for().lead_remove(REF, remote_lead_id="", phone="+919812345678")
    assert body_of(route) == {
        "campaignName": "Spring_Renewals",
        "phoneNumber": "919812345678",
        "userName": USER,
    }


def test_token_mode_asks_generate_token_then_sends_the_bearer(router):
    token_route = router.post(f"{DATA_HOST}{payloads.TOKEN_PATH}").respond(
        json={"token": "eyJtest.token.value"}
    )
    route = router.put(f"{DATA_HOST}{payloads.SET_STATUS_PATH}").respond(
        json={"status": "SUCCESS", "message": "SUCCESSFULLY UPDATED"}
    )
    adapter_for(TOKEN_CREDENTIALS).campaign_start(REF)
    token_request = token_route.calls.last.request
    assert token_request.headers["apiKey"] == KEY
    assert body_of(token_route) == {"userName": USER}
    request = route.calls.last.request
    assert request.headers["Authorization"] == "Bearer eyJtest.token.value"
    assert request.headers["apiKey"] == KEY


def test_test_connection_is_generate_token(router):
    route = router.post(f"{DATA_HOST}{payloads.TOKEN_PATH}").respond(json={"token": "eyJx"})
    assert adapter_for().test_connection().ok
    assert body_of(route) == {"userName": USER}


def test_a_reply_without_status_is_a_protocol_error(router):
    from vendors.adapters.errors import VendorProtocolError

    router.put(f"{DATA_HOST}{payloads.SET_STATUS_PATH}").respond(json={"ok": True})
    with pytest.raises(VendorProtocolError):
        adapter_for().campaign_start(REF)


# --- pure functions ------------------------------------------------------------------


def test_campaign_api_url():
    assert payloads.campaign_api_url(DATA_HOST) == CAMPAIGN_HOST
    assert (
        payloads.campaign_api_url("https://api.ccaas.ozonetel.com/") == "https://ccaas.ozonetel.com"
    )
    assert payloads.campaign_api_url("http://127.0.0.1:8000/sandbox/ozonetel") == (
        "http://127.0.0.1:8000/sandbox/ozonetel"
    )
    assert payloads.campaign_api_url(DATA_HOST, "https://partner.test/") == "https://partner.test"


def test_lead_name_keeps_only_v4s_characters():
    record = lead(first_name="Zoë", last_name="D'Souza & Sons (HQ) #1")
    assert payloads.lead_name(record) == "Zoe DSouza Sons (HQ) 1"


def test_push_settings_round_trip_through_the_ref_extra():
    push = payloads.PushSettings.from_settings(
        {
            "check_duplicate": 1,
            "start_on_add": 0,
            "expiry_policy": "date",
            "expiry_date": "2027-01-31",
            "agent_id": ["a"],
            "skills": ["s"],
        }
    )
    assert payloads.PushSettings.from_extra(push.as_extra()) == push
    assert all(isinstance(value, str) for value in push.as_extra().values())


def test_expiry_and_routing():
    push = payloads.PushSettings(
        expiry_policy="days", expiry_days=10, agent_skills=(("a", ""), ("", "s"))
    )
    today = date(2026, 1, 1)
    assert push.expiry(lead(1), today) == "2026-01-11"
    assert push.expiry(lead(1, expires_on=date(2026, 2, 1)), today) == "2026-02-01"
    assert push.routing(lead(2)) == ("a", "")
    assert push.routing(lead(3)) == ("", "s")
    assert payloads.PushSettings().expiry(lead(1), today) == ""


def test_bulk_results_refuse_a_reply_that_does_not_match():
    leads = [lead(1, "+919800000001")]
    assert payloads.bulk_results(leads, {"message": []}) is None
    other = {"message": [{"PhoneNumber": "1", "Status": "SuccessFully Updated"}]}
    assert payloads.bulk_results(leads, other) is None


def test_single_add_result_leaves_request_failures_to_the_caller():
    assert (
        payloads.single_add_result(lead(), {"status": "FAIL", "message": "No User Found"}) is None
    )
    dup = payloads.single_add_result(
        lead(), {"status": "SUCCESS", "message": "Number Already Exist"}
    )
    assert dup.outcome == LeadOutcome.DUPLICATE


def test_leads_go_to_the_campaigns_agents_then_the_skill_only_targets():
    spec = campaign_spec(agents=("asha", "ben"), skill="sales", skills=["support"])
    push = payloads.PushSettings.from_spec(spec)
    assert push.agent_skills == (("asha", "sales"), ("ben", "sales"), ("", "support"))
    assert [push.routing(lead(n)) for n in range(3)] == list(push.agent_skills)


def test_agents_without_an_ozonetel_id_and_agentwise_without_agents_are_refused():
    from vendors.adapters.ozonetel.field_map import FIELD_MAP

    missing = campaign_spec(agents=("asha", ""))
    assert [p.message for p in FIELD_MAP.problems(missing)] == ["Agent  has no Ozonetel agent id."]
    alone = campaign_spec(agents=(), routing_method="Agentwise")
    assert [(p.source, p.message) for p in FIELD_MAP.problems(alone)] == [
        ("agents", "Agentwise routing needs at least one agent on the campaign.")
    ]
    assert FIELD_MAP.problems(alone, before_sync=False) == []
