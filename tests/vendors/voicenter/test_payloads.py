"""Voicenter request shapes, pinned with respx against voicenter-forward-dialer.txt: URL,
method, headers, body keys and types, for every operation; and the pure reply parsers."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import httpx
import pytest
import respx

from tests.vendors.voicenter.harness import CREDENTIALS, campaign_spec, lead
from vendors.adapters.http import build_client
from vendors.adapters.types import AccountConfig, LeadOutcome, RemoteRef
from vendors.adapters.voicenter import payloads
from vendors.adapters.voicenter.adapter import VoicenterAdapter

CODE = CREDENTIALS["code"]
HOST = "https://api.voicenter.co.il"
OK = {"ErrorCode": 0, "Description": "OK"}
REF = RemoteRef("camp0001", extra={"caller_id": "+97235551234"})


@pytest.fixture
def router():
    with respx.mock(base_url=f"{HOST}/ForwardDialer/Dialer", assert_all_called=False) as mock:
        yield mock


@pytest.fixture
def adapter(router):
    """The adapter on its default host, over the real client builder (respx intercepts)."""
    client = build_client(
        base_url=VoicenterAdapter.default_base_url,
        secrets=VoicenterAdapter.secret_values(CREDENTIALS),
        headers=VoicenterAdapter.auth_headers(CREDENTIALS),
    )
    account = AccountConfig(
        account_id=1,
        kind="voicenter",
        base_url=VoicenterAdapter.default_base_url,
        credentials=CREDENTIALS,
    )
    return VoicenterAdapter(account=account, client=client)


def sent(route) -> tuple[httpx.Request, object]:
    request = route.calls.last.request
    assert request.method == "POST"
    assert request.headers["content-type"] == "application/json"
    assert "authorization" not in request.headers  # the Code travels in the body
    return request, json.loads(request.content)


def test_campaign_list_sends_only_the_code(router, adapter):
    route = router.post("/GetCampaignList").respond(json={**OK, "Data": []})
    adapter.campaign_link_choices()
    request, body = sent(route)
    assert str(request.url) == f"{HOST}/ForwardDialer/Dialer/GetCampaignList"
    assert body == {"Code": CODE}


@pytest.mark.parametrize(
    ("method", "call"),
    [
        ("StartCampaign", lambda a: a.campaign_start(REF)),
        ("StopCampaign", lambda a: a.campaign_stop(REF)),
        ("ClearCampaignCalls", lambda a: a.leads_clear(REF)),
        ("GetMembersList", lambda a: a.campaign_members(REF)),
    ],
)
def test_campaign_methods_send_code_and_campaign(router, adapter, method, call):
    route = router.post(f"/{method}").respond(json={**OK, "Data": []})
    call(adapter)
    _, body = sent(route)
    assert body == {"Code": CODE, "Campaign": "camp0001"}


def test_pending_count_reads_campaign_details(router, adapter):
    details = {
        "Name": "Morning messages",
        "StatusName": "Enabled",
        "TotalPendingCalls": 4,
        "MaxPriority": 7,
        "MinPriority": 1,
        "Code": "camp0001",
    }
    route = router.post("/GetCampaignDetails").respond(json={"Data": details, **OK})
    count = adapter.pending_count(REF)
    _, body = sent(route)
    assert body == {"Code": CODE, "Campaign": "camp0001"}
    assert (count.pending, count.state) == (4, "Enabled")
    assert count.detail == {"Name": "Morning messages", "MaxPriority": 7, "MinPriority": 1}


def test_add_call_shape(router, adapter):
    route = router.post("/AddCall").respond(json=OK)
    record = lead(42, custom_fields={"order no": "A-1", "var_City": "Haifa"}, priority=3)
    adapter.leads_push(REF, [record])
    _, body = sent(route)
    assert body == {
        "Code": CODE,
        "Campaign": "camp0001",
        "Target": "972501234567",
        "Callerid": "97235551234",
        "CustomerName": "Noa Levi",
        "Priority": 3,
        "CustomData": {
            "var_LeadID": 42,
            "var_order_no": "A-1",
            "var_City": "Haifa",
            "var_DialerCampaign": "camp0001",
        },
    }


def test_add_calls_bulk_shape_is_an_array_of_calls_each_with_code(router, adapter):
    route = router.post("/AddCallsBulk").respond(
        json={
            **OK,
            "AddResult": [
                {"Target": "972501111111", "ErrorCode": 0, "Description": "OK"},
                {"Target": "972502222222", "ErrorCode": 2, "Description": "The target is invalid"},
            ],
        }
    )
    result = adapter.leads_push(REF, [lead(1, "+972501111111"), lead(2, "+972502222222")])
    _, body = sent(route)
    assert isinstance(body, list) and len(body) == 2
    assert body[0] == {
        "Code": CODE,
        "Campaign": "camp0001",
        "Target": "972501111111",
        "CallerID": "97235551234",
        "CustomerName": "Noa Levi",
        "CustomData": {"var_LeadID": 1, "var_DialerCampaign": "camp0001"},
    }
    assert [r.outcome for r in result.results] == [LeadOutcome.ACCEPTED, LeadOutcome.REJECTED]


def test_the_documented_bulk_reply_accepts_every_lead(router, adapter):
    # 6.11's reply is exactly {"ErrorCode": 0, "Description": "OK"}: no AddResult.
    router.post("/AddCallsBulk").respond(json={"ErrorCode": 0, "Description": "OK"})
    results = adapter.leads_push(REF, [lead(1, "+972501111111"), lead(2, "+972502222222")])
    assert [(r.lead_id, r.outcome, r.remote_id) for r in results.results] == [
        (1, LeadOutcome.ACCEPTED, "972501111111"),
        (2, LeadOutcome.ACCEPTED, "972502222222"),
    ]


def test_bulk_results_that_do_not_match_the_leads_are_a_protocol_error(router, adapter):
    from vendors.adapters.errors import VendorProtocolError

    router.post("/AddCallsBulk").respond(json={**OK, "AddResult": []})
    with pytest.raises(VendorProtocolError):
        adapter.leads_push(REF, [lead(1, "+972501111111"), lead(2, "+972502222222")])


def test_update_call_and_remove_call_shapes(router, adapter):
    update = router.post("/UpdateCall").respond(json=OK)
    remove = router.post("/RemoveCall").respond(json=OK)
    adapter.lead_update(REF, remote_lead_id="972501234567", lead=lead(5, priority=42))
    adapter.lead_remove(REF, remote_lead_id="972501234567", phone="+972501234567")
    _, update_body = sent(update)
    assert set(update_body) == {
        "Code",
        "Campaign",
        "Target",
        "Callerid",
        "CustomerName",
        "Priority",
        "CustomData",
    }
    assert update_body["Priority"] == 42
    _, remove_body = sent(remove)
    assert remove_body == {"Code": CODE, "Campaign": "camp0001", "Target": "972501234567"}


def test_update_sends_strategy_ivr_and_member_calls(router, adapter):
    details = router.post("/GetCampaignDetails").respond(json={**OK, "Data": {}})
    strategy = router.post("/UpdateCampaignStrategy").respond(json=OK)
    ivr = router.post("/ConfigureIvrCampaign").respond(json=OK)
    members = router.post("/GetMembersList").respond(
        json={**OK, "Data": [{"Member": "SIP9", "DisplayName": "Old"}]}
    )
    add = router.post("/AddMember").respond(json={**OK, "Data": {"TotalAdded": 1}})
    remove = router.post("/RemoveMember").respond(json={**OK, "Data": {"TotalRemoved": 1}})

    adapter.campaign_create(campaign_spec(Code="camp0001"))

    assert sent(details)[1] == {"Code": CODE, "Campaign": "camp0001"}
    assert sent(strategy)[1] == {
        "Code": CODE,
        "Campaign": "camp0001",
        "setQueueForMonitoring": 10000,
        "setQueueMaximumCallers": 0,
        "setCoefficient": 1.5,
    }
    assert sent(ivr)[1] == {
        "Code": CODE,
        "Campaign": "camp0001",
        "ConcurrentStrategy": {"setMaxCalls": 5},
        "RepresentativeList": ["SIP1", "SIP2"],
    }
    assert sent(members)[1] == {"Code": CODE, "Campaign": "camp0001"}
    assert [json.loads(call.request.content)["Member"] for call in add.calls] == [
        "SIP1001",
        "SIP1002",
    ]
    assert sent(remove)[1] == {"Code": CODE, "Campaign": "camp0001", "Member": "SIP9"}


def test_a_reply_without_error_code_is_a_protocol_error(router, adapter):
    from vendors.adapters.errors import VendorProtocolError

    router.post("/StartCampaign").respond(json={"Description": "OK"})
    with pytest.raises(VendorProtocolError):
        adapter.campaign_start(REF)


# --- pure functions ------------------------------------------------------------------


def test_target_drops_the_plus():
    assert payloads.target("+972501234567") == "972501234567"


def test_error_code_accepts_numbers_as_text_and_refuses_nonsense():
    assert payloads.error_code({"ErrorCode": "1"}) == 1
    assert payloads.error_code({"ErrorCode": True}) is None
    assert payloads.error_code({"Description": "OK"}) is None
    assert payloads.error_code([]) is None


def test_remote_campaigns_skip_deleted_and_codeless_rows():
    data = {
        "Data": [
            {"Name": "A", "StatusName": "Enabled", "Code": "a1"},
            {"Name": "B", "StatusName": "Deleted", "Code": "b1"},
            {"Name": "C", "StatusName": "Enabled"},
        ]
    }
    assert [c.remote_id for c in payloads.remote_campaigns(data)] == ["a1"]


def test_pending_from_details_refuses_a_missing_count():
    now = datetime.now(UTC)
    assert payloads.pending_from_details({"Data": {"StatusName": "Enabled"}}, now) is None
    assert payloads.pending_from_details({"Data": []}, now) is None


def test_desired_members_are_the_agents_ids_never_the_stored_settings():
    # A stale ``members`` left in old settings is not sent: the agents decide.
    spec = campaign_spec(members=["SIP7777"])
    assert payloads.desired_members(spec) == ["SIP1001", "SIP1002"]


def test_bulk_results_refuse_a_reply_that_does_not_match_the_leads():
    leads = [lead(1, "+972501111111")]
    other = {"AddResult": [{"Target": "972509999999", "ErrorCode": 0, "Description": "OK"}]}
    assert payloads.bulk_results(leads, other) is None
    assert payloads.bulk_results(leads, {"AddResult": []}) is None


@pytest.fixture
def call_log():
    """The call log's host, outside the Dialer API's path."""
    with respx.mock(base_url=HOST, assert_all_called=False) as mock:
        yield mock


@pytest.fixture
def log_adapter(call_log):
    client = build_client(
        base_url=VoicenterAdapter.default_base_url,
        secrets=VoicenterAdapter.secret_values(CREDENTIALS),
        headers=VoicenterAdapter.auth_headers(CREDENTIALS),
    )
    account = AccountConfig(
        account_id=1,
        kind="voicenter",
        base_url=VoicenterAdapter.default_base_url,
        credentials=CREDENTIALS,
    )
    return VoicenterAdapter(account=account, client=client)


def test_the_call_log_request_and_its_reply(call_log, log_adapter):
    """The call log's shape is a guess [I] (payloads, "the call log"): pinned here so a
    change to it is deliberate."""
    cdr = {
        "CallID": "c-1",
        "Date": "2026-12-03 10:00:05",
        "TargetNumber": "972501234567",
        "DialStatus": "BUSY",
        "Duration": 0,
        "RepresentativeName": "",
        "TypeID": 14,
        "CustomData": {"var_LeadID": 7, "var_DialerCampaign": "camp0001"},
    }
    route = call_log.post("/hub/cdr/").respond(
        json={
            "ERROR_NUMBER": 0,
            "ERROR_DESCRIPTION": "OK",
            "CDR_LIST": [
                cdr,
                {**cdr, "CallID": "c-1-2", "TypeID": 15},  # the agent's leg: not an attempt
                {**cdr, "CallID": "c-9", "CustomData": {"var_DialerCampaign": "other"}},
                {**cdr, "CallID": "c-bad", "Date": "yesterday"},
                "nonsense",
            ],
        }
    )
    since = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
    records = log_adapter.call_records(REF, since=since)
    body = json.loads(route.calls.last.request.content)
    assert body["code"] == CODE and body["cdrTypes"] == [14, 15]
    assert body["fromdate"] == "2026-12-01 08:00:00"
    assert [(r.record_id, r.lead_id, r.result_raw, r.outcome) for r in records] == [
        ("c-1", 7, "BUSY", "BUSY")
    ]
    assert records[0].at == datetime(2026, 12, 3, 10, 0, 5, tzinfo=UTC)


@pytest.mark.parametrize(
    ("reply", "error"),
    [
        ({"ERROR_NUMBER": 4, "ERROR_DESCRIPTION": "Invalid code"}, "VendorPermanentError"),
        ({"CDR_LIST": []}, "VendorProtocolError"),
        ({"ERROR_NUMBER": 0}, "VendorProtocolError"),
    ],
)
def test_a_call_log_error_or_a_reply_without_records_is_an_error(
    call_log, log_adapter, reply, error
):
    call_log.post("/hub/cdr/").respond(json=reply)
    with pytest.raises(Exception) as caught:
        log_adapter.call_records(REF, since=datetime(2026, 12, 1, tzinfo=UTC))
    assert type(caught.value).__name__ == error
