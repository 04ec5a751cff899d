"""/api/v1/dnc-files/ and /api/v1/dnc-entries/export/: upload a file of numbers (read
like a lead import), read the upload and its lines, download the visible list as CSV;
who may do what; expected failures in the error shape."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse

from leads.models import DncEntry, DncFileJob
from leads.services import dnc_files
from tests.leads.factories import DncEntryFactory, LeadListFactory, csv_upload

pytestmark = pytest.mark.django_db
FILES = reverse("api-dnc-files")
EXPORT = reverse("api-dnc-export")
GERMAN = "Telefon;Name\n030 1234567;Jürgen Müller\nkaputt;Zoë Weiß\n030 1234567;Dup Weiß\n"


@pytest.fixture
def boss(api_client, supervisor):
    api_client.force_authenticate(supervisor)
    return api_client


def _post(client, text=GERMAN, encoding="cp1252", **fields):
    data = {"file": csv_upload(text, "nummern.csv", encoding), "country": "DE", **fields}
    return client.post(FILES, data, format="multipart")


def test_an_upload_answers_done_with_its_counts_and_lines(boss):
    response = _post(boss)
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["state"], body["encoding"], body["delimiter"]) == ("done", "cp1252", ";")
    assert (body["added_count"], body["refused_count"], body["repeated_count"]) == (1, 1, 1)
    assert body["lines"] == 3 and body["phone_column_name"] == "Telefon"
    assert boss.get(reverse("api-dnc-file", args=[body["id"]])).json() == body
    lines_url = reverse("api-dnc-file-lines", args=[body["id"]])
    lines = boss.get(lines_url).json()["results"]
    assert [(line["row_number"], line["outcome"]) for line in lines] == [
        (2, "added"), (3, "refused"), (4, "repeated"),
    ]  # fmt: skip
    refused = boss.get(lines_url, {"outcome": "refused"}).json()["results"]
    assert [line["text"] for line in refused] == ["kaputt"]
    assert boss.get(lines_url, {"kind": "x"}).status_code == 400


def test_a_big_upload_answers_queued_and_is_read_by_a_worker(boss, monkeypatch):
    monkeypatch.setattr(dnc_files, "DNC_FILE_INLINE_ROWS", 1)
    monkeypatch.setattr("leads.tasks.dnc_file_run.delay_on_commit", lambda job_id: None)
    body = _post(boss).json()
    assert body["state"] == "queued" and body["rows_total"] == 3
    dnc_files.dnc_file_run(job_id=body["id"])
    assert boss.get(reverse("api-dnc-file", args=[body["id"]])).json()["state"] == "done"


@pytest.mark.parametrize(
    ("fields", "code_or_field"),
    [
        ({"text": "Name\nAnna\nJörg\n"}, "no_phone"),
        ({"scope": "list"}, "lead_list"),
        ({"scope": "list", "lead_list": 999_999}, "lead_list"),
    ],
)
def test_refusals_come_back_as_message_and_extra(boss, fields, code_or_field):
    response = _post(boss, **fields)
    assert response.status_code == 400
    extra = response.json()["extra"]
    assert code_or_field in (extra.get("code"), extra.get("field"))
    assert not DncFileJob.objects.exists()


def test_a_file_over_the_limit_is_refused(boss, settings):
    settings.LEAD_UPLOAD_MAX_BYTES = 10
    response = _post(boss)
    assert response.status_code == 400 and response.json()["extra"]["code"] == "too_large"


def test_an_api_consumer_reads_but_cannot_upload(api_client, api_consumer):
    api_client.force_authenticate(api_consumer)
    assert _post(api_client).status_code == 403
    assert api_client.get(EXPORT).status_code == 200


def test_a_team_lead_uploads_to_their_list_and_reads_only_theirs(api_client, team_lead, supervisor):
    api_client.force_authenticate(team_lead)
    own = LeadListFactory(team=team_lead.team)
    assert _post(api_client).status_code == 400  # everywhere is for supervisors
    response = _post(api_client, scope="list", lead_list=own.pk)
    assert response.status_code == 201 and DncEntry.objects.get().lead_list == own
    other = DncFileJob.objects.create(original_name="x.csv", created_by=supervisor)
    assert api_client.get(reverse("api-dnc-file", args=[other.pk])).status_code == 404


def test_the_export_streams_the_visible_list_as_csv(api_client, team_lead):
    api_client.force_authenticate(team_lead)
    own = LeadListFactory(team=team_lead.team)
    DncEntryFactory(phone="+12125550100", reason="+cmd")
    DncEntryFactory(phone="+12125550101", scope="list", lead_list=own)
    DncEntryFactory(phone="+12125550102", scope="list", lead_list=LeadListFactory())
    response = api_client.get(EXPORT, {"delimiter": ";", "scope": "list"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode()
    assert text.startswith("\ufeffphone;scope;")
    rows = list(csv.reader(io.StringIO(text[1:]), delimiter=";"))
    assert [row[0] for row in rows[1:]] == ["+12125550101"]
    everything = b"".join(api_client.get(EXPORT).streaming_content).decode()
    assert "'+cmd" in everything and "+12125550102" not in everything
    assert api_client.get(EXPORT, {"delimiter": "|"}).status_code == 400
