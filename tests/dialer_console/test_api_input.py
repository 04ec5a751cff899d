"""Hostile input over every endpoint: each is refused with a 400 (413 for a body too
large) in the error shape ``{"message", "extra"}``, never a 500 or an HTML page."""

from __future__ import annotations

import datetime
import json

import pytest

from campaigns.services import calling_window_save
from leads.models import Lead
from tests.campaigns.factories import (
    AgentFactory,
    CampaignFactory,
    PauseCodeListFactory,
    VendorAccountFactory,
    disposition_list_with_codes,
)
from tests.leads.factories import DncEntryFactory, LeadListFactory

API_LISTS = [
    "/api/v1/campaigns/",
    "/api/v1/campaigns/{campaign}/leads/",
    "/api/v1/agents/",
    "/api/v1/disposition-lists/",
    "/api/v1/pause-code-lists/",
    "/api/v1/calling-windows/",
    "/api/v1/lead-lists/",
    "/api/v1/leads/",
    "/api/v1/dnc-entries/",
    "/api/v1/sync/jobs/",
]
PAGES = [
    "/",
    "/campaigns/",
    "/campaigns/{campaign}/leads/",
    "/campaigns/agents/",
    "/campaigns/dispositions/",
    "/campaigns/pause-codes/",
    "/campaigns/calling-windows/",
    "/leads/",
    "/leads/{lead_list}/",
    "/dnc/",
    "/vendors/",
    "/vendors/accounts/{account}/calls/",
    "/sync/jobs/",
    "/admin/leads/lead/",
]
# Primary-key fields of related objects (a lookup, not a column written as given).
RELATED = {
    "team", "vendor_account", "lead_list", "disposition_list", "pause_code_list", "calling_window"
}  # fmt: skip
# Every endpoint that takes a JSON body, with the method.
JSON_WRITES = [
    ("post", "/api/v1/campaigns/"),
    ("patch", "/api/v1/campaigns/{campaign}/"),
    ("post", "/api/v1/campaigns/{campaign}/leads/{lead}/disposition/"),
    ("post", "/api/v1/agents/"),
    ("put", "/api/v1/agents/{agent}/"),
    ("patch", "/api/v1/agents/{agent}/"),
    ("patch", "/api/v1/disposition-lists/{disposition_list}/"),
    ("put", "/api/v1/disposition-lists/{disposition_list}/"),
    ("patch", "/api/v1/pause-code-lists/{pause_code_list}/"),
    ("patch", "/api/v1/calling-windows/{calling_window}/"),
    ("post", "/api/v1/calling-windows/"),
    ("post", "/api/v1/lead-lists/"),
    ("patch", "/api/v1/lead-lists/{lead_list}/"),
    ("post", "/api/v1/lead-lists/{lead_list}/leads/bulk/"),
    ("post", "/api/v1/dnc-entries/"),
    ("post", "/api/v1/dnc-entries/bulk/"),
    ("patch", "/api/v1/dnc-entries/{dnc_entry}/"),
]


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def objects(db):
    lead_list = LeadListFactory()
    campaign = CampaignFactory(disposition_list=disposition_list_with_codes())
    campaign.list_links.create(lead_list=lead_list, position=0)
    window = calling_window_save(
        fields={"name": "Office hours"},
        days=[{"weekday": 0, "start": datetime.time(9), "end": datetime.time(17)}],
        holidays=[],
    )
    return {
        "campaign": campaign.pk,
        "lead_list": lead_list.pk,
        "lead": Lead.objects.create(lead_list=lead_list, phone="+4915112345678").pk,
        "agent": AgentFactory().pk,
        "disposition_list": campaign.disposition_list_id,
        "pause_code_list": PauseCodeListFactory().pk,
        "calling_window": window.pk,
        "dnc_entry": DncEntryFactory().pk,
        "account": VendorAccountFactory().pk,
    }


@pytest.fixture
def api(client, supervisor):
    client.force_login(supervisor)
    return client


def assert_refused(response, code: str, status: int = 400) -> dict:
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert set(body) == {"message", "extra"}
    assert body["extra"]["code"] == code
    return body


# --- NUL characters in query strings ------------------------------------------------------


@pytest.mark.parametrize("url", API_LISTS)
def test_nul_in_a_filter_is_a_400_on_every_list_endpoint(api, objects, url):
    for query in ("q=%00A", "status=%00", "vendor=a%00b", "phone=%00&lead_list=1"):
        response = api.get(url.format(**objects) + "?" + query)
        body = assert_refused(response, "nul_character")
        assert "NUL" in body["message"]


@pytest.mark.parametrize("url", PAGES)
def test_nul_in_a_filter_is_a_400_page_on_every_list_page(api, objects, url):
    response = api.get(url.format(**objects) + "?q=%00A&status=x")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    assert "NUL character" in response.content.decode()


def test_nul_in_a_parameter_name_is_refused_too(api):
    body = assert_refused(api.get("/api/v1/campaigns/?a%00b=1"), "nul_character")
    assert body["extra"]["parameters"] == ["a\x00b"]


def test_nul_in_a_json_body_is_refused(api, objects):
    response = api.post(
        f"/api/v1/lead-lists/{objects['lead_list']}/leads/bulk/",
        '{"leads": [{"phone": "+4915112345679", "custom_fields": {"note": "a\\u0000b"}}]}',
        content_type="application/json",
    )
    assert_refused(response, "nul_character")


def test_an_escaped_backslash_before_u0000_is_text_not_nul(api):
    response = api.post(
        "/api/v1/lead-lists/", {"name": "C:\\u0000 folder"}, content_type="application/json"
    )
    assert response.status_code == 201
    assert response.json()["name"] == "C:\\u0000 folder"


# --- bodies that are not JSON objects, or nest too deep --------------------------------------


@pytest.mark.parametrize(("method", "url"), JSON_WRITES)
@pytest.mark.parametrize("body", ["[]", "[{}]", '"text"', "7", "null"])
def test_a_json_body_that_is_not_an_object_is_a_400(api, objects, method, url, body):
    response = getattr(api, method)(url.format(**objects), body, content_type="application/json")
    refusal = assert_refused(response, "not_an_object")
    assert refusal["message"].startswith("The JSON body must be an object")


@pytest.mark.parametrize(("method", "url"), JSON_WRITES)
def test_json_nested_100000_deep_is_a_400(api, objects, method, url):
    body = '{"a": ' + "[" * 100_000 + "]" * 100_000 + "}"
    response = getattr(api, method)(url.format(**objects), body, content_type="application/json")
    refusal = assert_refused(response, "too_deep")
    assert refusal["extra"]["max_depth"] == 32


def test_nesting_up_to_the_limit_is_taken(settings):
    from dialer_console.api_input import json_object_load
    from dialer_console.errors import ApplicationError

    at_limit = '{"a": ' + "[" * 31 + "]" * 31 + "}"
    assert json_object_load(at_limit.encode()) == json.loads(at_limit)
    with pytest.raises(ApplicationError) as refused:
        json_object_load(('{"a": ' + "[" * 32 + "]" * 32 + "}").encode())
    assert refused.value.extra["code"] == "too_deep"
    # Brackets inside strings are text, not nesting.
    assert json_object_load(('{"a": "' + "[" * 100 + '"}').encode()) == {"a": "[" * 100}


def test_malformed_json_has_the_error_shape(api):
    response = api.post("/api/v1/lead-lists/", '{"name": ', content_type="application/json")
    assert_refused(response, "malformed_json")


def test_nan_is_not_json(api):
    response = api.post("/api/v1/lead-lists/", '{"name": NaN}', content_type="application/json")
    assert_refused(response, "malformed_json")


# --- unknown query parameters ------------------------------------------------------------------


@pytest.mark.parametrize("url", API_LISTS)
def test_an_unknown_query_parameter_is_refused_by_every_list(api, objects, url):
    body = assert_refused(
        api.get(url.format(**objects) + "?colour=red"), "unknown_query_parameters"
    )
    assert body["extra"]["unknown"] == ["colour"]
    assert "colour" in body["message"]
    assert "format" in body["extra"]["allowed"]


@pytest.mark.parametrize(
    "query",
    [
        "/api/v1/campaigns/?q=x&status=draft&vendor=none&sort=name&page=1&format=json",
        "/api/v1/campaigns/{campaign}/leads/?state=&after=0",
        "/api/v1/agents/?page=1",
        "/api/v1/lead-lists/?page=1",
        "/api/v1/leads/?lead_list=1&status=new&phone=1&country=DE&import=1&page_size=5",
        "/api/v1/leads/?import_job=1",
        "/api/v1/dnc-entries/?phone=1&country=DE&scope=everywhere&active=true&page_size=5",
        "/api/v1/sync/jobs/?state=failed&account=1&operation=x&campaign=1&attention=1&cursor=",
    ],
)
def test_documented_filters_and_pagination_are_taken(api, objects, query):
    assert api.get(query.format(**objects)).status_code == 200


def test_leads_filter_by_import_as_the_readme_documents(api, objects):
    from tests.leads.factories import ImportJobFactory

    lead_list_id = objects["lead_list"]
    job = ImportJobFactory(lead_list_id=lead_list_id)
    imported = Lead.objects.create(
        lead_list_id=lead_list_id, phone="+4915100000001", import_job=job
    )
    for name in ("import", "import_job"):
        response = api.get(f"/api/v1/leads/?{name}={job.pk}")
        assert [lead["id"] for lead in response.json()["results"]] == [imported.pk]


def test_import_and_import_job_must_agree(api):
    response = api.get("/api/v1/leads/?import=1&import_job=2")
    assert response.status_code == 400
    assert response.json()["extra"] == {"field": "import"}


# --- integers past the column's range ---------------------------------------------------------


def test_retry_after_minutes_past_the_column_is_a_field_error(api):
    code = {"code": "NA", "label": "No answer", "retry_after_minutes": 2**31}
    response = api.post(
        "/api/v1/disposition-lists/",
        {"name": "Outcomes", "codes": [code]},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json() == {
        "codes": {
            "0": {"retry_after_minutes": ["Ensure this value is less than or equal to 2147483647."]}
        }
    }


def test_campaign_integers_past_their_columns_are_field_errors(api):
    body = {
        "name": "Big",
        "retry_count": 40_000,
        "wrap_up_seconds": 2**31,
        "retry_interval_minutes": 2**63,
    }
    response = api.post("/api/v1/campaigns/", body, content_type="application/json")
    assert response.status_code == 400
    errors = response.json()
    assert errors["retry_count"] == ["Ensure this value is less than or equal to 32767."]
    assert errors["wrap_up_seconds"] == ["Ensure this value is less than or equal to 2147483647."]
    assert "retry_interval_minutes" in errors


@pytest.mark.parametrize(
    ("method", "url", "body"),
    [
        ("get", "/api/v1/leads/?lead_list=99999999999999999999", None),
        ("get", "/api/v1/leads/?import=-99999999999999999999", None),
        (
            "post",
            "/api/v1/dnc-entries/bulk/",
            {"phones": ["1"], "scope": "campaign", "campaign": 2**64},
        ),
        (
            "post",
            "/api/v1/lead-lists/{lead_list}/leads/bulk/",
            {"leads": [], "scope_campaign": 2**63},
        ),
    ],
)
def test_ids_past_64_bits_are_field_errors(api, objects, method, url, body):
    url = url.format(**objects)
    if body is None:
        response = api.get(url)
    else:
        response = getattr(api, method)(url, body, content_type="application/json")
    assert response.status_code == 400
    assert "Ensure this value is" in json.dumps(response.json())


@pytest.mark.parametrize("after", ["²", "99999999999999999999"])
def test_campaign_leads_after_that_is_no_id_is_a_400(api, objects, after):
    response = api.get(f"/api/v1/campaigns/{objects['campaign']}/leads/?after={after}")
    assert response.status_code == 400
    assert response.json()["extra"] == {"field": "after"}


def test_every_integer_a_client_sends_is_bounded_in_the_schema(api):
    """Any IntegerField added to an input serializer without its bounds shows here. Not
    checked: related objects' ids (a lookup, which finds nothing past the range) and the
    vendors' settings forms (kept as JSON, not in columns)."""
    schema = api.get("/api/schema/?format=json").json()
    unbounded = []
    for name, component in schema["components"]["schemas"].items():
        for prop, spec in component.get("properties", {}).items():
            vendor_form = name.endswith(("SettingsRequest", "RowRowRequest"))
            writable = spec.get("type") == "integer" and not spec.get("readOnly")
            writable = writable and not vendor_form and prop not in RELATED
            if writable and name.endswith("Request") and "maximum" not in spec:
                unbounded.append(f"{name}.{prop}")
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            for parameter in operation.get("parameters", []):
                spec = parameter.get("schema", {})
                integer = parameter["in"] == "query" and spec.get("type") == "integer"
                if integer and "maximum" not in spec and parameter["name"] != "page":
                    unbounded.append(f"{method} {path} ?{parameter['name']}")
    assert unbounded == []


# --- bulk country --------------------------------------------------------------------------------


def test_bulk_country_longer_than_two_characters_is_a_field_error(api, objects):
    response = api.post(
        f"/api/v1/lead-lists/{objects['lead_list']}/leads/bulk/",
        {"leads": [{"phone": "015112345678"}], "country": "DEU"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json() == {"country": ["Ensure this field has no more than 2 characters."]}


# --- body sizes --------------------------------------------------------------------------------


def realistic_leads(count: int) -> list[dict]:
    """Leads as a CRM export sends them: names, e-mail, time zone, priority, expiry, an
    alternate phone and a dozen custom fields."""
    custom = {
        "crm_id": "CRM-{i:08d}",
        "company": "Müller & Söhne Maschinenbau GmbH {i}",
        "street": "Hauptstraße {i}",
        "city": "Frankfurt am Main",
        "postcode": "60311",
        "segment": "enterprise",
        "owner": "sales.team.rhein-main@example.com",
        "product_interest": "Predictive dialling, 40 seats",
        "last_contact": "2026-11-{day:02d}",
        "source": "Trade fair Hannover 2026",
        "notes": "Asked for a callback after the budget meeting; prefers mornings.",
        "language": "de",
    }
    return [
        {
            "phone": f"+49151{i:08d}",
            "first_name": "Hans-Jürgen",
            "last_name": f"Schmidt-Lehmann {i}",
            "email": f"hans-juergen.schmidt-lehmann.{i}@example-company.de",
            "timezone": "Europe/Berlin",
            "priority": str(i % 10),
            "expires_on": "2027-06-30",
            "alternate_phones": [{"phone": f"+49691{i:07d}", "kind": "work"}],
            "custom_fields": {
                key: value.format(i=i, day=i % 28 + 1) for key, value in custom.items()
            },
        }
        for i in range(count)
    ]


def test_bulk_add_takes_10000_realistic_leads_past_djangos_body_limit(api, objects, settings):
    body = json.dumps({"leads": realistic_leads(10_000), "country": "DE"})
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE < len(body) < settings.API_BULK_MAX_BYTES
    response = api.post(
        f"/api/v1/lead-lists/{objects['lead_list']}/leads/bulk/",
        body,
        content_type="application/json",
    )
    assert response.status_code == 201, response.content[:300]
    assert response.json()["counts"]["imported"] == 10_000


@pytest.mark.parametrize(
    ("url", "body"),
    [
        ("/api/v1/lead-lists/{lead_list}/leads/bulk/", {"leads": realistic_leads(20)}),
        ("/api/v1/dnc-entries/bulk/", {"phones": [f"+49151{i:08d}" for i in range(1000)]}),
    ],
)
def test_a_bulk_body_past_api_bulk_max_bytes_is_a_json_413(api, objects, settings, url, body):
    settings.API_BULK_MAX_BYTES = 5_000
    response = api.post(url.format(**objects), body, content_type="application/json")
    refusal = assert_refused(response, "too_large", status=413)
    assert refusal["extra"]["max_bytes"] == 5_000


@pytest.mark.parametrize(("method", "url"), [w for w in JSON_WRITES if "bulk" not in w[1]])
def test_other_endpoints_answer_a_json_413_past_djangos_body_limit(api, objects, method, url):
    body = json.dumps({"name": "x", "description": "d" * (2_621_440 + 1)})
    response = getattr(api, method)(url.format(**objects), body, content_type="application/json")
    refusal = assert_refused(response, "too_large", status=413)
    assert refusal["extra"]["max_bytes"] == 2_621_440


def test_a_form_body_past_djangos_limit_is_a_json_413(client, db):
    body = "username=a&password=" + "p" * 2_700_000
    response = client.post(
        "/api/v1/auth/token/", body, content_type="application/x-www-form-urlencoded"
    )
    assert_refused(response, "too_large", status=413)


def test_a_multipart_field_past_djangos_limit_is_a_json_413(api, objects):
    from tests.leads.factories import csv_upload

    data = {
        "lead_list": objects["lead_list"],
        "file": csv_upload("phone\n1\n"),
        "mapping": "m" * 2_700_000,
    }
    response = api.post("/api/v1/imports/", data)
    assert_refused(response, "too_large", status=413)
