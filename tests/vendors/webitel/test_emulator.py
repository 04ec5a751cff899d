"""The Webitel emulator enforces the Engine v2 contract (excerpt and api-facts §3)."""

from __future__ import annotations

import datetime as dt
import json
import re

import httpx
import pytest
import time_machine

from tests.vendors.webitel.harness import CALENDAR, CREDENTIALS
from vendors.adapters.emulation import Fault
from vendors.adapters.webitel.emulator import WebitelEmulator

AUTH = {"X-Access-Token": CREDENTIALS["token"], "X-Key": CREDENTIALS["key"]}
EXAMPLE_DIALER = {
    "name": "myPredictiveDialer",
    "description": "test dialer",
    "type": "Predictive Dialer",
    "priority": 1,
    "calendar": dict(CALENDAR),
    "parameters": {"limit": 20, "maxTryCount": 0, "waitingForResultStatus": True},
    "numberStrategy": "by-priority",
    "membersStrategy": "next-tries-circuit",
    "agentStrategy": "longest_idle_agent",
    "communications": {
        "types": [
            {
                "name": "Personal",
                "code": "1",
                "ranges": [{"startTime": 540, "endTime": 1080, "attempts": 2, "priority": 10}],
            },
            {
                "name": "Home",
                "code": "2",
                "ranges": [{"startTime": 1080, "endTime": 1260, "attempts": 1, "priority": 5}],
            },
        ]
    },
}
EXAMPLE_MEMBER = {
    "name": "Ivan Ivanov",
    "priority": 10,
    "variables": {"productId": "235444"},
    "communications": [
        {"number": "380911234567", "priority": 5, "type": "1", "description": "new"},
        {"number": "380921234567", "priority": 1, "description": "old one"},
    ],
    "expire": 1497992400000,
}


@pytest.fixture(autouse=True)
def inside_the_example_ranges():
    """The example's communication type "1" dials 09:00-18:00 (540-1080 minutes) in the
    member's zone (UTC for the example member): the dialling tests run at 10:00 UTC."""
    with time_machine.travel(dt.datetime(2026, 12, 3, 10, 0, tzinfo=dt.UTC), tick=True):
        yield


@pytest.fixture
def http(emulator) -> httpx.Client:
    return httpx.Client(
        base_url="http://webitel.test", transport=emulator.transport(), headers=AUTH
    )


@pytest.mark.parametrize(
    "changes",
    [
        {"priority": "1"},
        {"parameters": {"limit": "20"}},
        {"amd": {"greeting": "1500"}},
        {"agentParams": {"wrapUpTime": "10"}},
    ],
)
def test_dialer_numbers_must_be_numbers(http, changes):
    response = http.post("/api/v2/dialer", json={**EXAMPLE_DIALER, **changes})
    assert response.status_code == 400


@pytest.mark.parametrize(
    "changes",
    [{"priority": "10"}, {"expire": 1497992400}, {"expire": "1497992400000"}],
)
def test_member_numbers_and_expire_in_milliseconds(http, changes):
    dialer_id = create_dialer(http)
    refused = http.post(f"/api/v2/dialer/{dialer_id}/members", json={**EXAMPLE_MEMBER, **changes})
    assert refused.status_code == 400
    taken = http.post(f"/api/v2/dialer/{dialer_id}/members", json=EXAMPLE_MEMBER)
    assert taken.status_code == 200


def test_the_state_call_takes_no_body(http):
    dialer_id = create_dialer(http)
    assert http.put(f"/api/v2/dialer/{dialer_id}/state/1", json={}).status_code == 400
    assert http.put(f"/api/v2/dialer/{dialer_id}/state/1").status_code == 200


def create_dialer(http, **changes) -> str:
    response = http.post("/api/v2/dialer", json={**EXAMPLE_DIALER, **changes})
    assert response.status_code == 200, response.text
    return response.json()["data"]["insertedIds"][0]


def add_members(http, dialer_id, count=1, **params) -> list[str]:
    body = [dict(EXAMPLE_MEMBER, name=f"Member {n}") for n in range(count)]
    response = http.post(f"/api/v2/dialer/{dialer_id}/members", json=body, params=params)
    assert response.status_code == 200, response.text
    return response.json()["data"]["insertedIds"]


def count(http, dialer_id, filter_="") -> int:
    params = {"filter": filter_} if filter_ else {}
    return http.get(f"/api/v2/dialer/{dialer_id}/members/count", params=params).json()["data"]


# --- auth -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("headers", "info"),
    [
        ({}, "Not found token"),
        ({"X-Access-Token": "nope"}, "Invalid token"),
        ({"X-Access-Token": CREDENTIALS["token"]}, "Invalid Token or Key"),
        ({"X-Access-Token": CREDENTIALS["token"], "X-Key": "wrong"}, "Invalid Token or Key"),
    ],
)
def test_auth_refusals_are_401_with_the_engine_texts(emulator, headers, info):
    http = httpx.Client(base_url="http://webitel.test", transport=emulator.transport())
    response = http.get("/api/v2/dialer", headers=headers)
    assert response.status_code == 401
    assert response.json() == {"status": "error", "info": info}


def test_a_domain_token_needs_no_key():
    emulator = WebitelEmulator(credentials={"token": "domain-token-1234"})
    http = httpx.Client(base_url="http://webitel.test", transport=emulator.transport())
    response = http.get("/api/v2/dialer", headers={"X-Access-Token": "domain-token-1234"})
    assert response.json() == {"status": "OK", "data": []}


def test_the_token_is_also_accepted_in_the_query(emulator):
    http = httpx.Client(base_url="http://webitel.test", transport=emulator.transport())
    response = http.get(
        "/api/v2/dialer", params={"access_token": CREDENTIALS["token"], "x_key": CREDENTIALS["key"]}
    )
    assert response.status_code == 200


def test_unknown_route_is_the_engine_404(http):
    response = http.get("/api/v2/nothing")
    assert response.status_code == 404
    assert response.json() == {"status": "error", "info": "/api/v2/nothing not found."}


# --- dialers --------------------------------------------------------------------------


def test_the_excerpt_example_creates_a_dialer_with_an_object_id(http):
    response = http.post("/api/v2/dialer", json=EXAMPLE_DIALER)
    body = response.json()
    assert body["status"] == "OK"
    assert body["data"]["result"] == {"ok": 1, "n": 1}
    assert body["data"]["insertedCount"] == 1
    (dialer_id,) = body["data"]["insertedIds"]
    assert re.fullmatch(r"[0-9a-f]{24}", dialer_id)
    stored = http.get(f"/api/v2/dialer/{dialer_id}").json()["data"]
    assert stored["name"] == "myPredictiveDialer"
    assert stored["agents"] == []
    assert stored["active"] is False


@pytest.mark.parametrize(
    ("changes", "info"),
    [
        ({"name": ""}, "Name is required"),
        ({"type": None}, "Type is required"),
        ({"calendar": None}, "Calendar is required"),
        ({"calendar": {"name": "WorksDay"}}, "Calendar is required"),
        ({"calendar": {"id": CALENDAR["id"]}}, "Calendar is required"),
        ({"calendar": {"id": "5" * 24, "name": "Other"}}, f"Calendar {'5' * 24} not found"),
        ({"type": "Preview Dialer"}, "Bad type"),
        ({"numberStrategy": "random"}, "Bad numberStrategy"),
        ({"membersStrategy": "fifo"}, "Bad membersStrategy"),
        ({"agentStrategy": "round_robin"}, "Bad agentStrategy"),
        ({"priority": "high"}, "Bad priority"),
    ],
)
def test_dialer_mandatory_fields_and_enums(http, changes, info):
    response = http.post("/api/v2/dialer", json={**EXAMPLE_DIALER, **changes})
    assert response.status_code == 400
    assert response.json()["status"] == "error"
    assert response.json()["info"].startswith(info)


@pytest.mark.parametrize("strategy", ["longest-idle-agent", "agent-with-fewest-calls", "random"])
def test_both_spellings_of_agent_strategies_are_accepted(http, strategy):
    create_dialer(http, agentStrategy=strategy)


def range_of(**changes):
    return {
        "types": [
            {
                "name": "Personal",
                "code": "1",
                "ranges": [
                    {"startTime": 540, "endTime": 1080, "attempts": 2, "priority": 10, **changes}
                ],
            }
        ]
    }


@pytest.mark.parametrize(
    "communications",
    [
        {"types": "Personal"},
        {"types": [{"name": "Personal", "ranges": []}]},
        {"types": [{"name": "A", "code": "1"}, {"name": "B", "code": "1"}]},
        range_of(startTime=1080, endTime=540),
        range_of(endTime=1500),
        range_of(startTime=-1),
        range_of(attempts=-1),
        range_of(priority="high"),
        {"types": [{"name": "A", "code": "1", "ranges": [{"startTime": 540}]}]},
    ],
)
def test_communication_rules(http, communications):
    response = http.post(
        "/api/v2/dialer", json={**EXAMPLE_DIALER, "communications": communications}
    )
    assert response.status_code == 400
    assert response.json()["info"].startswith("Bad communications")


def test_attempts_and_priority_of_a_range_are_optional(http):
    ranges = [{"startTime": 540, "endTime": 1080}]
    create_dialer(http, communications={"types": [{"name": "A", "code": "1", "ranges": ranges}]})


def test_update_sets_the_given_keys_but_never_the_engine_ones(http):
    dialer_id = create_dialer(http)
    response = http.put(
        f"/api/v2/dialer/{dialer_id}",
        json={"description": "changed", "active": True, "state": 1, "_id": "x"},
    )
    assert response.json()["status"] == "OK"
    stored = http.get(f"/api/v2/dialer/{dialer_id}").json()["data"]
    assert stored["description"] == "changed"
    assert stored["name"] == "myPredictiveDialer"
    assert (stored["_id"], stored["active"], stored["state"]) == (dialer_id, False, 0)


def test_update_validates_like_create(http):
    dialer_id = create_dialer(http)
    response = http.put(f"/api/v2/dialer/{dialer_id}", json={"type": "Fast Dialer"})
    assert response.status_code == 400


def test_unknown_and_malformed_dialer_ids(http):
    assert http.get(f"/api/v2/dialer/{'a' * 24}").status_code == 404
    response = http.get("/api/v2/dialer/not-an-id")
    assert response.status_code == 400
    assert response.json() == {"status": "error", "info": "Bad ObjectId"}


def test_state_1_starts_3_stops_and_nothing_else_exists(http):
    dialer_id = create_dialer(http)
    assert http.put(f"/api/v2/dialer/{dialer_id}/state/1").json()["data"] == {"active": True}
    assert http.get(f"/api/v2/dialer/{dialer_id}").json()["data"]["active"] is True
    stop = http.put(f"/api/v2/dialer/{dialer_id}/state/3").json()
    assert stop["data"] == {"state": 3, "members": 0}
    assert http.get(f"/api/v2/dialer/{dialer_id}").json()["data"]["active"] is False
    response = http.put(f"/api/v2/dialer/{dialer_id}/state/2")
    assert response.status_code == 400
    assert response.json()["info"] == "Bad set state"


def test_delete_removes_the_dialer_and_its_members(http, emulator):
    dialer_id = create_dialer(http)
    add_members(http, dialer_id, 2)
    assert http.delete(f"/api/v2/dialer/{dialer_id}").json()["status"] == "OK"
    assert http.get(f"/api/v2/dialer/{dialer_id}").status_code == 404
    assert dialer_id not in emulator.members


def test_list_pages_with_limit_and_page(http):
    ids = [create_dialer(http, name=f"d{n}") for n in range(3)]
    page = http.get("/api/v2/dialer", params={"limit": 2, "page": 2}).json()["data"]
    assert [dialer["_id"] for dialer in page] == ids[2:]


# --- members --------------------------------------------------------------------------


def test_members_one_or_an_array_and_the_pending_count_grows(http):
    dialer_id = create_dialer(http)
    one = http.post(f"/api/v2/dialer/{dialer_id}/members", json=EXAMPLE_MEMBER).json()
    assert one["data"]["insertedCount"] == 1
    assert count(http, dialer_id) == 1
    assert len(add_members(http, dialer_id, 3)) == 3
    assert count(http, dialer_id) == 4
    member = http.get(f"/api/v2/dialer/{dialer_id}/members/{one['data']['insertedIds'][0]}")
    stored = member.json()["data"]
    assert [c["state"] for c in stored["communications"]] == [0, 0]
    assert stored["_score"] == stored["createdOn"] + 10


@pytest.mark.parametrize(
    ("member", "info"),
    [
        ({"name": "x"}, "Bad communications (must array)"),
        ({"name": "x", "communications": []}, "Bad communications (must array)"),
        ({"name": "x", "communications": [{"priority": 1}]}, "Bad communication number"),
    ],
)
def test_member_communications_rules(http, member, info):
    dialer_id = create_dialer(http)
    response = http.post(f"/api/v2/dialer/{dialer_id}/members", json=[EXAMPLE_MEMBER, member])
    assert response.status_code == 400
    assert response.json() == {"status": "error", "info": info}
    assert count(http, dialer_id) == 0  # all or nothing


def test_auto_run_starts_the_dialer(http):
    dialer_id = create_dialer(http)
    add_members(http, dialer_id, autoRun="true")
    assert http.get(f"/api/v2/dialer/{dialer_id}").json()["data"]["active"] is True


def test_the_5_mb_body_limit(http):
    dialer_id = create_dialer(http)
    member = dict(EXAMPLE_MEMBER, variables={"blob": "x" * (5 * 1024 * 1024)})
    response = http.post(f"/api/v2/dialer/{dialer_id}/members", json=member)
    assert response.status_code == 413
    assert response.json() == {"status": "error", "info": "request entity too large"}


def test_pending_shrinks_on_delete_and_on_dialling(http, emulator):
    dialer_id = create_dialer(http, parameters={"waitingForResultStatus": False})
    ids = add_members(http, dialer_id, 4)
    http.delete(f"/api/v2/dialer/{dialer_id}/members/{ids[0]}")
    assert emulator.dial(dialer_id, 2) == ids[1:3]
    assert count(http, dialer_id) == 3
    assert count(http, dialer_id, "_endCause=^") == 2
    assert count(http, dialer_id, "_endCause=ACCEPT") == 2
    assert emulator.pending(dialer_id) == 1


def test_a_locked_member_cannot_change_or_go(http, emulator):
    dialer_id = create_dialer(http)
    (member_id,) = add_members(http, dialer_id)
    emulator.lock_member(dialer_id, member_id)
    path = f"/api/v2/dialer/{dialer_id}/members/{member_id}"
    update = http.put(path, json={"name": "New"})
    assert update.status_code == 406
    assert update.json() == {"status": "error", "info": f"Member {member_id} locked"}
    delete = http.delete(path)
    assert delete.status_code == 406
    assert delete.json() == {"status": "error", "info": "Not Acceptable"}


def test_deleting_a_missing_member_is_also_406(http):
    dialer_id = create_dialer(http)
    response = http.delete(f"/api/v2/dialer/{dialer_id}/members/{'b' * 24}")
    assert response.status_code == 406


def test_update_keeps_the_engine_state_of_known_numbers(http, emulator):
    dialer_id = create_dialer(http)
    (member_id,) = add_members(http, dialer_id)
    emulator.members[dialer_id][member_id]["communications"][0]["state"] = 2
    body = {"communications": [{"number": "380911234567"}, {"number": "380990000000"}]}
    http.put(f"/api/v2/dialer/{dialer_id}/members/{member_id}", json=body)
    stored = emulator.members[dialer_id][member_id]["communications"]
    assert [c["state"] for c in stored] == [2, 0]


def test_call_result_only_while_the_member_waits_for_it(http, emulator):
    dialer_id = create_dialer(http)
    (member_id,) = add_members(http, dialer_id)
    path = f"/api/v2/dialer/{dialer_id}/members/{member_id}/status"
    early = http.put(path, json={"success": True})
    assert early.status_code == 400
    assert early.json()["info"] == f"Member {member_id}: result status false"
    emulator.dial(dialer_id, 1)
    assert count(http, dialer_id, "_endCause=^") == 0  # dialled, waiting for its result
    assert http.put(path, json={"success": True}).json() == {"status": "OK", "info": "success"}
    assert emulator.members[dialer_id][member_id]["_endCause"] == "ACCEPT"


def test_an_unsuccessful_result_keeps_the_member_pending(http, emulator):
    dialer_id = create_dialer(http)
    (member_id,) = add_members(http, dialer_id)
    emulator.dial(dialer_id, 1)
    http.put(f"/api/v2/dialer/{dialer_id}/members/{member_id}/status", json={"success": False})
    assert emulator.pending(dialer_id) == 1
    assert emulator.dial(dialer_id, 1) == [member_id]


def test_terminate(http, emulator):
    dialer_id = create_dialer(http)
    first, second = add_members(http, dialer_id, 2)
    path = f"/api/v2/dialer/{dialer_id}/members/{first}/terminate"
    assert http.put(path).json() == {"status": "OK", "info": "success"}
    assert emulator.members[dialer_id][first]["_endCause"] == "MANAGER_REQUEST"
    assert http.put(path).status_code == 405  # already ended
    emulator.lock_member(dialer_id, second)
    assert http.put(f"/api/v2/dialer/{dialer_id}/members/{second}/terminate").status_code == 405
    missing = http.put(f"/api/v2/dialer/{dialer_id}/members/{'c' * 24}/terminate")
    assert missing.status_code == 404


# --- faults ---------------------------------------------------------------------------


def test_faults_use_the_webitel_envelope(http, emulator):
    emulator.inject(Fault.SERVER_ERROR)
    response = http.get("/api/v2/dialer")
    assert response.status_code == 503
    assert response.json()["status"] == "error"
    emulator.inject(Fault.RATE_LIMITED, retry_after=7)
    response = http.get("/api/v2/dialer")
    assert (response.status_code, response.headers["Retry-After"]) == (429, "7")
    emulator.inject(Fault.MALFORMED_JSON)
    with pytest.raises(json.JSONDecodeError):
        http.get("/api/v2/dialer").json()
    emulator.inject(Fault.TIMEOUT)
    with pytest.raises(httpx.ReadTimeout):
        http.get("/api/v2/dialer")
    assert http.get("/api/v2/dialer").status_code == 200


def test_simulate_dialling_by_id_name_or_everywhere(http, emulator):
    first = create_dialer(http, name="First", parameters={})
    second = create_dialer(http, name="Second", parameters={})
    add_members(http, first, 2)
    add_members(http, second, 2)
    assert emulator.simulate_dialling(1, campaign="Second") == 1
    assert emulator.simulate_dialling(5, campaign=first) == 2
    assert emulator.simulate_dialling(5) == 1
    assert (emulator.pending(first), emulator.pending(second)) == (0, 0)
