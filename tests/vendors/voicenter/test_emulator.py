"""The Voicenter emulator enforces the ForwardDialer contract (voicenter-forward-dialer.txt)."""

from __future__ import annotations

import httpx
import pytest

from tests.vendors.voicenter.harness import CAMPAIGN_CODE, CREDENTIALS
from vendors.adapters.emulation import Fault
from vendors.adapters.voicenter import emulator as emulator_module
from vendors.adapters.voicenter.emulator import VoicenterEmulator

CODE = CREDENTIALS["code"]
URL = "http://voicenter.test/ForwardDialer/Dialer/"


@pytest.fixture
def client(emulator):
    with httpx.Client(transport=emulator.transport(), base_url=URL) as client:
        yield client


def post(client, method, body):
    return client.post(method, json=body)


def add_call(client, target="972501234567", campaign=CAMPAIGN_CODE, **extra):
    body = {"Code": CODE, "Campaign": campaign, "Target": target, **extra}
    return post(client, "AddCall", body).json()


def pending(client, campaign=CAMPAIGN_CODE):
    reply = post(client, "GetCampaignPendingCalls", {"Code": CODE, "Campaign": campaign}).json()
    return reply["Data"]


def test_documented_replies_only(client, emulator):
    emulator.guessed_extras = False
    items = [
        {"Code": CODE, "Campaign": CAMPAIGN_CODE, "Target": f"97250111111{n}"} for n in range(2)
    ]
    assert post(client, "AddCallsBulk", items).json() == {"ErrorCode": 0, "Description": "OK"}
    assert len(pending(client)["Calls"]) == 2
    refused = client.post("GetCampaignList", json={"Code": "wrong"})
    assert refused.status_code == 403
    assert "ErrorCode" not in refused.json()  # 4 is "Invalid caller id" in the excerpt


def test_custom_data_needs_var_keys_inside_custom_data(client):
    base = {"Code": CODE, "Campaign": CAMPAIGN_CODE, "Target": "972501234567"}
    unprefixed = post(client, "AddCall", {**base, "CustomData": {"LeadID": 1}}).json()
    assert unprefixed["ErrorCode"] == 2 and "var_" in unprefixed["Description"]
    top_level = post(client, "AddCall", {**base, "var_LeadID": 1}).json()
    assert top_level["ErrorCode"] == 2 and "CustomData" in top_level["Description"]
    # With GET, var_ parameters are the custom data (6.1).
    by_get = client.get("AddCall", params={**base, "var_LeadID": "1"}).json()
    assert by_get["ErrorCode"] == 0
    assert pending(client)["Calls"][0]["CustomData"] == {"var_LeadID": "1"}


@pytest.mark.parametrize("key", ["callerid", "CALLERID", "CallerId"])
def test_a_wrong_case_caller_id_is_refused(client, key):
    body = {"Code": CODE, "Campaign": CAMPAIGN_CODE, "Target": "972501234567", key: "035551234"}
    reply = post(client, "AddCall", body).json()
    assert reply["ErrorCode"] == 4 and key in reply["Description"]
    assert pending(client)["Calls"] == []


def test_a_wrong_or_missing_code_is_refused_with_403(client):
    wrong = post(client, "GetCampaignList", {"Code": "not-the-code"})
    missing = post(client, "GetCampaignList", {})
    assert wrong.status_code == missing.status_code == 403
    assert wrong.json()["ErrorCode"] == 4


def test_campaign_list_answers_get_form_and_json_alike(client):
    by_get = client.get("GetCampaignList", params={"Code": CODE}).json()
    by_form = client.post("GetCampaignList", data={"Code": CODE}).json()
    by_json = post(client, "GetCampaignList", {"Code": CODE}).json()
    assert by_get == by_form == by_json
    assert by_json["ErrorCode"] == 0 and by_json["Description"] == "OK"
    first = by_json["Data"][0]
    assert {"Name", "StatusName", "Code", "TotalPendingCalls"} <= set(first)
    assert {item["StatusName"] for item in by_json["Data"]} == {"Enabled", "Disabled", "Deleted"}


@pytest.mark.parametrize(
    ("body", "code", "description"),
    [
        ({"Campaign": "nosuchcampaign", "Target": "972501234567"}, 1, "Invalid campaign code"),
        ({"Campaign": "vcsbx0003old", "Target": "972501234567"}, 1, "Invalid campaign code"),
        ({"Target": "972501234567"}, 1, "Invalid campaign code"),
        ({"Campaign": CAMPAIGN_CODE}, 2, "The target is invalid"),
        ({"Campaign": CAMPAIGN_CODE, "Target": "12ab"}, 2, "The target is invalid"),
        (
            {"Campaign": CAMPAIGN_CODE, "Target": "972501234567", "Callerid": "abc"},
            4,
            "Invalid caller id",
        ),
    ],
)
def test_add_call_answers_the_documented_error_codes(client, body, code, description):
    response = post(client, "AddCall", {"Code": CODE, **body})
    assert response.status_code == 200
    assert response.json() == {"ErrorCode": code, "Description": description}


def test_caller_id_must_be_one_of_the_accounts_when_it_has_a_list():
    emulator = VoicenterEmulator(credentials=CREDENTIALS, caller_ids=frozenset({"035551234"}))
    with httpx.Client(transport=emulator.transport(), base_url=URL) as client:
        assert add_call(client, Callerid="039999999")["ErrorCode"] == 4
        assert add_call(client, Callerid="035551234")["ErrorCode"] == 0
        assert add_call(client, target="972501111111", Callerid="Anonymous")["ErrorCode"] == 0


def test_get_style_custom_variables_become_custom_data(client):
    query = {"Code": CODE, "Campaign": CAMPAIGN_CODE, "Target": "972501234567", "var_test1": "1"}
    assert client.get("AddCall", params=query).json()["ErrorCode"] == 0
    call = pending(client)["Calls"][0]
    assert call["CustomData"] == {"var_test1": "1"}
    assert call["CallStatus"] == {"Status": 1, "Description": "Pending"}


def test_pending_list_is_keyed_by_target_and_grows_and_shrinks(client, emulator):
    add_call(client, "972501111111", CustomerName="First")
    add_call(client, "972502222222")
    add_call(client, "972501111111", CustomerName="Again")
    data = pending(client)
    assert data["Campaign"]["TotalPendingCalls"] == 2
    assert [call["CustomerName"] for call in data["Calls"]] == ["Again", ""]

    remove = {"Code": CODE, "Campaign": CAMPAIGN_CODE, "Target": "972502222222"}
    assert post(client, "RemoveCall", remove).json()["ErrorCode"] == 0
    assert emulator.pending_targets(CAMPAIGN_CODE) == ["972501111111"]

    post(client, "ClearCampaignCalls", {"Code": CODE, "Campaign": CAMPAIGN_CODE})
    assert pending(client)["Campaign"]["TotalPendingCalls"] == 0


def test_dialling_takes_the_highest_priority_first_and_only_from_enabled_campaigns(
    client, emulator
):
    add_call(client, "972501111111", Priority=1)
    add_call(client, "972502222222", Priority=7)
    add_call(client, "972503333333", campaign="vcsbx0002leads")  # Disabled
    assert emulator.simulate_dialling(1) == 1
    assert emulator.dialled == [{"campaign": CAMPAIGN_CODE, "target": "972502222222"}]
    assert emulator.simulate_dialling(5) == 1
    assert emulator.pending_targets("vcsbx0002leads") == ["972503333333"]


def test_add_calls_bulk_is_json_only(client):
    item = {"Code": CODE, "Campaign": CAMPAIGN_CODE, "Target": "972501234567"}
    by_get = client.get("AddCallsBulk", params=item).json()
    by_form = client.post("AddCallsBulk", data=item).json()
    assert by_get["ErrorCode"] == by_form["ErrorCode"] == 2
    assert "JSON only" in by_get["Description"]
    not_an_array = post(client, "AddCallsBulk", item).json()
    assert not_an_array["ErrorCode"] == 2
    assert pending(client)["Campaign"]["TotalPendingCalls"] == 0


def test_add_calls_bulk_answers_each_target(client):
    items = [
        {
            "Code": CODE,
            "Campaign": CAMPAIGN_CODE,
            "Target": "972501111111",
            "CallerID": "035551234",
        },
        {"Code": CODE, "Campaign": CAMPAIGN_CODE, "Target": "bad"},
        {"Code": CODE, "Campaign": "nosuchcampaign", "Target": "972502222222"},
    ]
    reply = post(client, "AddCallsBulk", items).json()
    assert reply["ErrorCode"] == 0
    assert [row["ErrorCode"] for row in reply["AddResult"]] == [0, 2, 1]
    assert reply["AddResult"][0] == {"Target": "972501111111", "ErrorCode": 0, "Description": "OK"}
    assert pending(client)["Calls"][0]["CallerID"] == "035551234"


def test_add_calls_bulk_every_item_needs_the_code(client):
    items = [
        {"Code": CODE, "Campaign": CAMPAIGN_CODE, "Target": "972501111111"},
        {"Campaign": CAMPAIGN_CODE, "Target": "972502222222"},
    ]
    assert post(client, "AddCallsBulk", items).status_code == 403


def test_add_calls_bulk_details_only_up_to_3000_and_refuses_over_the_limit(client, monkeypatch):
    items = [
        {"Code": CODE, "Campaign": CAMPAIGN_CODE, "Target": f"97250{index:07d}"}
        for index in range(3001)
    ]
    reply = post(client, "AddCallsBulk", items).json()
    assert reply == {"ErrorCode": 0, "Description": "OK"}
    assert pending(client)["Campaign"]["TotalPendingCalls"] == 3001

    monkeypatch.setattr(emulator_module, "BULK_MAX_CALLS", 10)
    over = post(client, "AddCallsBulk", items[:11]).json()
    assert over["ErrorCode"] == 2


@pytest.mark.parametrize("method", ["GetCampaignPendingCalls", "AddCallsBulk"])
def test_json_only_methods_refuse_query_strings(client, method):
    reply = client.get(method, params={"Code": CODE, "Campaign": CAMPAIGN_CODE}).json()
    assert reply["ErrorCode"] == 2


def test_configure_ivr_campaign_takes_a_query_string_too(client):
    # 6.15 says "Accepts JSON", not "JSON only !!!" as 6.11 and 6.12 do.
    reply = client.get("ConfigureIvrCampaign", params={"Code": CODE, "Campaign": CAMPAIGN_CODE})
    assert reply.json()["ErrorCode"] == 0


def test_update_call_changes_a_pending_call_and_refuses_an_unknown_target(client):
    add_call(client, "972501111111", Priority=1)
    body = {"Code": CODE, "Campaign": CAMPAIGN_CODE, "Target": "972501111111", "Priority": 42}
    assert post(client, "UpdateCall", body).json()["ErrorCode"] == 0
    assert pending(client)["Calls"][0]["Priority"] == 42
    unknown = {**body, "Target": "972509999999"}
    assert post(client, "UpdateCall", unknown).json()["ErrorCode"] == 2


def test_members_are_added_listed_and_removed(client):
    body = {"Code": CODE, "Campaign": CAMPAIGN_CODE, "Member": "SIP1001"}
    assert post(client, "AddMember", body).json()["Data"] == {"TotalAdded": 1}
    assert post(client, "AddMember", body).json()["Data"] == {"TotalAdded": 0}
    listed = post(client, "GetMembersList", {"Code": CODE, "Campaign": CAMPAIGN_CODE}).json()
    assert listed["Data"] == [{"Member": "SIP1001", "DisplayName": "Support 1"}]
    assert post(client, "RemoveMember", body).json()["Data"] == {"TotalRemoved": 1}
    missing = post(client, "AddMember", {"Code": CODE, "Campaign": CAMPAIGN_CODE}).json()
    assert missing["ErrorCode"] == 2


def test_start_and_stop_change_the_status(client):
    body = {"Code": CODE, "Campaign": "vcsbx0002leads"}
    post(client, "StartCampaign", body)
    assert post(client, "GetCampaignDetails", body).json()["Data"]["StatusName"] == "Enabled"
    post(client, "StopCampaign", body)
    assert post(client, "GetCampaignDetails", body).json()["Data"]["StatusName"] == "Disabled"


def test_campaign_details_has_the_documented_keys_and_trims_the_code(client):
    add_call(client, Priority=7)
    body = {"Code": CODE, "Campaign": f" {CAMPAIGN_CODE} "}
    data = post(client, "GetCampaignDetails", body).json()["Data"]
    assert data == {
        "Name": "Morning messages",
        "StatusName": "Enabled",
        "TotalPendingCalls": 1,
        "MaxPriority": 7,
        "MinPriority": 7,
        "Code": CAMPAIGN_CODE,
    }


def test_strategy_is_stored_and_bad_values_refused(client, emulator):
    body = {
        "Code": CODE,
        "Campaign": CAMPAIGN_CODE,
        "setQueueForMonitoring": 10000,
        "setQueueMaximumCallers": 0,
        "setCoefficient": 1,
    }
    assert post(client, "UpdateCampaignStrategy", body).json()["ErrorCode"] == 0
    assert emulator.campaigns[CAMPAIGN_CODE].strategy["setQueueForMonitoring"] == 10000
    bad = post(client, "UpdateCampaignStrategy", {**body, "setCoefficient": "lots"}).json()
    assert bad == {"ErrorCode": 2, "Description": "Invalid setCoefficient"}


def test_ivr_configuration_is_stored_and_bad_values_refused(client, emulator):
    body = {
        "Code": CODE,
        "Campaign": CAMPAIGN_CODE,
        "ConcurrentStrategy": {"setMaxCalls": 5},
        "RepresentativeList": ["SIP1", "SIP2"],
    }
    assert post(client, "ConfigureIvrCampaign", body).json()["ErrorCode"] == 0
    campaign = emulator.campaigns[CAMPAIGN_CODE]
    assert (campaign.max_calls, campaign.representatives) == (5, ["SIP1", "SIP2"])
    zero = {**body, "ConcurrentStrategy": {"setMaxCalls": 0}}
    assert post(client, "ConfigureIvrCampaign", zero).json()["ErrorCode"] == 2
    not_a_list = {**body, "RepresentativeList": "SIP1"}
    assert post(client, "ConfigureIvrCampaign", not_a_list).json()["ErrorCode"] == 2


def test_server_error_fault_uses_the_vendor_shape(client, emulator):
    emulator.inject(Fault.SERVER_ERROR)
    response = post(client, "GetCampaignList", {"Code": CODE})
    assert response.status_code == 500
    assert response.json()["ErrorCode"] == 3
    assert post(client, "GetCampaignList", {"Code": CODE}).status_code == 200


def test_unknown_method_is_not_found(client):
    assert post(client, "DeleteCampaign", {"Code": CODE}).status_code == 404
