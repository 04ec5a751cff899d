"""The rejected-rows report (leads/importing/report.py): every cell it writes is escaped,
and it streams without the stored file too."""

import csv
import io

import pytest

from leads import services
from leads.importing.report import rejected_rows_csv, report_delimiter
from leads.models import ImportRejection
from tests.leads.factories import ImportJobFactory, LeadListFactory
from tests.leads.helpers import run_import, upload

pytestmark = pytest.mark.django_db


def _report(job) -> list[list[str]]:
    return list(csv.reader(io.StringIO("".join(rejected_rows_csv(job=job)).lstrip("\ufeff"))))


def test_header_cells_are_escaped_like_data_cells(team_lead):
    lead_list = LeadListFactory(team=team_lead.team)
    text = 'Phone,"=HYPERLINK(""http://evil.example"",""x"")",@Name\nkaputt,a,b\n'
    job = run_import(lead_list, team_lead, text, mapping=["phone", "custom", "first_name"])
    header, row = _report(job)
    assert header == ["row", "reason", "detail", "Phone",
                      "'=HYPERLINK(\"http://evil.example\",\"x\")", "'@Name"]  # fmt: skip
    assert row[3:] == ["kaputt", "a", "b"]


def test_a_job_without_a_stored_file_reports_reasons_escaped():
    job = ImportJobFactory(header=["=cmd"], state="done")
    ImportRejection.objects.create(job=job, row_number=2, reason="malformed", detail="-bad")
    assert _report(job) == [["row", "reason", "detail", "'=cmd"], ["2", "Malformed row", "'-bad"]]


def test_a_stored_file_gone_from_storage_still_gives_the_report(team_lead):
    lead_list = LeadListFactory(team=team_lead.team)
    job = run_import(lead_list, team_lead, "Phone\nkaputt\n212-555-0100\n")
    job.file.storage.delete(job.file.name)
    assert _report(job)[1][:2] == ["2", "Invalid phone number"]


def _raw_report(job, delimiter="") -> str:
    return "".join(rejected_rows_csv(job=job, delimiter=delimiter))


def test_a_cp1252_semicolon_upload_gets_its_report_with_semicolons_and_a_bom(team_lead):
    lead_list = LeadListFactory(team=team_lead.team, default_country="DE")
    text = "Telefon;Name;Straße\nkaputt;Jörg;Müllerstraße 1\n030 1234567;Anna;Weg 2\n"
    job = upload(lead_list, team_lead, text, encoding="cp1252")
    assert (job.encoding, job.delimiter) == ("cp1252", ";")
    services.import_job_configure(
        job=job, mapping=job.mapping, default_country="DE", acting_user=team_lead
    )
    services.import_job_start(job=job)
    services.lead_import_run(job_id=job.pk)
    job.refresh_from_db()
    text = _raw_report(job)
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text[1:]), delimiter=";"))
    assert rows[0] == ["row", "reason", "detail", "Telefon", "Name", "Straße"]
    assert rows[1][0] == "2" and rows[1][3:] == ["kaputt", "Jörg", "Müllerstraße 1"]
    rows = list(csv.reader(io.StringIO(_raw_report(job, ",")[1:])))
    assert rows[1][3:] == ["kaputt", "Jörg", "Müllerstraße 1"]


@pytest.mark.parametrize(
    ("requested", "upload_delimiter", "expected"),
    [("", ";", ";"), ("", ",", ","), ("", "\t", ","), (",", ";", ","), ("|", ";", ";")],
)
def test_the_report_delimiter_is_a_comma_or_a_semicolon(requested, upload_delimiter, expected):
    assert report_delimiter(requested, default=upload_delimiter) == expected
