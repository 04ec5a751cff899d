"""The rejected-rows report (leads/importing/report.py): every cell it writes is escaped,
and it streams without the stored file too."""

import csv
import io

import pytest

from leads.importing.report import rejected_rows_csv
from leads.models import ImportRejection
from tests.leads.factories import ImportJobFactory, LeadListFactory
from tests.leads.helpers import run_import

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
