"""The Ozonetel emulator enforces the CloudAgent contract (ozonetel-add-campaign-data.txt,
api-facts §5): auth per API family, mandatory fields, enums, documented replies, limits
on the injectable clock, and queued bulk rows."""

from __future__ import annotations

import httpx
import pytest

from tests.vendors.ozonetel.conftest import make_emulator
from tests.vendors.ozonetel.harness import CAMPAIGN_NAME, CREDENTIALS, TOKEN_CREDENTIALS
from vendors.adapters.emulation import Fault
from vendors.adapters.ozonetel import payloads

KEY = CREDENTIALS["api_key"]
USER = CREDENTIALS["user_name"]


@pytest.fixture
def client(emulator):
    with httpx.Client(transport=emulator.transport(), base_url="http://ozonetel.test") as client:
        yield client


def add(client, phone="919812345678", **extra):
    params = {"api_key": KEY, "campaign_name": CAMPAIGN_NAME, "PhoneNumber": phone, **extra}
    return client.get(payloads.LEGACY_ADD_PATH, params=params)


def bulk(client, rows, header=("PhoneNumber", "Name"), **extra):
    body = {
        "apiKey": KEY,
        "campaignName": CAMPAIGN_NAME,
        "userName": USER,
        "bulkData": {"map": list(header), "data": rows},
        **extra,
    }
    return client.post(payloads.BULK_V4_PATH, json=body)


def ca(client, method, path, body, headers=None):
    headers = {"apiKey": KEY} if headers is None else headers
    return client.request(method, path, json={"userName": USER, **body}, headers=headers)


# --- legacy single add ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "status", "message"),
    [
        ({"api_key": "wrong"}, "FAIL", "No User Found"),
        ({"campaign_name": "Nope"}, "FAIL", "No User Found"),
        ({"PhoneNumber": ""}, "FAIL", "Phone Number is Empty!"),
        ({"PhoneNumber": "919999900000"}, "FAIL", "PhoneNumber Added is a DND Number"),
        ({"action": "START"}, "SUCCESS", "Successfully Updated, Progressive was started"),
    ],
)
def test_single_add_answers_the_documented_replies(client, params, status, message):
    assert add(client, **params).json() == {"status": status, "message": message}


def test_a_number_with_a_plus_is_taken(client):
    # No Ozonetel document restricts PhoneNumber to digits only.
    assert add(client, phone="+919812345678").json()["status"] == "SUCCESS"


def test_single_add_check_duplicate(client, emulator):
    add(client)
    assert add(client, checkDuplicate="TRUE").json() == {
        "status": "SUCCESS",
        "message": "Number Already Exist",
    }
    add(client)  # without the check the number is added again
    assert emulator.pending_phones(CAMPAIGN_NAME) == ["919812345678", "919812345678"]


@pytest.mark.parametrize(
    "params", [{"ExpiryDate": "2026/01/31"}, {"Priority": "0"}, {"Priority": "100"}]
)
def test_single_add_checks_expiry_date_and_priority(client, params):
    assert add(client, **params).json()["status"] == "FAIL"


def test_single_add_is_limited_to_100_a_minute(client, clock):
    for index in range(100):
        assert add(client, phone=f"9198{index:08d}").status_code == 200
    refused = add(client, phone="919800009999")
    assert refused.status_code == 429
    assert int(refused.headers["Retry-After"]) > 0
    clock.advance(60)
    assert add(client, phone="919800009999").status_code == 200


# --- V4 bulk --------------------------------------------------------------------------------


def test_bulk_rows_are_queued_then_added(client, emulator, clock):
    reply = bulk(client, [["919800000001", "Asha Rao"], ["919800000002", "Ravi (VIP)"]])
    assert reply.json() == {
        "message": [
            {"PhoneNumber": "919800000001", "Status": "SuccessFully Updated"},
            {"PhoneNumber": "919800000002", "Status": "SuccessFully Updated"},
        ]
    }
    assert emulator.campaigns[CAMPAIGN_NAME].rows == []  # not yet: queued
    clock.advance(5)
    assert emulator.pending_phones(CAMPAIGN_NAME) == ["919800000001", "919800000002"]


def test_bulk_per_row_checks(client, emulator):
    rows = [
        ["919800000001", "Asha"],
        ["", "No number"],
        ["919999900000", "On DND"],
        ["919800000003", "Bad <name>"],
        ["919800000004"],
        ["919800000001", "Again"],
        ["919800000005", "x" * 2000],
    ]
    statuses = [
        row["Status"] for row in bulk(client, rows, checkDuplicate="true").json()["message"]
    ]
    assert statuses[0] == "SuccessFully Updated"
    assert statuses[1] == "Phone Number is Empty!"
    assert statuses[2] == "PhoneNumber Added is a DND Number"
    assert statuses[3] == "Name has characters that are not allowed"
    assert statuses[4] == "Row does not match the map"
    assert statuses[5] == "Number Already Exist"
    assert statuses[6] == "Row is longer than 2000 characters"
    emulator.process_queue(force=True)
    assert emulator.pending_phones(CAMPAIGN_NAME) == ["919800000001"]


def test_bulk_check_duplicate_covers_the_campaign_data(client, emulator):
    add(client, phone="919800000001")
    reply = bulk(client, [["919800000001", "Asha"]], checkDuplicate="true").json()
    assert reply["message"][0]["Status"] == "Number Already Exist"
    replaced = bulk(client, [["919800000001", "Asha"]], checkDuplicate="true", isdelete="true")
    assert replaced.json()["message"][0]["Status"] == "SuccessFully Updated"
    emulator.process_queue(force=True)
    assert emulator.pending_phones(CAMPAIGN_NAME) == ["919800000001"]


@pytest.mark.parametrize(
    ("change", "status", "message"),
    [
        ({"apiKey": "wrong"}, "failure", "no user found"),
        ({"userName": "someone"}, "failure", "no user found"),
        ({"campaignName": "Nope"}, "failure", "no user found"),
        ({"campaignName": ""}, "error", "please provide campaign details"),
        ({"bulkData": {"data": [["919800000001"]]}}, "failure", "Please provide valid data"),
        ({"bulkData": {"map": ["Phone"], "data": [["1"]]}}, "failure", "Please provide valid data"),
    ],
)
def test_bulk_refusals_use_the_documented_bodies(client, change, status, message):
    body = {
        "apiKey": KEY,
        "campaignName": CAMPAIGN_NAME,
        "userName": USER,
        "bulkData": {"map": ["PhoneNumber"], "data": [["919800000001"]]},
        **change,
    }
    reply = client.post(payloads.BULK_V4_PATH, json=body)
    assert reply.json() == {"status": status, "message": message}


def test_bulk_takes_at_most_500_rows(client):
    rows = [[f"9198{index:08d}", "A"] for index in range(501)]
    assert bulk(client, rows).json()["message"] == "Please provide valid data"
    assert len(bulk(client, rows[:500]).json()["message"]) == 500


def test_bulk_is_limited_to_5_a_minute_with_the_documented_busy_reply(client, clock):
    for _ in range(5):
        assert "message" in bulk(client, [["919800000001", "A"]]).json()
    busy = bulk(client, [["919800000001", "A"]])
    assert busy.status_code == 200
    assert busy.json() == {
        "status": "error",
        "message": "Already one process is running please try after some time",
    }
    clock.advance(61)
    assert isinstance(bulk(client, [["919800000001", "A"]]).json()["message"], list)


# --- campaignControl ------------------------------------------------------------------------


def control_body(**change):
    body = {
        "username": USER,
        "apiKey": KEY,
        "campaignName": "New_Campaign",
        "action": "create",
        "campaignType": "Progressive",
        "dialMethod": "Agentwise",
        "did": "918040000000",
        "runtimeStart": "09:00:00",
        "runtimeEnd": "18:00:00",
    }
    body.update(change)
    return {key: value for key, value in body.items() if value is not ...}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"fallbackDID": None}, "fallbackDID should not be null or empty"),
        ({"fallbackDID": ""}, "fallbackDID should not be null or empty"),
        ({"did": ...}, "did is mandatory"),
        ({"campaignType": "Blaster"}, "Invalid campaignType"),
        ({"dialMethod": "Random"}, "Invalid dialMethod"),
        ({"runtimeStart": "9:00"}, "Invalid runtimeStart"),
        ({"action": "delete"}, "Invalid action"),
    ],
)
def test_campaign_control_checks_mandatory_keys_and_enums(client, clock, change, message):
    reply = client.post(payloads.CAMPAIGN_CONTROL_PATH, json=control_body(**change))
    assert reply.json() == {"status": "error", "message": message}


def test_campaign_control_creates_updates_and_refuses_a_running_campaign(client, emulator, clock):
    created = client.post(payloads.CAMPAIGN_CONTROL_PATH, json=control_body())
    assert created.json()["status"] == "success"
    again = client.post(payloads.CAMPAIGN_CONTROL_PATH, json=control_body())
    assert again.json()["message"] == "Campaign already exists"
    clock.advance(60)
    emulator.campaigns["New_Campaign"].running = True
    running = client.post(payloads.CAMPAIGN_CONTROL_PATH, json=control_body(action="update"))
    assert running.json()["message"] == "Running campaign cannot be updated"


def test_campaign_control_is_limited_to_2_a_minute(client, clock):
    client.post(payloads.CAMPAIGN_CONTROL_PATH, json=control_body(campaignName="A"))
    client.post(payloads.CAMPAIGN_CONTROL_PATH, json=control_body(campaignName="B"))
    third = client.post(payloads.CAMPAIGN_CONTROL_PATH, json=control_body(campaignName="C"))
    assert third.status_code == 429 and "Retry-After" in third.headers
    clock.advance(60)
    later = client.post(payloads.CAMPAIGN_CONTROL_PATH, json=control_body(campaignName="C"))
    assert later.json()["status"] == "success"


def test_campaign_control_refuses_a_wrong_key(client):
    reply = client.post(payloads.CAMPAIGN_CONTROL_PATH, json=control_body(apiKey="wrong"))
    assert reply.status_code == 401
    assert reply.json()["message"] == "Invalid User Details"


# --- ca_apis ---------------------------------------------------------------------------------


def test_ca_apis_need_the_api_key_header_and_the_user(client):
    body = {"campaignName": CAMPAIGN_NAME}
    missing = ca(client, "GET", payloads.CAMPAIGN_STATUS_PATH, body, headers={})
    assert missing.status_code == 401
    assert missing.json() == {
        "status": "false",
        "message": "Api Key Should Not be Null or Empty.",
        "data": None,
    }
    wrong = ca(client, "GET", payloads.CAMPAIGN_STATUS_PATH, body, headers={"apiKey": "nope"})
    assert wrong.json()["message"] == "Invalid User Details"


def test_set_status_and_campaign_status(client, emulator):
    body = {"campaignName": CAMPAIGN_NAME}

    def position():
        reply = ca(client, "GET", payloads.CAMPAIGN_STATUS_PATH, body).json()
        assert reply["status"] == "success"
        return reply["message"][0]["Position"]

    assert position() == "READY"
    started = ca(
        client, "PUT", payloads.SET_STATUS_PATH, {**body, "action": "Start", "process": True}
    )
    assert started.json() == {
        "status": "SUCCESS",
        "message": "SUCCESSFULLY UPDATED, Progressive was started",
    }
    assert position() == "COMPLETED"  # running with nothing to dial
    add(client)
    assert position() == "RUNNING"
    assert emulator.simulate_dialling(3) == 1
    assert position() == "COMPLETED"
    bad = ca(client, "PUT", payloads.SET_STATUS_PATH, {**body, "action": "Pause", "process": True})
    assert bad.json() == {"status": "failure", "message": "All parameters are mandatory"}
    unknown = ca(
        client,
        "PUT",
        payloads.SET_STATUS_PATH,
        {"campaignName": "Nope", "action": "Stop", "process": True},
    )
    assert unknown.json() == {"status": "failure", "message": "Passed campaign are invalid"}


def test_delete_campaign_data(client, emulator):
    add(client)
    body = {"campaignName": CAMPAIGN_NAME, "phoneNumber": "919812345678"}
    reply = ca(client, "DELETE", payloads.DELETE_DATA_PATH, body)
    assert reply.json() == {"status": "Success", "message": "Deleted Successfully"}
    assert emulator.pending_phones(CAMPAIGN_NAME) == []
    empty = ca(client, "DELETE", payloads.DELETE_DATA_PATH, {**body, "phoneNumber": ""})
    assert empty.json() == {
        "status": "Error",
        "message": "PhoneNumber should not be null are empty",
    }
    other = ca(client, "DELETE", payloads.DELETE_DATA_PATH, {**body, "campaignName": "Nope"})
    assert other.json() == {"status": "Error", "message": "Passed campaign are invalid"}


def test_delete_campaign_data_also_drops_queued_rows(client, emulator):
    bulk(client, [["919800000001", "A"]])
    ca(
        client,
        "DELETE",
        payloads.DELETE_DATA_PATH,
        {"campaignName": CAMPAIGN_NAME, "phoneNumber": "919800000001"},
    )
    emulator.process_queue(force=True)
    assert emulator.pending_phones(CAMPAIGN_NAME) == []


def test_token_mode_needs_a_live_bearer_token(clock):
    emulator = make_emulator(clock, credentials=TOKEN_CREDENTIALS)
    with httpx.Client(transport=emulator.transport(), base_url="http://ozonetel.test") as client:
        body = {"campaignName": CAMPAIGN_NAME}
        without = ca(client, "GET", payloads.CAMPAIGN_STATUS_PATH, body)
        assert without.json()["message"] == "Invalid Token"
        token = ca(client, "POST", payloads.TOKEN_PATH, {}).json()["token"]
        headers = {"apiKey": KEY, "Authorization": f"Bearer {token}"}
        assert ca(client, "GET", payloads.CAMPAIGN_STATUS_PATH, body, headers).status_code == 200
        clock.advance(3600)
        expired = ca(client, "GET", payloads.CAMPAIGN_STATUS_PATH, body, headers)
        assert expired.json()["message"] == "Invalid Token"


def test_token_generation_is_limited_to_10_an_hour(client, clock):
    for _ in range(10):
        assert ca(client, "POST", payloads.TOKEN_PATH, {}).status_code == 200
    assert ca(client, "POST", payloads.TOKEN_PATH, {}).status_code == 429


def test_faults_use_the_status_message_shape(client, emulator):
    emulator.inject(Fault.RATE_LIMITED, retry_after=9)
    limited = add(client)
    assert limited.status_code == 429 and limited.headers["Retry-After"] == "9"
    assert limited.json()["status"] == "error"
    emulator.inject(Fault.SERVER_ERROR)
    assert add(client).status_code == 500


def test_check_duplicate_forgets_deleted_and_dialled_numbers(client, emulator):
    add(client, action="START")
    ca(
        client,
        "DELETE",
        payloads.DELETE_DATA_PATH,
        {"campaignName": CAMPAIGN_NAME, "phoneNumber": "919812345678"},
    )
    assert add(client, checkDuplicate="true").json()["message"] != "Number Already Exist"
    assert emulator.simulate_dialling(1) == 1
    assert add(client, checkDuplicate="true").json()["message"] != "Number Already Exist"
    assert add(client, checkDuplicate="true").json()["message"] == "Number Already Exist"
    statuses = bulk(client, [["919812345678", "A"]], checkDuplicate="true").json()["message"]
    assert statuses[0]["Status"] == "Number Already Exist"
