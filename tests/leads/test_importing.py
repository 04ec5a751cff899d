"""Every kind of bad file gets a clear message and loses nothing; every encoding and
delimiter we promise is read."""

import codecs
import gzip
import io

import pytest
from openpyxl import Workbook

from dialer_console.errors import ApplicationError
from leads import services
from leads.importing.report import escape_cell
from leads.importing.suggest import suggest_mapping
from leads.models import ImportState, Lead
from tests.leads.factories import LeadListFactory, csv_upload
from tests.leads.helpers import run_import, upload

pytestmark = pytest.mark.django_db

HEADER = "Phone,First Name,Last Name\n"


def _refused(team_lead, data, name="leads.csv") -> ApplicationError:
    lead_list = LeadListFactory(team=team_lead.team)
    with pytest.raises(ApplicationError) as caught:
        services.import_job_create(
            lead_list=lead_list, upload=csv_upload(data, name), acting_user=team_lead
        )
    return caught.value


def test_an_empty_file_is_refused(team_lead):
    assert _refused(team_lead, b"").message == "The file is empty."
    assert _refused(team_lead, b"\r\n\r\n  \n").extra["code"] == "empty"


def test_a_header_only_file_is_refused(team_lead):
    error = _refused(team_lead, "Phone,Name\n")
    assert error.message == "The file has a header row but no data rows."


def test_a_gzip_file_is_refused(team_lead):
    error = _refused(team_lead, gzip.compress(b"Phone\n2125550100\n"), "leads.csv.gz")
    assert error.message == "This looks like a gzip archive, not a CSV file."


def test_a_zip_that_is_not_a_workbook_is_refused(team_lead):
    error = _refused(team_lead, b"PK\x03\x04rest-of-a-zip", "leads.zip")
    assert "zip archive" in error.message


def test_binary_data_with_nul_bytes_is_refused(team_lead):
    error = _refused(team_lead, b"Phone,Name\n\x00\x01\x02\x00\xff\x00\x00\x00binary" * 10)
    assert "NUL bytes" in error.message


def test_a_nul_byte_inside_one_row_rejects_that_row_only(team_lead):
    lead_list = LeadListFactory(team=team_lead.team)
    rows = "".join(f"212-555-{n:04d},Ada\n" for n in range(100, 300))
    job = run_import(lead_list, team_lead, "Phone,Name\n" + rows + "212-555-0301,Gr\x00ace\n")
    assert (job.imported_count, job.malformed_count) == (200, 1)
    assert job.rejections.get().detail == "The row contains NUL bytes."


def test_an_undetectable_encoding_asks_the_user_to_choose(team_lead):
    lead_list = LeadListFactory(team=team_lead.team)
    job = upload(lead_list, team_lead, bytes(range(128, 256)) * 3)
    assert job.encoding == "" and job.header == []
    with pytest.raises(ApplicationError, match="could not be detected"):
        services.import_preview(job=job)
    with pytest.raises(ApplicationError, match="Choose the file's encoding first"):
        services.import_job_configure(job=job, mapping=[], default_country="US", acting_user=None)


def test_bytes_invalid_in_the_chosen_encoding_reject_the_row_not_the_file(team_lead):
    lead_list = LeadListFactory(team=team_lead.team)
    data = ("Phone,Name\n" + "212-555-0100,Ada\n" * 300).encode() + b"212-555-0101,Gr\xe9ce\n"
    job = upload(lead_list, team_lead, data)
    services.import_job_reread(job=job, encoding="utf-8", delimiter=",", has_header=True)
    services.import_job_configure(
        job=job, mapping=job.mapping, default_country="US", acting_user=None
    )
    services.import_job_start(job=job)
    services.lead_import_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.malformed_count == 1
    assert "not valid utf-8" in job.rejections.get(reason="malformed").detail


def test_a_wrong_delimiter_is_pointed_out(team_lead):
    lead_list = LeadListFactory(team=team_lead.team)
    job = upload(lead_list, team_lead, "Telefon;Vorname\n030 1234567;Jürgen\n")
    assert job.delimiter == ";"
    preview = services.import_job_reread(job=job, encoding="utf-8", delimiter=",", has_header=True)
    assert any("looks separated by Semicolon" in warning for warning in preview.warnings)
    with pytest.raises(ApplicationError, match="No column is mapped to Phone"):
        services.import_job_configure(
            job=job, mapping=["custom"], default_country="DE", acting_user=None
        )


def test_ragged_rows_are_warned_about_in_the_preview(team_lead):
    lead_list = LeadListFactory(team=team_lead.team)
    job = upload(lead_list, team_lead, HEADER + "212-555-0100,A\n212-555-0101,B,C\n")
    warnings = services.import_preview(job=job).warnings
    assert any("Rows 2 do not have 3 fields" in warning for warning in warnings)


def test_a_file_over_the_upload_limit_is_refused(team_lead, settings):
    settings.LEAD_UPLOAD_MAX_BYTES = 100
    error = _refused(team_lead, HEADER + "212-555-0100,A,B\n" * 20)
    assert error.extra["code"] == "too_large"
    assert "larger than the upload limit" in error.message


def test_duplicate_header_names_are_made_unique_with_a_warning(team_lead):
    lead_list = LeadListFactory(team=team_lead.team)
    job = upload(lead_list, team_lead, "Phone,Note,note,Phone\n212-555-0100,a,b,212-555-0101\n")
    assert job.header == ["Phone", "Note", "note (2)", "Phone (2)"]
    assert job.mapping == ["phone", "custom", "custom", "alt:other"]
    warnings = services.import_preview(job=job).warnings
    assert 'Columns 2 and 3 are both named "note"; column 3 is called "note (2)" here.' in warnings
    services.import_job_configure(
        job=job, mapping=job.mapping, default_country="US", acting_user=None
    )
    services.import_job_start(job=job)
    services.lead_import_run(job_id=job.pk)
    lead = Lead.objects.get()
    assert lead.custom_fields == {"Note": "a", "note (2)": "b"}
    assert lead.alternate_phones == [{"phone": "+12125550101", "kind": "other", "priority": 1}]


def test_no_phone_column_is_refused_at_mapping(team_lead):
    lead_list = LeadListFactory(team=team_lead.team)
    job = upload(lead_list, team_lead, "Name,City\nAda,London\n")
    assert "phone" not in job.mapping
    with pytest.raises(ApplicationError) as caught:
        services.import_job_configure(
            job=job, mapping=job.mapping, default_country="GB", acting_user=None
        )
    assert caught.value.extra["code"] == "no_phone"
    assert caught.value.extra["columns"] == [
        {"column": "Name", "samples": ["Ada"], "sampled": 1, "valid_phones": 0},
        {"column": "City", "samples": ["London"], "sampled": 1, "valid_phones": 0},
    ]
    assert "Name: Ada (0 of 1 valid); City: London (0 of 1 valid)" in caught.value.message
    job.refresh_from_db()
    assert job.state == ImportState.UPLOADED


def test_a_field_over_the_limit_rejects_its_row_and_the_next_rows_still_import(team_lead, settings):
    settings.LEAD_FIELD_MAX_CHARS = 20
    lead_list = LeadListFactory(team=team_lead.team)
    job = run_import(
        lead_list,
        team_lead,
        HEADER + '212-555-0100,"' + "x" * 50 + '",B\n212-555-0101,Ada,B\n',
    )
    assert (job.imported_count, job.malformed_count) == (1, 1)
    assert job.rejections.get().detail == "A field is longer than the limit of 20 characters."


@pytest.mark.parametrize(
    ("encoding", "data"),
    [
        ("utf-8-sig", codecs.BOM_UTF8 + "Phone,Name\n212-555-0100,Zoë\n".encode()),
        ("utf-8", "Phone,Name\n212-555-0100,Zoë\n".encode()),
        ("utf-16", "Phone,Name\n212-555-0100,Zoë\n".encode("utf-16")),
        ("utf-16-le", "Phone,Name\n212-555-0100,Zoë\n".encode("utf-16-le")),
        ("cp1252", "Telefon;Name\n212-555-0100;Zoë Weiß\n".encode("cp1252")),
        ("cp1255", "טלפון,שם פרטי\n212-555-0100,משה\n".encode("cp1255")),
    ],
)
def test_encodings_are_detected_and_read(team_lead, encoding, data):
    lead_list = LeadListFactory(team=team_lead.team)
    job = upload(lead_list, team_lead, data)
    assert job.encoding == encoding
    services.import_job_configure(
        job=job, mapping=job.mapping, default_country="US", acting_user=None
    )
    services.import_job_start(job=job)
    services.lead_import_run(job_id=job.pk)
    lead = Lead.objects.get()
    assert lead.phone == "+12125550100"
    assert lead.first_name in ("Zoë", "Zoë Weiß", "משה")


def test_tab_separated_files_are_read(team_lead):
    lead_list = LeadListFactory(team=team_lead.team)
    job = run_import(lead_list, team_lead, "Phone\tName\n212-555-0100\tAda\n")
    assert job.delimiter == "\t" and job.imported_count == 1


def test_xlsx_workbooks_are_read(team_lead):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Mobile No.", "Customer Name", "City"])
    sheet.append([2125550100, "Rahul", "Mumbai"])
    sheet.append(["(212) 555-0101", "Priya"])  # trailing cell left out, as Excel does
    buffer = io.BytesIO()
    workbook.save(buffer)
    lead_list = LeadListFactory(team=team_lead.team)
    job = services.import_job_create(
        lead_list=lead_list,
        upload=csv_upload(buffer.getvalue(), "leads.xlsx"),
        acting_user=team_lead,
    )
    assert job.file_format == "xlsx" and job.mapping == ["phone", "first_name", "custom"]
    services.import_job_configure(
        job=job, mapping=job.mapping, default_country="US", acting_user=None
    )
    services.import_job_start(job=job)
    services.lead_import_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.imported_count == 2
    assert set(Lead.objects.values_list("phone", flat=True)) == {"+12125550100", "+12125550101"}


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (["Telefon", "Vorname", "Nachname", "E-Mail", "Handy"],
         ["phone", "first_name", "last_name", "email", "alt:mobile"]),
        (["טלפון", "שם פרטי", "שם משפחה", "נייד"],
         ["phone", "first_name", "last_name", "alt:mobile"]),
        (["Customer Name", "Mobile No.", "Alt Mobile No", "Email ID", "Pincode"],
         ["first_name", "phone", "alt:mobile", "email", "custom"]),
        (["phone", "Phone 2", "Time Zone", "Priority", "Expiry Date"],
         ["phone", "alt:other", "timezone", "priority", "expires_on"]),
    ],
)  # fmt: skip
def test_mapping_suggestions_read_common_headers(header, expected):
    assert suggest_mapping(header) == expected


def test_a_template_wins_over_the_guess():
    assert suggest_mapping(["Tel", "X"], {"x": "first_name"}) == ["phone", "first_name"]


@pytest.mark.parametrize(
    ("value", "escaped"),
    [("=SUM(A1)", "'=SUM(A1)"), ("+12125550100", "'+12125550100"), ("-1", "'-1"),
     ("@cmd", "'@cmd"), ("\tx", "'\tx"), ("Ada", "Ada"), ("", "")],
)  # fmt: skip
def test_report_cells_are_escaped_against_formula_injection(value, escaped):
    assert escape_cell(value) == escaped


def test_a_phone_escaped_by_the_report_imports_again(team_lead):
    lead_list = LeadListFactory(team=team_lead.team)
    job = run_import(lead_list, team_lead, HEADER + "'+1 212 555 0100,A,B\n")
    assert job.imported_count == 1
