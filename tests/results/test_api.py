"""The results figures and downloads over the API."""

import csv
import io

from django.urls import reverse
from openpyxl import load_workbook

from tests.accounts.factories import UserFactory


def _get(api_client, user, name, scenario, **params):
    api_client.force_authenticate(user)
    return api_client.get(reverse(name, args=[scenario.campaign.pk]), params)


def test_results_figures(api_client, scenario):
    response = _get(api_client, scenario.team_lead, "api-campaign-results", scenario)
    assert response.status_code == 200
    data = response.json()
    pen = data["penetration"]
    assert (pen["leads"], pen["dialled"], pen["not_dialled"]) == (10, 6, 4)
    assert pen["still_dialling"] + pen["done"] + pen["exhausted"] + pen["state_unknown"] == 6
    assert pen["contact_rate_percent"] == 60.0
    assert sum(row["count"] for row in data["outcomes"]) == pen["dialled"]
    assert sum(row["total"] for row in data["per_list"]) == pen["dialled"]
    assert data["agents_reported"] is True
    assert {"attempts": "unknown", "leads": 1} in data["histogram"]


def test_results_filters_and_bad_input(api_client, scenario):
    north = scenario.lists["north"].pk
    response = _get(
        api_client, scenario.team_lead, "api-campaign-results", scenario, lead_list=north
    )
    assert response.json()["penetration"]["leads"] == 6
    bad = _get(api_client, scenario.team_lead, "api-campaign-results", scenario, since="soon")
    assert bad.status_code == 400 and "valid date" in bad.json()["message"]
    unknown = _get(api_client, scenario.team_lead, "api-campaign-results", scenario, list=1)
    assert unknown.status_code == 400 and "Unknown query parameter" in unknown.json()["message"]


def test_results_of_another_team_are_not_found(api_client, scenario):
    stranger = UserFactory(role="Team lead", with_team=True)
    assert _get(api_client, stranger, "api-campaign-results", scenario).status_code == 404
    assert _get(api_client, stranger, "api-campaign-results-export", scenario).status_code == 404


def test_export_csv_and_xlsx(api_client, scenario, api_consumer):
    response = _get(
        api_client, scenario.team_lead, "api-campaign-results-export", scenario, delimiter=";"
    )
    raw = b"".join(response.streaming_content)
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert raw.startswith(b"\xef\xbb\xbf") and len(rows) == 11
    response = _get(
        api_client, scenario.team_lead, "api-campaign-results-export", scenario, file_format="xlsx"
    )
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert sheet.max_row == 11
    bad = _get(
        api_client, scenario.team_lead, "api-campaign-results-export", scenario, file_format="pdf"
    )
    assert bad.status_code == 400


def test_the_schema_documents_the_endpoints(api_client, supervisor):
    api_client.force_authenticate(supervisor)
    schema = api_client.get(reverse("api-schema"), {"format": "json"}).json()
    export = schema["paths"]["/api/v1/campaigns/{id}/results/export/"]["get"]
    assert set(export["responses"]["200"]["content"]) == {
        "text/csv",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    }
    names = {parameter["name"] for parameter in export["parameters"]}
    assert {"file_format", "delimiter", "lead_list"} <= names
    assert "/api/v1/campaigns/{id}/results/" in schema["paths"]
    assert "/api/v1/sync/jobs/export/" in schema["paths"]
    assert "/api/v1/dnc-entries/export/" in schema["paths"]
