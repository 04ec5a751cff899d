"""The Acefone emulator enforces the excerpt's contract."""

from __future__ import annotations

import httpx
import pytest

from tests.vendors.acefone.harness import BODY as SETTINGS
from vendors.adapters.acefone.emulator import SANDBOX_CREDENTIALS, TOKEN_LIFETIME_SECONDS
from vendors.adapters.emulation import Fault

AUTH = {"Authorization": f"Bearer {SANDBOX_CREDENTIALS['token']}"}


@pytest.fixture
def http(emulator):
    return httpx.Client(base_url="https://api.acefone.in", transport=emulator.transport())


def test_requests_without_a_valid_bearer_are_401(http):
    for headers in ({}, {"Authorization": "Bearer nope"}, {"Authorization": "Token x"}):
        response = http.get("/v1/broadcast/lists", headers=headers)
        assert response.status_code == 401
        assert response.json() == {
            "success": False,
            "message": "Unauthorized: invalid or expired token",
        }


def test_login_issues_a_token_that_expires(http, clock):
    body = {
        "login_id": SANDBOX_CREDENTIALS["login_id"],
        "password": SANDBOX_CREDENTIALS["password"],
    }
    reply = http.post("/v1/auth/login", json=body).json()
    assert reply["success"] is True and reply["expires_in"] == TOKEN_LIFETIME_SECONDS
    headers = {"Authorization": f"Bearer {reply['access_token']}"}
    assert http.get("/v1/broadcast/lists", headers=headers).status_code == 200
    clock.now += TOKEN_LIFETIME_SECONDS
    assert http.get("/v1/broadcast/lists", headers=headers).status_code == 401


def test_login_accepts_the_email_key_and_refuses_a_wrong_password(http):
    body = {"email": SANDBOX_CREDENTIALS["login_id"], "password": SANDBOX_CREDENTIALS["password"]}
    assert http.post("/v1/auth/login", json=body).status_code == 200
    wrong = http.post("/v1/auth/login", json={**body, "password": "nope"})
    assert wrong.status_code == 401
    assert wrong.json()["message"] == "Invalid login credentials"


def _create(http, **changes):
    body = {**SETTINGS, **changes}
    for key in [k for k, v in changes.items() if v is None]:
        body.pop(key)
    return http.post("/v1/dialer/campaign", json=body, headers=AUTH)


@pytest.mark.parametrize(
    "field", ["name", "dial_method", "outbound_caller_id", "disposition_list", "dial_status",
              "ring_timeout", "hide_lead_details", "connect_agent_through", "agent"],
)  # fmt: skip
def test_mandatory_fields(http, field):
    response = _create(http, **{field: None})
    assert response.status_code == 400
    assert response.json() == {
        "success": False,
        "message": f"The {field.replace('_', ' ')} field is required.",
    }


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"dial_method": "3"}, "The selected dial method is invalid."),
        ({"dial_in_type": "4"}, "The selected dial in type is invalid."),
        ({"ring_timeout": 25}, "The ring timeout must be a string."),
        ({"hide_lead_details": 2}, "The hide lead details must be 0 or 1."),
        ({"agent": ["7001"]}, "The agent must be an array of integers."),
        ({"dial_status": "new"}, "The dial status must be an array of strings."),
        ({"colour": "red"}, "Unknown field: colour."),
        ({"dial_method": "1", "dial_ratio": None},
         "The auto dial duration field is required when dial method is 1."),
        ({"dial_ratio": None}, "The dial ratio field is required when dial method is 2."),
        ({"enable_inbound": 1}, "The inbound queue field is required when enable inbound is 1."),
        ({"manual_dial_enabled": 1},
         "The manual lead list field is required when manual dial enabled is 1."),
        ({"lead_list_map": [{"list_id": n, "list_status": 1} for n in range(4)]},
         "You can select up to 3 active lead lists."),
        ({"lead_list_map": [{"list_id": "1", "list_status": 1}]},
         "The lead list map must be a list of {list_id, list_status} objects."),
    ],
)  # fmt: skip
def test_types_enums_and_conditional_rules(http, changes, message):
    response = _create(http, **changes)
    assert response.status_code == 400
    assert response.json()["message"] == message


def test_agent_wise_caller_id_is_an_integer_unless_smartflos_boolean_is_guessed(http, emulator):
    assert _create(http, agent_wise_caller_id=True).status_code == 200  # guessed extras on
    emulator.guessed_extras = False
    refused = _create(http, name="Boolean", agent_wise_caller_id=True)
    assert refused.status_code == 400
    assert refused.json()["message"] == "The agent wise caller id must be an integer."
    assert _create(http, name="Integer", agent_wise_caller_id=1).status_code == 200


def test_enforce_agent_pause_code_is_any_integer(http):
    # The excerpt says only "integer" for it, unlike the 0-or-1 switches.
    assert _create(http, enforce_agent_pause_code=5).status_code == 200
    assert _create(http, name="Two", enforce_agent_pause_code="5").status_code == 400
    assert _create(http, name="Three", hide_lead_details=5).status_code == 400


def test_documented_replies_carry_no_id(http, emulator):
    emulator.guessed_extras = False
    assert _create(http).json() == {"success": True, "message": "Campaign added successfully"}
    added = http.post("/v1/broadcast/lead/101", json={"field_0": "+919812345678"}, headers=AUTH)
    assert added.json() == {"success": True, "message": "Lead added successfully"}


def test_create_update_and_duplicate_names(http, emulator):
    created = _create(http).json()
    assert created["success"] is True
    campaign_id = created["campaign_id"]
    assert _create(http).json()["message"] == "A campaign with this name already exists."
    update = http.put(
        f"/v1/dialer/campaign/{campaign_id}", json={"ring_timeout": "40"}, headers=AUTH
    )
    assert update.json() == {"success": True, "message": "Campaign updated successfully"}
    assert emulator.campaigns[campaign_id]["ring_timeout"] == "40"
    missing = http.put("/v1/dialer/campaign/1", json={}, headers=AUTH)
    assert missing.status_code == 404
    bad = http.put(f"/v1/dialer/campaign/{campaign_id}", json={"dial_method": "9"}, headers=AUTH)
    assert bad.status_code == 400


def test_pending_list_grows_and_shrinks(http, emulator):
    lead = {"field_0": "+919812345678", "duplicate_option": "skip"}
    http.post("/v1/broadcast/lead/101", json=lead, headers=AUTH)
    bulk = {"data": [{"field_0": f"+9198123456{n:02}"} for n in range(80, 84)]}
    reply = http.post("/v1/broadcast/leads/101", json=bulk, headers=AUTH).json()
    assert reply["message"] == "4 leads added, 0 duplicates skipped, 0 DND numbers skipped"
    assert emulator.pending(101) == 5
    assert emulator.simulate_dialling(2) == 2
    assert emulator.pending(101) == 3
    lead_id = http.get("/v1/broadcast/leads/101", headers=AUTH).json()[-1]["id"]
    assert http.delete(f"/v1/broadcast/lead/{lead_id}", headers=AUTH).status_code == 200
    assert emulator.pending(101) == 2
    assert http.delete(f"/v1/broadcast/lead/{lead_id}", headers=AUTH).status_code == 404


def test_duplicate_options(http, emulator):
    lead = {"field_0": "+919812345678", "field_1": "First"}
    http.post("/v1/broadcast/lead/101", json=lead, headers=AUTH)
    skipped = http.post(
        "/v1/broadcast/lead/101", json={**lead, "duplicate_option": "skip"}, headers=AUTH
    )
    assert skipped.json()["message"] == "Lead already exists in the list, skipped"
    http.post(
        "/v1/broadcast/lead/101",
        json={**lead, "field_1": "Second", "duplicate_options": "overwrite"},
        headers=AUTH,
    )
    assert [x["field_1"] for x in emulator.lists[101]["leads"]] == ["Second"]
    http.post("/v1/broadcast/lead/101", json={**lead, "duplicate_option": "clone"}, headers=AUTH)
    assert len(emulator.lists[101]["leads"]) == 2
    bad = http.post(
        "/v1/broadcast/lead/101", json={**lead, "duplicate_option": "merge"}, headers=AUTH
    )
    assert bad.json()["message"] == "The duplicate option must be one of skip, overwrite, clone."


@pytest.mark.parametrize(
    ("lead", "message"),
    [
        ({}, "The field_0 (phone number) field is required."),
        ({"field_0": "12ab"}, "The field_0 must be a valid phone number."),
        ({"field_0": "+919812345678", "priority": 31}, "The priority must be between 1 and 30."),
    ],
)
def test_lead_validation(http, lead, message):
    response = http.post("/v1/broadcast/lead/101", json=lead, headers=AUTH)
    assert response.status_code == 400 and response.json()["message"] == message


def test_bulk_refuses_a_bad_row_whole(http, emulator):
    bulk = {"data": [{"field_0": "+919812345678"}, {"field_1": "no phone"}]}
    response = http.post("/v1/broadcast/leads/101", json=bulk, headers=AUTH)
    assert response.json()["message"] == "The data.1.field_0 (phone number) field is required."
    assert emulator.pending(101) == 0


def test_dnd_numbers_are_refused(http, emulator):
    response = http.post("/v1/broadcast/lead/101", json={"field_0": "+919999999999"}, headers=AUTH)
    assert response.status_code == 400 and response.json()["message"] == "Number is in the DND list"


def test_unknown_list_and_route(http):
    assert http.post(
        "/v1/broadcast/lead/999", json={"field_0": "+919812345678"}, headers=AUTH
    ).json() == {
        "success": False,
        "message": "Invalid list id",
    }
    assert http.get("/v1/nothing", headers=AUTH).json() == {
        "success": False,
        "message": "Route not found",
    }


def test_campaign_lists_are_made_on_reference(http, emulator):
    _create(http, lead_list_map=[{"list_id": 555, "list_status": 1}])
    assert 555 in emulator.lists


@pytest.mark.parametrize(
    ("fault", "status"), [(Fault.SERVER_ERROR, 503), (Fault.RATE_LIMITED, 429)]
)
def test_faults_keep_acefones_envelope(http, emulator, fault, status):
    emulator.inject(fault, retry_after=5)
    response = http.get("/v1/broadcast/lists", headers=AUTH)
    assert response.status_code == status
    assert response.json()["success"] is False
    if status == 429:
        assert response.headers["Retry-After"] == "5"


def test_duplicate_check_forgets_a_deleted_lead(http, emulator):
    lead = {"field_0": "+919812345678", "duplicate_option": "skip"}
    lead_id = http.post("/v1/broadcast/lead/101", json=lead, headers=AUTH).json()["lead_id"]
    assert http.delete(f"/v1/broadcast/lead/{lead_id}", headers=AUTH).status_code == 200
    again = http.post("/v1/broadcast/lead/101", json=lead, headers=AUTH).json()
    assert again["message"] == "Lead added successfully"
    found = http.get("/v1/broadcast/leads/101", params={"number": lead["field_0"]}, headers=AUTH)
    assert [x["id"] for x in found.json()] == [again["lead_id"]]
    other_list = http.post("/v1/broadcast/lead/102", json=lead, headers=AUTH).json()
    assert other_list["message"] == "Lead added successfully"  # the check is per list
