"""The jtel emulator enforces the Portal REST contract (excerpt and api-facts §4)."""

from __future__ import annotations

import httpx
import pytest

from tests.vendors.jtel.harness import CREDENTIALS, TEMPLATE
from vendors.adapters.emulation import Fault

BASE = "http://jtel.test/rest/v1.0/1"
AUTH = {"Authorization": f"Bearer {CREDENTIALS['token']}"}
CONTACT = {
    "DiallerCampaignsID": 535,
    "UserData": "crm-42",
    "Name": "Huber",
    "FirstName": "Anna",
    "PhoneNumber1": "+4989123456",
}


@pytest.fixture
def http(emulator) -> httpx.Client:
    return httpx.Client(base_url=BASE, transport=emulator.transport(), headers=AUTH)


def clone(http, destination="Spring", **extra):
    body = {"source": TEMPLATE, "destination": destination, **extra}
    return http.post("/dialler/campaigns/clone", json=body)


def import_contact(http, overwrite="false", **changes):
    params = {"overwriteDuplicates": overwrite}
    return http.post("/dialler/contacts/import", params=params, json={**CONTACT, **changes})


@pytest.mark.parametrize(
    ("url", "headers"),
    [
        (BASE + "/dialler/campaigns", {}),
        (BASE + "/dialler/campaigns", {"Authorization": "Bearer nope"}),
        (BASE + "/dialler/campaigns", {"Authorization": CREDENTIALS["token"]}),
        ("http://jtel.test/rest/v1.0/2/dialler/campaigns", AUTH),
    ],
)
def test_a_bad_token_or_a_wrong_clients_id_is_401(emulator, url, headers):
    response = httpx.Client(transport=emulator.transport()).get(url, headers=headers)
    assert response.status_code == 401
    assert response.json()["status"] == 401
    assert "bad token and/or wrong ClientsID" in response.json()["error"]


def test_an_unknown_endpoint_is_404_with_an_empty_body(http):
    response = http.get("/dialler/statistics")
    assert (response.status_code, response.content) == (404, b"")


def test_documented_campaign_records_show_no_id(http, emulator):
    emulator.guessed_extras = False
    cloned = clone(http).json()["records"][0]
    assert "ID" not in cloned and cloned["Name"] == "Spring"
    assert all("ID" not in r for r in http.get("/dialler/campaigns").json()["records"])
    by_name = http.get("/dialler/campaigns/campaign", params={"name": "Spring"}).json()
    assert [r["Name"] for r in by_name["records"]] == ["Spring"]


def test_the_campaign_list_takes_no_parameters(http):
    # "Parameters: None" (excerpt).
    assert http.get("/dialler/campaigns", params={"name": "x"}).status_code == 400


def test_clone_takes_iso_times_with_a_t(http):
    assert clone(http, dtFrom="2026-01-05T08:00:00").status_code == 200
    assert clone(http, destination="Other", dtFrom="2026-01-05 08:00:00").status_code == 200
    assert clone(http, destination="Bad", dtFrom="05.01.2026").status_code == 400


def test_a_contact_without_user_data_is_imported(http, emulator):
    body = {"Name": "Meyer", "DiallerCampaignsID": 535, "PhoneNumber1": "+4930123456"}
    assert http.post("/dialler/contacts/import", json=body).status_code == 200
    assert (
        http.post(
            "/dialler/contacts/import", params={"overwriteDuplicates": "true"}, json=body
        ).status_code
        == 200
    )
    assert len(emulator.campaign_contacts(535)) == 2


def test_post_needs_json(http):
    response = http.post("/dialler/campaigns/clone", content=b"source=x")
    # 415 is not a documented jtel return code; 400 is.
    assert response.status_code == 400


def test_the_list_envelope(http):
    body = http.get("/dialler/campaigns").json()
    assert {k: body[k] for k in ("filter", "limitStart", "limitPageSize", "count", "status")} == {
        "filter": "",
        "limitStart": 0,
        "limitPageSize": -1,
        "count": 1,
        "status": 200,
    }
    assert (body["orderBy"], body["ascending"]) == ("Name", True)
    assert body["records"][0]["Name"] == TEMPLATE
    assert body["records"][0]["ClientsID"] == 1


def test_get_by_id_and_by_partial_name(http):
    assert http.get("/dialler/campaigns/535").json()["records"][0]["Name"] == TEMPLATE
    missing = http.get("/dialler/campaigns/9")
    assert missing.status_code == 404
    assert missing.json() == {"status": 404, "error": "Dialler campaign not found"}
    clone(http, "Campaign 1000 copy")
    found = http.get("/dialler/campaigns/campaign", params={"name": "campaign 1000"}).json()
    assert found["count"] == 2


def test_clone_copies_the_template_and_its_result_codes(http):
    response = clone(http, userData="crm", dtFrom="2026-05-01 08:00:00")
    assert response.status_code == 200
    (record,) = response.json()["records"]
    assert response.json()["count"] == 1
    assert (record["Name"], record["UserData"], record["dtFrom"]) == (
        "Spring",
        "crm",
        "2026-05-01 08:00:00",
    )
    assert record["ID"] != 535
    codes = http.get(f"/dialler/campaigns/campaign/{record['ID']}/resultCodes?languagesID=1")
    assert [c["ExportKey"] for c in codes.json()["records"]] == ["ABG", "WV", "Aufleger"]
    assert {c["DiallerCampaignsID"] for c in codes.json()["records"]} == {record["ID"]}


@pytest.mark.parametrize(
    ("body", "status", "error"),
    [
        ({"destination": "x"}, 400, "Missing parameter: source"),
        ({"source": TEMPLATE}, 400, "Missing parameter: destination"),
        ({"source": "Nope", "destination": "x"}, 404, "Dialler campaign not found"),
        ({"source": TEMPLATE, "destination": TEMPLATE}, 409, "Dialler campaign already exists"),
        (
            {"source": TEMPLATE, "destination": "x", "dtTo": "01.05.2026 08:00"},
            400,
            "dtTo must be a date and time as YYYY-MM-DD HH:mm:SS",
        ),
        (
            {"source": TEMPLATE, "destination": "x", "dtFrom": "2026-13-01 08:00:00"},
            400,
            "dtFrom is not a valid date and time",
        ),
    ],
)
def test_clone_refusals(http, body, status, error):
    response = http.post("/dialler/campaigns/clone", json=body)
    assert response.status_code == status
    assert response.json() == {"status": status, "error": error}


def test_result_codes_in_english_or_german(http):
    path = "/dialler/campaigns/campaign/535/resultCodes"
    english = http.get(path, params={"languagesID": 1}).json()["records"]
    german = http.get(path, params={"languagesID": 2}).json()["records"]
    assert english[0]["Content"] == "Completed"
    assert german[0]["Content"] == "Abgeschlossen"
    assert english[0]["bDone"] is True and english[2]["bAborted"] is True
    assert http.get(path, params={"languagesID": 3}).status_code == 400


def test_delete_by_id_and_by_name_with_their_contacts(http, emulator):
    first = clone(http, "A").json()["records"][0]["ID"]
    clone(http, "B")
    import_contact(http, DiallerCampaignsID=first)
    assert http.delete(f"/dialler/campaigns/campaign/{first}").json() == {"status": 200}
    assert emulator.contacts == {}
    assert http.delete(f"/dialler/campaigns/campaign/{first}").status_code == 404
    assert http.delete("/dialler/campaigns/campaign", params={"name": "B"}).status_code == 200
    assert http.delete("/dialler/campaigns/campaign", params={"name": "B"}).status_code == 404


@pytest.mark.parametrize(
    ("changes", "status", "error"),
    [
        ({"Name": ""}, 400, "Missing parameter: Name"),
        (
            {"DiallerCampaignsID": None},
            400,
            "Missing parameter: DiallerCampaignsID or DiallerCampaignsName",
        ),
        ({"DiallerCampaignsID": 9}, 404, "Dialler campaign not found"),
        (
            {"PhoneNumber1": ""},
            400,
            "At least one of PhoneNumber1 ... PhoneNumber6 is required",
        ),
        ({"UserData": "u" * 65}, 400, "UserData is longer than 64 characters"),
        ({"PhoneNumber2": "1" * 33}, 400, "PhoneNumber2 is longer than 32 characters"),
    ],
)
def test_import_rules(http, emulator, changes, status, error):
    response = import_contact(http, **changes)
    assert response.status_code == status
    assert response.json() == {"status": status, "error": error}
    assert emulator.contacts == {}


def test_import_by_campaign_name(http, emulator):
    changes = {"DiallerCampaignsID": None, "DiallerCampaignsName": TEMPLATE}
    assert import_contact(http, **changes).status_code == 200
    assert emulator.campaign_contacts(535)[0]["DiallerCampaignsID"] == 535


def test_overwrite_duplicates_is_keyed_on_user_data(http, emulator):
    import_contact(http)
    import_contact(http, overwrite="true", Name="Maier")
    assert [c["Name"] for c in emulator.contacts.values()] == ["Maier"]
    import_contact(http, overwrite="false")
    assert len(emulator.contacts) == 2


def test_contacts_grow_and_shrink(http, emulator):
    for n in range(3):
        import_contact(http, UserData=f"u{n}")
    listed = http.get("/dialler/contacts", params={"diallerCampaignsID": 535}).json()
    assert (listed["count"], listed["limitPageSize"]) == (3, -1)
    first_id = listed["records"][0]["ID"]
    assert http.get(f"/dialler/contacts/{first_id}").json()["records"][0]["UserData"] == "u0"
    assert http.delete(f"/dialler/contacts/contact/{first_id}").json() == {"status": 200}
    assert http.delete(f"/dialler/contacts/contact/{first_id}").status_code == 404
    by_user_data = http.delete("/dialler/contacts/contact", params={"userData": "u1"})
    assert by_user_data.status_code == 200
    assert http.delete("/dialler/contacts/contact", params={"userData": "u1"}).status_code == 404
    assert [c["UserData"] for c in emulator.campaign_contacts(535)] == ["u2"]


def test_dialling_records_results_and_closes_final_ones(http, emulator):
    for n in range(3):
        import_contact(http, UserData=f"u{n}")
    assert len(emulator.dial(535, 1, export_key="WV")) == 1  # a call back: still open
    assert len(emulator.dial(535, 2)) == 2
    assert len(emulator.dial(535, 5)) == 1
    assert emulator.dial(535, 5) == []


def test_faults_use_the_jtel_error_shape(http, emulator):
    emulator.inject(Fault.SERVER_ERROR)
    response = http.get("/dialler/campaigns")
    assert response.json() == {"status": 500, "error": "Internal Server Error"}
    emulator.inject(Fault.RATE_LIMITED, retry_after=4)
    response = http.get("/dialler/campaigns")
    assert (response.status_code, response.headers["Retry-After"]) == (429, "4")
    emulator.inject(Fault.TIMEOUT)
    with pytest.raises(httpx.ReadTimeout):
        http.get("/dialler/campaigns")


def test_simulate_dialling_by_id_name_or_everywhere(http, emulator):
    other = clone(http, "Other").json()["records"][0]["ID"]
    import_contact(http, UserData="a")
    import_contact(http, UserData="b", DiallerCampaignsID=other)
    import_contact(http, UserData="c", DiallerCampaignsID=other)
    assert emulator.simulate_dialling(1, campaign="Other") == 1
    assert emulator.simulate_dialling(5, campaign="535") == 1
    assert emulator.simulate_dialling(5) == 1
    assert emulator.simulate_dialling(5) == 0


def test_overwrite_duplicates_forgets_deleted_contacts(http, emulator):
    import_contact(http)
    import_contact(http)  # two contacts share the UserData; the first one is found
    first, second = list(emulator.contacts)
    assert (
        http.delete("/dialler/contacts/contact", params={"userData": "crm-42"}).status_code == 200
    )
    assert list(emulator.contacts) == [second]
    import_contact(http, overwrite="true", Name="Maier")
    assert [c["Name"] for c in emulator.contacts.values()] == ["Maier"]
    assert http.delete(f"/dialler/contacts/contact/{second}").status_code == 200
    import_contact(http, overwrite="true")
    assert len(emulator.contacts) == 1 and first not in emulator.contacts
