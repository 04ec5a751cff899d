"""The do-not-call file pages: upload with its report, the polled progress of a big
file, the per-line report and the list's download, each in the user's scope."""

from __future__ import annotations

import csv
import io

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from leads.models import DncEntry, DncFileJob
from leads.services import dnc_files
from tests.leads.factories import DncEntryFactory, LeadListFactory

pytestmark = pytest.mark.django_db
UPLOAD_URL = reverse("dnc:upload")
CP1252_FILE = "Telefon;Name\n030 1234567;Jürgen Müller\nkaputt;Zoë Weiß\n0170 1234567;Øyvind Ås\n"


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _file(text: str, name="nummern.csv", encoding="cp1252"):
    return SimpleUploadedFile(name, text.encode(encoding), content_type="text/csv")


def _post(client, text=CP1252_FILE, **fields):
    data = {"file": _file(text), "country": "DE", "scope": "everywhere", **fields}
    return client.post(UPLOAD_URL, data)


def _body(response) -> str:
    return b"".join(response.streaming_content).decode()


def test_the_dnc_page_offers_the_upload_and_the_download(supervisor_client):
    html = supervisor_client.get(reverse("dnc:list")).content.decode()
    assert f'href="{UPLOAD_URL}"' in html and "Add from a file" in html
    assert f'action="{reverse("dnc:export")}"' in html and '<option value=";"' in html


def test_an_upload_shows_its_report_and_downloads_it_with_its_own_delimiter(supervisor_client):
    response = _post(supervisor_client)
    job = DncFileJob.objects.get()
    assert response.url == reverse("dnc:upload-detail", args=[job.pk])
    html = supervisor_client.get(response.url).content.decode()
    assert 'data-count="added">2<' in html and 'data-count="refused">1<' in html
    assert "kaputt" in html and "is not a valid phone number when read as DE" in html
    assert "hx-trigger" not in html  # done: nothing to poll
    assert '<option value=";" selected>' in html
    report = supervisor_client.get(reverse("dnc:upload-report", args=[job.pk]))
    text = _body(report)
    assert report["Content-Type"] == "text/csv; charset=utf-8" and text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text[1:]), delimiter=";"))
    assert [row[3] for row in rows[1:]] == ["Added", "Refused", "Added"]


def test_a_big_upload_is_polled_until_the_worker_is_done(supervisor_client, monkeypatch):
    monkeypatch.setattr(dnc_files, "DNC_FILE_INLINE_ROWS", 1)
    monkeypatch.setattr("leads.tasks.dnc_file_run.delay_on_commit", lambda job_id: None)
    _post(supervisor_client)
    job = DncFileJob.objects.get()
    progress_url = reverse("dnc:upload-progress", args=[job.pk])
    polling = supervisor_client.get(progress_url).content.decode()
    assert 'hx-trigger="every 1s"' in polling and "0 of about 3 lines read" in polling
    dnc_files.dnc_file_run(job_id=job.pk)
    final = supervisor_client.get(progress_url).content.decode()
    assert "hx-trigger" not in final and 'data-count="added">2<' in final


@pytest.mark.parametrize(
    ("text", "message"),
    [("", "The file is empty"), ("Name\nAnna\nJörg\n", "No column is mapped to Phone")],
)
def test_a_file_without_numbers_gets_the_form_back_with_why(supervisor_client, text, message):
    response = _post(supervisor_client, text=text or " ")
    assert response.status_code == 200
    assert message in response.content.decode() and not DncFileJob.objects.exists()


def test_a_file_over_the_upload_limit_is_refused_with_a_message(supervisor_client, settings):
    settings.LEAD_UPLOAD_MAX_BYTES = 10
    response = _post(supervisor_client)
    assert "larger than the upload limit" in response.content.decode()


def test_a_team_lead_uploads_to_their_own_list_and_sees_only_their_teams_uploads(
    team_lead_client, team_lead, supervisor
):
    own = LeadListFactory(team=team_lead.team)
    refused = _post(team_lead_client).content.decode()  # "everywhere" is not theirs to choose
    assert "everywhere is not one of the available choices" in refused
    response = _post(team_lead_client, scope="list", lead_list=own.pk)
    job = DncFileJob.objects.get()
    assert response.status_code == 302 and job.lead_list == own
    other = DncFileJob.objects.create(original_name="theirs.csv", created_by=supervisor)
    assert team_lead_client.get(reverse("dnc:upload-detail", args=[other.pk])).status_code == 404
    report = reverse("dnc:upload-report", args=[other.pk])
    assert team_lead_client.get(report).status_code == 404


def test_the_download_streams_the_visible_list(team_lead_client, team_lead):
    DncEntryFactory(phone="+12125550100", reason="=cmd")
    DncEntryFactory(phone="+12125550101", scope="list", lead_list=LeadListFactory())
    response = team_lead_client.get(reverse("dnc:export"), {"delimiter": ";"})
    assert response.streaming and 'filename="do-not-call-' in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(_body(response)[1:]), delimiter=";"))
    assert [row[0] for row in rows[1:]] == ["+12125550100"]
    assert rows[1][6] == "'=cmd"


def test_a_user_without_the_dnc_permission_gets_403(client, api_consumer):
    client.force_login(api_consumer)
    assert client.get(UPLOAD_URL).status_code == 403
    assert not DncEntry.objects.exists()


def _export_queries(client, count: int) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    DncEntry.objects.all().delete()
    DncEntry.objects.bulk_create(
        DncEntry(phone=f"+1212555{n:04d}", scope="everywhere") for n in range(count)
    )
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("dnc:export"))
        lines = _body(response).splitlines()
    assert len(lines) == count + 1
    return len(queries)


def test_the_download_makes_as_many_queries_for_3_entries_as_for_3000(supervisor_client):
    few = _export_queries(supervisor_client, 3)
    many = _export_queries(supervisor_client, 3000)
    assert many <= few + 1  # at most one more chunk read; never a query per entry


def test_the_upload_page_makes_a_fixed_number_of_queries(
    supervisor_client, django_assert_num_queries
):
    _post(supervisor_client)
    job = DncFileJob.objects.get()
    url = reverse("dnc:upload-detail", args=[job.pk])
    supervisor_client.get(url)  # warm the session and permission caches
    # session (none when sessions are read from Redis), user, permissions, job, lines
    session_queries = 1 if settings.SESSION_ENGINE == "django.contrib.sessions.backends.db" else 0
    with django_assert_num_queries(6 + session_queries):
        supervisor_client.get(url)
    text = "Telefon\n" + "".join(f"0170 12345{n:02d}\nkaputt{n}\n" for n in range(60))
    _post(supervisor_client, text=text)
    bigger = reverse("dnc:upload-detail", args=[DncFileJob.objects.latest("id").pk])
    with django_assert_num_queries(6 + session_queries):  # the same for 120 lines
        assert "kaputt59" in supervisor_client.get(bigger).content.decode()


def test_the_download_keeps_the_scope_and_state_filters_of_the_page(supervisor_client):
    html = supervisor_client.get(reverse("dnc:list"), {"scope": "list", "state": "active"})
    text = html.content.decode()
    assert '<input type="hidden" name="scope" value="list">' in text
    assert '<input type="hidden" name="state" value="active">' in text
    assert "Download these entries" in text
    DncEntryFactory(phone="+12125550100")
    DncEntryFactory(phone="+12125550101", scope="list", lead_list=LeadListFactory())
    response = supervisor_client.get(reverse("dnc:export"), {"scope": "list", "state": "active"})
    rows = list(csv.reader(io.StringIO(_body(response)[1:])))
    assert [row[0] for row in rows[1:]] == ["+12125550101"]


def test_a_filter_without_a_country_still_shows_the_country_numbers_are_read_as(
    supervisor_client,
):
    html = supervisor_client.get(reverse("dnc:list"), {"scope": "everywhere"}).content.decode()
    assert '<option value="US" selected>United States (US)</option>' in html
