"""The OpenAPI document matches the replies: each case the security review found is sent
once and its reply checked against the document (schema, status, content type)."""

from __future__ import annotations

import pytest

from campaigns.services import calling_window_save
from dialer_console.openapi import OPERATION_SUMMARIES
from dialer_console.openapi_descriptions import OPERATION_DESCRIPTIONS
from tests.accounts.factories import TeamFactory, UserFactory
from tests.campaigns.factories import AgentFactory, CampaignFactory
from tests.dialer_console.schema_calls import (
    Credentials,
    api_schema,
    call_operation,
    session_credentials,
)
from tests.leads.factories import (
    DncEntryFactory,
    ImportJobFactory,
    LeadFactory,
    LeadListFactory,
)
from tests.sync.factories import campaign_on
from tests.vendors.fixtures import emulated_account

pytestmark = pytest.mark.usefixtures("wsgi_in_test_transaction")


@pytest.fixture(scope="module")
def schema():
    return api_schema()


@pytest.fixture
def credentials(db):
    return session_credentials(UserFactory(role="Supervisor", team=TeamFactory()))


LIST_OPERATIONS = [
    "/api/v1/agents/",
    "/api/v1/calling-windows/",
    "/api/v1/campaigns/",
    "/api/v1/disposition-lists/",
    "/api/v1/pause-code-lists/",
    "/api/v1/lead-lists/",
    "/api/v1/leads/",
    "/api/v1/dnc-entries/",
    "/api/v1/imports/",
    "/api/v1/sync/jobs/",
]


@pytest.mark.django_db
@pytest.mark.parametrize("path", LIST_OPERATIONS)
def test_list_replies_are_the_documented_page_envelopes(schema, credentials, path):
    lead_list = LeadListFactory()
    LeadFactory(lead_list=lead_list)
    AgentFactory()
    CampaignFactory()
    DncEntryFactory()
    ImportJobFactory(lead_list=lead_list)
    response = call_operation(schema, "GET", path, credentials)
    assert "results" in response.json()


@pytest.mark.django_db
@pytest.mark.parametrize("query", [{"page": 99}, {"cursor": "not-a-cursor"}])
def test_a_page_that_does_not_exist_is_a_documented_404(schema, credentials, query):
    path = "/api/v1/agents/" if "page" in query else "/api/v1/leads/"
    response = call_operation(schema, "GET", path, credentials, query=query)
    assert response.status_code == 404


@pytest.mark.django_db
def test_calling_window_times_are_hh_mm_as_documented(schema, credentials):
    window = calling_window_save(
        calling_window=None,
        fields={"name": "Office"},
        days=[{"weekday": 0, "start": "08:00", "end": "18:30"}],
        holidays=[],
    )
    response = call_operation(
        schema,
        "GET",
        "/api/v1/calling-windows/{id}/",
        credentials,
        path_parameters={"id": window.pk},
    )
    assert response.json()["days"][0]["start"] == "08:00"


@pytest.mark.django_db
@pytest.mark.parametrize(("given", "answered"), [("09:15", "09:15"), ("09:15:00", "09:15")])
def test_calling_window_takes_the_documented_time_pattern(schema, credentials, given, answered):
    body = {
        "name": "Evening",
        "days": [{"weekday": 1, "start": given, "end": "21:00"}],
    }
    response = call_operation(schema, "POST", "/api/v1/calling-windows/", credentials, body=body)
    assert response.status_code == 201, response.text
    assert response.json()["days"][0]["start"] == answered


@pytest.mark.django_db
def test_campaign_without_a_vendor_account_has_documented_empty_settings(schema, credentials):
    campaign = CampaignFactory(vendor_account=None, vendor_settings={})
    response = call_operation(
        schema,
        "GET",
        "/api/v1/campaigns/{id}/",
        credentials,
        path_parameters={"id": campaign.pk},
    )
    assert response.json()["vendor_settings"] == {}


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["acefone", "voicenter", "webitel", "jtel", "ozonetel"])
def test_a_campaign_answers_its_vendors_settings_as_documented(
    schema, credentials, monkeypatch, kind
):
    """Webitel answers switches as booleans and rows in its own nested shape; Voicenter's
    coefficient is a float (it was documented as an integer)."""
    account, _ = emulated_account(kind, monkeypatch=monkeypatch)
    campaign = campaign_on(account)
    response = call_operation(
        schema,
        "GET",
        "/api/v1/campaigns/{id}/",
        credentials,
        path_parameters={"id": campaign.pk},
    )
    assert response.json()["vendor_settings"]


@pytest.mark.django_db
def test_a_lead_list_named_in_a_body_that_is_not_there_is_a_documented_404(schema, credentials):
    response = call_operation(
        schema,
        "POST",
        "/api/v1/imports/",
        credentials,
        body={"file": b"phone\n+12125550100\n", "lead_list": 999999},
        media_type="multipart/form-data",
    )
    assert response.status_code == 404


@pytest.mark.django_db
def test_dnc_entry_without_a_creator_has_documented_null_created_by(schema, credentials):
    entry = DncEntryFactory(created_by=None)
    response = call_operation(
        schema,
        "GET",
        "/api/v1/dnc-entries/{id}/",
        credentials,
        path_parameters={"id": entry.pk},
    )
    assert response.json()["created_by"] is None


@pytest.mark.django_db
def test_an_api_path_no_route_matches_answers_documented_json_404(schema, credentials):
    response = call_operation(
        schema,
        "GET",
        "/api/v1/campaigns/{id}/",
        credentials,
        path_parameters={"id": "not-a-number"},
    )
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


@pytest.mark.django_db
def test_pages_keep_their_html_404(client, supervisor):
    client.force_login(supervisor)
    response = client.get("/campaigns/not-a-number/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


@pytest.mark.django_db
def test_application_error_is_a_documented_400(schema, credentials):
    lead_list = LeadListFactory()
    body = {"scope": "list", "lead_list": lead_list.pk + 1000, "phone": "+12125550100"}
    response = call_operation(schema, "POST", "/api/v1/dnc-entries/", credentials, body=body)
    assert response.status_code == 400
    assert set(response.json()) == {"message", "extra"}


@pytest.mark.django_db
def test_field_errors_are_a_documented_400(schema, credentials):
    response = call_operation(schema, "POST", "/api/v1/lead-lists/", credentials, body={"name": ""})
    assert response.status_code == 400
    assert "name" in response.json()


@pytest.mark.django_db
def test_unauthenticated_is_a_documented_401(schema):
    response = call_operation(schema, "GET", "/api/v1/campaigns/", Credentials())
    assert response.status_code == 401


@pytest.mark.django_db
def test_a_role_without_the_permission_gets_a_documented_403(schema):
    team_lead = session_credentials(UserFactory(role="Team lead", team=TeamFactory()))
    response = call_operation(
        schema, "POST", "/api/v1/campaigns/", team_lead, body={"name": "Not mine"}
    )
    assert response.status_code == 403


def test_every_operation_documents_its_errors(schema):
    document = schema.raw_schema
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            codes = set(operation["responses"])
            assert {"400", "403"} <= codes, (method, path)
            if "{" in path or "requestBody" in operation:
                assert "404" in codes, (method, path)
            if "requestBody" in operation:
                assert "415" in codes, (method, path)
            if path != "/api/v1/auth/token/":
                assert "401" in codes, (method, path)
    assert "429" in document["paths"]["/api/v1/auth/token/"]["post"]["responses"]
    for name in ("ErrorOutput", "ValidationErrorOutput", "DetailErrorOutput"):
        assert name in document["components"]["schemas"]


def test_every_operation_has_a_summary(schema):
    operations = [
        operation
        for operations in schema.raw_schema["paths"].values()
        for operation in operations.values()
    ]
    assert [op["operationId"] for op in operations if not op.get("summary")] == []
    # No summary is left for an operation that no longer exists.
    assert set(OPERATION_SUMMARIES) <= {op["operationId"] for op in operations}


def test_every_operation_has_a_description_beyond_its_summary(schema):
    operations = [
        operation
        for operations in schema.raw_schema["paths"].values()
        for operation in operations.values()
    ]
    missing = [
        op["operationId"]
        for op in operations
        if len(op.get("description", "").strip()) < 40
        or op.get("description", "").strip() == op.get("summary", "")
    ]
    assert missing == []
    assert set(OPERATION_DESCRIPTIONS) <= {op["operationId"] for op in operations}


def test_the_imports_list_documents_its_filters(schema):
    operation = schema.raw_schema["paths"]["/api/v1/imports/"]["get"]
    names = {parameter["name"] for parameter in operation["parameters"]}
    assert {"cursor", "lead_list", "state"} <= names
