"""The do-not-call list from a file (leads/services/dnc_files.py) and to a file
(leads/selectors_dnc_files.py): the lead importer's reader, a report per line, chunks,
team scope, and a streamed CSV that reads back."""

from __future__ import annotations

import csv
import datetime
import io

import pytest
from django.utils import timezone

from dialer_console.errors import ApplicationError
from leads.models import DncEntry, DncFileJob, DncFileLine, LeadStatus
from leads.selectors_dnc_files import dnc_entries_csv, dnc_file_jobs_visible, dnc_file_report_csv
from leads.services import DncTarget, dnc_files
from tests.leads.factories import DncEntryFactory, LeadFactory, LeadListFactory, csv_upload

pytestmark = pytest.mark.django_db
EVERYWHERE = DncTarget("everywhere")


def _upload(user, text, *, target=EVERYWHERE, country="DE", encoding="utf-8", **options):
    job = dnc_files.dnc_file_create(
        upload=csv_upload(text, "numbers.csv", encoding),
        country=country,
        target=target,
        acting_user=user,
        **options,
    )
    return dnc_files.dnc_file_start(job=job)


def _outcomes(job) -> list[tuple[int, str]]:
    return list(job.lines.order_by("row_number").values_list("row_number", "outcome"))


def test_a_cp1252_semicolon_file_with_a_header_is_read_line_by_line(supervisor):
    DncEntryFactory(phone="+493012345670")
    text = (
        "Name;Telefon;Grund\n"
        "Jürgen Müller;030 1234567-0;Beschwerde über Anrufe\n"  # already listed
        "Zoë Weiß;0170 1234567;möchte keine Anrufe\n"
        "François Dupré;kaputt;Straße unbekannt\n"
        ";;\n"
        "Jürgen Weiß;+49 170 1234567;größere Beschwerde\n"
    )
    job = _upload(supervisor, text, encoding="cp1252")
    assert (job.state, job.encoding, job.delimiter) == ("done", "cp1252", ";")
    assert job.has_header and job.phone_column_name == "Telefon"
    assert _outcomes(job) == [
        (2, "already_listed"), (3, "added"), (4, "refused"), (6, "repeated"),
    ]  # fmt: skip
    assert (job.added_count, job.already_listed_count, job.refused_count) == (1, 1, 1)
    assert (job.repeated_count, job.blank_count, job.lines_count) == (1, 1, 4)
    refused = job.lines.get(row_number=4)
    assert "“kaputt” is not a valid phone number when read as DE" in refused.detail
    assert job.lines.get(row_number=6).detail == "The same number as line 3."
    entry = DncEntry.objects.get(phone="+491701234567")
    assert entry.source == "file numbers.csv" and entry.created_by == supervisor


def test_a_file_of_bare_numbers_has_no_header_and_one_column(supervisor):
    job = _upload(supervisor, "+12125550100\n+12125550101\nhello\n", country="US")
    assert not job.has_header
    assert _outcomes(job) == [(1, "added"), (2, "added"), (3, "refused")]


def test_an_xlsx_file_is_read_like_a_lead_import(supervisor):
    from tests.leads.test_xlsx import _workbook

    data = _workbook([("Phone", "Name"), ("+12125550100", "Ada"), ("212 555 0101", "Grace")])
    job = dnc_files.dnc_file_create(
        upload=csv_upload(data, "numbers.xlsx"), country="US", target=EVERYWHERE,
        acting_user=supervisor,
    )  # fmt: skip
    job = dnc_files.dnc_file_start(job=job)
    assert job.file_format == "xlsx" and job.added_count == 2


def test_waiting_leads_with_a_listed_number_become_dnc(supervisor):
    lead = LeadFactory(phone="+12125550100")
    job = _upload(supervisor, "phone\n(212) 555-0100\n", country="US")
    lead.refresh_from_db()
    assert lead.status == LeadStatus.DNC and job.leads_marked_count == 1


def test_an_expired_listing_is_listed_again(supervisor):
    past = timezone.now() - datetime.timedelta(days=1)
    DncEntryFactory(phone="+12125550100", expires_at=past)
    job = _upload(supervisor, "phone\n2125550100\n", country="US")
    assert _outcomes(job) == [(2, "renewed")]
    assert DncEntry.objects.get().expires_at is None


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "The file is empty"),
        ("Telefon\n", "header line but no numbers"),
        ("Name,Stadt\nAnna,Bonn\nJörg,Köln\n", "No column is mapped to Phone"),
        (b"%PDF-1.4 binary", "looks like a PDF document"),
    ],
)
def test_files_without_numbers_are_refused_before_anything_is_stored(supervisor, text, message):
    with pytest.raises(ApplicationError, match=message):
        _upload(supervisor, text)
    assert not DncFileLine.objects.exists()


def test_a_team_lead_lists_numbers_on_their_own_teams_lists_only(team_lead):
    with pytest.raises(ApplicationError, match="your own team's lead lists"):
        _upload(team_lead, "+12125550100\n")
    other = LeadListFactory()
    with pytest.raises(ApplicationError, match="your own team's lead lists"):
        _upload(team_lead, "+12125550100\n", target=DncTarget("list", lead_list=other))
    own = LeadListFactory(team=team_lead.team)
    job = _upload(team_lead, "+12125550100\n", target=DncTarget("list", lead_list=own))
    assert DncEntry.objects.get().lead_list == own
    assert list(dnc_file_jobs_visible(user=team_lead)) == [job]


def test_big_files_go_to_a_task_in_chunks(supervisor, monkeypatch):
    monkeypatch.setattr(dnc_files, "DNC_FILE_INLINE_ROWS", 2)
    monkeypatch.setattr(dnc_files, "DNC_FILE_CHUNK_LINES", 2)
    sent = []
    monkeypatch.setattr("leads.tasks.dnc_file_run.delay_on_commit", sent.append)
    text = "phone\n" + "".join(f"+1212555{n:04d}\n" for n in range(5)) + "+12125550000\n"
    job = _upload(supervisor, text, country="US")
    assert job.state == "queued" and sent == [job.pk] and job.rows_total == 6
    dnc_files.dnc_file_run(job_id=job.pk)
    job.refresh_from_db()
    assert (job.state, job.rows_read, job.added_count, job.repeated_count) == ("done", 6, 5, 1)
    assert job.lines.get(row_number=7).detail == "The same number as line 2."
    dnc_files.dnc_file_run(job_id=job.pk)  # a second delivery of the task does nothing
    assert DncFileLine.objects.count() == 6


def test_the_line_report_reads_back_with_the_upload_delimiter(supervisor):
    job = _upload(supervisor, "Telefon;Name\n=1+2;Evil\n030 1234567;Anna\n")
    text = "".join(dnc_file_report_csv(job=job, delimiter=";"))
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text[1:]), delimiter=";"))
    assert rows[0] == ["line", "number", "e164", "outcome", "detail"]
    assert rows[1][:4] == ["2", "'=1+2", "", "Refused"]
    assert rows[2][:4] == ["3", "030 1234567", "+49301234567", "Added"]


def _export(user, delimiter=",", **filters) -> list[list[str]]:
    text = "".join(dnc_entries_csv(user=user, now=timezone.now(), delimiter=delimiter, **filters))
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:]), delimiter=delimiter))


def test_the_download_is_the_scope_the_user_may_see_with_cells_escaped(team_lead, supervisor):
    own = LeadListFactory(team=team_lead.team, name="=Own")
    other = LeadListFactory(name="Other")
    DncEntryFactory(phone="+12125550100", reason="@SUM(A1)")
    DncEntryFactory(phone="+12125550101", scope="list", lead_list=own)
    DncEntryFactory(phone="+12125550102", scope="list", lead_list=other)
    rows = _export(team_lead, ";")
    assert rows[0][:3] == ["phone", "scope", "campaign_id"]
    assert [row[0] for row in rows[1:]] == ["+12125550100", "+12125550101"]
    assert rows[1][6] == "'@SUM(A1)" and rows[2][5] == "'=Own"
    assert len(_export(supervisor)) == 4
    assert [row[0] for row in _export(supervisor, scope="list")[1:]] == [
        "+12125550101", "+12125550102",
    ]  # fmt: skip


def test_the_download_uploads_again_to_the_same_numbers(supervisor, team_lead):
    DncEntryFactory(phone="+12125550100")
    DncEntryFactory(phone="+442071234567")
    text = "".join(dnc_entries_csv(user=supervisor, now=timezone.now(), delimiter=";"))
    DncEntry.objects.all().delete()
    job = _upload(supervisor, text.encode("utf-8"), country="US")
    assert job.phone_column_name == "phone" and job.added_count == 2
    assert set(DncEntry.objects.values_list("phone", flat=True)) == {
        "+12125550100", "+442071234567",
    }  # fmt: skip


class _WorkerDied(Exception):
    pass


def test_a_job_whose_worker_died_resumes_after_its_last_committed_chunk(supervisor, monkeypatch):
    monkeypatch.setattr(dnc_files, "DNC_FILE_INLINE_ROWS", 0)
    monkeypatch.setattr(dnc_files, "DNC_FILE_CHUNK_LINES", 2)
    sent = []
    monkeypatch.setattr("leads.tasks.dnc_file_run.delay_on_commit", sent.append)
    text = "phone\n" + "".join(f"+1212555{n:04d}\n" for n in range(5))
    job = _upload(supervisor, text, country="US")
    real_list_chunk, calls = dnc_files._list_chunk, []

    def dies_on_the_second_chunk(job, records):
        calls.append(len(records))
        if len(calls) == 2:
            raise _WorkerDied
        real_list_chunk(job, records)

    monkeypatch.setattr(dnc_files, "_list_chunk", dies_on_the_second_chunk)
    with pytest.raises(_WorkerDied):
        dnc_files.dnc_file_run(job_id=job.pk)
    job.refresh_from_db()
    assert (job.state, job.rows_read, job.added_count) == ("running", 2, 2)
    assert dnc_files.dnc_file_sweep_stale() == 0  # its heartbeat is fresh
    later = timezone.now() + dnc_files.DNC_FILE_STALE_AFTER + datetime.timedelta(seconds=1)
    assert dnc_files.dnc_file_sweep_stale(now=later) == 1
    job.refresh_from_db()
    assert job.state == "queued" and sent == [job.pk, job.pk]
    monkeypatch.setattr(dnc_files, "_list_chunk", real_list_chunk)
    dnc_files.dnc_file_run(job_id=job.pk)
    job.refresh_from_db()
    assert (job.state, job.rows_read, job.added_count, job.attempts) == ("done", 5, 5, 2)
    assert [row for row, _ in _outcomes(job)] == [2, 3, 4, 5, 6]  # each line once


def test_a_job_that_keeps_losing_its_worker_fails_saying_what_was_listed(supervisor, monkeypatch):
    monkeypatch.setattr(dnc_files, "DNC_FILE_INLINE_ROWS", 0)
    monkeypatch.setattr("leads.tasks.dnc_file_run.delay_on_commit", lambda job_id: None)
    job = _upload(supervisor, "phone\n+12125550100\n", country="US")
    later = timezone.now() + datetime.timedelta(hours=1)
    DncFileJob.objects.filter(pk=job.pk).update(
        state="running", attempts=dnc_files.DNC_FILE_MAX_ATTEMPTS, heartbeat_at=timezone.now()
    )
    assert dnc_files.dnc_file_sweep_stale(now=later) == 1
    job.refresh_from_db()
    assert job.state == "failed" and "the lines read before were listed" in job.error_message
