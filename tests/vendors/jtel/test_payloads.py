"""The exact request of every jtel operation (respx), pinned against the excerpt and
api-facts §4, and the pure payload functions."""

from __future__ import annotations

import json
from datetime import date, datetime

import httpx
import pytest
import respx

from tests.vendors.jtel.harness import CREDENTIALS, campaign_spec, lead
from vendors.adapters.http import build_client
from vendors.adapters.jtel import payloads
from vendors.adapters.jtel.adapter import JtelAdapter
from vendors.adapters.types import AccountConfig, AlternatePhone, RemoteRef

SERVER = "https://jtel.example:8443"
BASE = f"{SERVER}/rest/v1.0/1"
REF = RemoteRef(remote_id="536", extra={"name": "Spring renewals"})
ONE_CAMPAIGN = {"records": [{"ID": 536, "Name": "Spring renewals"}], "count": 1, "status": 200}
CODES = {
    "records": [
        {"ID": 2695, "ExportKey": "ABG", "Content": "Completed", "bDone": True, "bAborted": False}
    ],
    "count": 1,
    "status": 200,
}


@pytest.fixture
def adapter():
    client = build_client(
        base_url=SERVER,
        secrets=JtelAdapter.secret_values(CREDENTIALS),
        headers=JtelAdapter.auth_headers(CREDENTIALS),
    )
    account = AccountConfig(account_id=2, kind="jtel", base_url=SERVER, credentials=CREDENTIALS)
    return JtelAdapter(account=account, client=client)


def sent(route: respx.Route) -> httpx.Request:
    assert route.call_count == 1
    request = route.calls.last.request
    assert request.headers["Authorization"] == f"Bearer {CREDENTIALS['token']}"
    return request


@respx.mock
def test_campaign_create_posts_the_clone_body(adapter):
    route = respx.post(f"{BASE}/dialler/campaigns/clone").respond(json=ONE_CAMPAIGN)
    assert adapter.campaign_create(campaign_spec(userData="crm-7")).remote_id == "536"
    request = sent(route)
    assert request.headers["Content-Type"] == "application/json"
    assert json.loads(request.content) == {
        "source": "Campaign 1000",
        "destination": "Spring renewals",
        "userData": "crm-7",
        "dtFrom": "2026-05-01 08:00:00",
    }


@respx.mock
def test_campaign_list(adapter):
    route = respx.get(f"{BASE}/dialler/campaigns").respond(json=ONE_CAMPAIGN)
    assert adapter.campaign_link_choices()[0].name == "Spring renewals"
    assert sent(route).content == b""


DOCUMENTED_CAMPAIGN = {"records": [{"Name": "Spring renewals", "LanguagesID": 2}], "count": 1}


@respx.mock
def test_a_clone_reply_without_an_id_is_looked_up_by_name(adapter):
    respx.post(f"{BASE}/dialler/campaigns/clone").respond(json=DOCUMENTED_CAMPAIGN)
    # "by name" matches partially: only the exact name is taken.
    partial = {"ID": 537, "Name": "Spring renewals 2"}
    by_name = respx.get(f"{BASE}/dialler/campaigns/campaign").respond(
        json={"records": [partial, {"ID": 536, "Name": "Spring renewals"}], "count": 2}
    )
    ref = adapter.campaign_create(campaign_spec())
    assert ref == RemoteRef(remote_id="536", extra={"name": "Spring renewals"})
    assert dict(sent(by_name).url.params) == {"name": "Spring renewals"}


@respx.mock
def test_a_campaign_no_reply_names_is_created_with_its_id_unknown(adapter):
    from vendors.adapters.errors import VendorRemoteIdUnknown

    clone = respx.post(f"{BASE}/dialler/campaigns/clone").respond(json=DOCUMENTED_CAMPAIGN)
    respx.get(f"{BASE}/dialler/campaigns/campaign").respond(json=DOCUMENTED_CAMPAIGN)
    with pytest.raises(VendorRemoteIdUnknown) as caught:
        adapter.campaign_create(campaign_spec())
    assert caught.value.extra == {"name": "Spring renewals"}
    assert clone.call_count == 1


@respx.mock
def test_listed_campaigns_without_an_id_are_listed_without_one(adapter):
    respx.get(f"{BASE}/dialler/campaigns").respond(json=DOCUMENTED_CAMPAIGN)
    [choice] = adapter.campaign_link_choices()
    assert (choice.remote_id, choice.name) == ("", "Spring renewals")


@respx.mock
def test_pending_count_without_documented_results_is_unknown(adapter):
    respx.get(f"{BASE}/dialler/campaigns/campaign/536/resultCodes").respond(json=CODES)
    respx.get(f"{BASE}/dialler/contacts").respond(
        json={"records": [{"Name": "A", "dtNextTry": None}, {"Name": "B"}], "count": 2}
    )
    counted = adapter.pending_count(REF)
    assert (counted.pending, counted.total) == (None, 2)
    assert "unknown" in counted.detail["rests_on"]


@respx.mock
def test_test_connection_lists_campaigns(adapter):
    route = respx.get(f"{BASE}/dialler/campaigns").respond(json=ONE_CAMPAIGN)
    assert adapter.test_connection().ok
    assert sent(route).method == "GET"


@respx.mock
def test_campaign_delete_by_id(adapter):
    route = respx.delete(f"{BASE}/dialler/campaigns/campaign/536").respond(json={"status": 200})
    adapter.campaign_delete(REF)
    assert sent(route).url.params == httpx.QueryParams()


@respx.mock
def test_result_codes(adapter):
    route = respx.get(f"{BASE}/dialler/campaigns/campaign/536/resultCodes").respond(json=CODES)
    adapter.result_codes(REF, languages_id=2)
    assert dict(sent(route).url.params) == {"languagesID": "2"}


@respx.mock
def test_lead_push_imports_one_contact(adapter):
    route = respx.post(f"{BASE}/dialler/contacts/import").respond(json={"status": 200})
    the_lead = lead(
        9,
        email="anna@example.com",
        alternate_phones=(AlternatePhone("+4989654321"),),
        custom_fields={"City": "München", "plan": "gold"},
    )
    adapter.leads_push(REF, [the_lead])
    request = sent(route)
    assert dict(request.url.params) == {"overwriteDuplicates": "true"}
    assert request.headers["Content-Type"] == "application/json"
    body = json.loads(request.content)
    assert body == {
        "DiallerCampaignsID": 536,
        "UserData": "dc-536-9",
        "Name": "Huber",
        "FirstName": "Anna",
        "PhoneNumber1": "+4989123456",
        "PhoneNumber2": "+4989654321",
        "Email": "anna@example.com",
        "City": "München",
        "Comment": "plan: gold",
    }
    assert isinstance(body["DiallerCampaignsID"], int)


@respx.mock
def test_lead_update_is_the_same_overwriting_import(adapter):
    route = respx.post(f"{BASE}/dialler/contacts/import").respond(json={"status": 200})
    adapter.lead_update(REF, remote_lead_id="dc-536-9", lead=lead(9))
    request = sent(route)
    assert dict(request.url.params) == {"overwriteDuplicates": "true"}
    assert json.loads(request.content)["UserData"] == "dc-536-9"


@respx.mock
def test_lead_remove_by_user_data(adapter):
    route = respx.delete(f"{BASE}/dialler/contacts/contact").respond(json={"status": 200})
    adapter.lead_remove(REF, remote_lead_id="dc-536-9", phone="+4989123456")
    request = sent(route)
    assert dict(request.url.params) == {"userData": "dc-536-9"}
    assert request.content == b""


@respx.mock
def test_pending_count_reads_result_codes_then_contacts(adapter):
    codes = respx.get(f"{BASE}/dialler/campaigns/campaign/536/resultCodes").respond(json=CODES)
    contacts = respx.get(f"{BASE}/dialler/contacts").respond(
        json={
            "records": [{"ID": 1, "ResultCodesExportKey": "ABG"}, {"ID": 2}],
            "count": 2,
            "limitPageSize": -1,
            "status": 200,
        }
    )
    assert adapter.pending_count(REF).pending == 1
    assert dict(sent(codes).url.params) == {"languagesID": "1"}
    assert dict(sent(contacts).url.params) == {"diallerCampaignsID": "536"}


@respx.mock
def test_a_reply_without_records_is_a_protocol_error(adapter):
    from vendors.adapters.errors import VendorProtocolError

    respx.get(f"{BASE}/dialler/campaigns").respond(json={"status": 200})
    with pytest.raises(VendorProtocolError):
        adapter.campaign_link_choices()


# --- pure functions -------------------------------------------------------------------


def test_the_clients_id_is_not_a_secret():
    assert JtelAdapter.secret_values(CREDENTIALS) == [CREDENTIALS["token"]]


def test_the_clients_id_is_quoted_into_the_path():
    assert payloads.api_path("a/b", "/dialler") == "/rest/v1.0/a%2Fb/dialler"


def test_clone_body_leaves_out_what_the_form_left_empty():
    spec = campaign_spec(destination="stale, never sent", dtFrom=None)
    assert payloads.clone_body(spec) == {"source": "Campaign 1000", "destination": spec.name}


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (datetime(2026, 5, 1, 8, 0, 5), "2026-05-01 08:00:05"),
        (date(2026, 5, 1), "2026-05-01 00:00:00"),
        ("2026-05-01 08:00:00", "2026-05-01 08:00:00"),
    ],
)
def test_datetimes_in_jtels_format(value, text):
    assert payloads.format_datetime(value) == text


def test_a_lead_without_a_name_is_named_by_its_number():
    body = payloads.contact_body(lead(1, first_name="", last_name=""), campaign_id="5")
    assert body["Name"] == "+4989123456"
    assert "FirstName" not in body


def test_at_most_six_phone_numbers():
    alternates = tuple(AlternatePhone(f"+49891234{n:02d}") for n in range(8))
    body = payloads.contact_body(lead(1, alternate_phones=alternates), campaign_id="5")
    assert [key for key in body if key.startswith("PhoneNumber")] == list(payloads.PHONE_FIELDS)
